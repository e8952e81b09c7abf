"""DfE-comparable figures from our HR data, one row per DfE reporting year (1 October to 30 September),
social-work posts only, across the whole service, from the metric engine (docs/METRICS.md):

- turnover: `dfe_turnover_rate_fte_pct` of `turnover` over 1 October to 30 September (leavers' FTE over
  FTE in post on 30 September), left out for a year that starts before our data does;
- agency rate: `agency_rate_pct` of `agency_rate` on 30 September;
- vacancy rate in DfE's form: vacancy FTE / (vacancy FTE + FTE in post), with vacancy FTE the
  `vacant_fte` of `vacancy_rate` and FTE in post the `substantive_fte` of `agency_rate`, on 30 September;
- agency cover: `covered_vacant_fte` / `vacant_fte` of `vacancy_rate` on 30 September (all cover staff);
- caseload: `caseload_per_fte` of `caseload` at the last snapshot on or before 30 September within the
  reporting year (its date is returned, as DfE counts on 30 September itself).
"""

from datetime import date, timedelta

import pandas as pd

from pipelines.metrics import run_metric, series
from pipelines.views import run_view

COLUMNS = [
    "time_period", "year_from", "year_to", "turnover_from_full_year", "leavers", "leaver_fte", "headcount_in_post",
    "fte_in_post", "turnover_pct", "agency_fte", "agency_rate_pct", "vacant_fte", "covered_vacant_fte",
    "establishment_fte", "vacancy_rate_pct", "agency_cover_pct", "caseload_snapshot", "case_holders", "cases",
    "case_holding_fte", "caseload_per_fte",
]
SCOPE = {"social_work_only": True}  # DfE counts children and family social workers, authority-wide


def reporting_year(day: date) -> int:
    """The DfE reporting year a day falls in: the year to 30 September (1 Oct 2024 is in 2025)."""
    return day.year + 1 if day >= date(day.year, 10, 1) else day.year


def year_span(year: int) -> tuple[date, date]:
    return date(year - 1, 10, 1), date(year, 9, 30)


def reporting_years(coverage_start: date, last_day: date) -> list[int]:
    """Years whose 30 September lies inside the data, up to last_day (the as-at date)."""
    first = coverage_start.year if coverage_start <= date(coverage_start.year, 9, 30) else coverage_start.year + 1
    last = last_day.year if last_day >= date(last_day.year, 9, 30) else last_day.year - 1
    return list(range(first, last + 1))


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * 100


def _caseload_days(con, years: list[int]) -> dict[int, date]:
    """Per year, the last caseload snapshot on or before its 30 September and after its 1 October."""
    if not years:
        return {}
    first, _ = year_span(min(years))
    _, last = year_span(max(years))
    snapshots = run_view(con, "snapshot_dates", {"date_from": first, "date_to": last})
    days = sorted(snapshots["snapshot_date"]) if len(snapshots) else []
    chosen = {}
    for year in years:
        start, end = year_span(year)
        inside = [d for d in days if start <= d <= end]
        if inside:
            chosen[year] = inside[-1]
    return chosen


def comparable_figures(con, years: list[int], *, threshold: float = 20.0) -> pd.DataFrame:
    """One row per year in `years` (see the module docstring); None where a figure is undefined."""
    if not years:
        return pd.DataFrame(columns=COLUMNS)
    coverage = run_view(con, "data_coverage").iloc[0]
    ends = [year_span(y)[1] for y in years]
    agency = series(con, "agency_rate", ends, **SCOPE)
    vacancy = series(con, "vacancy_rate", ends, **SCOPE)
    snapshot_of = _caseload_days(con, years)
    caseloads = series(con, "caseload", sorted(set(snapshot_of.values())), threshold=threshold, **SCOPE) \
        if snapshot_of else {}
    rows = []
    for year in years:
        start, end = year_span(year)
        a, v = agency[end][0], vacancy[end][0]
        full_year = start >= coverage["coverage_start"]
        t = run_metric(con, "turnover", date_from=start, date_to=end, **SCOPE)[0]
        snapshot = snapshot_of.get(year)
        c = caseloads[snapshot][0] if snapshot else {}
        in_post = a["substantive_fte"]
        rows.append({
            "time_period": year, "year_from": start, "year_to": end, "turnover_from_full_year": full_year,
            "leavers": t["leavers"], "leaver_fte": t["leaver_fte"], "headcount_in_post": t["headcount_end"],
            "fte_in_post": in_post,
            "turnover_pct": t["dfe_turnover_rate_fte_pct"] if full_year else None,
            "agency_fte": a["agency_fte"], "agency_rate_pct": a["agency_rate_pct"],
            "vacant_fte": v["vacant_fte"], "covered_vacant_fte": v["covered_vacant_fte"],
            "establishment_fte": v["establishment_fte"],
            "vacancy_rate_pct": _ratio(v["vacant_fte"], v["vacant_fte"] + in_post),
            "agency_cover_pct": _ratio(v["covered_vacant_fte"], v["vacant_fte"]),
            "caseload_snapshot": snapshot, "case_holders": c.get("case_holders"), "cases": c.get("cases"),
            "case_holding_fte": c.get("case_holding_fte"), "caseload_per_fte": c.get("caseload_per_fte"),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def figures_for_database(con, last_day: date | None = None, *, threshold: float = 20.0) -> pd.DataFrame:
    """Every reporting year the loaded data covers, up to last_day (default: the end of the data)."""
    coverage = run_view(con, "data_coverage").iloc[0]
    last = min(last_day or coverage["data_end"], coverage["data_end"])
    return comparable_figures(con, reporting_years(coverage["coverage_start"], last), threshold=threshold)


def leavers_may_change(year: int, data_end: date) -> bool:
    """A leaving event needs seven days without a post after it (METRICS.md section 3): leavers near
    30 September are settled only once the data runs to 7 October."""
    return data_end < year_span(year)[1] + timedelta(days=7)
