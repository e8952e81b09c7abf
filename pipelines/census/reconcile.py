"""Three-way reconciliation: the figure worked out from the census return, the one DfE published for the
authority, and (where HR extracts are loaded too) the one the HR data give, per year and measure.

Each pair is compared at DfE's precision against the tolerance in data/settings.toml; a difference beyond it
is flagged with the likely reasons, the most likely first."""

from dataclasses import dataclass, field

import pandas as pd

from pipelines.benchmarks import BY_KEY, INDICATORS, BenchmarkSettings
from pipelines.benchmarks.reconcile import OUR_COLUMN, likely_reasons
from pipelines.census.figures import round_half_up

# census figure column -> the comparable-figures column the reconciliation reads (pipelines/benchmarks)
AS_COMPARABLE = {"year": "time_period", "turnover_rate_fte": "turnover_pct", "agency_rate_fte": "agency_rate_pct",
                 "vacancy_rate_fte": "vacancy_rate_pct", "vacancy_agency_cover_rate_fte": "agency_cover_pct",
                 "caseload_fte": "caseload_per_fte"}
RETURN_VS_PUBLISHED = [
    "DfE publishes the return as finally accepted: a return corrected after this file was exported (DfE's "
    "validation queries, late changes) gives a different figure. Check this file is the final submission.",
    "Worker records held back on import count nowhere here: see the census section of the Data quality page.",
]
COLUMNS = ["Year to 30 Sep", "Measure", "Census return", "HR data", "Published (DfE)", "Return minus published",
           "HR minus return", "Unit", "Status", "Likely reasons"]


def as_comparable(census: pd.DataFrame) -> pd.DataFrame:
    return census[list(AS_COMPARABLE)].rename(columns=AS_COMPARABLE)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round_half_up(value)


@dataclass
class ThreeWay:
    time_period: int
    indicator: str
    census: float | None
    hr: float | None
    published: float | None
    tolerance: float
    reasons: list[str] = field(default_factory=list)

    @staticmethod
    def _gap(a, b) -> float | None:
        return None if a is None or b is None else round_half_up(a - b)

    @property
    def return_gap(self) -> float | None:
        return self._gap(self.census, self.published)

    @property
    def hr_gap(self) -> float | None:
        return self._gap(self.hr, self.census)

    def _flagged(self, gap) -> bool:
        return gap is not None and abs(gap) > self.tolerance

    @property
    def flagged(self) -> bool:
        return self._flagged(self.return_gap) or self._flagged(self.hr_gap)

    @property
    def status(self) -> str:
        parts = []
        if self._flagged(self.return_gap):
            parts.append("the return and DfE's figure differ")
        if self._flagged(self.hr_gap):
            parts.append("the HR data and the return differ")
        if parts:
            return "Check: " + " and ".join(parts)
        if self.census is None:
            return "No census figure"
        return "Within tolerance"


def _by_year(frame: pd.DataFrame | None) -> dict[int, dict]:
    if frame is None or frame.empty:
        return {}
    return {int(r["time_period"]): r for r in frame.to_dict("records")}


def three_way(census: pd.DataFrame, hr: pd.DataFrame | None, published: pd.DataFrame,
              settings: BenchmarkSettings) -> list[ThreeWay]:
    """census: census_figures rows; hr: comparable_figures rows (None without HR data); published: the
    authority's rows of the benchmark_series view (time_period, indicator, value)."""
    mine, theirs = _by_year(as_comparable(census)), _by_year(hr)
    dfe = {(int(r["time_period"]), r["indicator"]): r for r in published.to_dict("records")}
    items = []
    for year in sorted(mine):
        for indicator in INDICATORS:
            column = OUR_COLUMN[indicator.key]
            hr_row = theirs.get(year)
            item = ThreeWay(year, indicator.key, _number(mine[year][column]),
                            None if hr_row is None else _number(hr_row[column]),
                            _number(dfe.get((year, indicator.key), {}).get("value")),
                            settings.tolerance(indicator.key))
            if item._flagged(item.return_gap):
                item.reasons += RETURN_VS_PUBLISHED
            if item._flagged(item.hr_gap):
                item.reasons += likely_reasons(indicator.key, item.hr_gap)
            items.append(item)
    return items


def as_table(items: list[ThreeWay]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Year to 30 Sep": item.time_period, "Measure": BY_KEY[item.indicator].label,
        "Census return": item.census, "HR data": item.hr, "Published (DfE)": item.published,
        "Return minus published": item.return_gap, "HR minus return": item.hr_gap,
        "Unit": "%" if BY_KEY[item.indicator].unit == "%" else "cases per FTE",
        "Status": item.status, "Likely reasons": " ".join(item.reasons),
    } for item in items], columns=COLUMNS)
