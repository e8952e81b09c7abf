"""Metric definitions for the dashboard, taken from docs/METRICS.md so the words shown in the app
and the user guide cannot drift apart."""

import re
from functools import cache
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "METRICS.md"

SHORT = {
    "interim_ratio": "Share of occupied FTE held by cover (acting, interim, agency, secondment) as at the date.",
    "agency_rate": "Agency and interim FTE as a share of agency plus substantive FTE as at the date (DfE).",
    "turnover": "Leavers in the period over the average of headcount at its start and end (CIPD crude turnover).",
    "stability": "Share of staff in post at the start of the period still employed at its end, without a break.",
    "vacancy_rate": "Budgeted FTE not held by substantive staff, as a share of the establishment, as at the date.",
    "vacancy_duration": "How long posts stood fully vacant: days to fill, and the age of vacancies still open.",
    "structural_changes": "Units created, closed, renamed or moved, and posts created, deleted, moved or regraded.",
    "leadership_churn": "Management posts, changes of holder and different people holding them in the period.",
    "caseload": "Open cases per case-holding FTE on the snapshot date (DfE); nobody counts for more than 1 FTE.",
    "agency_cost": "Agency hours x the agency's charge rate each day, against the same hours at the post grade's "
                   "annual cost with on-costs / (52.143 weeks x standard weekly hours) (docs/AGENCY.md).",
    "agency_rules": "DfE's rules on agency social workers per engagement active on the day: 3 years qualified, "
                    "cooling-off, pay cap, references, notice; pass, breach, unknown or exempt (docs/AGENCY.md).",
    "forecast": "Middle value (median) and 80% band of 1,000 simulated futures, from the recent history of leaving, "
                "filling and cover; a forecast, not a measure (how it works: the product's guide, FORECAST.md).",
}


@cache
def _sections() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
    sections = {}
    for block in re.split(r"(?m)^## ", text)[1:]:
        heading, _, body = block.partition("\n")
        match = re.search(r"`([a-z_]+)`", heading)
        key = match.group(1) if match else heading.strip().lower()
        sections[key] = f"### {heading.strip()}\n{body.strip()}"
    return sections


def full(metric: str) -> str:
    """The guide's section on a metric (with its worked example), or the short definition."""
    return _sections().get(metric, SHORT.get(metric, ""))


def common_terms() -> str:
    return _sections().get("common terms", "")
