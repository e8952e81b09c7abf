"""The demo authority's story: its calendar, the rates its people follow, its org structure
and each restructure.

Dates are proleptic ordinals (date.toordinal) so the simulation does integer arithmetic only.
A restructure edits effective-dated rows in place; it also logs which posts it created,
deleted or changed so the people simulation can move, redeploy or re-record their holders.
"""

import math
from datetime import date

STORY_START = date(2015, 1, 1).toordinal()
STORY_END = date(2025, 12, 31).toordinal()
RECOVERY = date(2022, 1, 1).toordinal()
DIRECTOR_APPOINTED = date(2022, 2, 1).toordinal()
CASE_TIERS = ("team_manager", "senior_practitioner", "practitioner")
MANAGEMENT = ("director", "assistant_director", "head_of_service", "team_manager")

KEY_DATES = (  # restructures are added from RESTRUCTURES, director changes from the simulation
    ("2016-03-04", "Ofsted SIF: requires improvement", "inspection"),
    ("2018-05-15", "Ofsted focused visit: front door", "inspection"),
    ("2019-08-02", "Ofsted ILACS: inadequate", "inspection"),
    ("2019-10-01", "DfE commissioner appointed; improvement board set up", "other"),
    ("2020-11-20", "Ofsted monitoring visit: insufficient progress", "inspection"),
    ("2023-03-10", "Ofsted monitoring visit: progress in front door", "inspection"),
    ("2024-10-18", "Ofsted ILACS: requires improvement to be good", "inspection"),
)

# Annual probability that a substantive holder leaves: (2015-2021 crisis, 2023+ recovery).
LEAVE_P = {
    "director": (0.45, 0.02), "assistant_director": (0.45, 0.05), "head_of_service": (0.3, 0.08),
    "team_manager": (0.33, 0.08), "senior_practitioner": (0.13, 0.08),
    "practitioner": (0.17, 0.09), "support": (0.09, 0.07),
}
# Days from a vacancy opening to a substantive start: (crisis range, recovery range).
FILL_DAYS = {
    "head_of_service": ((150, 450), (60, 150)), "team_manager": ((270, 720), (60, 150)),
    "senior_practitioner": ((150, 540), (60, 240)), "practitioner": ((150, 540), (60, 240)),
    "support": ((45, 180), (30, 90)), "assistant_director": ((0, 0), (90, 180)),
    "director": ((0, 0), (90, 180)),
}

# People rates the simulation (demo.py) draws from.
SENIOR = ("director", "assistant_director", "head_of_service")
ACTING_FROM = {"director": "assistant_director", "assistant_director": "head_of_service",
               "head_of_service": "team_manager", "team_manager": "senior_practitioner"}
ACTING_P = {"director": 0.25, "assistant_director": 0.3, "head_of_service": 0.35, "team_manager": 0.4}
PROMOTE_FROM = {"head_of_service": "team_manager", "team_manager": "senior_practitioner",
                "senior_practitioner": "practitioner", "practitioner": "practitioner"}
PROMOTE_P = {"head_of_service": 0.3, "team_manager": 0.35, "senior_practitioner": 0.3,
             "practitioner": 0.1}
INITIAL_SUB = {"director": 1.0, "assistant_director": 0.5, "head_of_service": 0.55,
               "team_manager": 0.72, "senior_practitioner": 0.8, "practitioner": 0.8, "support": 0.88}
REASONS = ("resignation",) * 72 + ("retirement",) * 10 + ("dismissal",) * 3 + ("other",) * 7 + (
    "unknown",) * 8
RANK = {"changed": 0, "created": 1, "deleted": 2}
SHORT_GAPS = (0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6)  # most internal moves are same-day or next-day

AREAS = (("N", "North"), ("S", "South"), ("E", "East"), ("W", "West"), ("C", "Central"),
         ("CO", "Coastal"), ("R", "Rural"), ("U", "Urban"), ("NE", "North East"),
         ("NW", "North West"), ("SE", "South East"), ("SW", "South West"))
SERVICES = (  # code, name, teams per area, team name, practitioners per team
    ("FDA", "Front Door & Assessment", 3, "Assessment Team", 7),
    ("CIN", "Children in Need & Protection", 4, "Safeguarding Team", 7),
    ("CIC", "Children in Care & Care Leavers", 3, "Children in Care Team", 8),
)
# tier: (title, grade, social_work_post); the curly apostrophe and en dash are there on
# purpose, so the Windows-1252 posts file differs from UTF-8.
TIER_SPEC = {
    "director": ("Director of Children’s Services", "Hay A", False),
    "assistant_director": ("Assistant Director – {0}", "Hay B", False),
    "head_of_service": ("Head of Service – {0}", "Hay C", True),
    "team_manager": ("Team Manager", "Band 12", True),
    "senior_practitioner": ("Senior Practitioner", "Band 10", True),
    "practitioner": ("Social Worker", "Band 9", True),
    "support": ("Family Support Worker", "Band 7", False),
}


def area_code(i: int) -> tuple[str, str]:
    if i < len(AREAS):
        return AREAS[i]
    return f"L{i + 1}", f"Locality {i + 1}"


class Rows:
    """Effective-dated rows per id. A change closes the open row the day before it."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {}

    def open(self, key, day, **attrs):
        assert key not in self.rows, key
        self.rows[key] = [dict(attrs, vf=day, vt=None)]

    def cur(self, key):
        row = self.rows[key][-1]
        return row if row["vt"] is None else None

    def live(self):
        return [k for k, rows in self.rows.items() if rows[-1]["vt"] is None]

    def change(self, key, day, **attrs) -> bool:
        row = self.rows[key][-1]
        if all(row[k] == v for k, v in attrs.items()):
            return False
        if row["vf"] == day:  # two edits on one day make one row, never a zero-length one
            row.update(attrs)
        else:
            row["vt"] = day - 1
            self.rows[key].append({**row, **attrs, "vf": day, "vt": None})
        return True

    def close(self, key, day):
        self.rows[key][-1]["vt"] = day - 1


class Org:
    """Units and posts, plus the log of post changes made by the restructure in progress."""

    def __init__(self, scale: float, rng):
        self.scale, self.rng = scale, rng
        self.units, self.posts = Rows(), Rows()
        self.jobshare: dict[str, bool] = {}
        self.log: list[tuple[str, str]] = []

    def n(self, base: float) -> int:
        return max(1, round(base * self.scale))

    def add_unit(self, uid, name, parent, level, day):
        self.units.open(uid, day, unit_name=name, parent_unit_id=parent, unit_level=level)

    def add_post(self, unit, tier, day, title=None, grade=None, fill=""):
        pid = f"P{len(self.posts.rows) + 1:05d}"
        t, g, sw = TIER_SPEC[tier]
        bfte, share = 1.0, False
        if tier == "support" and self.rng.random() < 0.3:
            bfte = self.rng.choice((0.5, 0.6, 0.8))
        elif tier == "practitioner":
            roll = self.rng.random()
            bfte, share = (self.rng.choice((0.6, 0.8)), False) if roll < 0.05 else (1.0, roll > 0.95)
        self.posts.open(pid, day, post_title=title or t.format(fill), unit_id=unit, tier=tier,
                        grade=grade or g, social_work_post=sw, budgeted_fte=bfte)
        self.jobshare[pid] = share
        self.log.append(("created", pid))
        return pid

    def add_team(self, parent, day, name, counts, service=""):
        prefix = parent + "-T"
        taken = sum(1 for u in self.units.rows if u.startswith(prefix) and "-" not in u[len(prefix):])
        uid = f"{prefix}{taken + 1}"
        self.add_unit(uid, name, parent, "team", day)
        for tier, k in counts:
            for _ in range(k):
                self.add_post(uid, tier, day, fill=service)
        return uid

    def tier(self, pid):
        return self.posts.rows[pid][0]["tier"]

    def teams(self, svc, level="team"):
        return [u for u in self.units.live() if u.startswith(f"CS-{svc}-")
                and self.units.cur(u)["unit_level"] == level]

    def posts_by_unit(self):
        out: dict[str, list[str]] = {}
        for pid in self.posts.live():
            out.setdefault(self.posts.cur(pid)["unit_id"], []).append(pid)
        return out

    def move(self, pid, unit, day):
        if self.posts.change(pid, day, unit_id=unit):
            self.log.append(("changed", pid))

    def regrade(self, pid, grade, day):
        if self.posts.change(pid, day, grade=grade):
            self.log.append(("changed", pid))

    def delete(self, pid, day):
        self.posts.close(pid, day)
        self.log.append(("deleted", pid))

    def close_unit(self, uid, day):
        for u in self.units.live():
            if u == uid or u.startswith(uid + "-"):
                self.units.close(u, day)


def build_org(org: Org, day: int) -> None:
    org.add_unit("CS", "Children’s Services", "", "directorate", day)
    org.add_post("CS", "director", day)
    for code, name, per_area, team_name, pracs in SERVICES:
        sid = f"CS-{code}"
        org.add_unit(sid, name, "CS", "service", day)
        org.add_post(sid, "assistant_director", day, fill=name)
        for i in range(org.n(3)):
            ac, an = area_code(i)
            aid = f"{sid}-{ac}"
            org.add_unit(aid, f"{name} – {an}", sid, "area", day)
            org.add_post(aid, "head_of_service", day, fill=f"{name} ({an})")
            org.add_post(aid, "support", day, "Business Support Officer", "Band 6")
            for k in range(per_area):
                org.add_team(aid, day, f"{team_name} {an} {k + 1}", (
                    ("team_manager", 1), ("senior_practitioner", 2), ("practitioner", pracs),
                    ("support", 1)))
    org.add_unit("CS-QS", "Quality & Safeguarding", "CS", "service", day)
    org.add_post("CS-QS", "assistant_director", day, fill="Quality & Safeguarding")
    org.add_post("CS-QS", "head_of_service", day, "Principal Social Worker")
    for k in range(org.n(1)):
        uid = org.add_team("CS-QS", day, f"Independent Reviewing Service {k + 1}",
                           (("team_manager", 1),))
        for _ in range(8):
            org.add_post(uid, "practitioner", day, "Independent Reviewing Officer", "Band 10")
    org.add_team("CS-QS", day, "Quality Assurance & LADO", (
        ("team_manager", 1), ("senior_practitioner", org.n(4)), ("support", org.n(1))))


def _split_areas(org, svc):
    """Areas of a service with their live teams, in id order."""
    areas = [u for u in org.teams(svc, "area")]
    teams = org.teams(svc)
    return [(a, [t for t in teams if org.units.cur(t)["parent_unit_id"] == a]) for a in areas]


def r_pods(org, day):
    """CiC teams split into pods of one senior practitioner and three social workers."""
    org.units.change("CS-FDA", day, unit_name="Front Door, MASH & Assessment")
    by_unit = org.posts_by_unit()
    for team in org.teams("CIC"):
        name = org.units.cur(team)["unit_name"]
        sps = [p for p in by_unit.get(team, []) if org.tier(p) == "senior_practitioner"]
        pws = [p for p in by_unit.get(team, []) if org.tier(p) == "practitioner"]
        sps.append(org.add_post(team, "senior_practitioner", day))
        pws.append(org.add_post(team, "practitioner", day))
        for k in range(3):
            pod = f"{team}-P{k + 1}"
            org.add_unit(pod, f"{name} – Pod {k + 1}", team, "pod", day)
            for pid in sps[k::3] + pws[k::3]:
                org.move(pid, pod, day)


def r_localities(org, day):
    """CiN teams realigned to neighbouring areas; one in twelve social worker posts cut."""
    areas = _split_areas(org, "CIN")
    for i, (_, teams) in enumerate(areas):
        if len(areas) > 1 and len(teams) > 2:
            target = areas[(i + 1) % len(areas)][0]
            an = org.units.cur(target)["unit_name"].split("– ")[-1]
            org.units.change(teams[-1], day, parent_unit_id=target,
                             unit_name=f"Safeguarding Team {an} {len(teams) + 1}")
    pracs = [p for p in org.posts.live() if org.tier(p) == "practitioner"
             and org.posts.cur(p)["unit_id"].startswith(("CS-FDA-", "CS-CIN-"))]
    for pid in org.rng.sample(pracs, len(pracs) // 12):
        org.delete(pid, day)


def r_savings(org, day):
    """Front door teams merged; the front door AD post cut, CiN's AD takes both services."""
    by_unit = org.posts_by_unit()
    for _, teams in _split_areas(org, "FDA"):
        if len(teams) < 2:
            continue
        closing, keep = teams[-1], teams[:-1]
        for i, pid in enumerate(by_unit.get(closing, [])):
            if org.tier(pid) in ("senior_practitioner", "practitioner"):
                org.move(pid, keep[i % len(keep)], day)
            else:
                org.delete(pid, day)
        org.close_unit(closing, day)
    for pid in by_unit.get("CS-FDA", []):
        if org.tier(pid) == "assistant_director":
            org.delete(pid, day)
    for pid in by_unit.get("CS-CIN", []):
        org.posts.change(pid, day, post_title="Assistant Director – Safeguarding & Front Door")


def r_improvement(org, day):
    """Post-inspection plan: practice improvement team, senior practitioners regraded."""
    org.add_team("CS-QS", day, "Practice Improvement Team",
                 (("team_manager", 1), ("senior_practitioner", org.n(4))))
    org.add_post("CS-QS", "head_of_service", day, fill="Practice Improvement")
    for pid in org.posts.live():
        if org.tier(pid) == "senior_practitioner":
            org.regrade(pid, "Band 11", day)


def r_realign(org, day):
    """Areas renamed as localities; care leavers teams created; front door teams re-parented."""
    for svc, *_ in SERVICES:
        for area, _ in _split_areas(org, svc):
            name = org.units.cur(area)["unit_name"]
            org.units.change(area, day, unit_name=name + " Locality")
    for area, _ in _split_areas(org, "CIC"):
        an = org.units.cur(area)["unit_name"].split("– ")[-1]
        uid = org.add_team(area, day, f"Care Leavers Team {an}",
                           (("team_manager", 1), ("senior_practitioner", 1)))
        for _ in range(4):
            org.add_post(uid, "support", day, "Personal Adviser", "Band 8")
    areas = _split_areas(org, "FDA")
    for i in range(0, len(areas) - 1, 2):
        if len(areas[i][1]) > 1:
            org.units.change(areas[i][1][-1], day, parent_unit_id=areas[i + 1][0])


def r_recovery(org, day):
    """Recovery plan: pods replaced by teams, more social workers, pay regraded."""
    by_unit = org.posts_by_unit()
    for pod in org.teams("CIC", "pod"):
        for pid in by_unit.get(pod, []):
            org.move(pid, org.units.cur(pod)["parent_unit_id"], day)
        org.close_unit(pod, day)
    for svc, *_ in SERVICES:
        for team in org.teams(svc):
            if org.units.cur(team)["unit_name"].startswith("Care Leavers"):
                continue
            for _ in range(2):
                org.add_post(team, "practitioner", day, "Social Worker (ASYE)", "Band 9")
    for pid in org.posts.live():
        row = org.posts.cur(pid)
        if row["tier"] == "practitioner" and row["post_title"] == "Social Worker":
            org.regrade(pid, "Band 10", day)
        elif row["tier"] == "team_manager":
            org.regrade(pid, "Band 13", day)


def r_front_door(org, day):
    """Front door redesign: a MASH team, assessment teams renamed."""
    for team in org.teams("FDA"):
        name = org.units.cur(team)["unit_name"]
        org.units.change(team, day, unit_name=name.replace("Assessment", "Assessment & Intervention"))
    org.add_team("CS-FDA", day, "MASH Team", (
        ("team_manager", 1), ("senior_practitioner", org.n(2)), ("practitioner", org.n(6))))


RESTRUCTURES = (  # day, label, change
    (date(2016, 4, 1).toordinal(), "Restructure: pod model in Children in Care", r_pods),
    (date(2017, 6, 1).toordinal(), "Restructure: locality model and post reductions", r_localities),
    (date(2018, 9, 3).toordinal(), "Restructure: savings programme, front door teams merged",
     r_savings),
    (date(2019, 11, 1).toordinal(), "Restructure: post-inspection improvement plan", r_improvement),
    (date(2021, 1, 4).toordinal(), "Restructure: area realignment", r_realign),
    (date(2022, 7, 1).toordinal(), "Restructure: recovery plan, pods replaced by teams",
     r_recovery),
    (date(2024, 4, 1).toordinal(), "Restructure: front door redesign", r_front_door),
)


def leave_p(tier: str, day: int) -> float:
    """Annual leaving probability on a day; 2022 sits halfway between crisis and recovery."""
    crisis, recovery = LEAVE_P[tier]
    year = date.fromordinal(day).year
    if year >= 2022 and tier in ("director", "assistant_director"):  # appointed to stay
        return recovery
    return crisis if year <= 2021 else (crisis + recovery) / 2 if year == 2022 else recovery


def draw_leave_day(rng, tier: str, start: int) -> int | None:
    """First leaving day under a hazard that changes each calendar year; None if after the story."""
    need, day = rng.expovariate(1.0), start
    while day <= STORY_END:
        year_end = date(date.fromordinal(day).year, 12, 31).toordinal()
        rate = -math.log(1 - leave_p(tier, day)) / 365.25
        span = year_end - day + 1
        if need <= rate * span:
            return day + max(1, int(need / rate))
        need -= rate * span
        day = year_end + 1
    return None


def leadership_dates(org, segs) -> list[tuple[int, str, str]]:
    """Each new holder of the director post, and each new permanent AD from the recovery on."""
    out, last = [], {}
    for seg in sorted(segs, key=lambda s: (s[5], s[0])):
        tier, substantive = org.tier(seg[2]), seg[3] in ("permanent", "fixed_term")
        if tier not in ("director", "assistant_director") or not (substantive or tier == "director"):
            continue
        if last.get(seg[2]) == seg[1]:
            continue  # the same holder re-recorded, not a new appointment
        last[seg[2]] = seg[1]
        if seg[5] == STORY_START:
            continue
        if tier == "director":
            arr = seg[3].replace("_", " ").capitalize()
            out.append((seg[5], f"{arr} director of children’s services starts", "leadership"))
        elif seg[5] >= RECOVERY:
            out.append((seg[5], "Permanent assistant director appointed", "leadership"))
    return out
