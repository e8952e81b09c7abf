-- grain: one bar = one assignment span (an assignment on one row of its post) on a management post,
-- from the start of the data up to $date_to, for the leadership timeline.
-- Scope is judged on each span's last day shown (its end, or $date_to if it runs on), the same
-- convention as leadership churn. Holders are numbered per post in order of first start, so the
-- page can say "Holder 2" without ever showing a person key.
with spans as (
    select
        s.assignment_id,
        s.person_key,
        s.post_id,
        s.arrangement,
        s.fte,
        s.tier,
        s.unit_id,
        s.span_from,
        least(s.span_to, cast($date_to as date)) as shown_to,
        s.span_to > $date_to as runs_on,
        p.post_title
    from assignment_spans as s
    join post_rows as p
        on p.post_id = s.post_id and s.span_from between p.valid_from and p.valid_until
    where s.is_management
        and s.span_from <= $date_to
        and in_scope(s.unit_id, least(s.span_to, cast($date_to as date)), s.tier, s.social_work_post,
                     $unit, $tiers::varchar[], $social_work_only)
),
first_starts as (
    select post_id, person_key, min(span_from) as first_start
    from spans
    group by post_id, person_key
),
holders as (
    select post_id, person_key,
        row_number() over (partition by post_id order by first_start, person_key) as holder_number
    from first_starts
),
latest as (
    -- the post's label and tier come from its latest span shown
    select post_id,
        arg_max(post_title, span_from) as post_title,
        arg_max(tier, span_from) as post_tier,
        arg_max(unit_id, span_from) as post_unit_id,
        max(shown_to) as last_day
    from spans
    group by post_id
)
select
    s.post_id,
    l.post_title,
    l.post_tier,
    coalesce(u.unit_name, l.post_unit_id) as unit_name,
    s.tier as span_tier,
    s.arrangement,
    s.fte,
    s.span_from as bar_from,
    s.shown_to as bar_to,
    s.runs_on,
    h.holder_number,
    max(h.holder_number) over (partition by s.post_id) as holders_on_post
from spans as s
join holders as h on h.post_id = s.post_id and h.person_key = s.person_key
join latest as l on l.post_id = s.post_id
left join unit_rows as u on u.unit_id = l.post_unit_id and l.last_day between u.valid_from and u.valid_until
order by
    case l.post_tier when 'director' then 1 when 'assistant_director' then 2 when 'head_of_service' then 3 else 4 end,
    l.post_title, unit_name, s.post_id, s.span_from, s.assignment_id
