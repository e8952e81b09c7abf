-- grain: one person per caseload snapshot date
select
    cast(snapshot_date as date) as snapshot_date,
    person_key,
    cast(open_cases as integer) as open_cases
from raw_caseloads
