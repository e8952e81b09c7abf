-- metric 5, vacancy rate, as of each day in $days; grain: one row per (day, group)
with reference_days as (
    select unnest($days::date[]) as day
),
post_rows_in_scope as (
    select d.day, p.post_id, p.budgeted_fte, group_of($by, p.grade, p.tier, p.unit_id) as grp
    from reference_days as d
    join post_rows as p on d.day between p.valid_from and p.valid_until
    where in_scope(p.unit_id, d.day, p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
occupancy as (
    select r.day, r.post_id,
        coalesce(sum(s.fte) filter (where s.is_substantive), 0) as sub_fte,
        coalesce(sum(s.fte) filter (where s.is_cover), 0) as cov_fte
    from post_rows_in_scope as r
    join assignment_spans as s on s.post_id = r.post_id and r.day between s.span_from and s.span_to
    group by r.day, r.post_id
),
per_post as (
    select r.day, r.grp, r.budgeted_fte,
        greatest(0, r.budgeted_fte - coalesce(o.sub_fte, 0)) as vacant_fte,
        coalesce(o.cov_fte, 0) as cov_fte
    from post_rows_in_scope as r
    left join occupancy as o on o.day = r.day and o.post_id = r.post_id
)
select
    day,
    grp as "group",
    sum(budgeted_fte) as establishment_fte,
    sum(vacant_fte) as vacant_fte,
    sum(least(vacant_fte, cov_fte)) as covered_vacant_fte,
    cast(sum(vacant_fte) as double) / nullif(cast(sum(budgeted_fte) as double), 0) * 100 as vacancy_rate_pct,
    cast(sum(least(vacant_fte, cov_fte)) as double) / nullif(cast(sum(vacant_fte) as double), 0) * 100
        as agency_cover_pct
from per_post
group by day, grp
