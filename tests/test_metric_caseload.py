"""Caseload (METRICS.md section 9, DfE), hand-computed on tiny extracts; plus the command line.

Each caseload row on s is matched to the person's main assignment (largest fte, then smallest
assignment_id as text) among all their assignments active on s, any arrangement; that post row on s
gives scope and group. Case holders: matched persons with open_cases > 0; case-holding FTE is
min(1.0, sum of fte of all their active assignments). unmatched: every unmatched row on s, whatever
the scope, the same in every group.
"""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipelines.metrics import run_metric, series
from tests.extract_builder import job, only_row, post

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["group", "case_holders", "case_holding_fte", "cases", "caseload_per_fte", "mean_cases_per_holder",
          "over_threshold", "unmatched"]
S = date(2024, 6, 30)
SNAP = S.isoformat()


def caseload(db, s=S, **kw):
    return run_metric(db, "caseload", snapshot=s, **kw)


def test_caseload_per_fte_and_per_holder_over_the_case_holders_on_the_snapshot_day(build):
    db = build(posts=[post("P1"), post("P2"), post("P3")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2", fte="0.5"), job("A3", "E3", "P3")],
               caseloads=[(SNAP, "E1", 18), (SNAP, "E2", 12), (SNAP, "E3", 0),
                          ("2024-05-31", "E1", 99)])  # another snapshot: ignored
    # holders E1 (1.0, 18) and E2 (0.5, 12); E3 has no cases
    assert caseload(db) == [{"group": "all", "case_holders": 2, "case_holding_fte": pytest.approx(1.5), "cases": 30,
                             "caseload_per_fte": pytest.approx(30 / 1.5), "mean_cases_per_holder": pytest.approx(15.0),
                             "over_threshold": 0, "unmatched": 0}]
    may = only_row(caseload(db, date(2024, 5, 31)))
    assert (may["case_holders"], may["cases"], may["caseload_per_fte"]) == (1, 99, 99.0)


@pytest.mark.parametrize("threshold, over", [(20.0, 1), (18.0, 2), (17.5, 3), (21.0, 0)])
def test_over_threshold_is_strictly_above_a_possibly_fractional_threshold(build, threshold, over):
    db = build(posts=[post("P1"), post("P2"), post("P3")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2"), job("A3", "E3", "P3")],
               caseloads=[(SNAP, "E1", 20), (SNAP, "E2", 21), (SNAP, "E3", 18)])
    assert only_row(caseload(db, threshold=threshold))["over_threshold"] == over


def test_the_default_threshold_is_twenty(build):
    db = build(posts=[post("P1"), post("P2")], assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2")],
               caseloads=[(SNAP, "E1", 20), (SNAP, "E2", 21)])
    assert only_row(caseload(db))["over_threshold"] == 1


def test_acting_up_caps_case_holding_fte_at_one_and_groups_by_the_main_assignment(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Hay C", tier="team_manager"),
                      post("P3", grade="Band 9"), post("P4", grade="Band 10")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E1", "P2", "acting", fte="0.5"),  # 1.5 -> 1.0
                            job("A3", "E2", "P3", fte="0.6"), job("A4", "E2", "P4", "acting", fte="0.2")],  # 0.8
               caseloads=[(SNAP, "E1", 10), (SNAP, "E2", 8)])
    row = only_row(caseload(db))
    assert (row["case_holders"], row["case_holding_fte"], row["cases"]) == (2, pytest.approx(1.0 + 0.8), 18)
    assert row["caseload_per_fte"] == pytest.approx(18 / 1.8)
    assert row["mean_cases_per_holder"] == pytest.approx(9.0)
    # both main assignments (A1 1.0, A3 0.6) are on Band 9 posts; the acting posts give no group
    rows = caseload(db, by="grade")
    assert [(r["group"], r["case_holders"], r["case_holding_fte"]) for r in rows] == [
        ("Band 9", 2, pytest.approx(1.8))]


def test_a_caseload_is_matched_to_any_arrangement_and_fte_ties_go_to_the_smallest_assignment_id(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10"), post("P3", grade="Band 11")],
               assignments=[job("A9", "E1", "P1", fte="0.5"), job("A10", "E1", "P2", fte="0.5"),  # "A10" < "A9"
                            job("A3", "E2", "P3", "agency", fte="0.8")],
               caseloads=[(SNAP, "E1", 16), (SNAP, "E2", 12)])
    rows = caseload(db, by="grade")
    assert rows == [
        {"group": "Band 10", "case_holders": 1, "case_holding_fte": 1.0, "cases": 16, "caseload_per_fte": 16.0,
         "mean_cases_per_holder": 16.0, "over_threshold": 0, "unmatched": 0},
        {"group": "Band 11", "case_holders": 1, "case_holding_fte": pytest.approx(0.8), "cases": 12,
         "caseload_per_fte": pytest.approx(12 / 0.8), "mean_cases_per_holder": 12.0, "over_threshold": 0,
         "unmatched": 0},
    ]
    assert all(list(r) == FIELDS for r in rows)


UNMATCHED_CASELOADS = [
    (SNAP, "E6", 7),  # E6's assignment ended the day before
    (SNAP, "E7", 9),  # nobody of that id has any assignment
    (SNAP, "E8", 5),  # E8's post has no active row on s
]


def unmatched_extract(build, **kw):
    return build(posts=[post("P1", unit="T1", grade="Band 9"), post("P2", unit="T1", grade="Band 10"),
                        post("P6", unit="T2"), post("P8", unit="T2", end="2024-06-29"),
                        post("P8", unit="T2", start="2024-07-01")],
                 assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2"),
                              job("A6", "E6", "P6", end="2024-06-29"), job("A8", "E8", "P8")],
                 caseloads=[(SNAP, "E1", 25), (SNAP, "E2", 0), *UNMATCHED_CASELOADS], **kw)


def test_unmatched_rows_are_the_same_in_every_group_whatever_the_scope(build):
    db = unmatched_extract(build)
    by_grade = caseload(db, by="grade")
    assert [(r["group"], r["case_holders"], r["unmatched"]) for r in by_grade] == [("Band 10", 0, 3), ("Band 9", 1, 3)]
    assert only_row(caseload(db))["unmatched"] == 3
    assert only_row(caseload(db, unit="T2"))["unmatched"] == 3  # none of the three is "in" T2, or anywhere
    assert only_row(caseload(db, tiers=["director"]))["unmatched"] == 3
    assert only_row(caseload(db, social_work_only=True))["unmatched"] == 3


def test_a_matched_person_with_no_cases_still_lists_their_group(build):
    db = unmatched_extract(build)
    band10 = caseload(db, by="grade")[0]
    assert band10 == {"group": "Band 10", "case_holders": 0, "case_holding_fte": 0.0, "cases": 0,
                      "caseload_per_fte": None, "mean_cases_per_holder": None, "over_threshold": 0, "unmatched": 3}


def test_the_all_row_is_present_with_zeros_and_nulls_when_nothing_is_in_scope(build):
    db = unmatched_extract(build)
    assert caseload(db, unit="T2") == [{"group": "all", "case_holders": 0, "case_holding_fte": 0.0, "cases": 0,
                                        "caseload_per_fte": None, "mean_cases_per_holder": None,
                                        "over_threshold": 0, "unmatched": 3}]
    assert caseload(db, unit="T2", by="unit") == []
    # a snapshot day without caseload rows
    assert caseload(db, date(2024, 7, 31)) == [{"group": "all", "case_holders": 0, "case_holding_fte": 0.0,
                                                "cases": 0, "caseload_per_fte": None,
                                                "mean_cases_per_holder": None, "over_threshold": 0, "unmatched": 0}]


def test_a_caseload_is_in_scope_by_its_main_assignment_only(build):
    # E1: main P1 (support, 0.6, not social work), second P2 (practitioner, 0.4)
    db = build(posts=[post("P1", tier="support", sw="false"), post("P2", tier="practitioner")],
               assignments=[job("A1", "E1", "P1", fte="0.6"), job("A2", "E1", "P2", fte="0.4")],
               caseloads=[(SNAP, "E1", 6)])
    for kw in ({"tiers": ["practitioner"]}, {"social_work_only": True}):
        row = only_row(caseload(db, **kw))
        assert (row["case_holders"], row["unmatched"]) == (0, 0)
    support = only_row(caseload(db, tiers=["support"]))
    # holding fte = min(1, 0.6 + 0.4) = 1.0
    assert (support["case_holders"], support["case_holding_fte"], support["cases"]) == (1, pytest.approx(1.0), 6)


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-06-30"),
    ("T1", "Team One", "S2", "team", "2024-07-01", ""),  # moved out of S1 into S2
]


def test_unit_scope_is_judged_on_the_snapshot_day(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1")],
               caseloads=[("2024-06-30", "E1", 14), ("2024-07-01", "E1", 15)])
    days = series(db, "caseload", [date(2024, 6, 30), date(2024, 7, 1)], unit="S1")
    assert only_row(days[date(2024, 6, 30)])["cases"] == 14
    assert only_row(days[date(2024, 7, 1)])["cases"] == 0
    assert only_row(caseload(db, date(2024, 7, 1), unit="S2"))["cases"] == 15
    by_unit = caseload(db, date(2024, 7, 1), unit="CS", by="unit")
    assert [(r["group"], r["cases"]) for r in by_unit] == [("T1", 15)]


def test_groups_are_sorted_by_code_point(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10"), post("P3", grade="Band 1")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2"), job("A3", "E3", "P3")],
               caseloads=[(SNAP, "E1", 1), (SNAP, "E2", 2), (SNAP, "E3", 3)])
    assert [r["group"] for r in caseload(db, by="grade")] == ["Band 1", "Band 10", "Band 9"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipelines", "metric", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)


def test_cli_takes_a_fractional_threshold_and_prints_exactly_the_caseload_fields(build):
    db = build(posts=[post("P1"), post("P2")], assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2", fte="0.6")],
               caseloads=[(SNAP, "E1", 18), (SNAP, "E2", 17), (SNAP, "E9", 4)])
    done = cli("caseload", "--db", db, "--snapshot", SNAP, "--threshold", "17.5", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows == [{"group": "all", "case_holders": 2, "case_holding_fte": pytest.approx(1.6), "cases": 35,
                     "caseload_per_fte": pytest.approx(35 / 1.6, rel=1e-12), "mean_cases_per_holder": 17.5,
                     "over_threshold": 1, "unmatched": 1}]
    assert list(rows[0]) == FIELDS
    as_csv = cli("caseload", "--db", db, "--snapshot", SNAP, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    header, line = as_csv.stdout.splitlines()
    assert header.split(",") == FIELDS
    values = dict(zip(FIELDS, line.split(",")))
    assert (values["group"], values["over_threshold"], values["unmatched"]) == ("all", "0", "1")


@pytest.mark.parametrize("bad", [
    ["caseload", "--snapshot", SNAP, "--by", "type"],  # grouping caseload does not allow
    ["caseload", "--snapshot", SNAP, "--tier", "social_worker"],  # unknown tier
    ["caseload", "--snapshot", SNAP, "--threshold", "lots"],  # not a number
    ["caseload", "--as-of", SNAP],  # a snapshot metric needs --snapshot
    ["agency_rate", "--as-of", SNAP, "--threshold", "20"],  # --threshold is the caseload metric's only
    ["caseloads", "--snapshot", SNAP],  # unknown metric
])
def test_cli_bad_caseload_requests_exit_with_status_2(build, bad):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1")], caseloads=[(SNAP, "E1", 1)])
    done = cli(bad[0], "--db", db, *bad[1:])
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
