-- grain: at most one row: the latest day on or before $date_to with a structural change event in scope
-- (METRICS.md section 7: a side's unit in $unit's subtree on that side's day), with how many events
-- happened that day and how many units they touched. For "no restructure in the period; the last was ...".
with in_scope_events as (
    select e.*
    from structural_events as e
    where e.event_date <= $date_to
        and (
            (e.old_unit_id is not null and in_unit_scope(e.old_unit_id, e.old_day, $unit))
            or (e.new_unit_id is not null and in_unit_scope(e.new_unit_id, e.new_day, $unit))
        )
),
last_day as (
    select max(event_date) as event_date from in_scope_events
),
sides as (
    select old_unit_id as unit_id from in_scope_events
    where event_date = (select event_date from last_day) and old_unit_id is not null
    union
    select new_unit_id from in_scope_events
    where event_date = (select event_date from last_day) and new_unit_id is not null
)
select
    l.event_date,
    (select count(*) from in_scope_events where event_date = l.event_date) as events,
    (select count(*) from sides) as units_touched
from last_day as l
where l.event_date is not null
