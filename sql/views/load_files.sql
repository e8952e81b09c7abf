-- grain: one file read by the latest load (a kind may come in several files)
select kind, file_name, file_format, row_count, sha256
from load_files
where load_id = (select max(load_id) from loads)
order by
    case kind when 'org_units' then 1 when 'posts' then 2 when 'assignments' then 3
        when 'caseloads' then 4 when 'key_dates' then 5 else 6 end,
    file_name
