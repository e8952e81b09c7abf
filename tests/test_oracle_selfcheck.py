"""The oracle (tests/oracle.py) against tiny hand-made datasets, arithmetic in the comments."""

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.oracle import Dataset, compute  # noqa: E402
from tests.oracle_terms import Assignment as A  # noqa: E402
from tests.oracle_terms import Caseload as C  # noqa: E402
from tests.oracle_terms import OrgUnit as U  # noqa: E402
from tests.oracle_terms import Post as P  # noqa: E402

D = dt.date


def rows(ds, metric, **kw):
    return {r.pop("group"): r for r in compute(ds, metric, **kw)}


JAN1 = D(2024, 1, 1)


def post(pid, unit, grade="Band 10", tier="practitioner", budget=1.0, vf=JAN1, vt=None, sw=True):
    return P(pid, f"title {pid}", unit, grade, tier, sw, budget, vf, vt)


ROOT = U("DIR", "Children's Services", None, "directorate", D(2024, 1, 1), None)
TEAM = U("TM-A", "Team A", "DIR", "team", D(2024, 1, 1), None)


# ---------------------------------------------------------------- interim, agency, vacancy


def ds_occupancy():
    return Dataset(
        org_units=[ROOT, TEAM],
        posts=[
            post("P1", "TM-A", grade="Band 10"),
            post("P2", "TM-A", grade="Band 9", tier="team_manager", budget=2.0),
        ],
        assignments=[
            A("A1", "E1", "P1", "permanent", 1.0, D(2024, 1, 1), None),
            A("A2", "E2", "P1", "interim", 0.5, D(2024, 2, 1), None),  # cover over E1
            A("A3", "E3", "P2", "permanent", 0.5, D(2024, 1, 1), None),
            A("A4", "E4", "P2", "acting", 1.0, D(2024, 1, 1), D(2024, 1, 31)),  # over by March
        ],
    )


def test_interim_ratio():
    ds = ds_occupancy()
    r = rows(ds, "interim_ratio", as_of=D(2024, 3, 1), by="grade")
    # "Band 10" sorts before "Band 9" (code points)
    assert list(r) == ["Band 10", "Band 9"]
    # Band 10 = post P1: E1 1.0 substantive + E2 0.5 interim: 0.5 / (1 + 0.5) x 100
    assert r["Band 10"] == {
        "occupied_fte": 1.5, "cover_fte": 0.5, "occupied_headcount": 2, "cover_headcount": 1,
        "interim_ratio_pct": pytest.approx(0.5 / (1 + 0.5) * 100),
    }
    # Band 9 = P2: only E3 (the acting cover ended on 31 January)
    assert r["Band 9"]["interim_ratio_pct"] == 0.0
    # all: 0.5 / (1 + 0.5 + 0.5) x 100 = 25
    assert rows(ds, "interim_ratio", as_of=D(2024, 3, 1))["all"]["interim_ratio_pct"] == 25.0
    # with the management tiers only: P2 alone, nothing covered
    r = rows(ds, "interim_ratio", as_of=D(2024, 3, 1), tiers=["team_manager"])
    assert r["all"]["occupied_fte"] == 0.5 and r["all"]["interim_ratio_pct"] == 0.0
    # before anybody starts: the all row is still there, the rate is null
    r = rows(ds, "interim_ratio", as_of=D(2023, 12, 31))
    assert r == {"all": {"occupied_fte": 0.0, "cover_fte": 0.0, "occupied_headcount": 0,
                         "cover_headcount": 0, "interim_ratio_pct": None}}
    # by grade with no records lists no group at all
    assert compute(ds, "interim_ratio", as_of=D(2023, 12, 31), by="grade") == []


def test_agency_rate_and_vacancy_rate():
    ds = ds_occupancy()
    # agency family = interim E2 0.5; substantive E1 1.0 + E3 0.5: 0.5 / (0.5 + 1.5) x 100 = 25
    r = rows(ds, "agency_rate", as_of=D(2024, 3, 1))
    assert r["all"] == {"agency_fte": 0.5, "substantive_fte": 1.5, "agency_rate_pct": 25.0}
    # on 15 January the acting E4 is cover but not agency: not counted at all
    r = rows(ds, "agency_rate", as_of=D(2024, 1, 15), by="tier")
    assert r["team_manager"] == {"agency_fte": 0.0, "substantive_fte": 0.5, "agency_rate_pct": 0.0}
    # vacancy on 1 March: P1 budget 1 - sub 1 = 0 vacant; P2 budget 2 - sub 0.5 = 1.5 vacant,
    # no cover. establishment 3, vacancy 1.5 / 3 x 100 = 50, covered 0 / 1.5 = 0
    r = rows(ds, "vacancy_rate", as_of=D(2024, 3, 1))
    assert r["all"] == {"establishment_fte": 3.0, "vacant_fte": 1.5, "covered_vacant_fte": 0.0,
                        "vacancy_rate_pct": 50.0, "agency_cover_pct": 0.0}
    # on 15 January the acting E4 (1.0) covers min(1.5, 1.0) = 1.0 of P2's vacancy:
    # agency_cover_pct = 1.0 / 1.5 x 100
    r = rows(ds, "vacancy_rate", as_of=D(2024, 1, 15), by="grade")
    assert r["Band 9"]["covered_vacant_fte"] == 1.0
    assert r["Band 9"]["agency_cover_pct"] == pytest.approx(1.0 / 1.5 * 100)
    assert r["Band 10"]["vacant_fte"] == 0.0 and r["Band 10"]["agency_cover_pct"] is None


# ---------------------------------------------------------------- turnover and stability


def ds_moves():
    return Dataset(
        org_units=[ROOT, TEAM],
        posts=[post("P1", "TM-A"), post("P2", "TM-A", grade="Band 11"), post("P3", "TM-A"),
               post("P9", "TM-A", grade="Hay C", vt=D(2024, 3, 31))],
        assignments=[
            # E1 moves P1 -> P2 with 6 days between (11..16 March): not a leaving event
            A("A1", "E1", "P1", "permanent", 1.0, D(2024, 1, 1), D(2024, 3, 10), "resignation"),
            A("A2", "E1", "P2", "permanent", 1.0, D(2024, 3, 17), None),
            # E2 moves P3 -> P1 with 7 days between (11..17 March): a leaving event on 10 March
            A("A3", "E2", "P3", "permanent", 1.0, D(2024, 1, 1), D(2024, 3, 10), "resignation"),
            A("A4", "E2", "P1", "permanent", 1.0, D(2024, 3, 18), None),
            # E8 ends on the last day of P9's row: a leaving event on 31 March (reason not
            # voluntary)
            A("A5", "E8", "P9", "fixed_term", 0.5, D(2024, 1, 1), D(2024, 3, 31), "end_of_contract"),
            # E9's assignment outlives P9 (ends 30 April, post gone from 1 April): it does
            # not end on a day it is active, so no leaving event ever
            A("A6", "E9", "P9", "permanent", 0.5, D(2024, 1, 1), D(2024, 4, 30), "resignation"),
            # E5 goes from a substantive post to agency work on the same post: a leaving event
            A("A7", "E5", "P3", "permanent", 0.8, D(2024, 1, 1), D(2024, 4, 30), "retirement"),
            A("A8", "E5", "P3", "agency", 0.8, D(2024, 5, 1), None),
        ],
    )


def test_leaving_events_turnover():
    ds = ds_moves()
    r = rows(ds, "turnover", date_from=D(2024, 1, 1), date_to=D(2024, 6, 30))["all"]
    # leavers: E2 (10 Mar, 1.0), E8 (31 Mar, 0.5), E5 (30 Apr, 0.8) -> 3, fte 2.3
    # headcount(1 Jan) = E1 E2 E8 E9 E5 = 5, fte 1 + 1 + 0.5 + 0.5 + 0.8 = 3.8
    # headcount(30 Jun) = E1 (P2) E2 (P1) = 2, fte 2.0
    assert r == {
        "leavers": 3, "leaver_fte": 2.3, "headcount_start": 5, "headcount_end": 2,
        "avg_headcount": 3.5, "turnover_rate_pct": pytest.approx(3 / 3.5 * 100),
        "fte_start": 3.8, "fte_end": 2.0,
        "turnover_rate_fte_pct": pytest.approx(2.3 / ((3.8 + 2.0) / 2) * 100),
        "dfe_turnover_rate_fte_pct": pytest.approx(2.3 / 2.0 * 100),
        "voluntary_leavers": 2,  # E2 resignation, E5 retirement
    }
    # by grade: E8's event is grouped by P9 (Hay C), a group with no headcount on 30 June
    r = rows(ds, "turnover", date_from=D(2024, 1, 1), date_to=D(2024, 6, 30), by="grade")
    assert sorted(r) == ["Band 10", "Band 11", "Hay C"]
    assert r["Hay C"]["leavers"] == 1 and r["Hay C"]["headcount_end"] == 0
    assert r["Hay C"]["turnover_rate_pct"] == pytest.approx(1 / 1 * 100)  # avg (2 + 0) / 2
    assert r["Hay C"]["dfe_turnover_rate_fte_pct"] is None  # fte(b) = 0
    # the 6-day move of E1 is not a leaving event: a period around it has no leavers
    r = rows(ds, "turnover", date_from=D(2024, 3, 1), date_to=D(2024, 3, 9))["all"]
    assert r["leavers"] == 0


def test_stability():
    ds = ds_moves()
    r = rows(ds, "stability", date_from=D(2024, 1, 1), date_to=D(2024, 6, 30))["all"]
    # cohort on 1 Jan: E1 E2 E5 E8 E9 = 5; stable: only E1 (E2 left on 10 Mar and rejoined,
    # E8/E9 are not employed on 30 Jun, E5 left into agency) -> 1 / 5 x 100 = 20
    assert r == {"headcount_start": 5, "stable": 1, "stability_index_pct": 20.0}
    # a leaving event on b itself does not break stability: a..b = 1 Jan..10 Mar
    r = rows(ds, "stability", date_from=D(2024, 1, 1), date_to=D(2024, 3, 10))["all"]
    assert r["stable"] == 5


# ---------------------------------------------------------------- vacancy duration


def test_vacancy_duration_left_censored():
    ds = Dataset(
        org_units=[ROOT, TEAM],
        posts=[
            post("P1", "TM-A"),
            post("P2", "TM-A"),
            post("P3", "TM-A", vt=D(2024, 2, 29)),  # vacant, then deleted: closed, no record
            post("P4", "TM-A", vf=D(2024, 2, 1)),
        ],
        assignments=[
            # the earliest start_date: coverage starts 10 January
            A("A1", "E1", "P2", "permanent", 1.0, D(2024, 1, 10), None),
            A("A2", "E2", "P1", "permanent", 1.0, D(2024, 3, 1), D(2024, 3, 31)),
            A("A3", "E4", "P4", "permanent", 1.0, D(2024, 2, 21), None),
            A("A4", "E5", "P1", "agency", 1.0, D(2024, 1, 1), None),  # cover: P1 still vacant
        ],
    )
    r = rows(ds, "vacancy_duration", date_from=D(2024, 1, 1), date_to=D(2024, 6, 30))["all"]
    # P1 1 Jan..29 Feb, filled 1 Mar: s = 1 Jan <= 10 Jan -> left-censored
    # P2 1 Jan..9 Jan, filled 10 Jan: left-censored
    # P4 1 Feb..20 Feb (20 days), filled 21 Feb: counted, 20 days
    # P1 1 Apr..30 Jun: open, age 30 + 31 + 30 = 91 (> 90, not > 180)
    assert r == {
        "filled": 1, "median_days_to_fill": 20.0, "mean_days_to_fill": 20.0, "open": 1,
        "median_open_age_days": 91.0, "open_over_90_days": 1, "open_over_180_days": 0,
        "left_censored": 2,
    }
    # period 1 Mar..30 Jun: the fills of 10 Jan and 21 Feb are outside it; P1's first
    # episode was filled on 1 Mar (t + 1 in a..b): still counted as left-censored
    r = rows(ds, "vacancy_duration", date_from=D(2024, 3, 1), date_to=D(2024, 6, 30))["all"]
    assert (r["filled"], r["open"], r["left_censored"]) == (0, 1, 1)
    assert r["median_days_to_fill"] is None and r["mean_days_to_fill"] is None


# ---------------------------------------------------------------- caseload


def test_caseload():
    ds = Dataset(
        org_units=[ROOT, TEAM],
        posts=[post("P1", "TM-A", grade="Band 10"), post("P2", "TM-A", grade="Band 11",
                                                         tier="team_manager")],
        assignments=[
            # E1: own post 0.6 plus acting up 0.6 -> case-holding fte min(1, 1.2) = 1.0.
            # fte tie: main = smallest id in string order, "A10" < "A9" -> P2 (Band 11)
            A("A9", "E1", "P1", "permanent", 0.6, D(2024, 1, 1), None),
            A("A10", "E1", "P2", "acting", 0.6, D(2024, 2, 1), None),
            A("A2", "E2", "P1", "permanent", 0.5, D(2024, 1, 1), None),
            A("A4", "E4", "P1", "permanent", 0.5, D(2024, 1, 1), D(2024, 3, 1)),
        ],
        caseloads=[
            C(D(2024, 3, 31), "E1", 21),  # over the threshold of 20
            C(D(2024, 3, 31), "E2", 0),  # matched, no cases: lists Band 10, holds nothing
            C(D(2024, 3, 31), "E3", 25),  # no assignment: unmatched
            C(D(2024, 3, 31), "E4", 9),  # assignment over: unmatched
            C(D(2024, 2, 29), "E2", 4),  # another snapshot
        ],
    )
    r = rows(ds, "caseload", snapshot=D(2024, 3, 31), by="grade")
    assert r == {
        "Band 10": {"case_holders": 0, "case_holding_fte": 0.0, "cases": 0,
                    "caseload_per_fte": None, "mean_cases_per_holder": None,
                    "over_threshold": 0, "unmatched": 2},
        "Band 11": {"case_holders": 1, "case_holding_fte": 1.0, "cases": 21,
                    "caseload_per_fte": 21.0, "mean_cases_per_holder": 21.0,
                    "over_threshold": 1, "unmatched": 2},
    }
    # a fractional threshold: 21 > 20.5, and 21 is not > 21
    assert rows(ds, "caseload", snapshot=D(2024, 3, 31), threshold=20.5)["all"]["over_threshold"] == 1
    assert rows(ds, "caseload", snapshot=D(2024, 3, 31), threshold=21)["all"]["over_threshold"] == 0
    # social-work-only scope keeps both posts; tier scope drops P2: E2 (0 cases) only
    r = rows(ds, "caseload", snapshot=D(2024, 3, 31), tiers=["practitioner"])["all"]
    assert (r["case_holders"], r["cases"], r["unmatched"]) == (0, 0, 2)


# ---------------------------------------------------------------- structural change


def test_structural_changes():
    ds = Dataset(
        org_units=[
            ROOT,
            U("TM-A", "Team A", "DIR", "team", D(2024, 1, 1), D(2024, 5, 31)),
            U("TM-A", "Team A2", "DIR", "team", D(2024, 6, 1), None),  # renamed 1 Jun
            U("TM-B", "Team B", "DIR", "team", D(2024, 3, 1), D(2024, 8, 31)),  # created, closed
        ],
        posts=[
            post("P1", "TM-A", vt=D(2024, 3, 31)),
            # moved to TM-B and regraded on 1 Apr: two events, one change day
            post("P1", "TM-B", grade="Band 11", vf=D(2024, 4, 1), vt=D(2024, 6, 30)),
            # budget change only: not an event; then deleted (31 Aug -> dated 1 Sep)
            post("P1", "TM-B", grade="Band 11", budget=2.0, vf=D(2024, 7, 1), vt=D(2024, 8, 31)),
        ],
    )
    a, b = D(2024, 1, 1), D(2024, 12, 31)  # 366 days
    r = rows(ds, "structural_changes", date_from=a, date_to=b)["all"]
    # unit_created TM-B 1 Mar, post_moved + post_regraded 1 Apr, unit_renamed 1 Jun,
    # unit_closed TM-B 1 Sep, post_deleted 1 Sep: 6 events on 4 days
    assert r == {"events": 6, "change_days": 4, "events_per_12m": pytest.approx(6 * 365.25 / 366)}
    r = rows(ds, "structural_changes", date_from=a, date_to=b, by="unit")
    # TM-A: renamed, moved (old side), regraded (old side); TM-B: created, moved, regraded,
    # closed, deleted
    assert (r["TM-A"]["events"], r["TM-B"]["events"]) == (3, 5)
    assert r["TM-A"]["events_per_12m"] == pytest.approx(3 * 365.25 / 366)
    r = rows(ds, "structural_changes", date_from=a, date_to=b, by="type")
    assert {k: v["events"] for k, v in r.items()} == {
        "post_deleted": 1, "post_moved": 1, "post_regraded": 1, "unit_closed": 1,
        "unit_created": 1, "unit_renamed": 1}
    r = rows(ds, "structural_changes", date_from=a, date_to=b, by="month")
    assert {k: v["events"] for k, v in r.items()} == {
        "2024-03": 1, "2024-04": 2, "2024-06": 1, "2024-09": 2}
    # scope TM-A: the events touching TM-A only
    r = rows(ds, "structural_changes", date_from=a, date_to=b, unit="TM-A")["all"]
    assert (r["events"], r["change_days"]) == (3, 2)
    # a one-day period on 1 Apr
    r = rows(ds, "structural_changes", date_from=D(2024, 4, 1), date_to=D(2024, 4, 1))["all"]
    assert r == {"events": 2, "change_days": 1, "events_per_12m": 2 * 365.25}


# ---------------------------------------------------------------- leadership churn


def test_leadership_churn():
    ds = Dataset(
        org_units=[ROOT, TEAM],
        posts=[post("M1", "TM-A", tier="team_manager"), post("S1", "TM-A", tier="practitioner")],
        assignments=[
            A("A1", "E1", "M1", "permanent", 1.0, D(2024, 1, 1), D(2024, 3, 31)),
            # starts 15 Mar; held on 14 Mar by E1 only -> change
            A("A2", "E2", "M1", "interim", 1.0, D(2024, 3, 15), D(2024, 4, 30)),
            # starts 1 May; held on 30 Apr by E2 -> change
            A("A3", "E3", "M1", "permanent", 1.0, D(2024, 5, 1), D(2024, 5, 31)),
            # E3 again from 1 Jun; E3 held it on 31 May -> no change
            A("A4", "E3", "M1", "fixed_term", 1.0, D(2024, 6, 1), None),
            # E1 acts up from 10 Jun; held on 9 Jun by E3 -> change
            A("A5", "E1", "M1", "acting", 1.0, D(2024, 6, 10), D(2024, 6, 20)),
            A("A6", "E7", "S1", "permanent", 1.0, D(2024, 3, 1), None),  # not management
        ],
    )
    a, b = D(2024, 3, 1), D(2024, 6, 30)
    r = rows(ds, "leadership_churn", date_from=a, date_to=b)
    # posts: M1; changes: A2, A3, A5 = 3; holders (M1,E1) (M1,E2) (M1,E3) = 3
    assert r == {"all": {"posts": 1, "holder_changes": 3, "distinct_holders": 3}}
    assert rows(ds, "leadership_churn", date_from=a, date_to=b, by="tier") == {
        "team_manager": {"posts": 1, "holder_changes": 3, "distinct_holders": 3}}
    # a non-management tier: an empty result (the all row with zeros for by none)
    assert rows(ds, "leadership_churn", date_from=a, date_to=b, tiers=["practitioner"]) == {
        "all": {"posts": 0, "holder_changes": 0, "distinct_holders": 0}}
    assert compute(ds, "leadership_churn", date_from=a, date_to=b, by="unit",
                   tiers=["practitioner"]) == []


def ds_migrated():
    """A system migrated on 1 Jan 2024: everyone in post that day has that start date (the coverage start)."""
    return Dataset(
        org_units=[ROOT, TEAM],
        posts=[post("D1", "DIR", tier="director"), post("M1", "TM-A", tier="team_manager"),
               post("M2", "TM-A", tier="team_manager"), post("S1", "TM-A")],
        assignments=[
            A("A1", "E1", "D1", "permanent", 1.0, JAN1, D(2024, 5, 31)),  # migrated: not a change
            A("A2", "E2", "M1", "permanent", 1.0, JAN1, None),  # migrated: not a change
            A("A3", "E3", "M2", "interim", 1.0, JAN1, D(2024, 2, 29)),  # migrated: not a change
            A("A4", "E4", "S1", "permanent", 1.0, JAN1, None),  # not management
            A("A5", "E5", "D1", "interim", 1.0, D(2024, 6, 1), None),  # E1 left 31 May: change
            A("A6", "E3", "M2", "permanent", 1.0, D(2024, 3, 1), None),  # E3 made permanent: no change
            A("A7", "E7", "M1", "acting", 0.5, D(2024, 1, 2), D(2024, 1, 31)),  # day after C, beside E2: change
        ],
    )


def test_leadership_churn_never_counts_a_start_on_or_before_the_coverage_start():
    r = rows(ds_migrated(), "leadership_churn", date_from=JAN1, date_to=D(2024, 12, 31))
    # coverage start = 1 Jan 2024 (A1..A4); changes: A5, A7 = 2 (A1, A2, A3 started on it; A6 follows E3)
    # holders (D1,E1) (D1,E5) (M1,E2) (M1,E7) (M2,E3) = 5
    assert r == {"all": {"posts": 3, "holder_changes": 2, "distinct_holders": 5}}


def test_unit_scope_follows_the_tree_of_the_day():
    ds = Dataset(
        org_units=[
            ROOT,
            U("SVC-1", "Service 1", "DIR", "service", D(2024, 1, 1), None),
            U("SVC-2", "Service 2", "DIR", "service", D(2024, 1, 1), None),
            # TM-X moves from SVC-1 to SVC-2 on 1 Mar
            U("TM-X", "Team X", "SVC-1", "team", D(2024, 1, 1), D(2024, 2, 29)),
            U("TM-X", "Team X", "SVC-2", "team", D(2024, 3, 1), D(2024, 3, 31)),
            # and has no row for 1..10 Apr: the chain breaks
            U("TM-X", "Team X", "SVC-2", "team", D(2024, 4, 11), None),
        ],
        posts=[post("P1", "TM-X")],
        assignments=[A("A1", "E1", "P1", "permanent", 1.0, D(2024, 1, 1), None)],
    )

    def occ(d, unit):
        return rows(ds, "interim_ratio", as_of=d, unit=unit)["all"]["occupied_headcount"]

    assert (occ(D(2024, 2, 1), "SVC-1"), occ(D(2024, 2, 1), "SVC-2")) == (1, 0)
    assert (occ(D(2024, 3, 1), "SVC-1"), occ(D(2024, 3, 1), "SVC-2")) == (0, 1)
    assert (occ(D(2024, 4, 5), "SVC-2"), occ(D(2024, 4, 5), "DIR")) == (0, 0)  # chain broken
    assert occ(D(2024, 4, 5), "TM-X") == 1  # a unit is always in its own subtree
    assert occ(D(2024, 4, 20), "DIR") == 1


def test_bad_arguments():
    ds = ds_occupancy()
    with pytest.raises(ValueError):
        compute(ds, "interim_ratio", as_of=D(2024, 1, 1), by="month")
    with pytest.raises(ValueError):
        compute(ds, "interim_ratio", as_of=D(2024, 1, 1), tiers=["chief"])
    with pytest.raises(ValueError):
        compute(ds, "no_such_metric", as_of=D(2024, 1, 1))
