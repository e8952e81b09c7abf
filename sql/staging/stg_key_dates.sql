-- grain: one dated event to mark on time charts (inspection, new director, restructure)
select
    cast(date as date) as event_date,
    label,
    coalesce(category, 'other') as category
from raw_key_dates
