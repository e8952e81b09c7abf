-- grain: one row: the span of the loaded data, for default dates and "as at" labels
select
    c.coverage_start,
    greatest(
        c.latest_assignment_date,
        coalesce(c.latest_snapshot, c.latest_assignment_date),
        (select max(valid_from) from post_rows),
        (select max(valid_from) from unit_rows)
    ) as data_end,
    c.first_snapshot,
    c.latest_snapshot,
    (select max(loaded_at) from loads) as loaded_at
from coverage as c
