-- grain: one row: the latest load (when, from which folder, with which mapping, and its totals)
select load_id, loaded_at, source_folder, mapping, rows_loaded, rows_quarantined, coverage_start, latest_date
from loads
order by load_id desc
limit 1
