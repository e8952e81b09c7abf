-- grain: one org unit active on $day, with its parent that day (for the unit picker and breadcrumbs)
select unit_id, unit_name, parent_unit_id, unit_level
from unit_rows
where $day between valid_from and valid_until
order by unit_id
