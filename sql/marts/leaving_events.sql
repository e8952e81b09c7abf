-- grain: one leaving event (person, day e): a substantive assignment active on its end_date e ends
-- the person's substantive employment, and no substantive assignment is active on e+1 .. e+7.
-- Group fields come from the post row on e of the main ending assignment (largest fte, then
-- smallest assignment_id); leaver_fte sums all the person's substantive assignments ending on e.
with islands as (
    select series_key as person_key, island_to,
        lead(island_from) over (partition by series_key order by island_from) as next_from
    from interval_islands
    where series = 'employed'
),
ending as (
    select s.*,
        row_number() over (partition by s.person_key, s.end_date order by s.fte desc, s.assignment_id) as main_rank,
        sum(s.fte) over (partition by s.person_key, s.end_date) as leaver_fte
    from assignment_spans as s
    join islands as i
        on i.person_key = s.person_key
        and i.island_to = s.end_date
        and (i.next_from is null or i.next_from > s.end_date + 7)
    where s.is_substantive and s.span_to = s.end_date
)
select
    person_key,
    end_date as leave_day,
    assignment_id as main_assignment_id,
    post_id,
    unit_id,
    grade,
    tier,
    social_work_post,
    leaving_reason,
    leaver_fte,
    coalesce(leaving_reason in ('resignation', 'retirement', 'voluntary_redundancy'), false) as is_voluntary
from ending
where main_rank = 1
