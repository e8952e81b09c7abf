-- grain: one agency engagement row x one row of its assignment's post, over the days both are valid
-- inside $date_from..$date_to. days_active counts those days; rates are the engagement row's (as
-- they stood), grade/tier/unit the post row's. In scope ($unit subtree, null = whole authority) by the
-- post's unit on the segment's first day. hours_per_week defaults to $standard_hours x assignment FTE.
with segments as (
    select
        e.engagement_id,
        e.job_type,
        e.charge_rate_hourly,
        coalesce(e.hours_per_week, cast($standard_hours as decimal(18, 8)) * a.fte) as hours_per_week,
        p.unit_id,
        p.grade,
        p.tier,
        greatest(e.valid_from, p.valid_from, cast($date_from as date)) as segment_from,
        least(coalesce(e.valid_to, date '9999-12-31'), p.valid_until, cast($date_to as date)) as segment_to
    from stg_agency_engagements as e
    join stg_assignments as a on a.assignment_id = e.assignment_id
    join post_rows as p on p.post_id = a.post_id
)
select
    g.engagement_id,
    g.job_type,
    g.charge_rate_hourly,
    g.hours_per_week,
    g.unit_id,
    u.unit_name,
    g.grade,
    g.tier,
    g.segment_from,
    g.segment_to,
    g.segment_to - g.segment_from + 1 as days_active
from segments as g
left join unit_rows as u on u.unit_id = g.unit_id and g.segment_from between u.valid_from and u.valid_until
where g.segment_from <= g.segment_to
    and in_unit_scope(g.unit_id, g.segment_from, $unit)
order by g.engagement_id, g.segment_from
