-- grain: one assignment x one row of its post that it overlaps. span_from..span_to are the days the
-- assignment is active with that post row; an assignment never counts on a day its post has no row.
select
    a.assignment_id,
    a.person_key,
    a.post_id,
    a.arrangement,
    a.arrangement in ('permanent', 'fixed_term') as is_substantive,
    a.arrangement in ('acting', 'interim', 'agency', 'secondment') as is_cover,
    a.arrangement in ('agency', 'interim') as is_agency,
    a.fte,
    a.start_date,
    a.end_date,
    a.leaving_reason,
    greatest(a.start_date, p.valid_from) as span_from,
    least(coalesce(a.end_date, date '9999-12-31'), p.valid_until) as span_to,
    p.unit_id,
    p.grade,
    p.tier,
    p.social_work_post,
    p.is_management
from stg_assignments as a
join post_rows as p
    on p.post_id = a.post_id
    and p.valid_from <= coalesce(a.end_date, date '9999-12-31')
    and p.valid_until >= a.start_date
