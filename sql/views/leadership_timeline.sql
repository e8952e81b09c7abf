-- grain: one bar = one appointment (assignment) on a management post, from the start of the data up to
-- $date_to, for the leadership timeline. A restructure gives the post a new row but does not end the
-- appointment, so the bar runs across the post's rows: from the first day the assignment is active on a
-- management row of the post to the last (a gap in the post's rows is a data-quality warning and is not
-- drawn inside the bar). Scope, tier and title come from the appointment's latest piece shown (its row of
-- the post), judged on that piece's last day shown: the same convention as leadership churn, judging a
-- post on b or on its row's valid_to if earlier. Holders are numbered per post in order of first start,
-- so the page can say "Holder 2" without ever showing a person key.
with pieces as (
    select s.*, p.post_title
    from assignment_spans as s
    join post_rows as p
        on p.post_id = s.post_id and s.span_from between p.valid_from and p.valid_until
    where s.is_management
),
bars as (
    select
        assignment_id,
        min(span_from) as bar_from,
        max(span_to) as bar_end,
        max(span_from) filter (where span_from <= $date_to) as last_piece_from
    from pieces
    group by assignment_id
    having min(span_from) <= $date_to
),
spans as (
    select
        p.assignment_id,
        p.person_key,
        p.post_id,
        p.arrangement,
        p.fte,
        p.tier,
        p.unit_id,
        b.bar_from,
        least(b.bar_end, cast($date_to as date)) as shown_to,
        b.bar_end > $date_to as runs_on,
        p.post_title
    from bars as b
    join pieces as p on p.assignment_id = b.assignment_id and p.span_from = b.last_piece_from
    where in_scope(p.unit_id, least(p.span_to, cast($date_to as date)), p.tier, p.social_work_post,
                   $unit, $tiers::varchar[], $social_work_only)
),
first_starts as (
    select post_id, person_key, min(bar_from) as first_start
    from spans
    group by post_id, person_key
),
holders as (
    select post_id, person_key,
        row_number() over (partition by post_id order by first_start, person_key) as holder_number
    from first_starts
),
latest as (
    -- the post's label and tier come from its row on the latest day shown
    select post_id,
        arg_max(post_title, shown_to) as post_title,
        arg_max(tier, shown_to) as post_tier,
        arg_max(unit_id, shown_to) as post_unit_id,
        max(shown_to) as last_day
    from spans
    group by post_id
)
select
    s.post_id,
    l.post_title,
    l.post_tier,
    coalesce(u.unit_name, l.post_unit_id) as unit_name,
    s.tier as bar_tier,
    s.arrangement,
    s.fte,
    s.bar_from,
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
    l.post_title, unit_name, s.post_id, s.bar_from, s.assignment_id
