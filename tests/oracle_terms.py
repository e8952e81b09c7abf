"""The oracle's records and common terms (see tests/oracle.py for what the oracle is and the readings it uses)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ONE_DAY = dt.timedelta(days=1)
ZERO = Decimal(0)

TIERS = (
    "director",
    "assistant_director",
    "head_of_service",
    "team_manager",
    "senior_practitioner",
    "practitioner",
    "support",
)
MANAGEMENT_TIERS = frozenset(("director", "assistant_director", "head_of_service", "team_manager"))
SUBSTANTIVE = frozenset(("permanent", "fixed_term"))
COVER = frozenset(("acting", "interim", "agency", "secondment"))
AGENCY = frozenset(("agency", "interim"))
VOLUNTARY_REASONS = frozenset(("resignation", "retirement", "voluntary_redundancy"))

ALLOWED_BY = {
    "interim_ratio": ("none", "grade", "tier", "unit"),
    "agency_rate": ("none", "grade", "tier", "unit"),
    "turnover": ("none", "grade", "tier", "unit"),
    "stability": ("none", "grade", "tier", "unit"),
    "vacancy_rate": ("none", "grade", "tier", "unit"),
    "vacancy_duration": ("none", "grade", "tier", "unit"),
    "structural_changes": ("none", "unit", "month", "type"),
    "leadership_churn": ("none", "tier", "unit"),
    "caseload": ("none", "grade", "tier", "unit"),
}

# Which reference-date argument each metric takes.
AS_OF_METRICS = ("interim_ratio", "agency_rate", "vacancy_rate")
PERIOD_METRICS = ("turnover", "stability", "vacancy_duration", "structural_changes", "leadership_churn")
SNAPSHOT_METRICS = ("caseload",)
METRICS = tuple(ALLOWED_BY)

OUTPUT_FIELDS = {
    "interim_ratio": (
        "occupied_fte", "cover_fte", "occupied_headcount", "cover_headcount", "interim_ratio_pct",
    ),
    "agency_rate": ("agency_fte", "substantive_fte", "agency_rate_pct"),
    "turnover": (
        "leavers", "leaver_fte", "headcount_start", "headcount_end", "avg_headcount",
        "turnover_rate_pct", "fte_start", "fte_end", "turnover_rate_fte_pct",
        "dfe_turnover_rate_fte_pct", "voluntary_leavers",
    ),
    "stability": ("headcount_start", "stable", "stability_index_pct"),
    "vacancy_rate": (
        "establishment_fte", "vacant_fte", "covered_vacant_fte", "vacancy_rate_pct",
        "agency_cover_pct",
    ),
    "vacancy_duration": (
        "filled", "median_days_to_fill", "mean_days_to_fill", "open", "median_open_age_days",
        "open_over_90_days", "open_over_180_days", "left_censored",
    ),
    "structural_changes": ("events", "change_days", "events_per_12m"),
    "leadership_churn": ("posts", "holder_changes", "distinct_holders"),
    "caseload": (
        "case_holders", "case_holding_fte", "cases", "caseload_per_fte", "mean_cases_per_holder",
        "over_threshold", "unmatched",
    ),
}

# Fields that the spec calls counts (integers); every other field is a float or None.
COUNT_FIELDS = frozenset((
    "occupied_headcount", "cover_headcount", "leavers", "headcount_start", "headcount_end",
    "voluntary_leavers", "stable", "filled", "open", "open_over_90_days", "open_over_180_days",
    "left_censored", "events", "change_days", "posts", "holder_changes", "distinct_holders",
    "case_holders", "cases", "over_threshold", "unmatched",
))


# --------------------------------------------------------------------------- input records


@dataclass(frozen=True)
class OrgUnit:
    unit_id: str
    unit_name: str
    parent_unit_id: str | None
    unit_level: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Post:
    post_id: str
    post_title: str
    unit_id: str
    grade: str
    tier: str
    social_work_post: bool
    budgeted_fte: float
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Assignment:
    assignment_id: str
    person_id: str
    post_id: str
    arrangement: str
    fte: float
    start_date: dt.date
    end_date: dt.date | None
    leaving_reason: str | None = None


@dataclass(frozen=True)
class Caseload:
    snapshot_date: dt.date
    person_id: str
    open_cases: int


@dataclass
class Dataset:
    org_units: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    caseloads: list = field(default_factory=list)


# --------------------------------------------------------------------------- small helpers


def dec(x) -> Decimal:
    """An FTE as the engine stores it (DECIMAL(18,8)): exact decimal of its text form."""
    return Decimal(str(x))


def rate(numerator, denominator) -> float | None:
    """numerator / denominator x 100, None when the denominator is zero."""
    if denominator == 0:
        return None
    return float(numerator) / float(denominator) * 100


def days(a: dt.date, b: dt.date):
    """Every day a..b, inclusive."""
    d = a
    while d <= b:
        yield d
        d += ONE_DAY


def row_active(row, d: dt.date) -> bool:
    return row.valid_from <= d and (row.valid_to is None or d <= row.valid_to)


def median(values: list) -> float | None:
    if not values:
        return None
    v = sorted(values)
    n = len(v)
    if n % 2 == 1:
        return float(v[n // 2])
    return (v[n // 2 - 1] + v[n // 2]) / 2


def mean(values: list) -> float | None:
    if not values:
        return None
    return sum(values) / len(values)


class OracleTerms:
    """The common terms of METRICS.md answered day by day; the metrics build on them."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.unit_rows: dict[str, list[OrgUnit]] = {}
        for r in ds.org_units:
            self.unit_rows.setdefault(r.unit_id, []).append(r)
        self.post_rows: dict[str, list[Post]] = {}
        for r in ds.posts:
            self.post_rows.setdefault(r.post_id, []).append(r)
        for rows in list(self.unit_rows.values()) + list(self.post_rows.values()):
            rows.sort(key=lambda r: r.valid_from)
        self.by_person: dict[str, list[Assignment]] = {}
        self.by_post: dict[str, list[Assignment]] = {}
        for a in ds.assignments:
            self.by_person.setdefault(a.person_id, []).append(a)
            self.by_post.setdefault(a.post_id, []).append(a)
        self.persons = sorted(self.by_person)
        # memo tables (pure functions of the dataset; they only save time)
        self._active_memo: dict = {}
        self._employed_memo: dict = {}
        self._leaving_memo: dict = {}
        self._episodes_memo: dict = {}

    # ---- common terms

    def unit_row_on(self, unit_id: str, d: dt.date) -> OrgUnit | None:
        rows = [r for r in self.unit_rows.get(unit_id, []) if row_active(r, d)]
        assert len(rows) <= 1, f"overlapping rows of unit {unit_id} on {d}"
        return rows[0] if rows else None

    def post_row_on(self, post_id: str, d: dt.date) -> Post | None:
        """The post row of `post_id` active on d."""
        rows = [r for r in self.post_rows.get(post_id, []) if row_active(r, d)]
        assert len(rows) <= 1, f"overlapping rows of post {post_id} on {d}"
        return rows[0] if rows else None

    def active(self, a: Assignment, d: dt.date) -> bool:
        """start_date <= d <= end_date and its post has an active row on d."""
        key = (a.assignment_id, d)
        if key not in self._active_memo:
            self._active_memo[key] = (
                a.start_date <= d
                and (a.end_date is None or d <= a.end_date)
                and self.post_row_on(a.post_id, d) is not None
            )
        return self._active_memo[key]

    def employed(self, p: str, d: dt.date) -> bool:
        """p has a substantive assignment active on d."""
        key = (p, d)
        if key not in self._employed_memo:
            self._employed_memo[key] = any(
                a.arrangement in SUBSTANTIVE and self.active(a, d) for a in self.by_person.get(p, [])
            )
        return self._employed_memo[key]

    @staticmethod
    def main(assignments: Iterable[Assignment]) -> Assignment:
        """Largest fte; ties go to the smallest assignment_id (string order)."""
        return min(assignments, key=lambda a: (-dec(a.fte), a.assignment_id))

    def in_subtree(self, x: str, u: str, d: dt.date) -> bool:
        """X is U or a descendant of U in the org tree on day d."""
        if x == u:
            return True
        seen = set()
        cur = x
        while cur not in seen:
            seen.add(cur)
            row = self.unit_row_on(cur, d)
            if row is None:  # the chain breaks
                return False
            parent = row.parent_unit_id
            if parent is None:
                return False
            if parent == u:
                return True
            cur = parent
        return False  # a cycle never reaches U

    def in_scope(self, row: Post, d: dt.date) -> bool:
        if self.unit is not None and not self.in_subtree(row.unit_id, self.unit, d):
            return False
        if self.tiers is not None and row.tier not in self.tiers:
            return False
        if self.social_work_only and not row.social_work_post:
            return False
        return True

    def group_of(self, row: Post) -> str:
        if self.by == "none":
            return "all"
        if self.by == "grade":
            return row.grade
        if self.by == "tier":
            return row.tier
        if self.by == "unit":
            return row.unit_id
        raise ValueError(f"grouping {self.by!r} does not apply to post rows")

    def leaving_event(self, p: str, e: dt.date) -> bool:
        """employed(p, e), some substantive assignment of p ends on e, and p is not employed
        on any of e+1 .. e+7."""
        if (p, e) not in self._leaving_memo:
            self._leaving_memo[(p, e)] = self._leaving_event(p, e)
        return self._leaving_memo[(p, e)]

    def _leaving_event(self, p: str, e: dt.date) -> bool:
        if not self.employed(p, e):
            return False
        if not self.ending_assignments(p, e):
            return False
        return not any(self.employed(p, e + k * ONE_DAY) for k in range(1, 8))

    def ending_assignments(self, p: str, e: dt.date) -> list[Assignment]:
        """p's substantive assignments that end on e (end_date == e and active on e)."""
        return [
            a for a in self.by_person.get(p, [])
            if a.arrangement in SUBSTANTIVE and a.end_date == e and self.active(a, e)
        ]

    def finish(self, groups: dict, make_row) -> list[dict]:
        """One output row per listed group, sorted by group; `all` always there for by=none."""
        if self.by == "none" and "all" not in groups:
            groups["all"] = None
        out = []
        for g in sorted(groups):
            row = {"group": g}
            row.update(make_row(groups[g]))
            out.append(row)
        return out
