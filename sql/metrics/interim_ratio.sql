-- metric 1, interim ratio, as of each day in $days; grain: one row per (day, group)
with reference_days as (
    select unnest($days::date[]) as day
),
records as (
    select d.day, group_of($by, s.grade, s.tier, s.unit_id) as grp, s.person_key, s.fte, s.is_cover
    from reference_days as d
    join assignment_spans as s on d.day between s.span_from and s.span_to
    where in_scope(s.unit_id, d.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
)
select
    day,
    grp as "group",
    sum(fte) as occupied_fte,
    coalesce(sum(fte) filter (where is_cover), 0) as cover_fte,
    count(distinct person_key) as occupied_headcount,
    count(distinct person_key) filter (where is_cover) as cover_headcount,
    cast(coalesce(sum(fte) filter (where is_cover), 0) as double)
        / nullif(cast(sum(fte) as double), 0) * 100 as interim_ratio_pct
from records
group by day, grp
