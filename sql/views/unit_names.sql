-- grain: one unit_id with its latest name on or before $day (or its first name if it starts later)
select unit_id, arg_max(unit_name, valid_from) filter (where valid_from <= $day) as latest_name,
    arg_min(unit_name, valid_from) as first_name, arg_max(unit_level, valid_from) as unit_level
from unit_rows
group by unit_id
