-- grain: one leaving reason (null reasons as 'not recorded'): leaving events with $date_from <= leave_day
-- <= $date_to, scoped like turnover on the post row of the main ending assignment on the leaving day.
select
    coalesce(l.leaving_reason, 'not recorded') as reason,
    count(*) as leavers,
    sum(l.leaver_fte) as leaver_fte
from leaving_events as l
where l.leave_day between $date_from and $date_to
    and in_scope(l.unit_id, l.leave_day, l.tier, l.social_work_post, $unit, $tiers::varchar[], $social_work_only)
group by all
order by leavers desc, reason
