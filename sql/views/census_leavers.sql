-- grain: one row per census return year, ReasonLeave and LeaverDestination (null: not given) for the
-- leavers: non-agency workers whose RoleEndDate is inside the year (census_year_figures.sql).
-- Authority-wide. $role: an OrgRole code ('unknown' where none), or null for all.
select
    w.year,
    w.reason_leave,
    w.leaver_destination,
    count(*) as leavers,
    sum(coalesce(nullif(w.fte, 0), nullif(w.fte30, 0))) as leavers_fte
from census_workers as w
join census_returns as r using (year)
where not w.agency
    and w.role_end_date <= r.reference_date
    and ($role is null or coalesce(w.org_role, 'unknown') = $role)
group by all
order by w.year, w.reason_leave nulls last, w.leaver_destination nulls last
