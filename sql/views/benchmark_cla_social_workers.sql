-- grain: one row per area (our authority, England, our region, each statistical neighbour) in the latest year of
-- the children-looked-after file: the share of children looked after on 31 March who had 3 or more social
-- workers during the year. Params: $la_code, $la_number, $region.
with latest as (
    select *, string_split(coalesce(old_la_code, ''), ' / ') as numbers,
        string_split(coalesce(new_la_code, ''), ' / ') as codes
    from dfe_cla_sw_count
    where time_period = (select max(time_period) from dfe_cla_sw_count)
        and sw_stability = '3 or more social workers during the year'
),
neighbours as (
    select neighbour_rank, neighbour_number from dfe_statistical_neighbours
    where la_number = $la_number and not superseded
)
select time_period, 'authority' as role, la_name as area_name, null::integer as neighbour_rank, number, percentage,
    percentage_symbol
from latest
where geographic_level = 'Local authority' and (list_contains(codes, $la_code) or list_contains(numbers, $la_number))
union all
select time_period, 'england', 'England', null, number, percentage, percentage_symbol
from latest where geographic_level = 'National'
union all
select time_period, 'region', region_name, null, number, percentage, percentage_symbol
from latest where geographic_level = 'Regional' and region_name = $region
union all
select l.time_period, 'neighbour', l.la_name, min(n.neighbour_rank), any_value(l.number), any_value(l.percentage),
    any_value(l.percentage_symbol)
from latest as l
join neighbours as n on list_contains(l.numbers, n.neighbour_number)
where l.geographic_level = 'Local authority'
group by l.time_period, l.la_name
order by 2, 4
