-- grain: one unit_id that was, on some day, one of $units or below one of them (for the names a
-- manager may see: a team that sat under their service before a restructure keeps its name in their history)
select distinct descendant_id as unit_id
from unit_ancestry
where list_contains($units, ancestor_id)
order by unit_id
