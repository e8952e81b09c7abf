-- grain: one agency engagement active on $day (its row valid that day), in scope by its assignment's
-- post row on $day ($unit: the unit's subtree, null = whole authority). started is the engagement's
-- first day over all its rows. last_substantive_end: the latest end of a permanent or fixed-term
-- assignment of the same person (by pseudonym) that began before the engagement did, for the
-- own-authority cooling-off rule; the person key itself is never returned.
with engagement_starts as (
    select engagement_id, min(valid_from) as started
    from stg_agency_engagements
    group by engagement_id
)
select
    e.engagement_id,
    e.assignment_id,
    p.unit_id,
    u.unit_name,
    p.grade,
    p.tier,
    e.job_type,
    s.started,
    e.valid_from,
    e.valid_to,
    e.charge_rate_hourly,
    e.pay_rate_hourly,
    coalesce(e.hours_per_week, cast($standard_hours as decimal(18, 8)) * a.fte) as hours_per_week,
    e.qualified_date,
    e.previous_permanent_end,
    e.previous_permanent_region,
    e.reference_received,
    e.notice_weeks,
    e.project_team,
    e.cap_exception_approved,
    (
        select max(b.end_date) from stg_assignments as b
        where b.person_key = a.person_key and b.arrangement in ('permanent', 'fixed_term')
            and b.start_date < s.started and b.end_date is not null
    ) as last_substantive_end
from stg_agency_engagements as e
join engagement_starts as s on s.engagement_id = e.engagement_id
join stg_assignments as a on a.assignment_id = e.assignment_id
join post_rows as p on p.post_id = a.post_id and $day between p.valid_from and p.valid_until
left join unit_rows as u on u.unit_id = p.unit_id and $day between u.valid_from and u.valid_until
where $day between e.valid_from and coalesce(e.valid_to, date '9999-12-31')
    and in_unit_scope(p.unit_id, $day, $unit)
order by e.engagement_id
