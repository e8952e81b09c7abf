-- grain: one load, newest first, with rows loaded and held back per kind of extract
select
    l.load_id,
    l.loaded_at,
    l.source_folder,
    l.mapping,
    l.rows_loaded,
    l.rows_quarantined,
    l.coverage_start,
    l.latest_date,
    (select count(*) from load_files as f where f.load_id = l.load_id) as files,
    (select string_agg(k.kind || ' ' || k.rows_loaded || ' loaded, ' || k.rows_quarantined || ' held back', '; '
                       order by list_position(['org_units', 'posts', 'assignments', 'caseloads', 'key_dates'], k.kind))
     from load_kinds as k where k.load_id = l.load_id) as by_kind
from loads as l
order by l.load_id desc
