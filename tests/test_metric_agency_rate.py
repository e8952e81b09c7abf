"""Agency rate (METRICS.md section 2, the DfE definition), hand-computed on tiny extracts.

agency_fte = fte of agency-family assignments (agency, interim) active on d in scope;
substantive_fte = fte of substantive ones (permanent, fixed_term);
agency_rate_pct = agency_fte / (agency_fte + substantive_fte) x 100. Acting and secondment are
cover but neither agency nor substantive: they are in neither figure.
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
FIELDS = ["group", "agency_fte", "substantive_fte", "agency_rate_pct"]
D = date(2024, 6, 30)


def test_agency_and_interim_are_agency_while_acting_and_secondment_count_in_neither_figure(build):
    arrangements = [("permanent", "1"), ("fixed_term", "0.5"), ("agency", "0.8"), ("interim", "0.4"),
                    ("acting", "1"), ("secondment", "1")]
    db = build(posts=[post(f"P{i}") for i in range(6)],
               assignments=[job(f"A{i}", f"E{i}", f"P{i}", arr, fte) for i, (arr, fte) in enumerate(arrangements)])
    row = only_row(run_metric(db, "agency_rate", as_of=D))
    # agency = 0.8 + 0.4 = 1.2; substantive = 1.0 + 0.5 = 1.5
    assert row == {"group": "all", "agency_fte": pytest.approx(1.2), "substantive_fte": pytest.approx(1.5),
                   "agency_rate_pct": pytest.approx(1.2 / (1.2 + 1.5) * 100)}


def test_an_interim_covering_a_holder_on_long_term_leave_counts_next_to_the_holder(build):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", "permanent"), job("A2", "E2", "P1", "interim")])
    row = only_row(run_metric(db, "agency_rate", as_of=D))
    assert row["agency_fte"] == pytest.approx(1.0)
    assert row["substantive_fte"] == pytest.approx(1.0)
    assert row["agency_rate_pct"] == pytest.approx(1.0 / 2.0 * 100)


def test_the_rate_is_null_when_there_is_no_agency_or_substantive_fte(build):
    # only an acting assignment: neither agency nor substantive, so the denominator is zero
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", "acting")])
    assert run_metric(db, "agency_rate", as_of=D) == [
        {"group": "all", "agency_fte": 0.0, "substantive_fte": 0.0, "agency_rate_pct": None}]


def test_the_all_row_is_present_when_nothing_is_in_scope(build):
    db = build(posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", "agency")])
    empty = [{"group": "all", "agency_fte": 0.0, "substantive_fte": 0.0, "agency_rate_pct": None}]
    assert run_metric(db, "agency_rate", as_of=D, unit="T2") == empty
    assert run_metric(db, "agency_rate", as_of=D, tiers=["director"]) == empty
    assert run_metric(db, "agency_rate", as_of=D, unit="T2", by="unit") == []


def test_an_all_agency_workforce_is_one_hundred_percent_and_all_substantive_is_zero(build):
    db = build(posts=[post("P1", unit="T1"), post("P2", unit="T2")],
               assignments=[job("A1", "E1", "P1", "agency", "0.7"), job("A2", "E2", "P2", "permanent", "0.3")])
    rows = run_metric(db, "agency_rate", as_of=D, by="unit")
    assert [(r["group"], r["agency_rate_pct"]) for r in rows] == [("T1", 100.0), ("T2", 0.0)]
    assert only_row(run_metric(db, "agency_rate", as_of=D))["agency_rate_pct"] == pytest.approx(0.7 / 1.0 * 100)


def test_groups_are_sorted_by_code_point_and_carry_exactly_the_spec_fields(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10"), post("P3", grade="Band 11")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2"),
                            job("A3", "E3", "P3", "interim", "0.5"), job("A4", "E4", "P3", "fixed_term", "0.5")])
    rows = run_metric(db, "agency_rate", as_of=D, by="grade")
    assert [r["group"] for r in rows] == ["Band 10", "Band 11", "Band 9"]
    assert all(list(r) == FIELDS for r in rows)
    assert [r["agency_rate_pct"] for r in rows] == [0.0, pytest.approx(50.0), 100.0]


def test_an_assignment_on_a_day_its_post_has_no_active_row_is_not_counted(build):
    db = build(posts=[post("P1", end="2024-05-31"), post("P1", start="2024-07-01"), post("P2")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2", "permanent")])
    row = only_row(run_metric(db, "agency_rate", as_of=D))  # P1 has no row in June 2024
    assert (row["agency_fte"], row["agency_rate_pct"]) == (0.0, 0.0)
    row = only_row(run_metric(db, "agency_rate", as_of=date(2024, 7, 1)))
    assert row["agency_rate_pct"] == pytest.approx(50.0)


def test_a_post_moved_between_teams_is_grouped_and_scoped_by_its_row_on_the_day(build):
    db = build(posts=[post("P1", unit="T1", end="2024-03-31"), post("P1", unit="T2", start="2024-04-01"),
                      post("P2", unit="T2")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2", "permanent")])
    days = series(db, "agency_rate", [date(2024, 3, 31), date(2024, 4, 1)], by="unit")
    assert [(r["group"], r["agency_rate_pct"]) for r in days[date(2024, 3, 31)]] == [("T1", 100.0), ("T2", 0.0)]
    assert [(r["group"], r["agency_rate_pct"]) for r in days[date(2024, 4, 1)]] == [("T2", pytest.approx(50.0))]
    assert only_row(run_metric(db, "agency_rate", as_of=date(2024, 4, 1), unit="T1"))["agency_rate_pct"] is None


def test_tier_and_social_work_filters_narrow_the_posts(build):
    db = build(posts=[post("P1", tier="practitioner"), post("P2", tier="practitioner", sw="no"),
                      post("P3", tier="support", sw="N")],
               assignments=[job("A1", "E1", "P1", "agency"), job("A2", "E2", "P2", "permanent"),
                            job("A3", "E3", "P3", "agency")])
    # practitioners: agency 1 of 2
    assert only_row(run_metric(db, "agency_rate", as_of=D, tiers=["practitioner"]))["agency_rate_pct"] == 50.0
    # social work posts: only P1 -> 100
    assert only_row(run_metric(db, "agency_rate", as_of=D, social_work_only=True))["agency_rate_pct"] == 100.0
    # everything: agency 2 of 3
    assert only_row(run_metric(db, "agency_rate", as_of=D))["agency_rate_pct"] == pytest.approx(2 / 3 * 100)
    by_tier = run_metric(db, "agency_rate", as_of=D, by="tier", tiers=["support", "practitioner"])
    assert [r["group"] for r in by_tier] == ["practitioner", "support"]


def test_cli_json_output_has_exactly_the_agency_rate_fields(build):
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", "agency", "0.25"), job("A2", "E2", "P2", "permanent")])
    done = subprocess.run([sys.executable, "-m", "pipelines", "metric", "agency_rate", "--db", str(db),
                           "--as-of", "2024-06-30", "--format", "json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"group": "all", "agency_fte": 0.25, "substantive_fte": 1.0,
                                        "agency_rate_pct": pytest.approx(0.25 / 1.25 * 100, rel=1e-12)}]
