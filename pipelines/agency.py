"""Agency engagements: DfE's statutory rules per engagement on a day, and the cost of cover.

The rows come from two named views (sql/views/agency_engagements_on_day.sql, agency_cost_segments.sql);
the rules and the arithmetic are here, in Python, because they depend on the [agency] settings
(pipelines/agency_settings.py). Every rule gives `pass`, `breach`, `unknown` (evidence missing) or
`exempt`, with a reason in plain words that never repeats a worker's pay, dates or region.
"""

from datetime import date
from decimal import Decimal

import pandas as pd

from pipelines.agency_settings import AgencySettings
from pipelines.contract import JOB_TYPES
from pipelines.views import month_end, months_before, run_view

PASS, BREACH, UNKNOWN, EXEMPT = "pass", "breach", "unknown", "exempt"
# The five rules; rule 2 is judged twice (own authority from the HR data, region from the evidence).
RULES = ("experience", "cooling_off_own", "cooling_off_region", "pay_cap", "references", "notice")
RULE_WORDS = {
    "experience": "3 years qualified",
    "cooling_off_own": "cooling-off (own authority)",
    "cooling_off_region": "cooling-off (region)",
    "pay_cap": "pay cap",
    "references": "references",
    "notice": "notice",
}
COMPLIANCE_COLUMNS = ["engagement_id", "assignment_id", "unit_id", "unit_name", "job_type", "started", "project_team",
                      *(f"{rule}{part}" for rule in RULES for part in ("", "_reason")), "any_breach"]
EXPERIENCE_YEARS = 3
COOLING_OFF_MONTHS = 3


def has_engagements_table(con) -> bool:
    """False for a database loaded before agency engagements were part of the contract."""
    found = con.execute("select count(*) from duckdb_views() where view_name = 'stg_agency_engagements'").fetchall()
    return bool(found[0][0])


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _experience(row, settings) -> tuple[str, str]:
    # Stands in for "three years' post-qualified experience": the HR data know when a worker
    # qualified, not what they did since.
    if row.qualified_date is None:
        return UNKNOWN, "qualified_date not given"
    if row.qualified_date <= months_before(row.started, 12 * EXPERIENCE_YEARS):
        return PASS, f"qualified at least {EXPERIENCE_YEARS} years before the engagement started"
    return BREACH, f"qualified less than {EXPERIENCE_YEARS} years before the engagement started"


def _recently_left(left: date, started: date) -> bool:
    """Left less than 3 months before starting: leaving exactly 3 months before is not less."""
    return left > months_before(started, COOLING_OFF_MONTHS)


def _cooling_off_own(row, settings) -> tuple[str, str]:
    left = row.last_substantive_end
    if left is not None and _recently_left(left, row.started):
        return BREACH, (f"the same person left a permanent or fixed-term post here less than {COOLING_OFF_MONTHS} "
                        "months before the engagement started")
    return PASS, f"no permanent or fixed-term post here ended in the {COOLING_OFF_MONTHS} months before it started"


def _cooling_off_region(row, settings, region: str | None) -> tuple[str, str]:
    named = (row.previous_permanent_region or "").strip().lower()
    if named == "none":
        return PASS, "no previous permanent social-work post"
    if row.previous_permanent_end is None or not named:
        return UNKNOWN, "previous_permanent_end and previous_permanent_region not both given"
    if not _recently_left(row.previous_permanent_end, row.started):
        return PASS, f"previous permanent post ended at least {COOLING_OFF_MONTHS} months before the engagement"
    if region is None:
        return UNKNOWN, "the authority's region is not set (python -m pipelines authority set)"
    if named == region.strip().lower():
        return BREACH, (f"left a permanent post in this region less than {COOLING_OFF_MONTHS} months before "
                        "the engagement started")
    return PASS, "previous permanent post was in another region"


def _pay_cap(row, settings, day: date) -> tuple[str, str]:
    if row.job_type == "other":
        return EXEMPT, "no cap applies to this job type"
    cap = settings.cap_on(row.job_type, day)
    if cap is None:
        return UNKNOWN, f"no cap for {row.job_type} on {day.isoformat()} in settings [agency] caps"
    if row.pay_rate_hourly is None:
        return UNKNOWN, "pay_rate_hourly not given"
    if Decimal(row.pay_rate_hourly) <= cap.hourly:
        return PASS, f"pay rate at or below the {row.job_type} cap of £{cap.hourly:.2f} an hour"
    if row.cap_exception_approved:
        return EXEMPT, "above the cap with an exception approved by the director and the chief executive"
    return BREACH, f"pay rate above the {row.job_type} cap of £{cap.hourly:.2f} an hour"


def _references(row, settings) -> tuple[str, str]:
    if row.reference_received is None:
        return UNKNOWN, "reference_received not given"
    return (PASS, "references received") if row.reference_received else (BREACH, "references not received")


def _notice(row, settings) -> tuple[str, str]:
    needed = settings.notice_needed()
    if row.notice_weeks is None:
        return UNKNOWN, "notice_weeks not given"
    if row.notice_weeks >= needed:
        return PASS, f"notice of at least {needed} weeks"
    return BREACH, f"notice shorter than {needed} weeks"


def judge(row, day: date, settings: AgencySettings, region: str | None) -> dict[str, tuple[str, str]]:
    """Each rule's (result, reason) for one engagement on day."""
    if day < settings.rules_start:
        reason = f"the rules apply from {_long_date(settings.rules_start)}"
        return {rule: (EXEMPT, reason) for rule in RULES}
    if row.started < settings.rules_start and day < settings.legacy_date:
        reason = (f"started before {_long_date(settings.rules_start)}: must comply from "
                  f"{_long_date(settings.legacy_date)}")
        return {rule: (EXEMPT, reason) for rule in RULES}
    return {
        "experience": _experience(row, settings),
        "cooling_off_own": _cooling_off_own(row, settings),
        "cooling_off_region": _cooling_off_region(row, settings, region),
        "pay_cap": _pay_cap(row, settings, day),
        "references": _references(row, settings),
        "notice": _notice(row, settings),
    }


def _nulls_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("object").where(frame.notna(), None)


def compliance(con, day: date, unit: str | None, settings: AgencySettings, region: str | None) -> pd.DataFrame:
    """One row per engagement active on day (in unit's subtree): ids, unit, job type, start, and each
    rule's result and reason; any_breach when one rule is a breach."""
    if not has_engagements_table(con):
        return pd.DataFrame(columns=COMPLIANCE_COLUMNS)
    rows = _nulls_as_none(run_view(con, "agency_engagements_on_day",
                                   {"day": day, "unit": unit, "standard_hours": settings.standard_hours}))
    records = []
    for row in rows.itertuples(index=False):
        results = judge(row, day, settings, settings.region or region)
        record = {"engagement_id": row.engagement_id, "assignment_id": row.assignment_id, "unit_id": row.unit_id,
                  "unit_name": row.unit_name, "job_type": row.job_type, "started": row.started,
                  # shown, not judged: DfE's guidance treats project teams differently, as the authority decides
                  "project_team": row.project_team}
        for rule, (result, reason) in results.items():
            record[rule], record[f"{rule}_reason"] = result, reason
        record["any_breach"] = any(result == BREACH for result, _ in results.values())
        records.append(record)
    return pd.DataFrame(records, columns=COMPLIANCE_COLUMNS)


COST_BY = ("none", "tier", "unit", "grade", "job_type")
COST_COLUMNS = ["group", "engagements", "agency_hours", "agency_cost", "permanent_equivalent_cost", "premium",
                "premium_pct", "hours_not_compared"]


def cost_segments(con, date_from: date, date_to: date, unit: str | None, settings: AgencySettings) -> pd.DataFrame:
    """Each engagement row x post row in the period with its hours, agency cost and permanent cost
    (None where the grade has no annual cost in settings). Decimal arithmetic: pounds stay exact."""
    if not has_engagements_table(con):
        return pd.DataFrame(columns=["engagement_id", "job_type", "unit_id", "unit_name", "grade", "tier", "hours",
                                     "agency_cost", "permanent_cost"])
    rows = _nulls_as_none(run_view(con, "agency_cost_segments", {
        "date_from": date_from, "date_to": date_to, "unit": unit, "standard_hours": settings.standard_hours}))
    # Hours are the engagement's weekly hours x days active / 7.
    hours = [Decimal(w) * int(d) / 7 for w, d in zip(rows["hours_per_week"], rows["days_active"], strict=True)]
    rates = [settings.permanent_hourly(g) for g in rows["grade"]]
    rows["hours"] = hours
    rows["agency_cost"] = [h * Decimal(c) for h, c in zip(hours, rows["charge_rate_hourly"], strict=True)]
    rows["permanent_cost"] = [None if r is None else h * r for h, r in zip(hours, rates, strict=True)]
    return rows


def _money(value: Decimal) -> float:
    return float(round(value, 2))


def summarise_cost(segments: pd.DataFrame, by: str) -> list[dict]:
    """The cost of cover per group: engagements, agency_hours, agency_cost, permanent_equivalent_cost,
    premium (agency - permanent, over the hours that have a permanent cost) and premium_pct."""
    if by != "none":
        keys = segments["unit_id" if by == "unit" else by].fillna("(none)")
    else:
        keys = pd.Series("all", index=segments.index, dtype="object")
    result = []
    for group in sorted(set(keys)) if len(segments) else (["all"] if by == "none" else []):
        part = segments[keys == group]
        compared = part[part["permanent_cost"].notna()]
        agency = sum(part["agency_cost"], Decimal(0))
        agency_compared = sum(compared["agency_cost"], Decimal(0))
        permanent = sum(compared["permanent_cost"], Decimal(0))
        premium = agency_compared - permanent
        result.append({
            "group": group,
            "engagements": int(part["engagement_id"].nunique()),
            "agency_hours": round(float(sum(part["hours"], Decimal(0))), 2),
            "agency_cost": _money(agency),
            "permanent_equivalent_cost": _money(permanent),
            "premium": _money(premium),
            "premium_pct": None if permanent == 0 else round(float(premium / permanent * 100), 1),
            "hours_not_compared": round(float(sum(part["hours"], Decimal(0)) - sum(compared["hours"], Decimal(0))), 2),
        })
    return result


def quarter_ends(first: date, last: date) -> list[date]:
    """Calendar quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) from the one on or after first, up to last."""
    days, year, quarter = [], first.year, (first.month - 1) // 3
    while True:
        month = 3 * quarter + 3
        day = month_end(date(year, month, 1))
        if day > last:
            return days
        if day >= first:
            days.append(day)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)


def quarter_start(quarter_end: date) -> date:
    return date(quarter_end.year, quarter_end.month - 2, 1)


# The quarterly summary's columns, in order: DfE has not published its field list for the quarterly
# return, so the format is this one list (reporting/agency.py QUARTERLY_WORDS gives the words shown on screen).
QUARTERLY_COLUMNS = ["quarter_start", "quarter_end", "job_type", "engagements", "fte", "hours", "spend",
                     *(f"breaches_{rule}" for rule in RULES)]


def quarterly_summary(con, quarter_end: date, unit: str | None, settings: AgencySettings,
                      region: str | None) -> list[dict]:
    """Agency use and cost by job type in the quarter ending quarter_end (one row per job type, then a
    row 'all'): engagements active at any time in it, average FTE (hours / the standard hours of the
    quarter's weeks), hours and spend (charge), and the engagements breaching each rule on its last day."""
    start = quarter_start(quarter_end)
    segments = cost_segments(con, start, quarter_end, unit, settings)
    judged = compliance(con, quarter_end, unit, settings, region)
    full_time_hours = settings.standard_hours * ((quarter_end - start).days + 1) / 7
    rows = []
    for job_type in [*JOB_TYPES, "all"]:
        part = segments if job_type == "all" else segments[segments["job_type"] == job_type]
        rules = judged if job_type == "all" else judged[judged["job_type"] == job_type]
        hours = sum(part["hours"], Decimal(0))
        row = {"quarter_start": start.isoformat(), "quarter_end": quarter_end.isoformat(), "job_type": job_type,
               "engagements": int(part["engagement_id"].nunique()),
               "fte": round(float(hours / full_time_hours), 2), "hours": round(float(hours), 2),
               "spend": _money(sum(part["agency_cost"], Decimal(0)))}
        row.update({f"breaches_{rule}": int((rules[rule] == BREACH).sum()) for rule in RULES})
        rows.append(row)
    return rows
