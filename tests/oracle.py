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
  c2) leadership_churn: an assignment starting on or before the coverage start (as in d) is
     never a holder change, whoever held the post the day before.
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
from decimal import Decimal

from tests.oracle_posts import PostMetrics
from tests.oracle_terms import (
    AGENCY,
    ALLOWED_BY,
    AS_OF_METRICS,
    COVER,
    ONE_DAY,
    SNAPSHOT_METRICS,
    SUBSTANTIVE,
    TIERS,
    VOLUNTARY_REASONS,
    ZERO,
    Dataset,
    days,
    dec,
    rate,
)


class _Oracle(PostMetrics):
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
