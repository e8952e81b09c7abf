-- grain: one post fully vacant on $day (no substantive assignment active on it), in scope by its post
-- row on $day, oldest vacancy first. vacant_since is the first day of the current vacancy run;
-- left_censored marks runs that began on or before the coverage start, whose true start is unknown.
-- covered: a cover arrangement (acting, interim, agency, secondment) is active on the post that day.
select
    p.post_id,
    p.post_title,
    p.unit_id,
    u.unit_name,
    p.grade,
    p.tier,
    r.vacant_from as vacant_since,
    cast($day as date) - r.vacant_from + 1 as age_days,
    coalesce(r.vacant_from <= (select coverage_start from coverage), false) as left_censored,
    exists (
        select 1 from assignment_spans as a
        where a.post_id = p.post_id and a.is_cover and $day between a.span_from and a.span_to
    ) as covered
from vacancy_runs as r
join post_rows as p on p.post_id = r.post_id and $day between p.valid_from and p.valid_until
left join unit_rows as u on u.unit_id = p.unit_id and $day between u.valid_from and u.valid_until
where $day between r.vacant_from and r.vacant_to
    and in_scope(p.unit_id, $day, p.tier, p.social_work_post, $unit, $tiers::varchar[], $social_work_only)
order by r.vacant_from, p.post_id
