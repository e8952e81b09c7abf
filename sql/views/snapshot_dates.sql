-- grain: one caseload snapshot date within $date_from..$date_to
select distinct snapshot_date from stg_caseloads
where snapshot_date between $date_from and $date_to
order by snapshot_date
