-- metric 3, turnover (CIPD crude; DfE FTE form), period $date_from..$date_to; grain: one row per group
with leavers as (
    select group_of($by, grade, tier, unit_id) as grp, leaver_fte, is_voluntary
    from leaving_events
    where leave_day between $date_from and $date_to
        and in_scope(unit_id, leave_day, tier, social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
in_post as (
    select d.edge, group_of($by, s.grade, s.tier, s.unit_id) as grp, s.person_key, s.fte
    from (select 'start' as edge, cast($date_from as date) as day union all select 'end', cast($date_to as date)) as d
    join assignment_spans as s on s.is_substantive and d.day between s.span_from and s.span_to
    where in_scope(s.unit_id, d.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
leaver_totals as (
    select grp, count(*) as leavers, sum(leaver_fte) as leaver_fte, count(*) filter (where is_voluntary) as voluntary_leavers
    from leavers group by grp
),
in_post_totals as (
    select grp,
        count(distinct person_key) filter (where edge = 'start') as headcount_start,
        count(distinct person_key) filter (where edge = 'end') as headcount_end,
        coalesce(sum(fte) filter (where edge = 'start'), 0) as fte_start,
        coalesce(sum(fte) filter (where edge = 'end'), 0) as fte_end
    from in_post group by grp
),
totals as (
    select
        coalesce(l.grp, p.grp) as grp,
        coalesce(l.leavers, 0) as leavers,
        coalesce(l.leaver_fte, 0) as leaver_fte,
        coalesce(p.headcount_start, 0) as headcount_start,
        coalesce(p.headcount_end, 0) as headcount_end,
        coalesce(p.fte_start, 0) as fte_start,
        coalesce(p.fte_end, 0) as fte_end,
        coalesce(l.voluntary_leavers, 0) as voluntary_leavers
    from leaver_totals as l
    full outer join in_post_totals as p on p.grp = l.grp
)
select
    grp as "group",
    leavers,
    leaver_fte,
    headcount_start,
    headcount_end,
    cast(headcount_start + headcount_end as double) / 2 as avg_headcount,
    leavers / nullif(cast(headcount_start + headcount_end as double) / 2, 0) * 100 as turnover_rate_pct,
    fte_start,
    fte_end,
    cast(leaver_fte as double) / nullif((cast(fte_start as double) + cast(fte_end as double)) / 2, 0) * 100
        as turnover_rate_fte_pct,
    cast(leaver_fte as double) / nullif(cast(fte_end as double), 0) * 100 as dfe_turnover_rate_fte_pct,
    voluntary_leavers
from totals
