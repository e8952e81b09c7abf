-- grain: one row: the latest caseload snapshot on or before $day (null when there is none)
select max(snapshot_date) as snapshot_date
from stg_caseloads
where snapshot_date <= $day
