-- grain: one row per census return year whose previous year's return is also loaded: of the non-agency
-- workers in post on the previous reference date (by pseudonymised SWE number), how many are in post
-- again, working as agency workers for the authority, or in neither group, on this one.
-- Authority-wide. $role: the OrgRole (code, 'unknown' where none) held on the previous reference date, or null.
with in_post as (
    select w.year, w.swe_key, w.agency, coalesce(w.org_role, 'unknown') as org_role
    from census_workers as w
    join census_returns as r using (year)
    where not coalesce(w.role_end_date <= r.reference_date, false)
),
before as (
    select distinct year + 1 as year, swe_key
    from in_post
    where not agency and ($role is null or org_role = $role)
)
select
    b.year,
    count(*) as in_post_year_before,
    count(*) filter (where exists (
        select 1 from in_post as n where n.year = b.year and n.swe_key = b.swe_key and not n.agency
    )) as still_in_post,
    count(*) filter (where exists (
        select 1 from in_post as n where n.year = b.year and n.swe_key = b.swe_key and n.agency
    ) and not exists (
        select 1 from in_post as n where n.year = b.year and n.swe_key = b.swe_key and not n.agency
    )) as now_agency
from before as b
where b.year in (select year from census_returns)
group by b.year
order by b.year
