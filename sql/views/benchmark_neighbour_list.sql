-- grain: one row per statistical neighbour (rank 1 to 10) of the authority with old LA number $la_number,
-- named as the groupings file names it
select n.neighbour_rank, n.neighbour_number, coalesce(a.la_name, n.neighbour_number) as neighbour_name,
    n.closeness
from dfe_statistical_neighbours as n
left join (
    select distinct la_number, la_name from dfe_statistical_neighbours where not superseded
) as a on a.la_number = n.neighbour_number
where n.la_number = $la_number and not n.superseded
order by n.neighbour_rank
