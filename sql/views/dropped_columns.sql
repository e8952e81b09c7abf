-- grain: one column name the latest load did not store, per reason (personal data, or not in the
-- data contract), with how many files had it and which
select
    why,
    column_name,
    count(distinct file_name) as files,
    string_agg(distinct file_name, ', ' order by file_name) as file_names
from load_dropped_columns
where load_id = (select max(load_id) from loads)
group by why, column_name
order by why desc, column_name
