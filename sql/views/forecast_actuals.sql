-- grain: one month end in $days (sorted; the first is only the start of the first month): what actually
-- happened, for the forecast's backtest. in_post_headcount / in_post_fte: people with a substantive
-- assignment active that day in scope (METRICS.md section 3, headcount(d) and fte(d)); leavers: leaving
-- events after the previous month end, on or before this one, scoped by the post row on the leaving day;
-- starters: people in post in scope at this month end who were not at the previous one (new to the
-- authority, or moved in from a post outside the selection), as the forecast counts appointments.
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
in_post_people as (
    select distinct m.day, s.person_key
    from month_ends as m
    join assignment_spans as s on s.is_substantive and m.day between s.span_from and s.span_to
    where in_scope(s.unit_id, m.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
in_post_before as (
    select distinct m.day, s.person_key
    from month_ends as m
    join assignment_spans as s on s.is_substantive and m.previous_day between s.span_from and s.span_to
    where m.previous_day is not null
        and in_scope(s.unit_id, m.previous_day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
starters as (
    select p.day, count(*) as starters
    from in_post_people as p
    left join in_post_before as b on b.day = p.day and b.person_key = p.person_key
    where b.person_key is null
    group by p.day
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
