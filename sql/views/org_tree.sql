-- grain: one org unit active on $day, with its parent that day (for the unit picker and breadcrumbs).
-- A unit in a parent loop that day (unit_cycles) is shown as a top unit, as the metrics count it.
select
    r.unit_id,
    r.unit_name,
    case when exists (
        select 1 from unit_cycles as c where c.unit_id = r.unit_id and $day between c.cycle_from and c.cycle_to
    ) then null else r.parent_unit_id end as parent_unit_id,
    r.unit_level
from unit_rows as r
where $day between r.valid_from and r.valid_until
order by r.unit_id
