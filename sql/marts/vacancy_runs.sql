-- grain: one post x maximal run of fully vacant days (the post has a row, no substantive assignment
-- is active on it). A run crosses rows of the post (moved or regraded while vacant); a day with no
-- row ends it. ended_by: 'filled' (a substantive assignment starts the next day), 'closed' (no row
-- the next day) or 'never' (still vacant at the end of the data).
with existence as (
    select series_key as post_id, island_from as exists_from, island_to as exists_to
    from interval_islands where series = 'post_exists'
),
filled as (
    select f.series_key as post_id, f.island_from as filled_from, f.island_to as filled_to,
        e.exists_from, e.exists_to,
        lag(f.island_to) over (partition by f.series_key, e.exists_from order by f.island_from) as previous_filled_to
    from interval_islands as f
    join existence as e
        on e.post_id = f.series_key and f.island_from between e.exists_from and e.exists_to
    where f.series = 'post_filled'
),
before_each_filling as (
    select post_id, coalesce(previous_filled_to + 1, exists_from) as vacant_from,
        filled_from - 1 as vacant_to, 'filled' as ended_by
    from filled
    where coalesce(previous_filled_to + 1, exists_from) <= filled_from - 1
),
after_last_filling as (
    select e.post_id, coalesce(max(f.filled_to) + 1, e.exists_from) as vacant_from, e.exists_to as vacant_to,
        case when e.exists_to = date '9999-12-31' then 'never' else 'closed' end as ended_by
    from existence as e
    left join filled as f on f.post_id = e.post_id and f.exists_from = e.exists_from
    group by e.post_id, e.exists_from, e.exists_to
    having coalesce(max(f.filled_to) + 1, e.exists_from) <= e.exists_to
)
select * from before_each_filling
union all
select * from after_last_filling
