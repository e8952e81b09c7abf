"""The figures DfE publishes from a census return, worked out from the stored returns (docs/CENSUS.md).

The sums come from sql/views/census_year_figures.sql; the rates are worked out here from the
unrounded sums and rounded once, at the end, half up to one decimal place, as DfE publishes them:

- turnover = leavers / in post (FTE and headcount); agency rate = agency / (agency + in post);
- vacancy rate = vacancies / (vacancies + FTE in post);
- agency cover rate = agency FTE covering vacancies / agency FTE; vacancies covered by agency =
  agency FTE covering vacancies / vacancies;
- caseload = cases / FTE of the case holders (in post, agency included, with 1 case or more);
- absence rate = working days lost / (FTE in post x 253 working days in a year).
"""

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pipelines.views import run_view

WORKING_DAYS_A_YEAR = 253  # DfE's basis: 365 days less 104 weekend days and 8 bank holidays
SUMS = ("inpost_headcount", "inpost_fte", "starters_headcount", "starters_fte", "leavers_headcount", "leavers_fte",
        "agency_headcount", "agency_fte", "case_holders_headcount", "case_holders_fte", "cases",
        "working_days_lost", "vacancy_fte", "agency_cover_fte", "agency_cover_headcount")
RATES = ("turnover_rate_fte", "turnover_rate_headcount", "agency_rate_fte", "agency_rate_headcount",
         "vacancy_rate_fte", "agency_cover_rate_fte", "vacancy_agency_cover_rate_fte", "caseload_fte",
         "absence_rate_fte")


def round_half_up(value, places: int = 1) -> float | None:
    """DfE's rounding: 12.25 -> 12.3 (Python's round gives 12.2). Float noise from the division is taken
    off first (to nine places), so 12.25 computed as 12.2499999999 still rounds up."""
    if value is None or pd.isna(value):
        return None
    steady = Decimal(repr(float(value))).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    return float(steady.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _ratio(numerator, denominator, scale: float = 100.0) -> float | None:
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator) or not denominator:
        return None
    return float(numerator) / float(denominator) * scale


def _plus(a, b):
    return None if a is None or b is None or pd.isna(a) or pd.isna(b) else float(a) + float(b)


def with_rates(sums: pd.DataFrame) -> pd.DataFrame:
    """The sums plus every rate, unrounded (None where a rate is undefined)."""
    rows = []
    for row in sums.to_dict("records"):
        row |= {
            "turnover_rate_fte": _ratio(row["leavers_fte"], row["inpost_fte"]),
            "turnover_rate_headcount": _ratio(row["leavers_headcount"], row["inpost_headcount"]),
            "agency_rate_fte": _ratio(row["agency_fte"], _plus(row["agency_fte"], row["inpost_fte"])),
            "agency_rate_headcount": _ratio(row["agency_headcount"],
                                            _plus(row["agency_headcount"], row["inpost_headcount"])),
            "vacancy_rate_fte": _ratio(row["vacancy_fte"], _plus(row["vacancy_fte"], row["inpost_fte"])),
            "agency_cover_rate_fte": _ratio(row["agency_cover_fte"], row["agency_fte"]),
            "vacancy_agency_cover_rate_fte": _ratio(row["agency_cover_fte"], row["vacancy_fte"]),
            "caseload_fte": _ratio(row["cases"], row["case_holders_fte"], scale=1.0),
            "absence_rate_fte": _ratio(row["working_days_lost"],
                                       None if row["inpost_fte"] is None else row["inpost_fte"] * WORKING_DAYS_A_YEAR),
        }
        rows.append(row)
    return pd.DataFrame(rows, columns=[*sums.columns, *RATES])


def rounded(figures: pd.DataFrame) -> pd.DataFrame:
    """As DfE publishes: FTE, days and rates to one decimal place (half up), headcounts and cases whole."""
    out = figures.copy()
    for column in out.columns:
        if column.endswith(("_fte", "_rate_headcount")) or column in ("working_days_lost",):
            out[column] = out[column].map(round_half_up).astype("Float64")
    return out


def census_figures(con, by_role: bool = False) -> pd.DataFrame:
    """Per return year (and OrgRole if by_role), every figure unrounded. Empty when no return is loaded."""
    sums = run_view(con, "census_year_figures")
    if sums.empty:
        return with_rates(sums)
    sums = sums[sums["org_role"].notna()] if by_role else sums[sums["org_role"].isna()]
    return with_rates(sums.reset_index(drop=True))


def has_census(con) -> bool:
    from pipelines.database import has_census_returns

    return has_census_returns(con)
