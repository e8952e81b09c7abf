-- grain: one (unit, ancestor, day range): on every day ancestry_from..ancestry_to, following parent
-- links through rows active that day leads from descendant_id to ancestor_id. A unit is always its
-- own ancestor. Column names are deliberately unlike any other table's: the scope macros query this
-- table inside a subquery, where a caller's bare column name (unit_id, day) must bind to the caller.
with recursive ancestry(descendant_id, ancestor_id, ancestry_from, ancestry_to) as (
    select distinct unit_id, unit_id, date '0001-01-01', date '9999-12-31'
    from unit_rows
    union
    select a.descendant_id, r.parent_unit_id, greatest(a.ancestry_from, r.valid_from), least(a.ancestry_to, r.valid_until)
    from ancestry as a
    join unit_rows as r
        on r.unit_id = a.ancestor_id
        and r.parent_unit_id is not null
        and r.valid_from <= a.ancestry_to
        and r.valid_until >= a.ancestry_from
)
select * from ancestry
