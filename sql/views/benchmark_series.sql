-- grain: one row per (reporting year, indicator, area) for the five comparable indicators: our authority's
-- published figure (role 'authority'), England, our region and each statistical neighbour. DfE reports some
-- authorities jointly (e.g. '940 / 941'); such a row matches either code and appears once, under the
-- neighbour ranked closest. Params: $la_code (new code), $la_number (old number), $region (region name).
with measures as (
    select *
    from dfe_indicators
    unpivot include nulls ((value, symbol) for indicator in (
        (turnover_rate_fte, turnover_rate_fte_symbol) as turnover,
        (agency_rate_fte, agency_rate_fte_symbol) as agency_rate,
        (vacancy_rate_fte, vacancy_rate_fte_symbol) as vacancy_rate,
        (vacancy_agency_cover_rate_fte, vacancy_agency_cover_rate_fte_symbol) as agency_cover,
        (caseload_fte, caseload_fte_symbol) as caseload
    ))
),
local_rows as (
    select *, string_split(coalesce(old_la_code, ''), ' / ') as numbers,
        string_split(coalesce(new_la_code, ''), ' / ') as codes
    from measures
    where geographic_level = 'Local authority'
),
ours as (
    select time_period, indicator, 'authority' as role, la_name as area_name, new_la_code as area_code,
        null::integer as neighbour_rank, null::varchar as closeness, value, symbol
    from local_rows
    where list_contains(codes, $la_code) or list_contains(numbers, $la_number)
),
neighbours as (
    select n.neighbour_rank, n.neighbour_number, n.closeness
    from dfe_statistical_neighbours as n
    where n.la_number = $la_number and not n.superseded
),
neighbour_rows as (
    select l.time_period, l.indicator, 'neighbour' as role, l.la_name as area_name, l.new_la_code as area_code,
        n.neighbour_rank, n.closeness, l.value, l.symbol
    from local_rows as l
    join neighbours as n on list_contains(l.numbers, n.neighbour_number)
    where not (list_contains(l.codes, $la_code) or list_contains(l.numbers, $la_number))
    qualify row_number() over (partition by l.time_period, l.indicator, l.la_name order by n.neighbour_rank) = 1
),
england as (
    select time_period, indicator, 'england' as role, 'England' as area_name, country_code as area_code,
        null::integer, null::varchar, value, symbol
    from measures
    where geographic_level = 'National'
),
region as (
    select time_period, indicator, 'region' as role, region_name as area_name, region_code as area_code,
        null::integer, null::varchar, value, symbol
    from measures
    where geographic_level = 'Regional' and region_name = $region
)
select * from ours
union all select * from england
union all select * from region
union all select * from neighbour_rows
order by time_period, indicator, role, neighbour_rank
