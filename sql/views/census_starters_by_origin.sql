-- grain: one row per census return year and StartOrigin code (null: not given) for the starters: non-agency
-- workers in post on the reference date whose RoleStartDate is inside the year (the flags of
-- census_year_figures.sql). Authority-wide. $role: an OrgRole code ('unknown' where none), or null for all.
select
    w.year,
    w.start_origin,
    count(*) as starters,
    sum(coalesce(nullif(w.fte30, 0), nullif(w.fte, 0))) as starters_fte
from census_workers as w
join census_returns as r using (year)
where not w.agency
    and not coalesce(w.role_end_date <= r.reference_date, false)
    and w.role_start_date > r.reference_date - interval 1 year
    and ($role is null or coalesce(w.org_role, 'unknown') = $role)
group by all
order by w.year, w.start_origin nulls last
