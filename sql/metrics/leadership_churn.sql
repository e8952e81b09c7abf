-- metric 8, leadership churn, period $date_from..$date_to; grain: one row per group.
-- A management post is judged by its row with the latest valid_from on or before $date_to.
with latest_rows as (
    select p.*, row_number() over (partition by p.post_id order by p.valid_from desc) as recency
    from post_rows as p
    where p.valid_from <= $date_to
),
management_posts as (
    select post_id, group_of($by, grade, tier, unit_id) as grp
    from latest_rows
    where recency = 1 and is_management
        and in_scope(unit_id, least(cast($date_to as date), valid_until), tier, social_work_post,
                     $unit, $tiers::varchar[], $social_work_only)
),
spans_in_period as (
    select m.grp, s.*
    from management_posts as m
    join assignment_spans as s
        on s.post_id = m.post_id and s.span_from <= $date_to and s.span_to >= $date_from
),
holder_changes as (
    select grp, count(distinct assignment_id) as holder_changes
    from spans_in_period as s
    where s.start_date between $date_from and $date_to
        and s.span_from = s.start_date
        -- on or before the coverage start the data cannot show who held the post before: a system
        -- migrated on a date gives everyone in post that start date, and none of them is a change
        and s.start_date > (select coverage_start from coverage)
        and not exists (
            select 1 from assignment_spans as h
            where h.post_id = s.post_id and h.person_key = s.person_key
                and s.start_date - 1 between h.span_from and h.span_to
        )
    group by grp
)
select
    p.grp as "group",
    count(distinct p.post_id) as posts,
    coalesce(any_value(c.holder_changes), 0) as holder_changes,
    count(distinct (p.post_id, p.person_key)) as distinct_holders
from spans_in_period as p
left join holder_changes as c on c.grp = p.grp
group by p.grp
