-- grain: one row: the dates the loaded data covers. coverage_start (the earliest assignment start)
-- is where vacancy episodes become left-censored.
select
    (select min(start_date) from stg_assignments) as coverage_start,
    (select max(greatest(start_date, coalesce(end_date, start_date))) from stg_assignments) as latest_assignment_date,
    (select min(valid_from) from stg_org_units) as earliest_unit_date,
    (select min(valid_from) from stg_posts) as earliest_post_date,
    (select min(snapshot_date) from stg_caseloads) as first_snapshot,
    (select max(snapshot_date) from stg_caseloads) as latest_snapshot
