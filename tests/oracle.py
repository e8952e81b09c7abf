"""A deliberately naive reference implementation ("oracle") of the nine metrics of METRICS.md.

Written straight from ../shared/spec/METRICS.md, independently of the SQL engine in
`pipelines/`, so that the two can be compared on random data (tests/test_metrics_match_oracle.py).
It is meant to be obviously correct, not fast: every question ("is this assignment active on
day d?", "is p employed on d?") is answered by looking at the rows for that single day, and
periods are walked one day at a time. Only the standard library is used.

Readings of words the spec leaves open (the engine uses the same ones):
  a) A group is listed when a "record" falls in it; the records of each metric are named in
     its function below.
  b) "some substantive assignment of p ends on e" means end_date == e AND the assignment is
     active on e. An assignment "starting in a..b" (leadership churn) counts only when it is
     active on its start_date; "holding that post on the day before" = assignments on the post
     active on that day (any arrangement).
  c) leadership_churn with only non-management tiers: no posts, so only the `all` row of
     by=none (with zeros) is listed.
  d) vacancy_duration coverage start = the earliest start_date among ALL assignments.
     Left-censored episodes are counted when they would be records and are in scope.
  e) Empty medians/means are None; avg_headcount is a float.
  f) structural_changes ignores tiers / social_work_only; the "earliest valid_from" of
     created events is over all rows of org_units (resp. posts).
  g) Unit scope: U's subtree on day d per "the org tree on day d"; a unit is always in its own
     subtree.
"""

from __future__ import annotations

import copy
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


# --------------------------------------------------------------------------- the oracle


class _Oracle:
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

    # ---- 1. interim ratio

    def interim_ratio(self, d: dt.date) -> list[dict]:
        # records: in-scope assignments active on d
        groups: dict = {}
        for a in self.ds.assignments:
            if not self.active(a, d):
                continue
            row = self.post_row_on(a.post_id, d)
            if not self.in_scope(row, d):
                continue
            g = groups.setdefault(self.group_of(row), [])
            g.append(a)

        def make(asgs):
            asgs = asgs or []
            occ = sum((dec(a.fte) for a in asgs), ZERO)
            cov = sum((dec(a.fte) for a in asgs if a.arrangement in COVER), ZERO)
            return {
                "occupied_fte": float(occ),
                "cover_fte": float(cov),
                "occupied_headcount": len({a.person_id for a in asgs}),
                "cover_headcount": len({a.person_id for a in asgs if a.arrangement in COVER}),
                "interim_ratio_pct": rate(cov, occ),
            }

        return self.finish(groups, make)

    # ---- 2. agency rate

    def agency_rate(self, d: dt.date) -> list[dict]:
        # records: in-scope agency-family or substantive assignments active on d
        groups: dict = {}
        for a in self.ds.assignments:
            if a.arrangement not in AGENCY and a.arrangement not in SUBSTANTIVE:
                continue
            if not self.active(a, d):
                continue
            row = self.post_row_on(a.post_id, d)
            if not self.in_scope(row, d):
                continue
            groups.setdefault(self.group_of(row), []).append(a)

        def make(asgs):
            asgs = asgs or []
            agency = sum((dec(a.fte) for a in asgs if a.arrangement in AGENCY), ZERO)
            subst = sum((dec(a.fte) for a in asgs if a.arrangement in SUBSTANTIVE), ZERO)
            return {
                "agency_fte": float(agency),
                "substantive_fte": float(subst),
                "agency_rate_pct": rate(agency, agency + subst),
            }

        return self.finish(groups, make)

    # ---- 3. turnover

    def turnover(self, a: dt.date, b: dt.date) -> list[dict]:
        # records: leaving events in a..b, and substantive assignments counted in
        # headcount(a) or headcount(b)
        groups: dict = {}

        def grp(key):
            return groups.setdefault(key, {
                "leavers": 0, "leaver_fte": ZERO, "voluntary": 0,
                "persons_a": set(), "fte_a": ZERO, "persons_b": set(), "fte_b": ZERO,
            })

        for e in days(a, b):
            for p in self.persons:
                if not self.leaving_event(p, e):
                    continue
                ending = self.ending_assignments(p, e)
                main = self.main(ending)
                row = self.post_row_on(main.post_id, e)
                if not self.in_scope(row, e):
                    continue
                g = grp(self.group_of(row))
                g["leavers"] += 1
                g["leaver_fte"] += sum((dec(x.fte) for x in ending), ZERO)
                if main.leaving_reason in VOLUNTARY_REASONS:
                    g["voluntary"] += 1

        for day, persons, fte in ((a, "persons_a", "fte_a"), (b, "persons_b", "fte_b")):
            for x in self.ds.assignments:
                if x.arrangement not in SUBSTANTIVE or not self.active(x, day):
                    continue
                row = self.post_row_on(x.post_id, day)
                if not self.in_scope(row, day):
                    continue
                g = grp(self.group_of(row))
                g[persons].add(x.person_id)
                g[fte] += dec(x.fte)

        def make(g):
            if g is None:
                g = {"leavers": 0, "leaver_fte": ZERO, "voluntary": 0, "persons_a": set(),
                     "fte_a": ZERO, "persons_b": set(), "fte_b": ZERO}
            ha, hb = len(g["persons_a"]), len(g["persons_b"])
            avg = (ha + hb) / 2
            return {
                "leavers": g["leavers"],
                "leaver_fte": float(g["leaver_fte"]),
                "headcount_start": ha,
                "headcount_end": hb,
                "avg_headcount": float(avg),
                "turnover_rate_pct": rate(g["leavers"], avg),
                "fte_start": float(g["fte_a"]),
                "fte_end": float(g["fte_b"]),
                "turnover_rate_fte_pct": rate(g["leaver_fte"], (g["fte_a"] + g["fte_b"]) / 2),
                "dfe_turnover_rate_fte_pct": rate(g["leaver_fte"], g["fte_b"]),
                "voluntary_leavers": g["voluntary"],
            }

        return self.finish(groups, make)

    # ---- 4. stability

    def stability(self, a: dt.date, b: dt.date) -> list[dict]:
        # records: cohort members
        groups: dict = {}
        for p in self.persons:
            if not self.employed(p, a):
                continue
            subs = [x for x in self.by_person[p] if x.arrangement in SUBSTANTIVE and self.active(x, a)]
            main = self.main(subs)
            row = self.post_row_on(main.post_id, a)
            if not self.in_scope(row, a):
                continue
            g = groups.setdefault(self.group_of(row), {"cohort": 0, "stable": 0})
            g["cohort"] += 1
            stable = self.employed(p, b) and not any(
                self.leaving_event(p, e) for e in days(a, b - ONE_DAY)
            )
            if stable:
                g["stable"] += 1

        def make(g):
            g = g or {"cohort": 0, "stable": 0}
            return {
                "headcount_start": g["cohort"],
                "stable": g["stable"],
                "stability_index_pct": rate(g["stable"], g["cohort"]),
            }

        return self.finish(groups, make)

    # ---- 5. vacancy rate

    def sub_fte(self, post_id: str, d: dt.date) -> Decimal:
        return sum(
            (dec(x.fte) for x in self.by_post.get(post_id, [])
             if x.arrangement in SUBSTANTIVE and self.active(x, d)),
            ZERO,
        )

    def cov_fte(self, post_id: str, d: dt.date) -> Decimal:
        return sum(
            (dec(x.fte) for x in self.by_post.get(post_id, [])
             if x.arrangement in COVER and self.active(x, d)),
            ZERO,
        )

    def vacancy_rate(self, d: dt.date) -> list[dict]:
        # records: in-scope post rows active on d
        groups: dict = {}
        for post_id in sorted(self.post_rows):
            row = self.post_row_on(post_id, d)
            if row is None or not self.in_scope(row, d):
                continue
            budget = dec(row.budgeted_fte)
            vacant = max(ZERO, budget - self.sub_fte(post_id, d))
            covered = min(vacant, self.cov_fte(post_id, d))
            g = groups.setdefault(self.group_of(row), {"est": ZERO, "vac": ZERO, "cov": ZERO})
            g["est"] += budget
            g["vac"] += vacant
            g["cov"] += covered

        def make(g):
            g = g or {"est": ZERO, "vac": ZERO, "cov": ZERO}
            return {
                "establishment_fte": float(g["est"]),
                "vacant_fte": float(g["vac"]),
                "covered_vacant_fte": float(g["cov"]),
                "vacancy_rate_pct": rate(g["vac"], g["est"]),
                "agency_cover_pct": rate(g["cov"], g["vac"]),
            }

        return self.finish(groups, make)

    # ---- 6. vacancy duration

    def fully_vacant(self, post_id: str, d: dt.date) -> bool:
        return self.post_row_on(post_id, d) is not None and self.sub_fte(post_id, d) == 0

    def episodes(self, post_id: str, b: dt.date) -> list[tuple[dt.date, dt.date]]:
        """Maximal runs s..t of fully vacant days with t <= b (a run going on b ends at b)."""
        if (post_id, b) not in self._episodes_memo:
            self._episodes_memo[(post_id, b)] = self._episodes(post_id, b)
        return self._episodes_memo[(post_id, b)]

    def _episodes(self, post_id: str, b: dt.date) -> list[tuple[dt.date, dt.date]]:
        first = min(r.valid_from for r in self.post_rows[post_id])
        runs = []
        start = None
        for d in days(first, b):
            if self.fully_vacant(post_id, d):
                if start is None:
                    start = d
            elif start is not None:
                runs.append((start, d - ONE_DAY))
                start = None
        if start is not None:
            runs.append((start, b))
        return runs

    def vacancy_duration(self, a: dt.date, b: dt.date) -> list[dict]:
        # records: filled episodes with a <= t+1 <= b, open episodes, and counted
        # left-censored ones
        starts = [x.start_date for x in self.ds.assignments]
        coverage_start = min(starts) if starts else None
        groups: dict = {}
        for post_id in sorted(self.post_rows):
            for s, t in self.episodes(post_id, b):
                if t == b:
                    outcome = "open"
                elif any(
                    x.arrangement in SUBSTANTIVE and self.active(x, t + ONE_DAY)
                    for x in self.by_post.get(post_id, [])
                ):
                    outcome = "filled"
                else:
                    assert self.post_row_on(post_id, t + ONE_DAY) is None
                    outcome = "closed"
                if outcome == "closed":
                    continue
                if outcome == "filled" and not (a <= t + ONE_DAY <= b):
                    continue
                row = self.post_row_on(post_id, t)
                if not self.in_scope(row, t):
                    continue
                g = groups.setdefault(self.group_of(row), {"filled": [], "open": [], "lc": 0})
                if coverage_start is not None and s <= coverage_start:
                    g["lc"] += 1
                else:
                    g[outcome].append((t - s).days + 1)

        def make(g):
            g = g or {"filled": [], "open": [], "lc": 0}
            return {
                "filled": len(g["filled"]),
                "median_days_to_fill": median(g["filled"]),
                "mean_days_to_fill": mean(g["filled"]),
                "open": len(g["open"]),
                "median_open_age_days": median(g["open"]),
                "open_over_90_days": sum(1 for x in g["open"] if x > 90),
                "open_over_180_days": sum(1 for x in g["open"] if x > 180),
                "left_censored": g["lc"],
            }

        return self.finish(groups, make)

    # ---- 7. structural change

    def structural_events(self) -> list[tuple[str, dt.date, list[tuple[str, dt.date]]]]:
        """(type, date, sides) for every event; a side is (unit_id, the day it is judged on)."""
        events = []
        earliest_unit = min((r.valid_from for r in self.ds.org_units), default=None)
        for uid, rows in self.unit_rows.items():
            first, last = rows[0], rows[-1]
            if first.valid_from > earliest_unit:
                events.append(("unit_created", first.valid_from, [(uid, first.valid_from)]))
            if last.valid_to is not None:
                date = last.valid_to + ONE_DAY
                events.append(("unit_closed", date, [(uid, date - ONE_DAY)]))
            for r0, r1 in zip(rows, rows[1:]):
                date = r1.valid_from
                sides = [(uid, date - ONE_DAY), (uid, date)]
                if r1.unit_name != r0.unit_name:
                    events.append(("unit_renamed", date, sides))
                if r1.parent_unit_id != r0.parent_unit_id:
                    events.append(("unit_moved", date, sides))
        earliest_post = min((r.valid_from for r in self.ds.posts), default=None)
        for _pid, rows in self.post_rows.items():
            first, last = rows[0], rows[-1]
            if first.valid_from > earliest_post:
                events.append(("post_created", first.valid_from, [(first.unit_id, first.valid_from)]))
            if last.valid_to is not None:
                date = last.valid_to + ONE_DAY
                events.append(("post_deleted", date, [(last.unit_id, date - ONE_DAY)]))
            for r0, r1 in zip(rows, rows[1:]):
                date = r1.valid_from
                sides = [(r0.unit_id, date - ONE_DAY), (r1.unit_id, date)]
                if r1.unit_id != r0.unit_id:
                    events.append(("post_moved", date, sides))
                if r1.grade != r0.grade:
                    events.append(("post_regraded", date, sides))
        return events

    def structural_changes(self, a: dt.date, b: dt.date) -> list[dict]:
        # records: in-scope events dated in a..b
        groups: dict = {}
        for etype, date, sides in self.structural_events():
            if not (a <= date <= b):
                continue
            in_scope_units = {
                u for u, day in sides if self.unit is None or self.in_subtree(u, self.unit, day)
            }
            if not in_scope_units:
                continue
            if self.by == "none":
                keys = {"all"}
            elif self.by == "month":
                keys = {date.strftime("%Y-%m")}
            elif self.by == "type":
                keys = {etype}
            elif self.by == "unit":
                keys = in_scope_units
            else:
                raise ValueError(self.by)
            for k in keys:
                groups.setdefault(k, []).append(date)

        length = (b - a).days + 1

        def make(dates):
            dates = dates or []
            return {
                "events": len(dates),
                "change_days": len(set(dates)),
                "events_per_12m": len(dates) * 365.25 / length,
            }

        return self.finish(groups, make)

    # ---- 8. leadership churn

    def leadership_churn(self, a: dt.date, b: dt.date) -> list[dict]:
        # records: posts counted in `posts`
        tiers = MANAGEMENT_TIERS if self.tiers is None else MANAGEMENT_TIERS & set(self.tiers)
        groups: dict = {}
        for post_id in sorted(self.post_rows):
            rows = [r for r in self.post_rows[post_id] if r.valid_from <= b]
            if not rows:
                continue
            row = max(rows, key=lambda r: r.valid_from)
            if row.tier not in tiers:
                continue
            judged = b if row.valid_to is None or row.valid_to > b else row.valid_to
            if not self.in_scope(row, judged):
                continue
            asgs = self.by_post.get(post_id, [])
            active_in_period = [x for x in asgs if any(self.active(x, d) for d in days(a, b))]
            if not active_in_period:
                continue
            g = groups.setdefault(self.group_of(row), {"posts": 0, "changes": 0, "holders": set()})
            g["posts"] += 1
            for x in asgs:
                if not (a <= x.start_date <= b) or not self.active(x, x.start_date):
                    continue
                before = x.start_date - ONE_DAY
                holders_before = {y.person_id for y in asgs if self.active(y, before)}
                if x.person_id not in holders_before:
                    g["changes"] += 1
            for x in active_in_period:
                g["holders"].add((post_id, x.person_id))

        def make(g):
            g = g or {"posts": 0, "changes": 0, "holders": set()}
            return {
                "posts": g["posts"],
                "holder_changes": g["changes"],
                "distinct_holders": len(g["holders"]),
            }

        return self.finish(groups, make)

    # ---- 9. caseload

    def caseload(self, s: dt.date) -> list[dict]:
        # records: matched caseload rows in scope
        groups: dict = {}
        unmatched = 0
        for c in self.ds.caseloads:
            if c.snapshot_date != s:
                continue
            active = [x for x in self.by_person.get(c.person_id, []) if self.active(x, s)]
            if not active:
                unmatched += 1
                continue
            main = self.main(active)
            row = self.post_row_on(main.post_id, s)
            if not self.in_scope(row, s):
                continue
            g = groups.setdefault(self.group_of(row), {"holders": 0, "fte": ZERO, "cases": 0, "over": 0})
            if c.open_cases > 0:
                g["holders"] += 1
                g["fte"] += min(Decimal(1), sum((dec(x.fte) for x in active), ZERO))
                g["cases"] += c.open_cases
                if c.open_cases > self.threshold:
                    g["over"] += 1

        def make(g):
            g = g or {"holders": 0, "fte": ZERO, "cases": 0, "over": 0}
            return {
                "case_holders": g["holders"],
                "case_holding_fte": float(g["fte"]),
                "cases": g["cases"],
                "caseload_per_fte": None if g["fte"] == 0 else float(g["cases"]) / float(g["fte"]),
                "mean_cases_per_holder": None if g["holders"] == 0 else g["cases"] / g["holders"],
                "over_threshold": g["over"],
                "unmatched": unmatched,
            }

        return self.finish(groups, make)


_CACHE: list = []


def _base_oracle(ds: Dataset) -> _Oracle:
    """One _Oracle (with its memo tables) per dataset object; a dataset must not be changed
    after it has been given to compute() (a change in the row counts is noticed)."""
    sizes = (len(ds.org_units), len(ds.posts), len(ds.assignments), len(ds.caseloads))
    for cached_ds, cached_sizes, oracle in _CACHE:
        if cached_ds is ds and cached_sizes == sizes:
            return oracle
    oracle = _Oracle(ds)
    _CACHE.insert(0, (ds, sizes, oracle))
    del _CACHE[4:]
    return oracle


def compute(
    ds: Dataset,
    metric: str,
    *,
    as_of=None,
    date_from=None,
    date_to=None,
    snapshot=None,
    by="none",
    unit=None,
    tiers=None,
    social_work_only=False,
    threshold=20.0,
) -> list[dict]:
    """What `python -m pipelines metric NAME --format json` prints, computed the slow way."""
    if metric not in ALLOWED_BY:
        raise ValueError(f"unknown metric {metric!r}")
    if by not in ALLOWED_BY[metric]:
        raise ValueError(f"metric {metric} cannot be grouped by {by!r}")
    if tiers is not None:
        tiers = list(tiers)
        for t in tiers:
            if t not in TIERS:
                raise ValueError(f"unknown tier {t!r}")
    o = copy.copy(_base_oracle(ds))  # shares the memo tables, not the parameters
    o.by = by
    o.unit = unit
    o.tiers = None if tiers is None else frozenset(tiers)
    o.social_work_only = bool(social_work_only)
    o.threshold = threshold
    if metric in AS_OF_METRICS:
        if as_of is None:
            raise ValueError(f"{metric} needs as_of")
        return getattr(o, metric)(as_of)
    if metric in SNAPSHOT_METRICS:
        if snapshot is None:
            raise ValueError(f"{metric} needs snapshot")
        return o.caseload(snapshot)
    if date_from is None or date_to is None:
        raise ValueError(f"{metric} needs date_from and date_to")
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    if metric == "structural_changes":
        o.tiers = None
        o.social_work_only = False
    return getattr(o, metric)(date_from, date_to)
