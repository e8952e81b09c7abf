"""Stability index (METRICS.md section 4, CIPD/NHS), hand-computed on tiny extracts.

Cohort: persons employed on a, placed (group and scope) by the post row on a of their main
substantive assignment on a. Stable: in the cohort, employed on b (any post), and no leaving event
with a <= e < b. stability_index_pct = stable / headcount_start x 100.
"""

from datetime import date

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row, post

FIELDS = ["group", "headcount_start", "stable", "stability_index_pct"]
A, B = date(2024, 1, 1), date(2024, 12, 31)


def stability(db, a=A, b=B, **kw):
    return run_metric(db, "stability", date_from=a, date_to=b, **kw)


def test_stability_is_the_share_of_the_start_cohort_still_employed_without_leaving(build):
    db = build(posts=[post("P1"), post("P2"), post("P3"), post("P4")],
               assignments=[job("A1", "E1", "P1"),  # stable
                            job("A2", "E2", "P2", end="2024-05-31"),  # leaves in the period
                            job("A3", "E3", "P3"),  # stable
                            job("A4", "E4", "P4", start="2024-02-01")])  # joins after a: not in the cohort
    assert stability(db) == [{"group": "all", "headcount_start": 3, "stable": 2,
                              "stability_index_pct": pytest.approx(2 / 3 * 100)}]


def test_a_leaving_event_on_b_itself_does_not_break_stability(build):
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-12-31"),  # leaves on b: employed on b, e = b not < b
                            job("A2", "E2", "P2", end="2024-12-30")])  # leaves on b-1: not employed on b
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (2, 1)
    assert row["stability_index_pct"] == pytest.approx(1 / 2 * 100)


def test_a_rejoiner_employed_again_on_b_is_not_stable(build):
    # E1 leaves on 2024-03-31 (nothing for 30 days), rejoins 2024-05-01 and is employed on b
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E1", "P1", start="2024-05-01"),
                            job("A3", "E2", "P2")])
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (2, 1)


def test_a_move_with_a_six_day_gap_keeps_stability_but_a_seven_day_gap_breaks_it(build):
    db = build(posts=[post("P1"), post("P2"), post("P3"), post("P4")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"),
                            job("A2", "E1", "P2", start="2024-04-07"),  # 1..6 April without a post: a move
                            job("A3", "E2", "P3", end="2024-03-31"),
                            job("A4", "E2", "P4", start="2024-04-08")])  # 1..7 April: left on 31 March
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (2, 1)


def test_someone_between_posts_on_b_is_not_stable_even_without_a_leaving_event(build):
    # E1 ends 2024-12-28 and restarts 2025-01-02 (four days): no leaving event, but not employed on b
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-12-28"), job("A2", "E1", "P2", start="2025-01-02")])
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (1, 0)
    assert row["stability_index_pct"] == 0.0


def test_moving_into_agency_work_breaks_stability(build):
    db = build(posts=[post("P1")],
               assignments=[job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E1", "P1", "agency", start="2024-04-01")])
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (1, 0)


def test_only_substantive_assignments_make_the_cohort(build):
    db = build(posts=[post("P1"), post("P2"), post("P3")],
               assignments=[job("A1", "E1", "P1", "acting"), job("A2", "E2", "P2", "agency"),
                            job("A3", "E3", "P3", "fixed_term")])
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"]) == (1, 1)


def test_a_cohort_member_moved_to_another_group_stays_in_the_start_group_and_is_stable(build):
    # E1 starts in Band 9 (P1), moves to a Band 10 post (P2) on 2024-06-01 with no gap
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", end="2024-05-31"), job("A2", "E1", "P2", start="2024-06-01")])
    assert stability(db, by="grade") == [{"group": "Band 9", "headcount_start": 1, "stable": 1,
                                          "stability_index_pct": 100.0}]


def test_a_person_with_two_posts_is_in_the_cohort_once_under_the_main_post_on_a(build):
    # main = largest fte: P1 (0.6, Band 9); the 0.4 Band 10 post gives no group
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A1", "E1", "P1", fte="0.6"), job("A2", "E1", "P2", fte="0.4")])
    rows = stability(db, by="grade")
    assert [(r["group"], r["headcount_start"], r["stable"]) for r in rows] == [("Band 9", 1, 1)]
    assert only_row(stability(db))["headcount_start"] == 1


def test_fte_ties_for_the_main_post_go_to_the_smallest_assignment_id_as_text(build):
    # equal fte: "A10" < "A9", so the cohort group is A10's post (Band 10)
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[job("A9", "E1", "P1", fte="0.5"), job("A10", "E1", "P2", fte="0.5")])
    rows = stability(db, by="grade")
    assert [(r["group"], r["headcount_start"]) for r in rows] == [("Band 10", 1)]


def test_someone_whose_main_post_is_out_of_scope_is_not_in_the_cohort(build):
    # E1: main post P1 (support, 0.6), second post P2 (practitioner, 0.4)
    db = build(posts=[post("P1", tier="support", sw="false"), post("P2", tier="practitioner")],
               assignments=[job("A1", "E1", "P1", fte="0.6"), job("A2", "E1", "P2", fte="0.4")])
    assert only_row(stability(db, tiers=["practitioner"]))["headcount_start"] == 0
    assert only_row(stability(db, social_work_only=True))["headcount_start"] == 0
    assert only_row(stability(db, tiers=["support"]))["headcount_start"] == 1


def test_a_cohort_member_in_another_unit_is_not_in_a_unit_scope(build):
    db = build(posts=[post("P1", unit="T1"), post("P2", unit="T2")],
               assignments=[job("A1", "E1", "P1", end="2024-06-30"), job("A2", "E2", "P2")])
    in_t2 = only_row(stability(db, unit="T2"))
    # only E2 is in T2 on a, and E2 is stable
    assert (in_t2["headcount_start"], in_t2["stable"], in_t2["stability_index_pct"]) == (1, 1, 100.0)
    in_t1 = only_row(stability(db, unit="T1"))
    assert (in_t1["headcount_start"], in_t1["stable"], in_t1["stability_index_pct"]) == (1, 0, 0.0)


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-03-31"),
    ("T1", "Team One", "S2", "team", "2024-04-01", ""),  # moved out of S1 into S2
]


def test_cohort_scope_is_judged_on_a_for_a_team_later_moved_to_another_service(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1")])
    assert only_row(stability(db, unit="S1"))["headcount_start"] == 1  # on a, T1 is in S1
    assert only_row(stability(db, unit="S2"))["headcount_start"] == 0
    later = date(2024, 4, 1)
    assert only_row(stability(db, later, B, unit="S1"))["headcount_start"] == 0
    assert only_row(stability(db, later, B, unit="S2"))["headcount_start"] == 1


def test_the_all_row_shows_zero_and_a_null_index_for_an_empty_cohort(build):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", start="2024-06-01")])
    assert stability(db) == [{"group": "all", "headcount_start": 0, "stable": 0, "stability_index_pct": None}]
    assert stability(db, by="unit") == []


def test_groups_are_sorted_by_code_point(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10"), post("P3", grade="Band 10")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2"), job("A3", "E3", "P3", end="2024-02-29")])
    rows = stability(db, by="grade")
    assert rows == [{"group": "Band 10", "headcount_start": 2, "stable": 1, "stability_index_pct": 50.0},
                    {"group": "Band 9", "headcount_start": 1, "stable": 1, "stability_index_pct": 100.0}]
    assert all(list(r) == FIELDS for r in rows)


def test_a_one_in_three_index_is_unrounded(build):
    db = build(posts=[post("P1"), post("P2"), post("P3")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P2", end="2024-03-31"),
                            job("A3", "E3", "P3", end="2024-04-30")])
    assert only_row(stability(db))["stability_index_pct"] == pytest.approx(100 / 3, rel=1e-12)


def test_a_leaving_event_on_a_itself_breaks_stability_even_for_a_rejoiner(build):
    # E1 is employed on a and leaves that day; back on 2024-03-01 and employed on b, but a <= e < b
    db = build(posts=[post("P1"), post("P2")],
               assignments=[job("A1", "E1", "P1", end="2024-01-01"), job("A2", "E1", "P1", start="2024-03-01"),
                            job("A3", "E2", "P2", end="2023-12-31")])  # E2 left before a: not in the cohort
    row = only_row(stability(db))
    assert (row["headcount_start"], row["stable"], row["stability_index_pct"]) == (1, 0, 0.0)
