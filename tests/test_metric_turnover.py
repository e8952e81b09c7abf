"""Turnover (METRICS.md section 3, CIPD crude turnover and the DfE FTE form), hand-computed.

A leaving event of p on e: employed(p, e), some substantive assignment of p ends on e, and
employed(p, x) is false for every x in e+1 .. e+7. So a new substantive post starting on e+7
(six days without one) is a move; one starting on e+8 (seven days without one) means p left on e.
"""

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row, post

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["group", "leavers", "leaver_fte", "headcount_start", "headcount_end", "avg_headcount",
          "turnover_rate_pct", "fte_start", "fte_end", "turnover_rate_fte_pct", "dfe_turnover_rate_fte_pct",
          "voluntary_leavers"]
A, B = date(2024, 1, 1), date(2024, 12, 31)


def turnover(db, a=A, b=B, **kw):
    return run_metric(db, "turnover", date_from=a, date_to=b, **kw)


# ------------------------------------------------------------------ what a leaving event is

E = date(2024, 3, 31)  # the day the first substantive assignment ends


@pytest.mark.parametrize("restart_offset, leavers", [
    (1, 0),  # starts the next day: a plain move
    (7, 0),  # restarts on e+7: six days (e+1..e+6) without a substantive post -> not leaving
    (8, 1),  # restarts on e+8: seven days (e+1..e+7) without one -> leaving on e
    (9, 1),
    (None, 1),  # never comes back
])
def test_the_leaving_boundary_is_seven_days_without_a_substantive_post(build, restart_offset, leavers):
    jobs = [job("A1", "E1", "P1", end=E.isoformat(), reason="resignation")]
    if restart_offset is not None:
        jobs.append(job("A2", "E1", "P2", start=(E + timedelta(days=restart_offset)).isoformat()))
    db = build(posts=[post("P1"), post("P2")], assignments=jobs)
    row = only_row(turnover(db))
    assert row["leavers"] == leavers
    assert row["voluntary_leavers"] == leavers
    assert row["leaver_fte"] == pytest.approx(1.0 * leavers)


def test_a_move_with_a_six_day_gap_is_not_a_leaving_event(build):
    # P1 ends 2024-03-31; P2 starts 2024-04-07: 1..6 April without a post (six days)
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E1", "P2", start="2024-04-07")])
    row = only_row(turnover(db))
    assert row["leavers"] == 0
    assert row["turnover_rate_pct"] == 0.0


def test_a_move_with_a_seven_day_gap_is_a_leaving_event(build):
    # P1 ends 2024-03-31; P2 starts 2024-04-08: 1..7 April without a post (seven days)
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E1", "P2", start="2024-04-08")])
    row = only_row(turnover(db))
    assert row["leavers"] == 1
    # headcount(a) = 1 (on P1), headcount(b) = 1 (on P2): avg 1 -> 100 %
    assert row["avg_headcount"] == 1.0
    assert row["turnover_rate_pct"] == pytest.approx(1 / 1 * 100)
    # the event is dated 31 March: a period ending on 30 March does not see it, one starting on 31 March does
    assert only_row(turnover(db, A, date(2024, 3, 30)))["leavers"] == 0
    assert only_row(turnover(db, date(2024, 3, 31), B))["leavers"] == 1
    assert only_row(turnover(db, date(2024, 4, 1), B))["leavers"] == 0


def test_moving_from_a_substantive_post_to_agency_or_interim_work_is_leaving(build):
    db = build(posts=[post("P1"), post("P2"), post("P3")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31", reason="resignation"),
                            job("A2", "E1", "P1", "agency", start="2024-04-01"),
                            job("A3", "E2", "P2", end="2024-05-31", reason="end_of_contract"),
                            job("A4", "E2", "P3", "interim", start="2024-06-01")])
    row = only_row(turnover(db))
    assert row["leavers"] == 2
    assert row["voluntary_leavers"] == 1
    # nobody is substantively employed on b: headcount 2 at a, 0 at b -> avg 1
    assert (row["headcount_start"], row["headcount_end"], row["avg_headcount"]) == (2, 0, 1.0)
    assert row["turnover_rate_pct"] == pytest.approx(2 / 1 * 100)
    assert row["dfe_turnover_rate_fte_pct"] is None  # fte(b) = 0


def test_a_rejoiner_can_leave_twice_in_one_period(build):
    db = build(posts=[post("P1")],
               assignments=[job("A1", "E1", "P1", end="2024-02-29", reason="resignation"),
                            job("A2", "E1", "P1", start="2024-05-01", end="2024-09-30", reason="dismissal")])
    row = only_row(turnover(db))
    assert row["leavers"] == 2
    assert row["leaver_fte"] == pytest.approx(2.0)
    assert row["voluntary_leavers"] == 1
    # headcount(a) = 1, headcount(b) = 0 -> avg 0.5 -> 2 / 0.5 x 100 = 400 %
    assert row["turnover_rate_pct"] == pytest.approx(2 / 0.5 * 100)


def test_a_move_just_after_the_period_still_cancels_a_leaving_event_on_its_last_day(build):
    # A1 ends on b; A2 starts on b+3: only two days without a post, so no leaving event on b
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-12-31"), job("A2", "E1", "P2", start="2025-01-03"),
                            job("A3", "E2", "P1", "fixed_term", end="2024-12-31", reason="end_of_contract")])
    row = only_row(turnover(db))
    # E2 never returns: a leaving event on b itself is in a..b
    assert row["leavers"] == 1
    assert row["voluntary_leavers"] == 0
    assert (row["headcount_start"], row["headcount_end"]) == (2, 2)


# ------------------------------------------------------------------ the three rates


def test_turnover_headcount_fte_and_dfe_rates_and_voluntary_leavers(build):
    db = build(posts=[post(f"P{i}") for i in range(1, 5)],
               assignments=[
                   job("A1", "E1", "P1", fte="1"),
                   job("A2", "E2", "P2", fte="0.5", end="2024-03-31", reason="resignation"),
                   job("A3", "E3", "P3", fte="1", end="2024-06-30", reason="dismissal"),
                   job("A4", "E4", "P4", "fixed_term", fte="0.8"),
                   job("A5", "E5", "P2", fte="1", start="2024-05-01"),
                   job("A6", "E6", "P3", "agency", fte="1", start="2024-07-01"),  # agency: not in headcount
               ])
    row = only_row(turnover(db))
    # headcount(a) = E1, E2, E3, E4 = 4, fte(a) = 1 + 0.5 + 1 + 0.8 = 3.3
    # headcount(b) = E1, E4, E5 = 3, fte(b) = 1 + 0.8 + 1 = 2.8
    # leavers: E2 (0.5, resignation), E3 (1.0, dismissal)
    assert row == {
        "group": "all",
        "leavers": 2,
        "leaver_fte": pytest.approx(1.5),
        "headcount_start": 4,
        "headcount_end": 3,
        "avg_headcount": pytest.approx(3.5),
        "turnover_rate_pct": pytest.approx(2 / 3.5 * 100),
        "fte_start": pytest.approx(3.3),
        "fte_end": pytest.approx(2.8),
        "turnover_rate_fte_pct": pytest.approx(1.5 / ((3.3 + 2.8) / 2) * 100),
        "dfe_turnover_rate_fte_pct": pytest.approx(1.5 / 2.8 * 100),
        "voluntary_leavers": 1,
    }


@pytest.mark.parametrize("reason, voluntary", [
    ("resignation", 1), ("retirement", 1), ("voluntary_redundancy", 1), ("compulsory_redundancy", 0),
    ("dismissal", 0), ("end_of_contract", 0), ("death", 0), ("other", 0), ("unknown", 0), ("", 0)])
def test_only_resignation_retirement_and_voluntary_redundancy_are_voluntary(build, reason, voluntary):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", end="2024-06-30", reason=reason)])
    row = only_row(turnover(db))
    assert (row["leavers"], row["voluntary_leavers"]) == (1, voluntary)


def test_rates_are_null_when_their_denominators_are_zero(build):
    # E1 joins after a and leaves before b: 1 leaver, nobody in post on a or b
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", start="2024-02-01", end="2024-03-31")])
    assert turnover(db) == [{
        "group": "all", "leavers": 1, "leaver_fte": 1.0, "headcount_start": 0, "headcount_end": 0,
        "avg_headcount": 0.0, "turnover_rate_pct": None, "fte_start": 0.0, "fte_end": 0.0,
        "turnover_rate_fte_pct": None, "dfe_turnover_rate_fte_pct": None, "voluntary_leavers": 0}]


def test_the_all_row_is_present_with_zeros_and_nulls_when_nothing_is_in_scope(build):
    db = build(posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", end="2024-03-31")])
    empty = {"group": "all", "leavers": 0, "leaver_fte": 0.0, "headcount_start": 0, "headcount_end": 0,
             "avg_headcount": 0.0, "turnover_rate_pct": None, "fte_start": 0.0, "fte_end": 0.0,
             "turnover_rate_fte_pct": None, "dfe_turnover_rate_fte_pct": None, "voluntary_leavers": 0}
    assert turnover(db, social_work_only=True, tiers=["support"]) == [empty]
    assert turnover(db, date(2025, 1, 1), date(2025, 12, 31)) == [empty]
    assert turnover(db, by="grade", tiers=["support"]) == []


# ------------------------------------------------------------------ people with several posts


def test_two_concurrent_substantive_posts_count_the_person_once_in_all_and_once_in_each_group(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", fte="0.6"), job("A2", "E1", "P2", fte="0.4")])
    total = only_row(turnover(db))
    assert (total["headcount_start"], total["headcount_end"]) == (1, 1)
    assert (total["fte_start"], total["fte_end"]) == (pytest.approx(1.0), pytest.approx(1.0))
    rows = turnover(db, by="grade")
    assert [(r["group"], r["headcount_start"], r["headcount_end"], r["fte_end"]) for r in rows] == [
        ("Band 10", 1, 1, pytest.approx(0.4)), ("Band 9", 1, 1, pytest.approx(0.6))]


def test_a_leaver_with_two_posts_is_grouped_by_the_main_ending_post_with_the_fte_of_both(build):
    # both posts end on 2024-03-31; main = largest fte: A2 (0.6, Band 9, resignation)
    db = build(posts=[post("P1", grade="Band 10"), post("P2", grade="Band 9")],
               assignments=[job("A1", "E1", "P1", fte="0.4", end="2024-03-31", reason="dismissal"),
                            job("A2", "E1", "P2", fte="0.6", end="2024-03-31", reason="resignation")])
    rows = turnover(db, by="grade")
    # Band 10 is listed for its headcount at a, with no leaver
    assert [(r["group"], r["leavers"], r["leaver_fte"], r["voluntary_leavers"]) for r in rows] == [
        ("Band 10", 0, 0.0, 0), ("Band 9", 1, pytest.approx(0.4 + 0.6), 1)]
    total = only_row(turnover(db))
    assert (total["leavers"], total["leaver_fte"], total["voluntary_leavers"]) == (1, pytest.approx(1.0), 1)


def test_fte_ties_for_the_main_ending_assignment_go_to_the_smallest_assignment_id_as_text(build):
    # equal fte 0.5: "A10" < "A9" as text, so A10 (Band 10, retirement) is the main ending assignment
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A9", "E1", "P1", fte="0.5", end="2024-03-31", reason="dismissal"),
                            job("A10", "E1", "P2", fte="0.5", end="2024-03-31", reason="retirement")])
    rows = turnover(db, by="grade")
    assert [(r["group"], r["leavers"], r["leaver_fte"], r["voluntary_leavers"]) for r in rows] == [
        ("Band 10", 1, pytest.approx(1.0), 1), ("Band 9", 0, 0.0, 0)]


def test_a_post_that_ends_while_another_continues_is_not_a_leaving_event(build):
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", fte="0.5", end="2024-03-31", reason="resignation"),
                            job("A2", "E1", "P2", fte="0.5", end="2024-06-30", reason="retirement")])
    row = only_row(turnover(db))
    # one leaving event, on 2024-06-30, with the fte of what ends that day only
    assert (row["leavers"], row["leaver_fte"], row["voluntary_leavers"]) == (1, pytest.approx(0.5), 1)


# ------------------------------------------------------------------ scope and grouping


def test_a_leaver_is_grouped_and_scoped_by_the_post_row_on_the_leaving_day(build):
    # P1 moves from T1 to T2 on 2024-02-01; E1 leaves it on 2024-03-31; E2 stays in T2 throughout
    db = build(posts=[post("P1", unit="T1", end="2024-01-31"), post("P1", unit="T2", start="2024-02-01"),
                      post("P2", unit="T2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E2", "P2")])
    rows = turnover(db, by="unit")
    assert [(r["group"], r["leavers"], r["headcount_start"], r["headcount_end"]) for r in rows] == [
        ("T1", 0, 1, 0), ("T2", 1, 1, 1)]
    in_t1 = only_row(turnover(db, unit="T1"))
    assert (in_t1["leavers"], in_t1["headcount_start"], in_t1["headcount_end"]) == (0, 1, 0)
    assert in_t1["turnover_rate_pct"] == 0.0
    in_t2 = only_row(turnover(db, unit="T2"))
    assert (in_t2["leavers"], in_t2["headcount_start"], in_t2["headcount_end"]) == (1, 1, 1)
    assert in_t2["turnover_rate_pct"] == pytest.approx(1 / 1 * 100)


def test_a_leaver_in_another_unit_is_not_counted_in_a_unit_scope(build):
    db = build(posts=[post("P1", unit="T1"), post("P2", unit="T2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31", reason="resignation"),
                            job("A2", "E2", "P2")])
    in_t2 = only_row(turnover(db, unit="T2"))
    # only E2 is in T2: no leaver, headcount 1 at both ends
    assert (in_t2["leavers"], in_t2["leaver_fte"], in_t2["voluntary_leavers"]) == (0, 0.0, 0)
    assert (in_t2["headcount_start"], in_t2["headcount_end"]) == (1, 1)
    assert turnover(db, unit="T2", by="unit") == [{**in_t2, "group": "T2"}]


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-03-31"),
    ("T1", "Team One", "S2", "team", "2024-04-01", ""),
]


def test_unit_scope_is_judged_on_the_leaving_day_for_a_team_moved_out_of_a_service(build):
    # T1 moves from S1 to S2 on 2024-04-01; E1 leaves T1 on 2024-06-30, E2 on 2024-02-29
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1"), post("P2", unit="T1")],
               assignments=[job("A1", "E1", "P1", end="2024-06-30"), job("A2", "E2", "P2", end="2024-02-29")])
    s1 = only_row(turnover(db, unit="S1"))
    assert (s1["leavers"], s1["headcount_start"], s1["headcount_end"]) == (1, 2, 0)  # E2's leaving, on 29 Feb
    s2 = only_row(turnover(db, unit="S2"))
    assert (s2["leavers"], s2["headcount_start"], s2["headcount_end"]) == (1, 0, 0)  # E1's, on 30 June
    assert s2["turnover_rate_pct"] is None


def test_tier_and_social_work_filters_apply_to_leavers_and_headcount(build):
    db = build(posts=[post("P1", tier="practitioner"), post("P2", tier="support", sw="false"),
                      post("P3", tier="team_manager")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E2", "P2", end="2024-03-31"),
                            job("A3", "E3", "P3")])
    sw = only_row(turnover(db, social_work_only=True))
    assert (sw["leavers"], sw["headcount_start"], sw["headcount_end"]) == (1, 2, 1)
    assert sw["turnover_rate_pct"] == pytest.approx(1 / 1.5 * 100)
    support = only_row(turnover(db, tiers=["support"]))
    assert (support["leavers"], support["headcount_start"], support["headcount_end"]) == (1, 1, 0)
    by_tier = turnover(db, by="tier", tiers=["team_manager", "practitioner"])
    assert [(r["group"], r["leavers"]) for r in by_tier] == [("practitioner", 1), ("team_manager", 0)]


def test_headcount_ignores_an_assignment_on_a_day_its_post_has_no_row(build):
    # P1 has no row on a (2024-01-01): E1 is not in headcount(a)
    db = build(posts=[post("P1", end="2023-12-31"), post("P1", start="2024-01-02")],
               assignments=[job("A1", "E1", "P1")])
    row = only_row(turnover(db))
    assert (row["headcount_start"], row["headcount_end"], row["fte_start"], row["fte_end"]) == (0, 1, 0.0, 1.0)
    # and a one-day gap in the post is not seven days without employment: no leaving event
    assert row["leavers"] == 0


def test_cli_csv_lists_every_turnover_field(build):
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31", reason="retirement"), job("A2", "E2", "P2")])
    done = subprocess.run([sys.executable, "-m", "pipelines", "metric", "turnover", "--db", str(db),
                           "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    header, line, *rest = done.stdout.splitlines()
    assert header.split(",") == FIELDS and rest == []
    values = dict(zip(FIELDS, line.split(",")))
    # 1 leaver; headcount 2 then 1 -> avg 1.5
    assert values["group"] == "all" and values["leavers"] == "1" and values["voluntary_leavers"] == "1"
    assert float(values["turnover_rate_pct"]) == pytest.approx(1 / 1.5 * 100, rel=1e-12)
    as_json = subprocess.run([sys.executable, "-m", "pipelines", "metric", "turnover", "--db", str(db),
                              "--from", "2024-01-01", "--to", "2024-12-31"], cwd=ROOT, capture_output=True,
                             text=True)
    assert as_json.returncode == 0 and list(json.loads(as_json.stdout)[0]) == FIELDS
    # an as-of day is not a period
    wrong = subprocess.run([sys.executable, "-m", "pipelines", "metric", "turnover", "--db", str(db),
                            "--as-of", "2024-12-31"], cwd=ROOT, capture_output=True, text=True)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_leaver_fte_includes_an_ending_post_outside_the_scope_of_the_main_one(build):
    # E1's main ending assignment is the 0.6 practitioner post; the 0.4 support post ends the same day
    db = build(posts=[post("P1", tier="practitioner"), post("P2", tier="support", sw="false")],
               assignments=[job("A1", "E1", "P1", fte="0.6", end="2024-03-31"),
                            job("A2", "E1", "P2", fte="0.4", end="2024-03-31")])
    practitioners = only_row(turnover(db, tiers=["practitioner"]))
    assert (practitioners["leavers"], practitioners["leaver_fte"]) == (1, pytest.approx(0.6 + 0.4))
    assert (practitioners["headcount_start"], practitioners["fte_start"]) == (1, pytest.approx(0.6))
    assert practitioners["turnover_rate_fte_pct"] == pytest.approx(1.0 / ((0.6 + 0.0) / 2) * 100)
    support = only_row(turnover(db, tiers=["support"]))
    assert (support["leavers"], support["leaver_fte"], support["headcount_start"]) == (0, 0.0, 1)
