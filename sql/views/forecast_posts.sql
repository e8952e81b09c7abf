-- grain: one in-scope post row active on $day, for the workforce forecast: its budget, the FTE held by
-- permanent or fixed-term staff and by cover staff, and, when it is fully vacant, how long it has been
-- (vacant_days, counted as METRICS.md section 6 counts an open vacancy's age; left_censored when the
-- vacancy began on or before the start of the data, so its true age is unknown).
with rows_on_day as (
    select p.post_id, p.grade, p.budgeted_fte
    from post_rows as p
    where cast($day as date) between p.valid_from and p.valid_until
        and in_scope(p.unit_id, cast($day as date), p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
occupancy as (
    select s.post_id,
        coalesce(sum(s.fte) filter (where s.is_substantive), 0) as held_fte,
        coalesce(sum(s.fte) filter (where s.is_cover), 0) as cover_fte
    from assignment_spans as s
    join rows_on_day as r on r.post_id = s.post_id
    where cast($day as date) between s.span_from and s.span_to
    group by s.post_id
)
select
    r.post_id,
    r.grade,
    r.budgeted_fte,
    coalesce(o.held_fte, 0) as held_fte,
    coalesce(o.cover_fte, 0) as cover_fte,
    date_diff('day', v.vacant_from, cast($day as date)) + 1 as vacant_days,
    coalesce(v.vacant_from <= (select coverage_start from coverage), false) as left_censored
from rows_on_day as r
left join occupancy as o on o.post_id = r.post_id
left join vacancy_runs as v on v.post_id = r.post_id and cast($day as date) between v.vacant_from and v.vacant_to
order by r.post_id
