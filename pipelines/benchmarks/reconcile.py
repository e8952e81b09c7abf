"""Reconciliation: does the figure the authority returned to DfE match what its own HR data says?

For each reporting year and indicator with both figures, the difference is flagged when it is larger
than the tolerance in data/settings.toml ([benchmarks] tolerance_points for rates, in percentage
points; caseload_tolerance for caseload, in cases per FTE). A flag carries both numbers and the
likely reasons to check, the most likely first given which way the difference goes.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.benchmarks import BY_KEY, INDICATORS, SYMBOLS, BenchmarkSettings

OUR_COLUMN = {"turnover": "turnover_pct", "agency_rate": "agency_rate_pct", "vacancy_rate": "vacancy_rate_pct",
              "agency_cover": "agency_cover_pct", "caseload": "caseload_per_fte"}

# (reason, when it points to: 'lower' = our HR figure below the published one, 'higher', or 'either')
REASONS = {
    "turnover": [
        ("Leavers counted at a different date: the return counts leavers whose last day fell between 1 October "
         "and 30 September; check leavers keyed late, or dated by their last working day rather than the end of "
         "their contract.", "either"),
        ("Moves counted differently: a social worker who moves to a non-social-work post, or to agency work, "
         "is a leaver in one source and not the other.", "either"),
        ("Agency or seconded staff counted in post: the return counts only directly employed social workers "
         "in FTE in post.", "higher"),
        ("Leavers missing from the HR extract (e.g. fixed-term contracts ending without a leaving record).",
         "lower"),
    ],
    "agency_rate": [
        ("Agency workers missing from the HR extract: agency staff are often held in the agency or vendor "
         "management system, not HR. Check their assignments are in the extract.", "lower"),
        ("Interims and agency workers in non-social-work posts: the return counts agency children and family "
         "social workers only.", "higher"),
        ("A different date: the return counts agency workers in post on 30 September.", "either"),
    ],
    "vacancy_rate": [
        ("Vacancies counted against a different establishment: the return counts vacancies the service "
         "reported; ours is budgeted FTE in the HR system not held by permanent or fixed-term staff. Check "
         "frozen, deleted or unfunded posts still on the establishment.", "either"),
        ("Posts covered by agency workers left out of the return's vacancies.", "higher"),
        ("Vacant posts missing from the HR extract's establishment.", "lower"),
    ],
    "agency_cover": [
        ("Cover counted differently: our figure counts every cover arrangement (acting, interim, agency, "
         "secondment); the return counts agency workers only.", "higher"),
        ("Agency workers missing from the HR extract, or recorded against a different post from the vacancy "
         "they cover.", "lower"),
    ],
    "caseload": [
        ("Caseload snapshot date differs: the return counts cases on 30 September.", "either"),
        ("Case holders counted differently: managers or agency workers holding cases, or caseload records that "
         "do not match an HR assignment (see unmatched records on the data quality page).", "either"),
        ("Cases missing from the caseload extract (e.g. a team's cases held under a manager's name).", "lower"),
    ],
}
COMMON_REASON = ("Social-work posts marked differently: our figure uses the posts flagged as needing Social Work "
                 "England registration; the return counts children and family social workers.")


@dataclass
class Comparison:
    time_period: int
    indicator: str  # key in pipelines.benchmarks.INDICATORS
    ours: float | None
    published: float | None
    published_symbol: str | None
    tolerance: float
    note: str = ""  # e.g. the caseload snapshot used
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return BY_KEY[self.indicator].label

    @property
    def unit(self) -> str:
        return BY_KEY[self.indicator].unit

    @property
    def difference(self) -> float | None:
        if self.ours is None or self.published is None:
            return None
        return self.ours - self.published

    @property
    def flagged(self) -> bool:
        # Compared at the precision DfE publishes (one decimal place), so 12.04 against 12.0 is a match.
        return self.difference is not None and round(abs(self.difference), 1) > self.tolerance

    @property
    def status(self) -> str:
        if self.published is None:
            meaning = SYMBOLS.get(self.published_symbol or "", "not published")
            return f"No published figure ({meaning})"
        if self.ours is None:
            return "No HR-data figure"
        return "Check" if self.flagged else "Within tolerance"

    def sentence(self, authority: str) -> str:
        gap = abs(self.difference or 0)
        direction = "higher" if (self.difference or 0) > 0 else "lower"
        return (f"{self.label}, year to 30 September {self.time_period}: our HR data give "
                f"{_fmt(self.ours, self.unit)}, but DfE published {_fmt(self.published, self.unit)} for {authority}; "
                f"the HR figure is {gap:.1f} {_units(self.unit, gap)} {direction} "
                f"(tolerance {self.tolerance:g} {_units(self.unit, self.tolerance)}).")


def _units(unit: str, amount: float) -> str:
    word = "point" if unit == "%" else "case"
    return word if amount == 1 else word + "s"


def _fmt(value, unit: str) -> str:
    return "—" if value is None else f"{value:.1f}{'%' if unit == '%' else ' cases'}"


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def likely_reasons(indicator: str, difference: float) -> list[str]:
    direction = "higher" if difference > 0 else "lower"
    # COMMON_REASON applies to every measure, so it is shown once beside the flags rather than in each.
    return [text for text, points_to in REASONS[indicator] if points_to in (direction, "either")]


def reconcile(ours: pd.DataFrame, published: pd.DataFrame, settings: BenchmarkSettings) -> list[Comparison]:
    """Compare per year and indicator. ours: rows of pipelines.benchmarks.comparable.comparable_figures;
    published: the authority's rows of the benchmark_series view (time_period, indicator, value, symbol)."""
    by_key = {(int(r["time_period"]), r["indicator"]): r for r in published.to_dict("records")}
    comparisons = []
    for row in ours.to_dict("records"):
        year = int(row["time_period"])
        for indicator in INDICATORS:
            theirs = by_key.get((year, indicator.key))
            if theirs is None:
                continue  # DfE has no row for us that year (before our first return, or not yet published)
            item = Comparison(year, indicator.key, _number(row[OUR_COLUMN[indicator.key]]),
                              _number(theirs["value"]), theirs.get("symbol") or None,
                              settings.tolerance(indicator.key))
            snapshot = row.get("caseload_snapshot")
            snapshot = snapshot if isinstance(snapshot, date) else None
            if indicator.key == "caseload" and snapshot:
                item.note = f"our caseload snapshot: {snapshot:%d %b %Y}"
            if item.flagged:
                item.reasons = likely_reasons(indicator.key, item.difference)
                if indicator.key == "caseload" and snapshot and (snapshot.month, snapshot.day) != (9, 30):
                    item.reasons[0] = (f"Caseload snapshot date differs: ours is {snapshot:%d %B %Y}, "
                                       "the return counts cases on 30 September.")
            comparisons.append(item)
    return comparisons


def as_table(comparisons: list[Comparison]) -> pd.DataFrame:
    """One row per comparison, for display and download (rounded as DfE publishes)."""
    return pd.DataFrame([{
        "Year to 30 Sep": c.time_period,
        "Measure": c.label,
        "HR data": None if c.ours is None else round(c.ours, 1),
        "Published (DfE)": None if c.published is None else round(c.published, 1),
        "Difference": None if c.difference is None else round(c.difference, 1),
        "Tolerance": c.tolerance,
        "Unit": "% points" if c.unit == "%" else "cases per FTE",
        "Status": c.status,
        "Note": c.note,
    } for c in comparisons], columns=["Year to 30 Sep", "Measure", "HR data", "Published (DfE)", "Difference",
                                      "Tolerance", "Unit", "Status", "Note"])
