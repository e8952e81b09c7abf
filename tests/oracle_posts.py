"""The oracle's metrics about posts and structure: vacancy rate and duration, structural change, leadership churn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.oracle_terms import (
    COVER,
    MANAGEMENT_TIERS,
    ONE_DAY,
    SUBSTANTIVE,
    ZERO,
    OracleTerms,
    days,
    dec,
    mean,
    median,
    rate,
)


class PostMetrics(OracleTerms):
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
        # coverage start: the earliest start_date among all loaded assignments, any post, any tier
        coverage_start = min((x.start_date for x in self.ds.assignments), default=None)
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
                if x.start_date <= coverage_start:
                    continue  # the data cannot show who held the post before: never a change
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
