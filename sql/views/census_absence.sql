-- grain: one row per census return year and ReasonAbsence ('none' for workers not absent) for the non-agency
-- workers in post on the reference date (census_year_figures.sql): how many were absent on 30 September
-- (Absat30Sept = 1) and the working days they lost in the year. A worker whose return gives two reasons is
-- counted under the first. Authority-wide. $role: an OrgRole code ('unknown' where none), or null for all.
with absence as (
    select
        w.year,
        case
            when not coalesce(w.absent_30_sept, false) then 'none'
            else coalesce(split_part(w.reason_absence, ';', 1), 'not given')
        end as reason,
        count(*) as workers,
        coalesce(sum(w.working_days_lost), 0) as working_days_lost
    from census_workers as w
    join census_returns as r using (year)
    where not w.agency
        and not coalesce(w.role_end_date <= r.reference_date, false)
        and ($role is null or coalesce(w.org_role, 'unknown') = $role)
    group by all
)
select * from absence
order by year, reason <> 'none', reason
