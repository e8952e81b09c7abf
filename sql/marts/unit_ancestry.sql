-- grain: one (unit, ancestor, day range): on every day ancestry_from..ancestry_to, following parent
-- links through rows active that day leads from descendant_id to ancestor_id. A unit is always its
-- own ancestor. Column names are deliberately unlike any other table's: the scope macros query this
-- table inside a subquery, where a caller's bare column name (unit_id, day) must bind to the caller.
-- On the days a unit is in a parent loop (unit_cycles) its parent link is not followed: the loop's
-- units are top units then, as in the picker, so each unit's subtree holds each unit once.
with recursive loop_cuts as (
    -- each unit row with a parent, against each loop range of its unit that overlaps it
    select r.unit_id, r.parent_unit_id, r.valid_from, r.valid_until, c.cycle_from, c.cycle_to,
        max(c.cycle_to) over (partition by r.unit_id, r.valid_from order by c.cycle_from
                              rows between unbounded preceding and 1 preceding) as cut_before
    from unit_rows as r
    join unit_cycles as c
        on c.unit_id = r.unit_id and c.cycle_from <= r.valid_until and c.cycle_to >= r.valid_from
    where r.parent_unit_id is not null
),
links(unit_id, parent_unit_id, link_from, link_to) as (
    select r.unit_id, r.parent_unit_id, r.valid_from, r.valid_until
    from unit_rows as r
    where r.parent_unit_id is not null and not exists (
        select 1 from unit_cycles as c
        where c.unit_id = r.unit_id and c.cycle_from <= r.valid_until and c.cycle_to >= r.valid_from)
    union all
    -- the parts of a row before, between and after its loop ranges
    select unit_id, parent_unit_id, greatest(valid_from, coalesce(cut_before + 1, valid_from)), least(valid_until, cycle_from - 1)
    from loop_cuts
    union all
    select unit_id, parent_unit_id, max(cycle_to) + 1, any_value(valid_until)
    from loop_cuts
    group by unit_id, parent_unit_id, valid_from
),
ancestry(descendant_id, ancestor_id, ancestry_from, ancestry_to) as (
    select distinct unit_id, unit_id, date '0001-01-01', date '9999-12-31'
    from unit_rows
    union
    select a.descendant_id, r.parent_unit_id, greatest(a.ancestry_from, r.link_from), least(a.ancestry_to, r.link_to)
    from ancestry as a
    join links as r
        on r.unit_id = a.ancestor_id
        and r.link_from <= r.link_to
        and r.link_from <= a.ancestry_to
        and r.link_to >= a.ancestry_from
)
select * from ancestry
