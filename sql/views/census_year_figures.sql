-- grain: one row per census return year for the whole return (org_role null), and one per year and OrgRole
-- (org_role '1'..'6', or 'unknown' where the return left it empty). Sums only, unrounded: rates are
-- worked out and rounded once, at the end, by pipelines/census/figures.py (DfE's definitions, docs/CENSUS.md).
-- Authority-wide (census returns carry no team). Vacancies and agency cover are the return's
-- LALevelVacancies block, so they are given on the whole-return rows only.
with flagged as (
    select
        w.year,
        coalesce(w.org_role, 'unknown') as org_role,
        w.agency,
        -- "inside the year": a leaving date after the reference date is not (DfE counts that worker in post)
        coalesce(w.role_end_date <= r.reference_date, false) as left_in_year,
        w.role_start_date > r.reference_date - interval 1 year as started_in_year,
        coalesce(nullif(w.fte30, 0), nullif(w.fte, 0)) as fte_in_post,
        coalesce(nullif(w.fte, 0), nullif(w.fte30, 0)) as fte_leaving,
        coalesce(w.cases30, 0) as cases,
        coalesce(w.working_days_lost, 0) as days_lost
    from census_workers as w
    join census_returns as r using (year)
),
counted as (
    select
        year,
        org_role,
        not agency and not left_in_year as in_post,
        agency and not left_in_year as agency_in_post,
        not agency and left_in_year as leaver,
        not agency and not left_in_year and coalesce(started_in_year, false) as starter,
        not left_in_year and cases >= 1 as case_holder,
        fte_in_post,
        fte_leaving,
        cases,
        days_lost
    from flagged
),
summed as (
    select
        year,
        org_role,
        count(*) filter (where in_post) as inpost_headcount,
        coalesce(sum(fte_in_post) filter (where in_post), 0) as inpost_fte,
        count(*) filter (where starter) as starters_headcount,
        coalesce(sum(fte_in_post) filter (where starter), 0) as starters_fte,
        count(*) filter (where leaver) as leavers_headcount,
        coalesce(sum(fte_leaving) filter (where leaver), 0) as leavers_fte,
        count(*) filter (where agency_in_post) as agency_headcount,
        coalesce(sum(fte_in_post) filter (where agency_in_post), 0) as agency_fte,
        count(*) filter (where case_holder) as case_holders_headcount,
        coalesce(sum(fte_in_post) filter (where case_holder), 0) as case_holders_fte,
        coalesce(sum(cases) filter (where case_holder), 0) as cases,
        coalesce(sum(days_lost) filter (where in_post), 0) as working_days_lost
    from counted
    group by grouping sets ((year), (year, org_role))
)
select
    s.year,
    r.reference_date,
    s.org_role,
    s.inpost_headcount,
    s.inpost_fte,
    s.starters_headcount,
    s.starters_fte,
    s.leavers_headcount,
    s.leavers_fte,
    s.agency_headcount,
    s.agency_fte,
    s.case_holders_headcount,
    s.case_holders_fte,
    s.cases,
    s.working_days_lost,
    case when s.org_role is null then r.vacancies_fte end as vacancy_fte,
    case when s.org_role is null then r.agency_cover_fte end as agency_cover_fte,
    case when s.org_role is null then r.agency_cover_headcount end as agency_cover_headcount
from summed as s
join census_returns as r using (year)
order by s.year, s.org_role nulls first
