-- grain: one kind of extract in the latest load: rows read, loaded and held back (quarantined)
select kind, rows_read, rows_loaded, rows_quarantined
from load_kinds
where load_id = (select max(load_id) from loads)
order by
    case kind when 'org_units' then 1 when 'posts' then 2 when 'assignments' then 3
        when 'caseloads' then 4 when 'key_dates' then 5 else 6 end
