-- grain: one row per census return loaded (one per year): which file, when, and how many worker records
-- were read, loaded and held back. Authority-wide load detail.
select
    year,
    reference_date,
    la_number,
    file_name,
    imported_at,
    workers_read,
    workers_loaded,
    workers_quarantined
from census_returns
order by year
