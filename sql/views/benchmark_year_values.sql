-- grain: one row per (local authority, indicator) in reporting year $time_period with a published value,
-- for ranking an authority among all others (joint returns such as '940 / 941' count once)
select indicator, la_name, old_la_code, new_la_code, value
from dfe_indicators
unpivot include nulls ((value, symbol) for indicator in (
    (turnover_rate_fte, turnover_rate_fte_symbol) as turnover,
    (agency_rate_fte, agency_rate_fte_symbol) as agency_rate,
    (vacancy_rate_fte, vacancy_rate_fte_symbol) as vacancy_rate,
    (vacancy_agency_cover_rate_fte, vacancy_agency_cover_rate_fte_symbol) as agency_cover,
    (caseload_fte, caseload_fte_symbol) as caseload
))
where geographic_level = 'Local authority' and time_period = $time_period and value is not null
order by indicator, value, la_name
