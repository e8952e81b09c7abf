-- grain: one problem that held a worker record of a census return back (a record with two problems
-- appears twice). Reasons never quote a SWE number, and the personal items are never read.
-- $year: one return year, or null for every year.
select
    year,
    file_name,
    worker_position,
    line_number,
    field,
    reason
from census_quarantine
where $year is null or year = $year
order by year, worker_position, field
