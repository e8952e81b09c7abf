-- grain: one event date: the 10 days in $date_from..$date_to with the most structural change events in
-- scope (METRICS.md section 7: a side's unit in $unit's subtree on that side's day), with the count of
-- each event type and the names of the units the events touched (each under its name on the later side's day).
with in_scope_events as (
    select e.*
    from structural_events as e
    where e.event_date between $date_from and $date_to
        and (
            (e.old_unit_id is not null and in_unit_scope(e.old_unit_id, e.old_day, $unit))
            or (e.new_unit_id is not null and in_unit_scope(e.new_unit_id, e.new_day, $unit))
        )
),
sides as (
    select event_date, old_unit_id as unit_id, old_day as side_day from in_scope_events where old_unit_id is not null
    union
    select event_date, new_unit_id, new_day from in_scope_events where new_unit_id is not null
),
named as (
    -- a unit renamed that day has two names: keep the later one, so each unit is listed once
    select s.event_date, s.unit_id, arg_max(coalesce(u.unit_name, s.unit_id), s.side_day) as unit_name
    from sides as s
    left join unit_rows as u on u.unit_id = s.unit_id and s.side_day between u.valid_from and u.valid_until
    group by s.event_date, s.unit_id
),
touched as (
    select event_date, count(*) as units_touched_count,
        string_agg(unit_name, '; ' order by unit_name) as units_touched
    from named
    group by event_date
),
days as (
    select
        event_date,
        count(*) as events,
        count(*) filter (where event_type = 'unit_created') as unit_created,
        count(*) filter (where event_type = 'unit_closed') as unit_closed,
        count(*) filter (where event_type = 'unit_renamed') as unit_renamed,
        count(*) filter (where event_type = 'unit_moved') as unit_moved,
        count(*) filter (where event_type = 'post_created') as post_created,
        count(*) filter (where event_type = 'post_deleted') as post_deleted,
        count(*) filter (where event_type = 'post_moved') as post_moved,
        count(*) filter (where event_type = 'post_regraded') as post_regraded
    from in_scope_events
    group by event_date
)
select d.*, t.units_touched_count, t.units_touched
from days as d
join touched as t using (event_date)
order by d.events desc, d.event_date desc
limit 10
