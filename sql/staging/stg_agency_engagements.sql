-- grain: one agency engagement per validity interval, as extracted (typed; open end = null). The
-- worker is reached through assignment_id (assignments carry the pseudonymised person_key); the
-- engagement itself holds no person identifier.
select
    engagement_id,
    assignment_id,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    job_type,
    cast(charge_rate_hourly as decimal(18, 8)) as charge_rate_hourly,
    cast(pay_rate_hourly as decimal(18, 8)) as pay_rate_hourly,
    cast(hours_per_week as decimal(18, 8)) as hours_per_week,
    cast(qualified_date as date) as qualified_date,
    cast(previous_permanent_end as date) as previous_permanent_end,
    previous_permanent_region,
    cast(reference_received as boolean) as reference_received,
    cast(notice_weeks as integer) as notice_weeks,
    cast(project_team as boolean) as project_team,
    cast(cap_exception_approved as boolean) as cap_exception_approved
from raw_agency_engagements
