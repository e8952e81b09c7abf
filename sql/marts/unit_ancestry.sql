-- grain: one (unit, ancestor, day range): on every day from_day..to_day, following parent links
-- through rows active that day leads from unit_id to ancestor_id. A unit is always its own ancestor.
with recursive ancestry(unit_id, ancestor_id, from_day, to_day) as (
    select distinct unit_id, unit_id, date '0001-01-01', date '9999-12-31'
    from unit_rows
    union
    select a.unit_id, r.parent_unit_id, greatest(a.from_day, r.valid_from), least(a.to_day, r.valid_until)
    from ancestry as a
    join unit_rows as r
        on r.unit_id = a.ancestor_id
        and r.parent_unit_id is not null
        and r.valid_from <= a.to_day
        and r.valid_until >= a.from_day
)
select * from ancestry
