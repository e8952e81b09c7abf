"""Agency view model: DfE's agency rules now and by quarter, the cost of cover by month, unit and
tier, the committee's sentence, the cooling-off cases and the quarterly summary. Every number comes
through the DataSource (src.derived of the frames registered below); this module only shapes them.

Counts of engagements are counts of people, so they are suppressed in publication mode, and the
pounds, hours and FTE of a group follow its count (a group of one worker would give away their rate).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from pipelines import agency as engine
from pipelines.agency_settings import agency_settings
from pipelines.authority import read_identity
from pipelines.views import month_end, month_ends_between, months_before
from reporting.filters import TIER_LABELS, Filters
from reporting.source import DataSource, derived_frame
from reporting.suppression import INTERNAL, SuppressionRules, is_small, suppress

RESULTS = ("breach", "unknown", "exempt", "pass")
JOB_TYPE_WORDS = {"social_worker": "Social worker", "senior_social_worker": "Senior social worker",
                  "advanced_practitioner": "Advanced practitioner", "team_manager": "Team manager",
                  "iro_cp_chair": "IRO / CP chair", "other": "Other (no cap)", "all": "All job types"}
RULE_TITLES = {rule: words[0].upper() + words[1:] for rule, words in engine.RULE_WORDS.items()}
MONEY = ("Agency cost (£)", "Permanent equivalent (£)", "Premium (£)", "Agency hours")
COST_RULES = SuppressionRules(counts=("Engagements",), companions={column: "Engagements" for column in MONEY},
                              column_totals=("Engagements",))
ACTIVE = "Engagements active"
# One column per rule, one row per result and a last row of all engagements active, which each column
# adds up to: a lone hidden result in a column takes the next smallest with it.
RULE_COUNT_RULES = SuppressionRules(counts=tuple(RULE_TITLES.values()), total_row=("Result", ACTIVE))
QUARTER_RULES = SuppressionRules(counts=("Engagements with a breach", "Engagements active"))


# -- the frames behind every figure, registered for the DataSource's cache ------------------------------
# Rows are per engagement (compliance) or per group of engagements (cost, quarterly), always filtered
# to the `unit` argument's subtree (None = the whole authority).

@derived_frame("agency_compliance", who="unit", unit_arg=1, day_arg=0)
def _compliance_frame(con, day: date, unit: str | None) -> pd.DataFrame:
    return engine.compliance(con, day, unit, agency_settings(), read_identity(con).region)


@derived_frame("agency_cost", who="unit", unit_arg=2, day_arg=1)
def _cost_frame(con, date_from: date, date_to: date, unit: str | None, by: str) -> pd.DataFrame:
    segments = engine.cost_segments(con, date_from, date_to, unit, agency_settings())
    frame = pd.DataFrame(engine.summarise_cost(segments, by), columns=engine.COST_COLUMNS)
    if by == "unit" and len(segments):
        names = segments.dropna(subset=["unit_name"]).drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
        frame["group"] = frame["group"].map(lambda unit_id: names.get(unit_id, unit_id))
    return frame


@derived_frame("agency_quarterly", who="unit", unit_arg=1, day_arg=0)
def _quarterly_frame(con, quarter_end: date, unit: str | None) -> pd.DataFrame:
    rows = engine.quarterly_summary(con, quarter_end, unit, agency_settings(), read_identity(con).region)
    return pd.DataFrame(rows, columns=engine.QUARTERLY_COLUMNS)


def money(value) -> str:
    return "—" if value is None or value != value else f"£{value:,.0f}"


# -- compliance -----------------------------------------------------------------------------------------

def compliance_on(src: DataSource, current: Filters, day: date | None = None) -> pd.DataFrame:
    return src.derived("agency_compliance", day or current.as_at, current.unit)


def rule_counts(judged: pd.DataFrame) -> pd.DataFrame:
    """How many engagements pass, breach, lack evidence or are exempt, per rule (a column each)."""
    rows = [{"Result": result.title(), **{RULE_TITLES[rule]: int((judged[rule] == result).sum()) for rule in engine.RULES}}
            for result in RESULTS]
    rows.append({"Result": ACTIVE, **{RULE_TITLES[rule]: len(judged) for rule in engine.RULES}})
    return pd.DataFrame(rows, columns=["Result", *RULE_TITLES.values()])


def missing_evidence(judged: pd.DataFrame) -> int:
    """Engagements with at least one rule that could not be judged for want of evidence."""
    return int((judged[list(engine.RULES)] == "unknown").any(axis=1).sum())


def breach_list(judged: pd.DataFrame) -> pd.DataFrame:
    """Engagements with at least one breach: ids, unit and job type (never a name) and which rules."""
    broken = judged[judged["any_breach"].astype(bool)]
    return pd.DataFrame({
        "Engagement": broken["engagement_id"],
        "Assignment": broken["assignment_id"],
        "Unit": broken["unit_name"].fillna(broken["unit_id"]),
        "Job type": broken["job_type"].map(JOB_TYPE_WORDS),
        "Started": broken["started"],
        "Rules breached": [", ".join(engine.RULE_WORDS[r] for r in engine.RULES if row[r] == "breach")
                           for _, row in broken.iterrows()],
        "Why": ["; ".join(str(row[f"{r}_reason"]) for r in engine.RULES if row[r] == "breach")
                for _, row in broken.iterrows()],
    }).reset_index(drop=True)


def rules_start() -> date:
    return agency_settings().rules_start


def quarter_days(current: Filters) -> list[date]:
    """Quarter ends since the rules began, and the as-at date when it is not one."""
    days = engine.quarter_ends(rules_start(), current.as_at)
    return days + ([current.as_at] if current.as_at not in days and current.as_at >= rules_start() else [])


def breaches_by_quarter(src: DataSource, current: Filters) -> pd.DataFrame:
    """Long table: Quarter end, Rule, Engagements with a breach, Engagements active (what the chart draws)."""
    rows = []
    for day in quarter_days(current):
        judged = compliance_on(src, current, day)
        for rule in engine.RULES:
            rows.append({"Quarter end": day, "Rule": RULE_TITLES[rule],
                         "Engagements with a breach": int((judged[rule] == "breach").sum()),
                         "Engagements active": len(judged)})
    return pd.DataFrame(rows, columns=["Quarter end", "Rule", "Engagements with a breach", "Engagements active"])


def cooling_off_cases(src: DataSource, current: Filters) -> pd.DataFrame:
    """Engagements breaching either cooling-off rule, running at any month end of the period or on the
    as-at date (the rule looks at how the engagement started, so one day is enough to find it)."""
    days = month_ends_between(current.period_from, current.as_at)
    days += [current.as_at] if current.as_at not in days else []
    found = []
    for day in days:
        judged = compliance_on(src, current, day)
        hit = judged[(judged["cooling_off_own"] == "breach") | (judged["cooling_off_region"] == "breach")]
        found.append(hit.assign(seen=day))
    cases = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if cases.empty:
        return pd.DataFrame(columns=["Engagement", "Unit", "Job type", "Started", "Which rule", "Why"])
    cases = cases.drop_duplicates("engagement_id").sort_values("started")
    which = ["own authority and region" if own == "breach" and region == "breach" else
             "own authority" if own == "breach" else "region"
             for own, region in zip(cases["cooling_off_own"], cases["cooling_off_region"], strict=True)]
    why = [own_reason if own == "breach" else region_reason for own, own_reason, region_reason in
           zip(cases["cooling_off_own"], cases["cooling_off_own_reason"], cases["cooling_off_region_reason"],
               strict=True)]
    return pd.DataFrame({"Engagement": cases["engagement_id"], "Unit": cases["unit_name"].fillna(cases["unit_id"]),
                         "Job type": cases["job_type"].map(JOB_TYPE_WORDS), "Started": cases["started"],
                         "Which rule": which, "Why": why}).reset_index(drop=True)


# -- the cost of cover ----------------------------------------------------------------------------------

def _cost_table(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return pd.DataFrame({
        label: frame["group"],
        "Engagements": frame["engagements"].astype(int),
        "Agency hours": frame["agency_hours"].astype(float).round(0),
        "Agency cost (£)": frame["agency_cost"].astype(float).round(0),
        "Permanent equivalent (£)": frame["permanent_equivalent_cost"].astype(float).round(0),
        "Premium (£)": frame["premium"].astype(float).round(0),
    }).reset_index(drop=True)


def cost_by_month(src: DataSource, current: Filters) -> pd.DataFrame:
    """One row per calendar month of the period (the last one ends on the as-at date)."""
    rows = []
    for end in month_ends_between(current.period_from, current.as_at) + (
            [] if current.as_at == month_end(current.as_at) else [current.as_at]):
        start = max(end.replace(day=1), current.period_from)
        frame = src.derived("agency_cost", start, end, current.unit, "none")
        rows.append(frame.assign(group=pd.Timestamp(start)))
    table = _cost_table(pd.concat(rows, ignore_index=True), "Month") if rows else pd.DataFrame()
    return table


def cost_by(src: DataSource, current: Filters, by: str) -> pd.DataFrame:
    frame = src.derived("agency_cost", current.period_from, current.as_at, current.unit, by)
    if by == "tier":
        frame = frame.assign(group=frame["group"].map(lambda t: TIER_LABELS.get(t, t)))
    if by == "job_type":
        frame = frame.assign(group=frame["group"].map(lambda t: JOB_TYPE_WORDS.get(t, t)))
    return _cost_table(frame, {"unit": "Unit", "tier": "Tier", "job_type": "Job type"}.get(by, "Group"))


@dataclass
class CommitteeSentence:
    first_day: date
    last_day: date
    row: dict

    def text(self, mode: str = INTERNAL) -> str:
        row, period = self.row, f"In the 12 months to {self.last_day:%d %B %Y}"
        if row["engagements"] == 0:
            return f"{period}, no agency cover is recorded in the agency engagements loaded."
        if mode != INTERNAL and is_small(row["engagements"]):
            return f"{period}, fewer than 5 agency engagements are recorded: their cost is not published."
        difference = f"{money(abs(row['premium']))} {'more' if row['premium'] >= 0 else 'less'}"
        sentence = (f"{period}, agency cover cost {money(row['agency_cost'])}; the same hours from our own staff "
                    f"would have cost {money(row['permanent_equivalent_cost'])}: {difference}")
        if not row["hours_not_compared"]:
            return sentence + "."
        return (sentence + f" for the hours compared ({row['hours_not_compared']:,.0f} of {row['agency_hours']:,.0f} "
                "hours are in grades with no annual cost in settings).")


def committee_sentence(src: DataSource, current: Filters) -> CommitteeSentence:
    first = months_before(current.as_at, 12) + timedelta(days=1)
    frame = src.derived("agency_cost", first, current.as_at, current.unit, "none")
    return CommitteeSentence(first, current.as_at, frame.iloc[0].to_dict())


# -- the quarterly summary export -----------------------------------------------------------------------

def latest_quarter_end(current: Filters) -> date:
    ends = engine.quarter_ends(date(current.as_at.year - 1, 1, 1), current.as_at)
    return ends[-1]


QUARTERLY_RULES = SuppressionRules(
    counts=("engagements", *(f"breaches_{rule}" for rule in engine.RULES)),
    companions={"fte": "engagements", "hours": "engagements", "spend": "engagements"},
    total_row=("job_type", "all"))


def quarterly_summary(src: DataSource, current: Filters, quarter_end: date | None = None) -> pd.DataFrame:
    return src.derived("agency_quarterly", quarter_end or latest_quarter_end(current), current.unit)


# The quarterly summary's columns in words, for the screen; the CSV keeps the field names of the return.
QUARTERLY_WORDS = {"quarter_start": "Quarter from", "quarter_end": "Quarter to", "job_type": "Job type",
                   "engagements": "Engagements", "fte": "FTE", "hours": "Hours", "spend": "Spend (£)",
                   **{f"breaches_{rule}": f"Breaches: {words}" for rule, words in engine.RULE_WORDS.items()}}


def quarterly_for_screen(table: pd.DataFrame) -> pd.DataFrame:
    """The quarterly summary with its headings and job types in words (values as text: 'c' beside numbers)."""
    shown = table.astype("str")
    shown["job_type"] = shown["job_type"].map(lambda t: JOB_TYPE_WORDS.get(t, t))
    return shown.rename(columns=QUARTERLY_WORDS)


def quarterly_table(src: DataSource, current: Filters, quarter_end: date, mode: str) -> pd.DataFrame:
    """The quarterly summary as it is shown and downloaded: suppressed in publication mode."""
    return suppress(quarterly_summary(src, current, quarter_end), QUARTERLY_RULES, mode)
