-- grain: one month end in $days (sorted; the first is only the start of the first month): what actually
-- happened, for the forecast's backtest. in_post_headcount / in_post_fte: people with a substantive
-- assignment active that day in scope (METRICS.md section 3, headcount(d) and fte(d)); leavers: leaving
-- events after the previous month end, on or before this one, scoped by the post row on the leaving day;
-- starters: spells of substantive employment beginning in the month on an in-scope post.
with month_ends as (
    select day, lag(day) over (order by day) as previous_day
    from (select unnest($days::date[]) as day)
),
in_post as (
    select m.day, count(distinct s.person_key) as in_post_headcount, sum(s.fte) as in_post_fte
    from month_ends as m
    join assignment_spans as s on s.is_substantive and m.day between s.span_from and s.span_to
    where in_scope(s.unit_id, m.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
    group by m.day
),
leavers as (
    select m.day, count(*) as leavers
    from month_ends as m
    join leaving_events as e on e.leave_day > m.previous_day and e.leave_day <= m.day
    where in_scope(e.unit_id, e.leave_day, e.tier, e.social_work_post, $unit, $tiers::varchar[], $social_work_only)
    group by m.day
),
spell_starts as (
    select i.series_key as person_key, i.island_from
    from interval_islands as i
    where i.series = 'employed'
),
starters as (
    select m.day, count(distinct st.person_key) as starters
    from month_ends as m
    join spell_starts as st on st.island_from > m.previous_day and st.island_from <= m.day
    join assignment_spans as s
        on s.person_key = st.person_key and s.is_substantive and st.island_from between s.span_from and s.span_to
    where in_scope(s.unit_id, st.island_from, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
    group by m.day
)
select
    m.day,
    coalesce(p.in_post_headcount, 0) as in_post_headcount,
    coalesce(p.in_post_fte, 0) as in_post_fte,
    coalesce(l.leavers, 0) as leavers,
    coalesce(st.starters, 0) as starters
from month_ends as m
left join in_post as p on p.day = m.day
left join leavers as l on l.day = m.day
left join starters as st on st.day = m.day
where m.previous_day is not null
order by m.day
