-- metric 7, structural change, period $date_from..$date_to; grain: one row per group.
-- An event counts once per group it falls in, under each in-scope unit it touches (by unit).
with sides as (
    select event_id, event_type, event_date, old_unit_id as unit_id, old_day as day
    from structural_events
    where old_unit_id is not null and event_date between $date_from and $date_to
    union all
    select event_id, event_type, event_date, new_unit_id, new_day
    from structural_events
    where new_unit_id is not null and event_date between $date_from and $date_to
),
grouped as (
    select distinct
        event_id,
        event_date,
        case $by
            when 'unit' then unit_id
            when 'month' then strftime(event_date, '%Y-%m')
            when 'type' then event_type
            else 'all'
        end as grp
    from sides
    where in_unit_scope(unit_id, day, $unit)
)
select
    grp as "group",
    count(*) as events,
    count(distinct event_date) as change_days,
    cast(count(*) as double) * 365.25 / cast(cast($date_to as date) - cast($date_from as date) + 1 as double)
        as events_per_12m
from grouped
group by grp
