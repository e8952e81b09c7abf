-- grain: one vacancy episode (METRICS.md section 6, cut at $day) that was open on some day in
-- $date_from..$day, for the forecast's chance of filling by months open. Scoped by the post row on its
-- last day; left-censored episodes (begun on or before the start of the data) are left out because their
-- length is unknown. outcome: filled, closed or open (still vacant on $day); days: its length so far.
with episodes as (
    select
        r.post_id,
        r.vacant_from,
        least(r.vacant_to, cast($day as date)) as last_day,
        case
            when r.vacant_to >= $day then 'open'
            when r.ended_by = 'filled' then 'filled'
            else 'closed'
        end as outcome
    from vacancy_runs as r
    where r.vacant_from <= $day
        and r.vacant_from > (select coverage_start from coverage)
)
select e.outcome, date_diff('day', e.vacant_from, e.last_day) + 1 as days
from episodes as e
join post_rows as p on p.post_id = e.post_id and e.last_day between p.valid_from and p.valid_until
where e.last_day >= $date_from
    and in_scope(p.unit_id, e.last_day, p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
order by e.outcome, days
