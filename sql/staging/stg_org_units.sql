-- grain: one org unit per validity interval, as extracted (typed; open end = null)
select
    unit_id,
    unit_name,
    parent_unit_id,
    unit_level,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to
from raw_org_units
