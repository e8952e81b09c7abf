-- grain: one series x maximal run of consecutive days covered by its intervals (gaps-and-islands).
-- series 'employed' (key person_key): some substantive assignment active;
-- 'post_exists' (key post_id): some row of the post active; 'post_filled' (key post_id): some
-- substantive assignment active on the post; 'unit_exists' (key unit_id): some row of the unit active.
with intervals as (
    select 'employed' as series, person_key as series_key, span_from as day_from, span_to as day_to
    from assignment_spans where is_substantive
    union all
    select 'post_exists', post_id, valid_from, valid_until from post_rows
    union all
    select 'post_filled', post_id, span_from, span_to from assignment_spans where is_substantive
    union all
    select 'unit_exists', unit_id, valid_from, valid_until from unit_rows
),
reach as (
    select *,
        max(day_to) over (
            partition by series, series_key order by day_from, day_to
            rows between unbounded preceding and 1 preceding
        ) as reach_before
    from intervals
),
numbered as (
    select *,
        sum(case when reach_before is null or day_from > reach_before + 1 then 1 else 0 end) over (
            partition by series, series_key order by day_from, day_to rows unbounded preceding
        ) as island
    from reach
)
select series, series_key, min(day_from) as island_from, max(day_to) as island_to
from numbered
group by series, series_key, island
