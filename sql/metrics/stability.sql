-- metric 4, stability index (CIPD/NHS), period $date_from..$date_to; grain: one row per group.
-- Cohort: people employed on $date_from, placed by the post row of their main substantive assignment.
with ranked as (
    select s.*,
        row_number() over (partition by s.person_key order by s.fte desc, s.assignment_id) as main_rank
    from assignment_spans as s
    where s.is_substantive and cast($date_from as date) between s.span_from and s.span_to
),
cohort as (
    select person_key, group_of($by, grade, tier, unit_id) as grp
    from ranked
    where main_rank = 1
        and in_scope(unit_id, cast($date_from as date), tier, social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
judged as (
    select c.grp,
        exists (
            select 1 from interval_islands as i
            where i.series = 'employed' and i.series_key = c.person_key
                and cast($date_to as date) between i.island_from and i.island_to
        ) and not exists (
            select 1 from leaving_events as e
            where e.person_key = c.person_key and e.leave_day >= $date_from and e.leave_day < $date_to
        ) as is_stable
    from cohort as c
)
select
    grp as "group",
    count(*) as headcount_start,
    count(*) filter (where is_stable) as stable,
    count(*) filter (where is_stable) / nullif(count(*), 0) * 100.0 as stability_index_pct
from judged
group by grp
