-- grain: one vacancy episode filled in $date_from..$date_to (METRICS.md section 6): a run of fully
-- vacant days s..t of one post, cut at $date_to, filled when a substantive assignment starts on t+1
-- with $date_from <= t+1 <= $date_to. Episodes that began on or before the coverage start are left
-- out (we cannot know how long they had already lasted). Scoped and placed by the post row on t.
-- No person appears here: one row per post episode.
with episodes as (
    select
        r.post_id,
        r.vacant_from,
        r.vacant_to as last_day
    from vacancy_runs as r
    where r.ended_by = 'filled'
        and r.vacant_to < $date_to
        and r.vacant_to + 1 >= $date_from
        and r.vacant_from > (select coverage_start from coverage)
)
select
    e.post_id,
    p.post_title,
    p.unit_id,
    p.grade,
    p.tier,
    e.vacant_from,
    e.last_day + 1 as filled_on,
    e.last_day - e.vacant_from + 1 as days_to_fill
from episodes as e
join post_rows as p on p.post_id = e.post_id and e.last_day between p.valid_from and p.valid_until
where in_scope(p.unit_id, e.last_day, p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
order by days_to_fill desc, e.post_id
