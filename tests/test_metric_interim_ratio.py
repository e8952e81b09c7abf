"""Interim ratio (METRICS.md section 1), hand-computed on tiny extracts; plus the command line.

Every expected value is worked out by hand in the test from the definition:
occupied_fte = sum of fte of assignments active on d whose post row on d is in scope,
cover_fte = the same over cover arrangements (acting, interim, agency, secondment),
interim_ratio_pct = cover_fte / occupied_fte x 100.
"""

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row, post

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["group", "occupied_fte", "cover_fte", "occupied_headcount", "cover_headcount", "interim_ratio_pct"]
D = date(2024, 6, 30)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipelines", "metric", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)


def test_interim_cover_over_a_substantive_holder_on_long_term_leave_counts_in_the_ratio(build):
    # P1: the permanent holder (on leave, still assigned) 1.0 + an interim covering 1.0
    db = build(posts=[post("P1")],
               assignments=[job("A1", "E1", "P1", "permanent"), job("A2", "E2", "P1", "interim")])
    row = only_row(run_metric(db, "interim_ratio", as_of=D))
    assert row == {"group": "all", "occupied_fte": pytest.approx(2.0), "cover_fte": pytest.approx(1.0),
                   "occupied_headcount": 2, "cover_headcount": 1,
                   "interim_ratio_pct": pytest.approx(1.0 / 2.0 * 100)}


def test_every_cover_arrangement_counts_as_cover_and_substantive_ones_do_not(build):
    arrangements = ["permanent", "fixed_term", "acting", "interim", "agency", "secondment"]
    posts = [post(f"P{i}") for i in range(6)]
    jobs = [job(f"A{i}", f"E{i}", f"P{i}", arr, fte=f"0.{i + 1}") for i, arr in enumerate(arrangements)]
    db = build(posts=posts, assignments=jobs)
    row = only_row(run_metric(db, "interim_ratio", as_of=D))
    # occupied = 0.1+0.2+0.3+0.4+0.5+0.6 = 2.1; cover = acting 0.3 + interim 0.4 + agency 0.5 + secondment 0.6 = 1.8
    assert row["occupied_fte"] == pytest.approx(2.1)
    assert row["cover_fte"] == pytest.approx(1.8)
    assert row["occupied_headcount"] == 6
    assert row["cover_headcount"] == 4
    assert row["interim_ratio_pct"] == pytest.approx(1.8 / 2.1 * 100)


def test_acting_up_on_top_of_a_substantive_post_is_cover_fte_but_one_person(build):
    # E1: permanent 1.0 on P1 and acting 0.5 on the team manager post P2; E2: agency 0.6 on P3
    db = build(posts=[post("P1"), post("P2", tier="team_manager"), post("P3")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E1", "P2", "acting", "0.5"),
                            job("A3", "E2", "P3", "agency", "0.6")])
    row = only_row(run_metric(db, "interim_ratio", as_of=D))
    # occupied = 1.0 + 0.5 + 0.6 = 2.1; cover = 0.5 + 0.6 = 1.1; persons E1, E2 (both also cover)
    assert row["occupied_fte"] == pytest.approx(2.1)
    assert row["cover_fte"] == pytest.approx(1.1)
    assert row["occupied_headcount"] == 2
    assert row["cover_headcount"] == 2
    assert row["interim_ratio_pct"] == pytest.approx(1.1 / 2.1 * 100)


def test_intervals_are_inclusive_at_both_ends(build):
    db = build(posts=[post("P1"), post("P2"), post("P3"), post("P4")],
               assignments=[job("A1", "E1", "P1", "permanent"),
                            job("A2", "E2", "P2", "agency", start="2024-01-01", end="2024-06-30"),  # ends on d: counts
                            job("A3", "E3", "P3", "agency", start="2024-06-30"),  # starts on d: counts
                            job("A4", "E4", "P4", "agency", start="2024-01-01", end="2024-06-29"),  # ended: no
                            job("A5", "E5", "P4", "agency", start="2024-07-01")])  # not started: no
    row = only_row(run_metric(db, "interim_ratio", as_of=D))
    assert row["occupied_fte"] == pytest.approx(3.0)
    assert row["cover_fte"] == pytest.approx(2.0)
    assert row["interim_ratio_pct"] == pytest.approx(2.0 / 3.0 * 100)


def test_an_assignment_on_a_day_its_post_has_no_active_row_is_not_counted(build):
    # P1 has no row from 2024-04-01 to 2024-04-30; the interim assignment runs throughout
    db = build(posts=[post("P1", end="2024-03-31"), post("P1", start="2024-05-01"), post("P2")],
               assignments=[job("A1", "E1", "P1", "interim"), job("A2", "E2", "P2", "permanent")])
    gap = only_row(run_metric(db, "interim_ratio", as_of=date(2024, 4, 15)))
    assert gap["occupied_fte"] == pytest.approx(1.0)  # only E2's permanent post
    assert gap["cover_fte"] == 0
    assert gap["occupied_headcount"] == 1 and gap["cover_headcount"] == 0
    assert gap["interim_ratio_pct"] == 0.0
    back = only_row(run_metric(db, "interim_ratio", as_of=date(2024, 5, 1)))
    assert back["cover_fte"] == pytest.approx(1.0)
    assert back["interim_ratio_pct"] == pytest.approx(1.0 / 2.0 * 100)


def test_the_all_row_is_present_with_zeros_and_a_null_ratio_when_nothing_is_in_scope(build):
    db = build(posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", "agency")])
    empty = {"group": "all", "occupied_fte": 0.0, "cover_fte": 0.0, "occupied_headcount": 0,
             "cover_headcount": 0, "interim_ratio_pct": None}
    assert run_metric(db, "interim_ratio", as_of=D, unit="T2") == [empty]
    assert run_metric(db, "interim_ratio", as_of=date(2019, 12, 31)) == [empty]  # before anything started
    # grouped, no group has a record, so no group is listed
    assert run_metric(db, "interim_ratio", as_of=D, unit="T2", by="grade") == []


def test_groups_are_sorted_by_code_point_so_band_10_comes_before_band_9(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="SCP 34-37"), post("P3", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2"), job("A3", "E3", "P3")])
    rows = run_metric(db, "interim_ratio", as_of=D, by="grade")
    assert [r["group"] for r in rows] == ["Band 10", "Band 9", "SCP 34-37"]
    assert [r["interim_ratio_pct"] for r in rows] == [0.0, 100.0, 0.0]
    assert all(list(r) == FIELDS for r in rows)


def test_a_person_with_posts_in_two_groups_counts_once_in_each_and_once_in_all(build):
    # E1: interim 0.5 on P1 (Band 9) and 0.5 on P2 (Band 10)
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", "interim", "0.5"), job("A2", "E1", "P2", "interim", "0.5")])
    by_grade = run_metric(db, "interim_ratio", as_of=D, by="grade")
    assert [(r["group"], r["occupied_headcount"], r["cover_headcount"], r["occupied_fte"]) for r in by_grade] == [
        ("Band 10", 1, 1, pytest.approx(0.5)), ("Band 9", 1, 1, pytest.approx(0.5))]
    total = only_row(run_metric(db, "interim_ratio", as_of=D))
    assert (total["occupied_headcount"], total["cover_headcount"]) == (1, 1)
    assert total["occupied_fte"] == pytest.approx(1.0)


def test_grouping_by_tier_and_unit_uses_the_post_row_on_the_day(build):
    # P1 regraded and moved on 2024-04-01: Band 9 practitioner in T1 before, Band 10 senior practitioner in T2 after
    db = build(posts=[post("P1", unit="T1", grade="Band 9", tier="practitioner", end="2024-03-31"),
                      post("P1", unit="T2", grade="Band 10", tier="senior_practitioner", start="2024-04-01"),
                      post("P2", unit="T1", tier="team_manager")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2")])
    before = run_metric(db, "interim_ratio", as_of=date(2024, 3, 31), by="unit")
    assert [(r["group"], r["interim_ratio_pct"]) for r in before] == [("T1", pytest.approx(50.0))]
    after = run_metric(db, "interim_ratio", as_of=date(2024, 4, 1), by="unit")
    assert [(r["group"], r["interim_ratio_pct"]) for r in after] == [("T1", 0.0), ("T2", 100.0)]
    tiers = run_metric(db, "interim_ratio", as_of=date(2024, 4, 1), by="tier")
    assert [r["group"] for r in tiers] == ["senior_practitioner", "team_manager"]
    grades = run_metric(db, "interim_ratio", as_of=date(2024, 3, 1), by="grade")
    assert [(r["group"], r["occupied_fte"]) for r in grades] == [("Band 9", pytest.approx(2.0))]


def test_tier_filter_takes_several_tiers_and_social_work_only_drops_non_social_work_posts(build):
    db = build(posts=[post("P1", tier="team_manager"), post("P2", tier="head_of_service"),
                      post("P3", tier="practitioner"), post("P4", tier="team_manager", sw="false")],
               assignments=[job("A1", "E1", "P1", "interim"), job("A2", "E2", "P2", "permanent"),
                            job("A3", "E3", "P3", "agency"), job("A4", "E4", "P4", "permanent")])
    managers = only_row(run_metric(db, "interim_ratio", as_of=D, tiers=["team_manager", "head_of_service"]))
    # P1 interim 1.0, P2 permanent 1.0, P4 permanent 1.0 -> 1 / 3
    assert managers["occupied_fte"] == pytest.approx(3.0)
    assert managers["interim_ratio_pct"] == pytest.approx(1.0 / 3.0 * 100)
    sw_managers = only_row(run_metric(db, "interim_ratio", as_of=D, tiers=["team_manager", "head_of_service"],
                                      social_work_only=True))
    # P4 is not a social work post -> P1 and P2: 1 / 2
    assert sw_managers["interim_ratio_pct"] == pytest.approx(1.0 / 2.0 * 100)
    sw = only_row(run_metric(db, "interim_ratio", as_of=D, social_work_only=True))
    # P1, P2, P3: cover 2 of 3
    assert sw["interim_ratio_pct"] == pytest.approx(2.0 / 3.0 * 100)


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-03-31"),
    ("T1", "Team One", "S2", "team", "2024-04-01", ""),  # moved out of S1 into S2
    ("S3", "Closing Service", "CS", "service", "2020-01-01", "2024-06-30"),
    ("T3", "Orphaned Team", "S3", "team", "2020-01-01", ""),  # its parent has no row after 2024-06-30
]


def test_unit_scope_is_judged_on_the_day_so_a_team_moved_out_of_a_service_leaves_its_subtree(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", "agency")])
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 3, 31), unit="S1"))["cover_fte"] == 1.0
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 4, 1), unit="S1"))["cover_fte"] == 0.0
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 3, 31), unit="S2"))["cover_fte"] == 0.0
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 4, 1), unit="S2"))["cover_fte"] == 1.0
    # the team itself and the directorate hold it on both days
    for day in (date(2024, 3, 31), date(2024, 4, 1)):
        assert only_row(run_metric(db, "interim_ratio", as_of=day, unit="T1"))["cover_fte"] == 1.0
        assert only_row(run_metric(db, "interim_ratio", as_of=day, unit="CS"))["cover_fte"] == 1.0


def test_a_broken_parent_chain_takes_a_unit_out_of_the_upper_subtree(build):
    db = build(org=MOVED_ORG, posts=[post("P3", unit="T3")], assignments=[job("A1", "E1", "P3", "agency")])
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 6, 30), unit="CS"))["cover_fte"] == 1.0
    # from 2024-07-01, S3 has no active row: T3 -> S3 breaks, so T3 is not a descendant of CS
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 7, 1), unit="CS"))["cover_fte"] == 0.0
    # a unit is always in its own subtree
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 7, 1), unit="T3"))["cover_fte"] == 1.0
    # with no unit scope everything counts
    assert only_row(run_metric(db, "interim_ratio", as_of=date(2024, 7, 1)))["cover_fte"] == 1.0


# ------------------------------------------------------------------ the command line


def test_cli_json_lists_exactly_the_output_fields_with_unrounded_rates(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10"), post("P3", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2"),
                            job("A3", "E3", "P3", "interim", "0.5")])
    done = cli("interim_ratio", "--db", db, "--as-of", "2024-06-30", "--by", "grade", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [list(r) for r in rows] == [FIELDS, FIELDS]
    band10, band9 = rows
    assert band10["group"] == "Band 10"
    # 0.5 / 1.5 x 100 = 33.333..., unrounded
    assert band10["interim_ratio_pct"] == pytest.approx(0.5 / 1.5 * 100, rel=1e-12)
    assert (band10["occupied_headcount"], band10["cover_headcount"]) == (2, 1)
    assert band9 == {"group": "Band 9", "occupied_fte": 1.0, "cover_fte": 1.0, "occupied_headcount": 1,
                     "cover_headcount": 1, "interim_ratio_pct": 100.0}
    # UK date form is accepted too and gives the same answer
    uk = cli("interim_ratio", "--db", db, "--as-of", "30/06/2024", "--by", "grade", "--format", "json")
    assert uk.returncode == 0 and json.loads(uk.stdout) == rows


def test_cli_csv_has_the_same_columns_and_an_empty_cell_for_a_null_rate(build):
    db = build(posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", "agency")])
    done = cli("interim_ratio", "--db", db, "--as-of", "2024-06-30", "--unit", "T2", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ",".join(FIELDS)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 1
    assert rows[0]["group"] == "all"
    assert rows[0]["occupied_headcount"] == "0" and rows[0]["cover_headcount"] == "0"
    assert float(rows[0]["occupied_fte"]) == 0.0
    assert rows[0]["interim_ratio_pct"] == ""


@pytest.mark.parametrize("bad", [
    ["interim_rate", "--as-of", "2024-06-30"],  # unknown metric
    ["interim_ratio", "--as-of", "2024-06-30", "--by", "month"],  # grouping the metric does not allow
    ["interim_ratio", "--as-of", "2024-06-30", "--by", "person"],  # unknown grouping
    ["interim_ratio", "--as-of", "2024-06-30", "--tier", "chief_executive"],  # unknown tier
    ["interim_ratio", "--as-of", "2024-06-30", "--unit", "NOPE"],  # unit not in the org structure
    ["interim_ratio", "--from", "2024-01-01", "--to", "2024-06-30"],  # a period for an as-of metric
    ["interim_ratio", "--as-of", "2024-06-30", "--colour", "red"],  # unknown option
])
def test_cli_bad_requests_exit_with_status_2_and_no_traceback(build, bad):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1")])
    done = cli(*bad[:1], "--db", db, *bad[1:])
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "rror" in done.stderr
