-- grain: one caseload row, matched to the person's main assignment (largest fte, then smallest
-- assignment_id) among all their assignments active on the snapshot day, any arrangement.
-- holding_fte = min(1, the fte of all their active assignments): nobody counts for more than one worker.
with active as (
    select
        c.snapshot_date,
        c.person_key,
        s.assignment_id,
        s.unit_id,
        s.grade,
        s.tier,
        s.social_work_post,
        row_number() over (partition by c.snapshot_date, c.person_key order by s.fte desc, s.assignment_id) as main_rank,
        sum(s.fte) over (partition by c.snapshot_date, c.person_key) as total_fte
    from stg_caseloads as c
    join assignment_spans as s
        on s.person_key = c.person_key and c.snapshot_date between s.span_from and s.span_to
)
select
    c.snapshot_date,
    c.person_key,
    c.open_cases,
    a.assignment_id is not null as is_matched,
    a.assignment_id as main_assignment_id,
    a.unit_id,
    a.grade,
    a.tier,
    a.social_work_post,
    case when a.assignment_id is not null then least(cast(1 as decimal(18, 8)), a.total_fte) end as holding_fte
from stg_caseloads as c
left join active as a
    on a.snapshot_date = c.snapshot_date and a.person_key = c.person_key and a.main_rank = 1
