-- metric 6, vacancy duration, period $date_from..$date_to as of $date_to; grain: one row per group.
-- Episodes are vacancy runs cut at $date_to; each is placed and scoped by the post row on its last day t.
with episodes as (
    select
        r.post_id,
        r.vacant_from,
        least(r.vacant_to, cast($date_to as date)) as last_day,
        case
            when r.vacant_to >= $date_to then 'open'
            when r.ended_by = 'filled' then 'filled'
            else 'closed'
        end as outcome,
        coalesce(r.vacant_from <= (select coverage_start from coverage), false) as is_left_censored
    from vacancy_runs as r
    where r.vacant_from <= $date_to
),
records as (
    select
        group_of($by, p.grade, p.tier, p.unit_id) as grp,
        e.outcome,
        e.is_left_censored,
        e.last_day - e.vacant_from + 1 as days
    from episodes as e
    join post_rows as p on p.post_id = e.post_id and e.last_day between p.valid_from and p.valid_until
    where (e.outcome = 'open' or (e.outcome = 'filled' and e.last_day + 1 >= $date_from))
        and in_scope(p.unit_id, e.last_day, p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
)
select
    grp as "group",
    count(*) filter (where outcome = 'filled' and not is_left_censored) as filled,
    median(days) filter (where outcome = 'filled' and not is_left_censored) as median_days_to_fill,
    avg(days) filter (where outcome = 'filled' and not is_left_censored) as mean_days_to_fill,
    count(*) filter (where outcome = 'open' and not is_left_censored) as open,
    median(days) filter (where outcome = 'open' and not is_left_censored) as median_open_age_days,
    count(*) filter (where outcome = 'open' and not is_left_censored and days > 90) as open_over_90_days,
    count(*) filter (where outcome = 'open' and not is_left_censored and days > 180) as open_over_180_days,
    count(*) filter (where is_left_censored) as left_censored
from records
group by grp
