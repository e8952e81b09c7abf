-- grain: one person-in-post assignment (person_key is the keyed pseudonym of person_id)
select
    assignment_id,
    person_key,
    post_id,
    arrangement,
    cast(fte as decimal(18, 8)) as fte,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    leaving_reason
from raw_assignments
