-- grain: one org unit per validity interval; valid_until is the inclusive last day (9999-12-31 when open)
select
    *,
    coalesce(valid_to, date '9999-12-31') as valid_until
from stg_org_units
