-- grain: one unit and one day range on which following parent links from it comes back to it (a loop:
-- X's parent is Y and Y's parent is X, or a unit that is its own parent). cycle_units names every unit
-- of that loop ("A, B, C", sorted), the same all through the range. unit_ancestry treats these units as
-- top units on these days, so the loop is cut, every unit stays in the picker and nobody counts twice.
with recursive reach(start_id, reached_id, reach_from, reach_to, moved) as (
    select distinct unit_id, unit_id, date '0001-01-01', date '9999-12-31', false
    from unit_rows
    union
    -- set union (not union all) ends the recursion: going round a loop again only repeats a row
    select a.start_id, r.parent_unit_id, greatest(a.reach_from, r.valid_from), least(a.reach_to, r.valid_until), true
    from reach as a
    join unit_rows as r
        on r.unit_id = a.reached_id
        and r.parent_unit_id is not null
        and r.valid_from <= a.reach_to
        and r.valid_until >= a.reach_from
),
-- each day has one parent per unit, so on a loop day everything a unit reaches is in its loop
returns as (
    select distinct r.start_id as unit_id, r.reach_from as part_from, r.reach_to as part_to,
        (select string_agg(distinct m.reached_id, ', ' order by m.reached_id) from reach as m
         where m.start_id = r.start_id and r.reach_from between m.reach_from and m.reach_to) as cycle_units
    from reach as r
    where r.moved and r.reached_id = r.start_id
),
starts as (
    select *,
        case when part_from <= 1 + max(part_to) over (partition by unit_id, cycle_units order by part_from
                                                      rows between unbounded preceding and 1 preceding)
             then 0 else 1 end as is_start
    from returns
),
islands as (
    select *, sum(is_start) over (partition by unit_id, cycle_units order by part_from) as island
    from starts
)
select unit_id, cycle_units, min(part_from) as cycle_from, max(part_to) as cycle_to
from islands
group by unit_id, cycle_units, island
