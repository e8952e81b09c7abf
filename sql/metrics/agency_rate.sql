-- metric 2, agency rate (DfE), as of each day in $days; grain: one row per (day, group)
with reference_days as (
    select unnest($days::date[]) as day
),
records as (
    select d.day, group_of($by, s.grade, s.tier, s.unit_id) as grp, s.fte, s.is_agency, s.is_substantive
    from reference_days as d
    join assignment_spans as s on d.day between s.span_from and s.span_to
    where (s.is_agency or s.is_substantive)
        and in_scope(s.unit_id, d.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
)
select
    day,
    grp as "group",
    coalesce(sum(fte) filter (where is_agency), 0) as agency_fte,
    coalesce(sum(fte) filter (where is_substantive), 0) as substantive_fte,
    cast(coalesce(sum(fte) filter (where is_agency), 0) as double)
        / nullif(cast(sum(fte) as double), 0) * 100 as agency_rate_pct
from records
group by day, grp
