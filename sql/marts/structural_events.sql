-- grain: one structural change event (METRICS.md section 7), from consecutive rows of one unit or
-- post ordered by valid_from, with its old side (unit, day before the event) and new side (unit, event day).
with units as (
    select unit_id, unit_name, parent_unit_id, valid_from, valid_to,
        lag(unit_name) over w as previous_name,
        lag(parent_unit_id) over w as previous_parent,
        row_number() over w as row_index,
        count(*) over (partition by unit_id) as row_count
    from unit_rows
    window w as (partition by unit_id order by valid_from)
),
posts as (
    select post_id, unit_id, grade, valid_from, valid_to,
        lag(unit_id) over w as previous_unit,
        lag(grade) over w as previous_grade,
        row_number() over w as row_index,
        count(*) over (partition by post_id) as row_count
    from post_rows
    window w as (partition by post_id order by valid_from)
),
events as (
    select 'unit_created' as event_type, unit_id as entity_id, valid_from as event_date,
        null as old_unit_id, unit_id as new_unit_id
    from units where row_index = 1 and valid_from > (select min(valid_from) from unit_rows)
    union all
    select 'unit_closed', unit_id, valid_to + 1, unit_id, null
    from units where row_index = row_count and valid_to is not null
    union all
    select 'unit_renamed', unit_id, valid_from, unit_id, unit_id
    from units where row_index > 1 and unit_name <> previous_name
    union all
    select 'unit_moved', unit_id, valid_from, unit_id, unit_id
    from units where row_index > 1 and parent_unit_id is distinct from previous_parent
    union all
    select 'post_created', post_id, valid_from, null, unit_id
    from posts where row_index = 1 and valid_from > (select min(valid_from) from post_rows)
    union all
    select 'post_deleted', post_id, valid_to + 1, unit_id, null
    from posts where row_index = row_count and valid_to is not null
    union all
    select 'post_moved', post_id, valid_from, previous_unit, unit_id
    from posts where row_index > 1 and unit_id <> previous_unit
    union all
    select 'post_regraded', post_id, valid_from, previous_unit, unit_id
    from posts where row_index > 1 and grade <> previous_grade
)
select
    row_number() over (order by event_date, event_type, entity_id) as event_id,
    event_type,
    entity_id,
    event_date,
    old_unit_id,
    case when old_unit_id is not null then event_date - 1 end as old_day,
    new_unit_id,
    case when new_unit_id is not null then event_date end as new_day
from events
