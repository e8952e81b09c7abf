"""The demo authority's agency engagements: one per agency or interim assignment since 2023, with
realistic rates and a few planted breaches of each of DfE's rules, so the Agency page tells a story.

Everything is drawn from a stable hash of the assignment id (demo_writers.roll), never from the
simulation's random streams, so adding engagements changes no other file of the demo.
"""

from datetime import date

from pipelines import demo_story as story
from pipelines.demo_writers import csv_bytes, iso, mixed, roll

COLUMNS = ("engagement_id", "assignment_id", "valid_from", "valid_to", "job_type", "charge_rate_hourly",
           "pay_rate_hourly", "hours_per_week", "qualified_date", "previous_permanent_end",
           "previous_permanent_region", "reference_received", "notice_weeks", "project_team",
           "cap_exception_approved")
FIRST_START = date(2023, 1, 1).toordinal()  # older cover has no engagement records (the MSP began in 2023)
RULES_START = date(2024, 10, 31).toordinal()
# (base charge £/hour, pay as a share of the charge) per job type; the pay caps in data/settings.toml
# are £38 (social worker) to £50 (team manager), so most pay rates sit just under them.
RATES = {"social_worker": (50, 0.66), "senior_social_worker": (56, 0.66), "advanced_practitioner": (62, 0.66),
         "team_manager": (68, 0.66), "other": (95, 0.75)}
PLANTS = ("experience", "pay_cap", "cooling_off_region", "references", "notice", "cap_approved")
OTHER_REGIONS = ("London", "South West", "East of England", "none", "none")


def _job_type(tier: str, aid: str) -> str:
    if tier == "practitioner":
        return "social_worker"
    if tier == "senior_practitioner":
        return "advanced_practitioner" if roll(aid, "ap") % 3 == 0 else "senior_social_worker"
    if tier == "team_manager":
        return "team_manager"
    return "other"  # interim heads of service and directors, family support workers


def plant_returner(segs: list[list]) -> str | None:
    """Make one agency locum who started in 2025 a social worker who resigned from a permanent post
    here less than a month before (the own-authority cooling-off breach). Returns the assignment id."""
    leavers = sorted((s[6], s[1]) for s in segs if s[3] == "permanent" and s[7] == "resignation" and s[6])
    for seg in sorted((s for s in segs if s[3] == "agency" and s[5] >= date(2025, 1, 1).toordinal()),
                      key=lambda s: s[5]):
        recent = [person for end, person in leavers if seg[5] - 30 <= end < seg[5]]
        if recent:
            seg[1] = recent[0]
            return seg[0]
    return None


def _plant(aid: str, start: int, forced: dict[str, str]) -> str | None:
    if aid in forced:
        return forced[aid]
    if start < RULES_START:
        return None
    pick = roll(aid, "plant") % 14
    return PLANTS[pick] if pick < len(PLANTS) else None


def _evidence(aid: str, start: int, plant: str | None) -> dict:
    years = 2 if plant == "experience" else 4 + roll(aid, "qualified") % 12
    qualified = start - 365 * years - roll(aid, "qday") % 200
    region, ended = OTHER_REGIONS[roll(aid, "region") % len(OTHER_REGIONS)], start - 150 - roll(aid, "ended") % 900
    if plant == "cooling_off_region":
        region, ended = "South East", start - 20 - roll(aid, "ended") % 40
    legacy_gap = start < RULES_START and roll(aid, "gap") % 4 == 0  # older records are less complete
    return {
        "qualified_date": "" if legacy_gap else mixed(qualified, aid, "q"),
        "previous_permanent_end": "" if region == "none" or legacy_gap else mixed(ended, aid, "e"),
        "previous_permanent_region": "" if legacy_gap else region,
        "reference_received": "No" if plant == "references" else "" if legacy_gap else "Yes",
        "notice_weeks": "2" if plant == "notice" else "" if legacy_gap else str(4 + roll(aid, "notice") % 3 * 2),
        "project_team": "Yes" if roll(aid, "project") % 9 == 0 else "No",
        "cap_exception_approved": "Yes" if plant == "cap_approved" else "",
    }


def _rows(seg, tier: str, plant: str | None, number: int) -> list[list[str]]:
    aid, start, end = seg[0], seg[5], seg[6]
    job_type = _job_type(tier, aid)
    base, share = RATES[job_type]
    charge = base + roll(aid, "charge") % 700 / 100
    over = plant in ("pay_cap", "cap_approved") and job_type != "other"
    pay = charge * share + (5 + roll(aid, "over") % 300 / 100 if over else 0)
    hours = "" if roll(aid, "hours") % 4 else ("37" if roll(aid, "h37") % 2 else "30")
    evidence = _evidence(aid, start, plant)
    # engagements over six months get the agency's uplift (4% on the charge, not the pay) half a year in
    changes = [(start, charge, pay)]
    if (end or story.STORY_END) - start > 183:
        changes.append((start + 183, charge * 1.04, pay))
    rows = []
    for i, (since, rate, paid) in enumerate(changes):
        until = changes[i + 1][0] - 1 if i + 1 < len(changes) else end
        rows.append([f"BK{number:05d}", aid, iso(since), "" if until is None else iso(until), job_type,
                     f"{rate:.2f}", f"{paid:.2f}", hours, *evidence.values()])
    return rows


def engagement_file(org, segs: list[list], returner: str | None) -> bytes:
    """agency_engagements.csv for every agency or interim assignment active since 2023."""
    cover = [s for s in segs if s[3] in ("agency", "interim") and (s[6] is None or s[6] >= FIRST_START)]
    cover.sort(key=lambda s: (s[5], s[0]))
    # one of each plant among the engagements still running at the end, so 'now' shows every rule
    running = [s for s in cover if s[6] is None and s[5] >= RULES_START
               and org.tier(s[2]) in ("practitioner", "senior_practitioner", "team_manager")]
    forced = {s[0]: plant for s, plant in zip(running, PLANTS, strict=False)}
    if returner:
        forced[returner] = None
    rows = []
    for number, seg in enumerate(cover, start=1):
        rows += _rows(seg, org.tier(seg[2]), _plant(seg[0], seg[5], forced), number)
    return csv_bytes(COLUMNS, rows)
