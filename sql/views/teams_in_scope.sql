-- grain: one team or pod active on $day inside $unit's subtree (the tree as it stood that day),
-- with its parent's name that day. Teams with no posts are listed too, so the page can say so.
select
    u.unit_id,
    u.unit_name,
    u.unit_level,
    u.parent_unit_id,
    coalesce(p.unit_name, u.parent_unit_id) as parent_name
from unit_rows as u
left join unit_rows as p
    on p.unit_id = u.parent_unit_id and $day between p.valid_from and p.valid_until
where $day between u.valid_from and u.valid_until
    and u.unit_level in ('team', 'pod')
    and in_unit_scope(u.unit_id, $day, $unit)
order by u.unit_name, u.unit_id
