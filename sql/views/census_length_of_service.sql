-- grain: one row per census return year and band of time in the role on the reference date (RoleStartDate
-- to the reference date), for the non-agency workers in post (census_year_figures.sql). Authority-wide.
-- $role: an OrgRole code ('unknown' where none), or null for all.
with in_post as (
    select w.year, date_diff('month', w.role_start_date, r.reference_date) as months
    from census_workers as w
    join census_returns as r using (year)
    where not w.agency
        and not coalesce(w.role_end_date <= r.reference_date, false)
        and ($role is null or coalesce(w.org_role, 'unknown') = $role)
)
select
    year,
    case
        when months is null then 'Not known'
        when months < 12 then 'Under 1 year'
        when months < 24 then '1 to 2 years'
        when months < 60 then '2 to 5 years'
        when months < 120 then '5 to 10 years'
        else '10 years or more'
    end as band,
    coalesce(min(months), 100000) as band_order,
    count(*) as workers
from in_post
group by all
order by year, band_order
