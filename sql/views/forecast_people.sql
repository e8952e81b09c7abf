-- grain: one person in post on $day (a substantive assignment active on $day whose post row is in scope), for
-- the workforce forecast. No person key: the place (main post's grade), FTE and length of service are enough.
-- fte is the sum of the person's in-scope substantive FTE; grade is their main assignment's post row's grade
-- (largest fte, then smallest assignment_id); service_months counts whole months since their current spell of
-- substantive employment began (moves inside the authority do not restart it).
with held as (
    select s.person_key, s.assignment_id, s.post_id, s.grade, s.fte
    from assignment_spans as s
    where s.is_substantive and cast($day as date) between s.span_from and s.span_to
        and in_scope(s.unit_id, cast($day as date), s.tier, s.social_work_post, $unit, $tiers::varchar[], $social_work_only)
),
main as (
    select *, sum(fte) over (partition by person_key) as person_fte
    from held
    qualify row_number() over (partition by person_key order by fte desc, assignment_id) = 1
)
select
    m.post_id,
    m.grade,
    m.person_fte as fte,
    datesub('month', i.island_from, cast($day as date)) as service_months
from main as m
join interval_islands as i
    on i.series = 'employed' and i.series_key = m.person_key and cast($day as date) between i.island_from and i.island_to
order by m.post_id, m.grade, fte, service_months
