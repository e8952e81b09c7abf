"""A deterministic synthetic local authority for demos and tests: `write_demo`.

The org structure and its restructures live in demo_story, the file formats in demo_writers.
This module runs the people: an event-driven simulation over 2015-2025 in which substantive
holders leave, move and act up, vacancies wait for recruitment, and agency or interim workers
cover the gaps. The rates follow the story: instability until 2021, recovery from 2022.
"""

import heapq
import random
from datetime import date
from pathlib import Path

import numpy as np

from pipelines import demo_agency
from pipelines import demo_story as story
from pipelines import demo_writers as writers


class Seat:
    """A substantive place on a post: one per post, two of 0.5 FTE on a job-share post."""

    __slots__ = ("post", "tier", "fte", "sub", "cover", "token")

    def __init__(self, post, tier, fte):
        self.post, self.tier, self.fte = post, tier, fte
        self.sub = self.cover = None
        self.token = 0


class Tenure:
    """A person's unbroken spell on one seat; HR may record it as several assignments (segs)."""

    __slots__ = ("person", "seat", "ltl", "segs", "active")

    def __init__(self, person, seat):
        self.person, self.seat = person, seat
        self.ltl, self.segs, self.active = False, [], True  # ltl: cover for a holder on leave


class Sim:
    """Events on a heap of (day, priority, sequence): ties break in insertion order, never by
    hashing, so a seed always replays the same history."""

    def __init__(self, org: story.Org, rng: random.Random):
        self.org, self.rng = org, rng
        self.heap, self.seq, self.today = [], 0, story.STORY_START
        self.seats: dict[str, list[Seat]] = {}
        self.pool: dict[str, list[Tenure]] = {t: [] for t in story.TIER_SPEC}
        self.persons: dict[str, list[Tenure]] = {}
        self.names: dict[str, int] = {}
        self.segs: list[list] = []  # [assignment_id, person, post, arrangement, fte, start, end, reason]
        self.rejoiners: dict[str, list[tuple[int, str]]] = {t: [] for t in story.TIER_SPEC}
        self.agency_free: dict[str, list[tuple[int, str]]] = {t: [] for t in story.TIER_SPEC}
        self.unmatched: list[tuple[str, int]] = []
        self.emp_no, self.ag_no = rng.randint(1200, 4800), rng.randint(1000, 1900)

    # -- queue -------------------------------------------------------------------------------
    def push(self, day, name, *args, prio=1):
        if day is not None and day <= story.STORY_END:
            heapq.heappush(self.heap, (max(day, self.today), prio, self.seq, name, args))
            self.seq += 1

    def run(self):
        self.populate(story.STORY_START)
        for restructure in story.RESTRUCTURES:  # prio 0: the structure changes before anyone acts
            self.push(restructure[0], "restructure", restructure, prio=0)
        while self.heap:
            day, _, _, name, args = heapq.heappop(self.heap)
            self.today = day
            getattr(self, "on_" + name)(day, *args)

    # -- people and assignments --------------------------------------------------------------
    def new_person(self, agency: bool) -> str:
        if agency:
            self.ag_no += self.rng.randint(1, 3)
            person = f"AG-{self.ag_no:04d}"
        else:
            self.emp_no += self.rng.randint(1, 9)
            person = f"E{self.emp_no:06d}"
        self.names[person] = len(self.names) + 1
        self.persons[person] = []
        return person

    def alive(self, seat) -> bool:
        return self.org.posts.cur(seat.post) is not None

    def add_seg(self, t, arr, fte, day):
        seg = [f"A{len(self.segs) + 1:06d}", t.person, t.seat.post, arr, fte, day, None, ""]
        self.segs.append(seg)
        t.segs.append(seg)

    def start(self, seat, person, arr, fte, day, is_cover=False) -> Tenure:
        t = Tenure(person, seat)
        self.add_seg(t, arr, fte, day)
        self.persons[person].append(t)
        if is_cover:
            seat.cover = t
        else:
            seat.sub = t
            self.pool[seat.tier].append(t)
            self.plan(t, day)
        return t

    def split(self, t, day, arr=None, fte=None):
        """HR re-records the spell: the assignment ends yesterday and a new one starts today."""
        last = t.segs[-1]
        if last[5] >= day:
            last[3], last[4] = arr or last[3], fte or last[4]
            return
        last[6] = day - 1
        self.add_seg(t, arr or last[3], fte or last[4], day)

    def finish(self, t, day, reason=""):
        seg = t.segs[-1]
        seg[6], seg[7], t.active = max(day, seg[5]), reason, False
        self.persons[t.person].remove(t)
        if t.seat.sub is t:
            t.seat.sub = None
        if t.seat.cover is t:
            t.seat.cover = None

    def plan(self, t, day):
        """Schedule what will happen to a new substantive holder: leaving, leave, hours."""
        rng, tier = self.rng, t.seat.tier
        if tier == "director" and day == story.STORY_START:
            self.push(date(2015, 5, 31).toordinal(), "retire", t)
        else:
            self.push(story.draw_leave_day(rng, tier, day), "leave", t)
        if t.segs[-1][3] == "fixed_term":
            self.push(day + rng.randint(365, 730), "contract_end", t)
        if tier not in ("support", "director") and rng.random() < 0.06:
            self.push(day + rng.randint(120, 2000), "ltl", t)
        if tier in ("practitioner", "senior_practitioner", "support") and rng.random() < 0.06:
            self.push(day + rng.randint(200, 2500), "hours", t)

    # -- vacancies -----------------------------------------------------------------------------
    def cover_p(self, tier, day) -> float:
        if tier in story.SENIOR:
            return 1.0
        year = date.fromordinal(day).year
        era = 1.0 if year <= 2021 else 0.9 if year == 2022 else 0.8 if year == 2023 else 0.7
        return (0.3 if tier == "support" else 0.95) * era

    def fill_day(self, tier, day) -> int:
        rng = self.rng
        (lo, hi), (rlo, rhi) = story.FILL_DAYS[tier]
        if day >= story.RECOVERY:
            return day + rng.randint(rlo, rhi)
        if tier == "director":  # the interim chain runs until the permanent appointment
            return story.DIRECTOR_APPOINTED
        if tier == "assistant_director" or (tier == "head_of_service" and rng.random() < 0.7):
            return story.RECOVERY + rng.randint(45, 270)
        # the 2022 recruitment drive fills whatever the crisis years left open
        return min(day + rng.randint(lo, hi), story.RECOVERY + rng.randint(30, 300))

    def vacate(self, seat, day):
        if not self.alive(seat):
            return
        seat.token += 1
        self.push(self.fill_day(seat.tier, day), "fill", seat, seat.token)
        if seat.cover is None:
            self.recover(seat, day)

    def recover(self, seat, day):
        if self.rng.random() < self.cover_p(seat.tier, day):
            lag = self.rng.randint(0, 14) if seat.tier in story.SENIOR else self.rng.randint(0, 30)
            self.push(day + lag, "cover", seat)

    def pick(self, tier, seat, day, settled=True):
        """A substantive holder of `tier` free to move or act up (not on leave, not acting)."""
        lst = self.pool[tier]
        for _ in range(8):
            if not lst:
                return None
            i = self.rng.randrange(len(lst))
            t = lst[i]
            if not t.active:
                lst[i] = lst[-1]
                lst.pop()
                continue
            if t.seat is not seat and t.seat.cover is None and len(self.persons[t.person]) == 1:
                if t.segs[-1][5] < day - 60 or not settled:
                    return t
        return None

    def hire(self, seat, day) -> str:
        rng, tier = self.rng, seat.tier
        mover = self.pick(story.PROMOTE_FROM[tier], seat, day) if (
            tier in story.PROMOTE_FROM and rng.random() < story.PROMOTE_P[tier]) else None
        if mover is not None:
            gap = rng.choice(story.SHORT_GAPS) if rng.random() < 0.85 else rng.randint(7, 45)
            self.finish(mover, day - 1 - gap)  # no leaving reason: an internal move
            self.vacate(mover.seat, day - gap)
            return mover.person
        waiting = self.rejoiners[tier]
        waiting[:] = [(d, p) for d, p in waiting if d + 540 >= day]
        for i, (avail, person) in enumerate(waiting):
            if avail <= day and not self.persons[person]:
                del waiting[i]
                return person
        return self.new_person(False)

    def appoint(self, seat, day):
        rng = self.rng
        person = self.hire(seat, day)
        fixed = seat.tier not in story.SENIOR and rng.random() < (0.12 if day < story.RECOVERY else 0.05)
        fte = seat.fte if seat.fte < 1 or rng.random() > 0.08 else rng.choice((0.6, 0.8))
        self.start(seat, person, "fixed_term" if fixed else "permanent", fte, day)

    def cover(self, seat, day, ltl=False):
        rng, tier = self.rng, seat.tier
        actor = self.pick(story.ACTING_FROM[tier], seat, day, False) if (
            tier in story.ACTING_P and rng.random() < story.ACTING_P[tier]) else None
        if actor is not None:  # acting up on top of their own post: FTE sums above 1
            person, arr, days = actor.person, "acting", rng.randint(90, 270)
        elif tier in story.SENIOR or (tier == "team_manager" and rng.random() < 0.3):
            arr, days = "interim", rng.randint(120, 300 if tier in story.SENIOR else 365)
            person = self.agency_person(tier, day)
        elif tier in ("practitioner", "senior_practitioner") and rng.random() < 0.04:
            person, arr, days = self.new_person(False), "secondment", rng.randint(180, 365)
        else:
            person, arr, days = self.agency_person(tier, day), "agency", rng.randint(28, 91)
        t = self.start(seat, person, arr, seat.fte, day, is_cover=True)
        t.ltl = ltl
        self.push(day + days - 1, "cover_end", t)

    def agency_person(self, tier, day) -> str:
        free = self.agency_free[tier]
        free[:] = [(d, p) for d, p in free if d + 365 >= day]
        for i, (avail, person) in enumerate(free):
            if avail <= day and not self.persons[person]:
                del free[i]
                return person
        return self.new_person(True)

    def end_cover(self, t, day):
        self.finish(t, day)
        if t.person.startswith("AG-"):
            if self.rng.random() < 0.7:
                self.agency_free[t.seat.tier].append((day + self.rng.randint(14, 120), t.person))
            if t.seat.tier in story.CASE_TIERS and self.rng.random() < 0.5:
                self.unmatched.append((t.person, day))  # the case system still lists them

    def depart(self, t, day, reason):
        """The person leaves the authority: every post they hold ends today."""
        for other in list(self.persons[t.person]):
            if other is not t:
                self.finish(other, day)
                if other.seat.sub is None and self.alive(other.seat):
                    self.recover(other.seat, day + 1)
        self.finish(t, day, reason)
        self.vacate(t.seat, day + 1)
        if reason == "resignation" and self.rng.random() < 0.3:
            self.rejoiners[t.seat.tier].append((day + self.rng.randint(90, 720), t.person))

    # -- events --------------------------------------------------------------------------------
    def on_leave(self, day, t):
        if t.active:
            self.depart(t, day, self.rng.choice(story.REASONS))

    def on_retire(self, day, t):
        if t.active:
            self.depart(t, day, "retirement")

    def on_contract_end(self, day, t):
        if t.active and t.segs[-1][3] == "fixed_term" and day < story.STORY_END:
            if self.rng.random() < 0.5:
                self.depart(t, day, "end_of_contract")
            else:
                self.push(day + 1, "renew", t, "permanent")

    def on_renew(self, day, t, arr=None):
        """A new contract from today; an event, so a restructure today ends the old one first."""
        if t.active:
            self.split(t, day, arr=arr)

    def on_hours(self, day, t):
        if t.active and t.segs[-1][4] == 1.0:
            self.split(t, day, fte=self.rng.choice((0.6, 0.8)))

    def on_ltl(self, day, t):
        if t.active and t.seat.cover is None:
            self.cover(t.seat, day, ltl=True)

    def on_fill(self, day, seat, token):
        if seat.token != token or seat.sub is not None or not self.alive(seat):
            return
        if seat.cover is not None and not seat.cover.ltl:
            self.end_cover(seat.cover, day - 1)
        self.appoint(seat, day)

    def on_cover(self, day, seat):
        if seat.sub is None and seat.cover is None and self.alive(seat):
            self.cover(seat, day)

    def on_cover_end(self, day, t):
        if not t.active or day >= story.STORY_END:
            return
        seat, rng = t.seat, self.rng
        renew = 0.88 if day < story.RECOVERY else 0.75
        if t.segs[-1][3] == "acting" or seat.tier in story.SENIOR:  # the short tenures of the crisis years
            renew *= 0.5
        if seat.sub is None and rng.random() < renew:  # contract extended: a new assignment
            self.push(day + 1, "renew", t)
            self.push(day + rng.randint(28, 91), "cover_end", t)
            return
        self.end_cover(t, day)
        if seat.sub is None:
            self.recover(seat, day + 1)

    def on_restructure(self, day, restructure):
        org, rng = self.org, self.rng
        org.log = []
        restructure[2](org, day)
        done: dict[str, str] = {}  # a deletion outranks a creation outranks a change
        for kind, pid in org.log:
            if story.RANK[kind] > story.RANK.get(done.get(pid), -1):
                done[pid] = kind
        displaced = []
        for pid, kind in done.items():
            if kind == "created":
                self.seats[pid] = make_seats(org, pid)
            elif kind == "deleted":
                for seat in self.seats[pid]:
                    if seat.cover is not None:
                        self.end_cover(seat.cover, day - 1)
                    if seat.sub is not None:
                        displaced.append(seat.sub)
        new_seats = [s for pid, k in done.items() if k == "created" for s in self.seats[pid]]
        for t in displaced:  # redeployed into the new structure, or made redundant
            target = next((s for s in new_seats if s.tier == t.seat.tier and s.sub is None), None)
            if target is not None and rng.random() < 0.85:
                self.finish(t, day - 1)
                self.start(target, t.person, t.segs[-1][3], min(t.segs[-1][4], target.fte), day)
            else:
                self.depart(t, day - 1, rng.choice(("voluntary_redundancy", "compulsory_redundancy")))
        for seat in new_seats:
            if seat.sub is None:
                self.vacate(seat, day)
        split_p = rng.choice((0.6, 0.8, 1.0))  # how eagerly HR re-records moved/regraded posts
        for pid, kind in done.items():
            if kind == "changed" and rng.random() < split_p:
                for seat in self.seats[pid]:
                    for t in (seat.sub, seat.cover):
                        if t is not None:
                            self.split(t, day)

    def populate(self, day):
        rng = self.rng
        for pid in self.org.posts.live():
            self.seats[pid] = make_seats(self.org, pid)
            for seat in self.seats[pid]:
                if rng.random() < story.INITIAL_SUB[seat.tier]:
                    fte = seat.fte if rng.random() > 0.08 else min(seat.fte, 0.8)
                    self.start(seat, self.new_person(False), "permanent", fte, day)
                else:
                    seat.token += 1
                    self.push(self.fill_day(seat.tier, day), "fill", seat, seat.token)
                    if rng.random() < self.cover_p(seat.tier, day):
                        self.cover(seat, day)


def make_seats(org, pid) -> list[Seat]:
    row, tier = org.posts.cur(pid), org.tier(pid)
    if org.jobshare[pid]:
        return [Seat(pid, tier, 0.5), Seat(pid, tier, 0.5)]
    return [Seat(pid, tier, row["budgeted_fte"])]


def write_demo(out_dir: Path, scale: float = 1.0, seed: int = 2015) -> dict:
    """Write a synthetic authority's HR extracts into out_dir; same scale and seed, same bytes."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = random.Random(seed)
    # separate streams, so the org's shape does not shift when people rates are tuned
    org = story.Org(scale, random.Random(root.getrandbits(64)))
    story.build_org(org, story.STORY_START)
    sim = Sim(org, random.Random(root.getrandbits(64)))
    sim.run()
    cases = writers.caseload_rows(org, sim.segs, sim.unmatched,
                                  np.random.default_rng(root.getrandbits(64)))
    key_dates = [(date.fromisoformat(d).toordinal(), label, cat) for d, label, cat in story.KEY_DATES]
    key_dates += [(day, label, "restructure") for day, label, _ in story.RESTRUCTURES]
    key_dates += story.leadership_dates(org, sim.segs)
    returner = demo_agency.plant_returner(sim.segs)  # before the files: it changes one locum's person
    files = writers.render(org, sim.segs, sim.names, cases, sorted(key_dates))
    files["agency_engagements.csv"] = demo_agency.engagement_file(org, sim.segs, returner)
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
    return {
        "staff": len({seg[1] for seg in sim.segs}),
        "agency_staff": len({seg[1] for seg in sim.segs if seg[1].startswith("AG-")}),
        "org_units": len(org.units.rows),
        "posts": len(org.posts.rows),
        "assignments": len(sim.segs),
        "caseload_rows": len(cases),
        "unmatched_caseload_rows": sum(1 for row in cases if row[3]),
        "key_dates": len(key_dates),
        "files_written": len(files),
        "files": sorted(files),
    }
