"""Small but nasty random datasets that are valid under ../shared/spec/DATA_CONTRACT.md.

`random_dataset(seed)` builds, within a ~2-year window, a three-level org tree (a unit
re-parented, units renamed, a unit closed, a unit created late, sometimes a gap or a row split),
6-12 posts with moves / regrades / gaps / deletions / splits, 20-40 assignments (careers with
moves after 0..10-day gaps, rejoiners, attrition into agency, job shares, cover over a
substantive holder, concurrent substantive posts, fte ties, end dates on a post row's last day,
assignments outliving their post or spanning a post's gap) and caseload snapshots with
unmatched persons and zero cases. `write_csv_extract` writes it as the four canonical CSVs.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from tests.oracle_terms import Assignment, Caseload, Dataset, OrgUnit, Post

ONE = dt.timedelta(days=1)
W0 = dt.date(2023, 1, 1)
W1 = dt.date(2024, 12, 31)

GRADES = ["Band 9", "Band 10", "Band 11", "SCP 34-37", "Hay C", "Hay D"]
NON_MGMT_TIERS = ["senior_practitioner", "practitioner", "practitioner", "support"]
ARR_COVER = ["acting", "interim", "agency", "secondment"]
REASONS = [
    "resignation", "retirement", "voluntary_redundancy", "compulsory_redundancy", "dismissal",
    "end_of_contract", "death", "other", "unknown",
]
FTES = [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.6, 0.4, 0.8, 0.2, 0.75, 0.33333333]


def _rdate(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _active(row, d: dt.date) -> bool:
    return row.valid_from <= d and (row.valid_to is None or d <= row.valid_to)


class _Gen:
    def __init__(self, seed: int, size: str):
        self.rng = random.Random(seed)
        self.size = size
        self.units: list[OrgUnit] = []
        self.posts: list[Post] = []
        self.asgs: list[dict] = []
        self.caseloads: list[Caseload] = []

    # ------------------------------------------------------------------ org units

    def build_units(self):
        rng = self.rng
        t0 = W0 - dt.timedelta(days=rng.randint(0, 60))
        self.t0 = t0
        U = self.units

        def unit(uid, name, parent, level, vf, vt=None):
            U.append(OrgUnit(uid, name, parent, level, vf, vt))

        # directorate, sometimes renamed
        if rng.random() < 0.3:
            r = _rdate(rng, W0 + 30 * ONE, W1 - 30 * ONE)
            unit("DIR", "Children's Services", None, "directorate", t0, r - ONE)
            unit("DIR", "Children and Families", None, "directorate", r)
        else:
            unit("DIR", "Children's Services", None, "directorate", t0)
        # SVC-A, sometimes a row split with nothing changed
        if rng.random() < 0.4:
            r = _rdate(rng, W0, W1)
            unit("SVC-A", "Safeguarding", "DIR", "service", t0, r - ONE)
            unit("SVC-A", "Safeguarding", "DIR", "service", r)
        else:
            unit("SVC-A", "Safeguarding", "DIR", "service", t0)
        # SVC-B: renamed, sometimes with a gap of a few days (a chain break for its teams)
        r = _rdate(rng, W0 + 60 * ONE, W1 - 60 * ONE)
        gap = rng.choice([0, 0, 0, 2, 5])
        unit("SVC-B", "Children in Care", "DIR", "service", t0, r - ONE)
        unit("SVC-B", rng.choice(["Corporate Parenting", "Children in Care"]), "DIR", "service",
             r + gap * ONE)
        # SVC-C: created late, sometimes closed while its team goes on (a chain break)
        c = _rdate(rng, W0 + 30 * ONE, W0 + 400 * ONE)
        self.svc_c_created = c
        if rng.random() < 0.3:
            unit("SVC-C", "Early Help", "DIR", "service", c, _rdate(rng, c + 90 * ONE, W1 - 30 * ONE))
        else:
            unit("SVC-C", "Early Help", "DIR", "service", c)
        # teams
        unit("TM-1", "Front Door", "SVC-A", "team", t0)
        if rng.random() < 0.5:
            r = _rdate(rng, W0, W1)
            unit("TM-2", "Assessment 1", "SVC-A", "team", t0, r - ONE)
            unit("TM-2", "Assessment North", "SVC-A", "team", r)
        else:
            unit("TM-2", "Assessment 1", "SVC-A", "team", t0)
        # TM-3 re-parented (sometimes renamed on the same day: two events)
        m = _rdate(rng, W0 + 20 * ONE, W1 - 20 * ONE)
        new_parent = "SVC-C" if (m > c and rng.random() < 0.4) else "SVC-B"
        new_name = "Child Protection 2" if rng.random() < 0.3 else "Child Protection"
        unit("TM-3", "Child Protection", "SVC-A", "team", t0, m - ONE)
        unit("TM-3", new_name, new_parent, "team", m)
        n4 = _rdate(rng, W0, W1)
        unit("TM-4", "Fostering", "SVC-B", "team", t0, n4 - ONE)
        unit("TM-4", "Fostering and Adoption", "SVC-B", "team", n4)
        close5 = _rdate(rng, W0 + 60 * ONE, W1 - 60 * ONE)
        self.tm5_closed = close5
        unit("TM-5", "Leaving Care", "SVC-B", "team", t0, close5)
        unit("TM-6", "Family Support", "SVC-C", "team",
             c + rng.randint(0, 10) * ONE)

    def unit_span(self, uid):
        rows = [r for r in self.units if r.unit_id == uid]
        first = min(r.valid_from for r in rows)
        ends = [r.valid_to for r in rows]
        last = None if any(e is None for e in ends) else max(ends)
        return first, last

    def units_alive(self, level: str, d: dt.date):
        return sorted({r.unit_id for r in self.units if r.unit_level == level and _active(r, d)})

    # ------------------------------------------------------------------ posts

    def level_for_tier(self, tier):
        if tier == "director":
            return "directorate"
        if tier in ("assistant_director", "head_of_service"):
            return "service"
        return "team"

    def build_posts(self):
        rng = self.rng
        n = rng.randint(6, 12) if self.size == "small" else rng.randint(12, 20)
        mgmt = ["director", "assistant_director", "head_of_service", "team_manager", "team_manager"]
        rng.shuffle(mgmt)
        for i in range(n):
            post_id = f"P{i + 1}"
            tier = mgmt[i] if i < rng.randint(2, 4) else rng.choice(NON_MGMT_TIERS)
            if rng.random() < 0.15:
                tier = rng.choice(["team_manager", "head_of_service"])
            level = self.level_for_tier(tier)
            vf = self.t0 if rng.random() < 0.7 else _rdate(rng, W0, W1 - 60 * ONE)
            if rng.random() < 0.15:
                vf = _rdate(rng, self.t0, W0 + 40 * ONE)
            cands = self.units_alive(level, vf) or self.units_alive("team", vf)
            attrs = dict(
                post_title=f"{tier.replace('_', ' ').title()} {i + 1}",
                unit_id=rng.choice(cands),
                grade=rng.choice(GRADES),
                tier=tier,
                social_work_post=tier != "support" and rng.random() < 0.8,
                budgeted_fte=rng.choice([1.0, 1.0, 1.0, 0.5, 2.0, 1.5, 0.8]),
            )
            nseg = rng.choice([1, 1, 2, 2, 3, 3, 4])
            bounds = sorted({_rdate(rng, vf + 15 * ONE, W1 - 15 * ONE) for _ in range(nseg - 1)})
            bounds = [b for b in bounds if b > vf]
            rows = []
            start = vf
            for b in bounds + [None]:
                end = None if b is None else b - ONE
                rows.append([start, end, dict(attrs)])
                if b is None:
                    break
                # the change at b
                gap = rng.choice([0, 0, 0, 0, 1, 6, 7, 20]) if rng.random() < 0.25 else 0
                start = b + gap * ONE
                kind = rng.choice(["move", "regrade", "move+regrade", "tier", "budget", "split",
                                   "title", "swo"])
                if "move" in kind:
                    others = [u for u in self.units_alive(level, start) if u != attrs["unit_id"]]
                    if not others:
                        others = [u for u in self.units_alive("team", start) if u != attrs["unit_id"]]
                    if others:
                        attrs["unit_id"] = rng.choice(others)
                if "regrade" in kind:
                    attrs["grade"] = rng.choice([g for g in GRADES if g != attrs["grade"]])
                if kind == "tier":
                    if tier in ("team_manager", "head_of_service") and rng.random() < 0.5:
                        attrs["tier"] = "senior_practitioner"  # leaves management
                    elif tier not in ("director",):
                        attrs["tier"] = rng.choice(["team_manager", "senior_practitioner",
                                                    "practitioner"])
                if kind == "budget":
                    attrs["budgeted_fte"] = rng.choice([0.5, 1.0, 2.0, 3.0])
                if kind == "title":
                    attrs["post_title"] = attrs["post_title"] + " (revised)"
                if kind == "swo":
                    attrs["social_work_post"] = not attrs["social_work_post"]
            # deletion
            if rng.random() < 0.25:
                last = rows[-1]
                last[1] = _rdate(rng, last[0], W1 - 5 * ONE)
            # a post row in a unit that closes while the row goes on: split and move it,
            # or (now and then) leave it in the closed unit
            fixed = []
            remap = {}
            for vfr, vtr, a in rows:
                a = dict(a)
                if a["unit_id"] in remap:
                    a["unit_id"] = remap[a["unit_id"]]
                _first, ulast = self.unit_span(a["unit_id"])
                if ulast is not None and (vtr is None or vtr > ulast) and vfr <= ulast:
                    if rng.random() < 0.8:
                        fixed.append([vfr, ulast, dict(a)])
                        b2 = ulast + ONE
                        others = self.units_alive(self.level_for_tier(a["tier"]), b2) or \
                            self.units_alive("team", b2)
                        remap[a["unit_id"]] = rng.choice(others)
                        fixed.append([b2, vtr, dict(a, unit_id=remap[a["unit_id"]])])
                        continue
                    remap[a["unit_id"]] = a["unit_id"]  # left in the closed unit
                elif ulast is not None and vfr > ulast:
                    others = self.units_alive(self.level_for_tier(a["tier"]), vfr) or \
                        self.units_alive("team", vfr)
                    remap[a["unit_id"]] = rng.choice(others)
                    a["unit_id"] = remap[a["unit_id"]]
                fixed.append([vfr, vtr, a])
            for vfr, vtr, a in fixed:
                if vtr is not None and vtr < vfr:
                    continue
                self.posts.append(Post(post_id=post_id, valid_from=vfr, valid_to=vtr, **a))

    def post_rows(self, pid):
        return sorted((r for r in self.posts if r.post_id == pid), key=lambda r: r.valid_from)

    def posts_on(self, d):
        return sorted({r.post_id for r in self.posts if _active(r, d)})

    # ------------------------------------------------------------------ assignments

    def add(self, person, post, arr, fte, start, end, reason=None):
        if end is not None and end < start:
            end = start
        if end is None:
            reason = None
        self.asgs.append(dict(person_id=person, post_id=post, arrangement=arr, fte=fte,
                              start_date=start, end_date=end, leaving_reason=reason))

    def any_post(self, d):
        rng = self.rng
        on = self.posts_on(d)
        if on and rng.random() < 0.9:
            return rng.choice(on)
        return rng.choice(sorted({r.post_id for r in self.posts}))

    def reason(self):
        return self.rng.choice(REASONS + [None])

    def career(self, person):
        rng = self.rng
        start = _rdate(rng, W0 - 20 * ONE, W1 - 120 * ONE)
        for _stint in range(rng.choice([1, 1, 2, 2, 3])):
            post = self.any_post(start)
            arr = rng.choice(["permanent", "permanent", "permanent", "fixed_term"])
            fte = rng.choice(FTES)
            if rng.random() < 0.3:
                end = None
            else:
                end = _rdate(rng, start, min(W1 + 30 * ONE, start + 500 * ONE))
            self.add(person, post, arr, fte, start, end, self.reason())
            if end is None:
                return
            gap = rng.choice([0, 0, 1, 3, 5, 6, 6, 7, 7, 8, 10, 30, 120])
            start = end + (gap + 1) * ONE
            if start > W1:
                return
            if rng.random() < 0.15:  # attrition into agency / interim work
                cover_post = self.any_post(start)
                self.add(person, cover_post, rng.choice(["agency", "interim"]), rng.choice(FTES),
                         start, _rdate(rng, start, W1 + 60 * ONE) if rng.random() < 0.6 else None,
                         None)
                return

    def job_share(self, p1, p2):
        rng = self.rng
        d = _rdate(rng, W0, W1 - 60 * ONE)
        post = self.any_post(d)
        e1 = _rdate(rng, d, W1) if rng.random() < 0.5 else None
        self.add(p1, post, "permanent", 0.5, d, e1, self.reason())
        d2 = d + rng.randint(0, 40) * ONE
        self.add(p2, post, rng.choice(["permanent", "fixed_term"]), 0.5, d2,
                 _rdate(rng, d2, W1) if rng.random() < 0.5 else None, self.reason())

    def cover(self, person):
        """Cover over a substantive holder (or on an empty post), maybe acting up on top of
        the person's own post."""
        rng = self.rng
        subs = [a for a in self.asgs if a["arrangement"] in ("permanent", "fixed_term")]
        if subs and rng.random() < 0.7:
            host = rng.choice(subs)
            post = host["post_id"]
            lo = host["start_date"]
            hi = host["end_date"] or W1
            start = _rdate(rng, lo, hi)
        else:
            start = _rdate(rng, W0, W1 - 30 * ONE)
            post = self.any_post(start)
        end = _rdate(rng, start, start + 200 * ONE) if rng.random() < 0.7 else None
        self.add(person, post, rng.choice(ARR_COVER), rng.choice(FTES), start, end, None)

    def concurrent(self, person):
        """Two substantive posts at once, often with equal fte (a tie)."""
        rng = self.rng
        d = _rdate(rng, W0, W1 - 60 * ONE)
        p1 = self.any_post(d)
        p2 = self.any_post(d)
        f = rng.choice([0.5, 0.5, 0.6, 1.0])
        f2 = f if rng.random() < 0.6 else rng.choice(FTES)
        e = _rdate(rng, d, W1) if rng.random() < 0.6 else None
        self.add(person, p1, "permanent", f, d, e, self.reason())
        # sometimes both end on the same day (leaver_fte sums both)
        e2 = e if rng.random() < 0.5 else (_rdate(rng, d, W1) if rng.random() < 0.5 else None)
        self.add(person, p2, rng.choice(["permanent", "fixed_term"]), f2,
                 d + rng.randint(0, 5) * ONE, e2, self.reason())

    def at_post_end(self, person):
        """An assignment ending on a post row's last day, or outliving its post."""
        rng = self.rng
        ends = [r for r in self.posts if r.valid_to is not None]
        if not ends:
            return
        r = rng.choice(ends)
        start = _rdate(rng, max(r.valid_from - 30 * ONE, W0 - 20 * ONE), r.valid_to)
        end = r.valid_to if rng.random() < 0.6 else r.valid_to + rng.randint(1, 30) * ONE
        self.add(person, r.post_id, "permanent", rng.choice(FTES), start, end, self.reason())
        if rng.random() < 0.5:  # and move on to another post after a short gap
            nxt = end + rng.choice([1, 2, 6, 7, 8]) * ONE
            self.add(person, self.any_post(nxt), "permanent", rng.choice(FTES), nxt,
                     None, None)

    def one_day(self, person):
        d = _rdate(self.rng, W0, W1)
        self.add(person, self.any_post(d), self.rng.choice(["permanent", "acting"]), 1.0, d, d,
                 self.reason())

    def build_assignments(self):
        rng = self.rng
        target = rng.randint(20, 40) if self.size == "small" else rng.randint(40, 70)
        n_people = rng.randint(10, 18) if self.size == "small" else rng.randint(18, 30)
        people = [f"E{1000 + rng.randint(0, 8999)}" for _ in range(n_people)]
        people = sorted(set(people))
        agency = [f"AGY-{i}" for i in range(1, 4)]
        self.people = people + agency
        for p in people[: max(3, len(people) // 2)]:
            self.career(p)
        while len(self.asgs) < target:
            k = rng.random()
            if k < 0.25:
                self.career(rng.choice(people))
            elif k < 0.4:
                self.job_share(*rng.sample(people, 2))
            elif k < 0.6:
                self.cover(rng.choice(people + agency + agency))
            elif k < 0.72:
                self.concurrent(rng.choice(people))
            elif k < 0.92:
                self.at_post_end(rng.choice(people))
            else:
                self.one_day(rng.choice(people))
        # assignment ids: "A1", "A2", ... in a shuffled order, so that string order ("A10" <
        # "A9") and creation order differ
        order = list(range(1, len(self.asgs) + 1))
        rng.shuffle(order)
        self.assignments = [
            Assignment(assignment_id=f"A{n}", **a) for n, a in zip(order, self.asgs)
        ]

    # ------------------------------------------------------------------ caseloads

    def build_caseloads(self):
        rng = self.rng
        snaps = {dt.date(2023, 3, 31), dt.date(2023, 9, 30), dt.date(2024, 3, 31),
                 _rdate(rng, W0, W1)}
        ends = [a.end_date for a in self.assignments if a.end_date is not None and a.end_date <= W1]
        if ends:
            snaps.add(rng.choice(ends))
        for s in sorted(snaps):
            for p in self.people:
                if rng.random() < 0.6:
                    self.caseloads.append(
                        Caseload(s, p, rng.choice([0, 0, 1, 5, 12, 18, 19, 20, 21, 24, 30])))
            for x in rng.sample(["E0001", "X-17", "E9999x"], rng.randint(0, 2)):
                self.caseloads.append(Caseload(s, x, rng.choice([0, 7, 22])))

    def build(self) -> Dataset:
        self.build_units()
        self.build_posts()
        self.build_assignments()
        self.build_caseloads()
        ds = Dataset(org_units=list(self.units), posts=list(self.posts),
                     assignments=list(self.assignments), caseloads=list(self.caseloads))
        validate(ds)
        return ds


def random_dataset(seed: int, size: str = "small") -> Dataset:
    """A random valid dataset; the same seed gives the same dataset. size: small | medium."""
    if size not in ("small", "medium"):
        raise ValueError(size)
    return _Gen(seed, size).build()


def validate(ds: Dataset) -> None:
    """The row rules of DATA_CONTRACT.md that a random dataset must keep."""

    def no_overlap(rows, key):
        by = {}
        for r in rows:
            by.setdefault(getattr(r, key), []).append(r)
        for k, rs in by.items():
            rs.sort(key=lambda r: r.valid_from)
            assert len({r.valid_from for r in rs}) == len(rs), f"duplicate key {k}"
            for r0, r1 in zip(rs, rs[1:]):
                assert r0.valid_to is not None and r0.valid_to < r1.valid_from, f"overlap {k}"
        for r in rows:
            assert r.valid_to is None or r.valid_to >= r.valid_from, r

    no_overlap(ds.org_units, "unit_id")
    no_overlap(ds.posts, "post_id")
    units = {r.unit_id for r in ds.org_units}
    posts = {r.post_id for r in ds.posts}
    for r in ds.posts:
        assert r.unit_id in units, r
        assert 0 < r.budgeted_fte <= 5
    for r in ds.org_units:
        assert r.parent_unit_id is None or r.parent_unit_id in units, r
    ids = [a.assignment_id for a in ds.assignments]
    assert len(ids) == len(set(ids))
    for a in ds.assignments:
        assert a.post_id in posts, a
        assert 0 < a.fte <= 1
        assert a.end_date is None or a.end_date >= a.start_date, a
    keys = [(c.snapshot_date, c.person_id) for c in ds.caseloads]
    assert len(keys) == len(set(keys))
    for c in ds.caseloads:
        assert c.open_cases >= 0


def _iso(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def _num(x: float) -> str:
    return repr(float(x))


def write_csv_extract(ds: Dataset, folder: Path) -> None:
    """org_units.csv, posts.csv, assignments.csv, caseloads.csv in the contract's columns
    (caseloads.csv only when there are caseload rows)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def write(name, header, rows):
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    write("org_units", ["unit_id", "unit_name", "parent_unit_id", "unit_level", "valid_from",
                        "valid_to"],
          [[r.unit_id, r.unit_name, r.parent_unit_id or "", r.unit_level, _iso(r.valid_from),
            _iso(r.valid_to)] for r in ds.org_units])
    write("posts", ["post_id", "post_title", "unit_id", "grade", "tier", "social_work_post",
                    "budgeted_fte", "valid_from", "valid_to"],
          [[r.post_id, r.post_title, r.unit_id, r.grade, r.tier,
            "true" if r.social_work_post else "false", _num(r.budgeted_fte),
            _iso(r.valid_from), _iso(r.valid_to)] for r in ds.posts])
    write("assignments", ["assignment_id", "person_id", "post_id", "arrangement", "fte",
                          "start_date", "end_date", "leaving_reason"],
          [[a.assignment_id, a.person_id, a.post_id, a.arrangement, _num(a.fte),
            _iso(a.start_date), _iso(a.end_date), a.leaving_reason or ""]
           for a in ds.assignments])
    if ds.caseloads:  # an optional kind; a file with no rows would be refused
        write("caseloads", ["snapshot_date", "person_id", "open_cases"],
              [[_iso(c.snapshot_date), c.person_id, str(c.open_cases)] for c in ds.caseloads])
