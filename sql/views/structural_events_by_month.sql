-- grain: one (month, event type) with the structural change events dated in $date_from..$date_to
-- (METRICS.md section 7). An event is in scope when one of its sides' units is in $unit's subtree on
-- that side's day (old side: the day before the event; new side: the event day); it counts once even
-- when both sides are in scope. Structural change takes no tier or social-work filter.
with in_scope_events as (
    select distinct e.event_id, e.event_type, e.event_date
    from structural_events as e
    where e.event_date between $date_from and $date_to
        and (
            (e.old_unit_id is not null and in_unit_scope(e.old_unit_id, e.old_day, $unit))
            or (e.new_unit_id is not null and in_unit_scope(e.new_unit_id, e.new_day, $unit))
        )
)
select
    cast(date_trunc('month', event_date) as date) as month_start,
    event_type,
    count(*) as events
from in_scope_events
group by all
order by month_start, event_type
