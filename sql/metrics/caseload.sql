-- metric 9, caseload (DfE), on each snapshot day in $days; grain: one row per (day, group).
-- unmatched counts every unmatched row of the day, whatever the scope, in every group.
with reference_days as (
    select unnest($days::date[]) as day
),
records as (
    select d.day, group_of($by, m.grade, m.tier, m.unit_id) as grp, m.open_cases, m.holding_fte
    from reference_days as d
    join caseload_matches as m on m.snapshot_date = d.day and m.is_matched
    where in_scope(m.unit_id, d.day, m.tier, m.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
unmatched as (
    select d.day, count(m.person_key) as unmatched
    from reference_days as d
    left join caseload_matches as m on m.snapshot_date = d.day and not m.is_matched
    group by d.day
),
groups as (
    select distinct day, grp from records
    union
    select day, 'all' from reference_days where $by = 'none'
),
holders as (
    select day, grp,
        count(*) as case_holders,
        sum(holding_fte) as case_holding_fte,
        sum(open_cases) as cases,
        count(*) filter (where open_cases > $threshold) as over_threshold
    from records
    where open_cases > 0
    group by day, grp
)
select
    g.day,
    g.grp as "group",
    coalesce(h.case_holders, 0) as case_holders,
    coalesce(h.case_holding_fte, 0) as case_holding_fte,
    coalesce(h.cases, 0) as cases,
    cast(h.cases as double) / nullif(cast(h.case_holding_fte as double), 0) as caseload_per_fte,
    cast(h.cases as double) / nullif(h.case_holders, 0) as mean_cases_per_holder,
    coalesce(h.over_threshold, 0) as over_threshold,
    u.unmatched
from groups as g
join unmatched as u on u.day = g.day
left join holders as h on h.day = g.day and h.grp = g.grp
