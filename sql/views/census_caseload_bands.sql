-- grain: one row per census return year and band of cases held on the reference date, for the case holders:
-- workers in post, agency included, with Cases30 of 1 or more (census_year_figures.sql). Authority-wide.
-- $role: an OrgRole code ('unknown' where none), or null for all.
select
    w.year,
    case
        when w.cases30 <= 10 then '1 to 10'
        when w.cases30 <= 15 then '11 to 15'
        when w.cases30 <= 20 then '16 to 20'
        when w.cases30 <= 25 then '21 to 25'
        when w.cases30 <= 30 then '26 to 30'
        else 'over 30'
    end as band,
    min(w.cases30) as band_order,
    count(*) as case_holders
from census_workers as w
join census_returns as r using (year)
where w.cases30 >= 1
    and not coalesce(w.role_end_date <= r.reference_date, false)
    and ($role is null or coalesce(w.org_role, 'unknown') = $role)
group by all
order by w.year, band_order
