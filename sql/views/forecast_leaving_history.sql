-- grain: one (grade, whole months of service) cell of the forecast's leaving history: at each month end in
-- $days but the last, the people in post (in scope, grouped by their main substantive assignment's post row,
-- as in forecast_people) are "at risk" for one month; a leaver is one of them with a leaving event (METRICS.md
-- section 3) after that month end and on or before the next one. person_months / leavers per cell and
-- year_back (0: the 12 months before the last month end in $days, 1: the 12 before those, ...), so that
-- the forecast can see how much the rate has moved from year to year.
with snapshots as (
    select day, lead(day) over (order by day) as next_day
    from (select unnest($days::date[]) as day)
),
held as (
    select w.day, w.next_day, s.person_key, s.assignment_id, s.grade, s.fte
    from snapshots as w
    join assignment_spans as s on s.is_substantive and w.day between s.span_from and s.span_to
    where w.next_day is not null
        and in_scope(s.unit_id, w.day, s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
at_risk as (
    select h.day, h.next_day, h.person_key, h.grade,
        least(datesub('month', i.island_from, h.day), 120) as service_months
    from held as h
    join interval_islands as i
        on i.series = 'employed' and i.series_key = h.person_key and h.day between i.island_from and i.island_to
    qualify row_number() over (partition by h.day, h.person_key order by h.fte desc, h.assignment_id) = 1
),
left_in_month as (
    select distinct a.day, a.person_key
    from at_risk as a
    join leaving_events as e on e.person_key = a.person_key and e.leave_day > a.day and e.leave_day <= a.next_day
)
select
    a.grade,
    a.service_months,
    (datesub('month', a.day, (select max(day) from snapshots)) - 1) // 12 as year_back,
    count(*) as person_months,
    count(l.person_key) as leavers
from at_risk as a
left join left_in_month as l on l.day = a.day and l.person_key = a.person_key
group by a.grade, a.service_months, year_back
order by a.grade, a.service_months, year_back
