"""Leadership churn (METRICS.md section 8), hand-computed on tiny extracts.

Management posts: each post's row with the latest valid_from on or before b; the post counts when
that row's tier is a management tier (and in --tier, if given) and the row is in scope, judged on b
or on the row's valid_to if earlier. That row gives the group.
posts = such posts with an assignment (any arrangement) active on some day in a..b;
holder_changes = assignments on them starting in a..b whose person differs from every person
holding the post the day before (an appointment to an empty post is a change);
distinct_holders = distinct (post, person) pairs with an assignment active in a..b.
An assignment starting on or before the coverage start (the earliest start_date loaded) is never a
change; tests/test_leadership_coverage_start.py proves that rule.
"""

from datetime import date

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row
from tests.extract_builder import post as base_post

FIELDS = ["group", "posts", "holder_changes", "distinct_holders"]
A, B = date(2024, 1, 1), date(2024, 12, 31)
EMPTY = {"group": "all", "posts": 0, "holder_changes": 0, "distinct_holders": 0}


def post(post_id, unit="T1", grade="Hay C", tier="team_manager", **rest):
    """Churn is about management posts: a team manager post unless a test says otherwise."""
    return base_post(post_id, unit=unit, grade=grade, tier=tier, **rest)


@pytest.fixture
def build(build):
    """Every extract here also holds a practitioner's assignment from 1 Jan 2020 (post X0, never a
    management post, so it counts nowhere): the coverage start is then 1 Jan 2020, before every period
    below, and the appointments these tests make are judged on who held the post the day before."""

    def _build(*, posts, assignments, **rest):
        return build(posts=[*posts, base_post("X0", unit="T2")],
                     assignments=[*assignments, job("A0", "E0", "X0", start="2020-01-01")], **rest)

    return _build


def churn(db, a=A, b=B, **kw):
    return run_metric(db, "leadership_churn", date_from=a, date_to=b, **kw)


def triple(row):
    return row["posts"], row["holder_changes"], row["distinct_holders"]


def test_an_appointment_to_an_empty_post_is_a_holder_change(build):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", start="2024-03-01")])
    assert churn(db) == [{"group": "all", "posts": 1, "holder_changes": 1, "distinct_holders": 1}]


def test_the_same_person_re_appointed_the_day_after_is_not_a_change(build):
    # E1 acts as interim until 29 Feb and is made permanent from 1 March
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", "interim", start="2023-01-01", end="2024-02-29"),
                                                job("A2", "E1", "P1", "permanent", start="2024-03-01")])
    assert triple(only_row(churn(db))) == (1, 0, 1)


def test_the_same_person_back_after_an_empty_day_is_an_appointment_to_an_empty_post(build):
    # nobody holds P1 on 29 Feb, so E1's new assignment from 1 March is a change
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", "interim", start="2023-01-01", end="2024-02-28"),
                                                job("A2", "E1", "P1", "permanent", start="2024-03-01")])
    assert triple(only_row(churn(db))) == (1, 1, 1)


def test_a_new_holder_after_or_alongside_the_old_one_is_a_change(build):
    db = build(posts=[post("P1"), post("P2")], assignments=[
        job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E2", "P1", start="2024-04-01"),  # handover: 1
        job("A3", "E3", "P2"), job("A4", "E4", "P2", "interim", start="2024-05-01"),  # interim beside E3: 1
    ])
    # posts P1, P2; changes A2, A4; holders (P1,E1) (P1,E2) (P2,E3) (P2,E4)
    assert triple(only_row(churn(db))) == (2, 2, 4)


def test_only_appointments_starting_inside_the_period_are_changes(build):
    db = build(posts=[post("P1"), post("P2"), post("P3"), post("P4")], assignments=[
        job("A1", "E1", "P1", start="2023-12-31"),  # before a: holds in the period, no change
        job("A2", "E2", "P2", start="2024-01-01"),  # on a: change
        job("A3", "E3", "P3", start="2024-12-31"),  # on b: change
        job("A4", "E4", "P4", start="2025-01-01"),  # after b: not active in the period at all
    ])
    assert triple(only_row(churn(db))) == (3, 2, 3)


def test_a_job_share_appointed_to_an_empty_post_is_two_changes(build):
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1", fte="0.5", start="2024-06-01"),
                                                job("A2", "E2", "P1", fte="0.5", start="2024-06-01")])
    assert triple(only_row(churn(db))) == (1, 2, 2)


def test_distinct_holders_counts_post_and_person_pairs(build):
    db = build(posts=[post("P1"), post("P2")], assignments=[
        job("A1", "E1", "P1", end="2024-03-31"), job("A2", "E1", "P1", "acting", start="2024-06-01"),  # same pair
        job("A3", "E1", "P2", "acting", fte="0.2", start="2024-02-01", end="2024-02-29"),  # E1 on another post
    ])
    # P1: A2 after two empty months is a change; P2: A3 to an empty post is a change
    assert triple(only_row(churn(db))) == (2, 2, 2)


def test_posts_outside_the_management_tiers_are_not_counted(build):
    db = build(posts=[post("P1", tier="senior_practitioner"), post("P2", tier="practitioner"),
                      post("P3", tier="support")],
               assignments=[job("A1", "E1", "P1", start="2024-03-01"), job("A2", "E2", "P2", start="2024-03-01"),
                            job("A3", "E3", "P3", start="2024-03-01")])
    assert churn(db) == [EMPTY]
    assert churn(db, by="tier") == []


def test_a_post_is_judged_by_its_latest_row_on_or_before_b(build):
    db = build(posts=[
        post("P1", tier="practitioner", end="2024-06-30"), post("P1", tier="team_manager", start="2024-07-01"),
        post("P2", tier="team_manager", end="2024-06-30"), post("P2", tier="senior_practitioner", start="2024-07-01"),
        post("P3", tier="practitioner", end="2025-01-31"), post("P3", tier="team_manager", start="2025-02-01"),
    ], assignments=[job("A1", "E1", "P1", start="2024-03-01"), job("A2", "E2", "P2", start="2024-03-01"),
                    job("A3", "E3", "P3", start="2024-03-01")])
    # only P1 counts (team manager from July); E1's March appointment, made while P1 was a practitioner post,
    # is an assignment on that post starting in a..b, so it is a change
    assert churn(db, by="tier") == [{"group": "team_manager", "posts": 1, "holder_changes": 1, "distinct_holders": 1}]
    # judged at b = 30 June instead, P2 counts and P1 does not
    assert churn(db, A, date(2024, 6, 30), by="tier") == [
        {"group": "team_manager", "posts": 1, "holder_changes": 1, "distinct_holders": 1}]
    assert only_row(churn(db, A, date(2024, 6, 30), tiers=["team_manager"]))["distinct_holders"] == 1


def test_the_tier_filter_narrows_the_management_tiers_and_groups_sort_by_code_point(build):
    db = build(posts=[post("P1", tier="director"), post("P2", tier="head_of_service"),
                      post("P3", tier="assistant_director"), post("P4", tier="practitioner")],
               assignments=[job(f"A{i}", f"E{i}", f"P{i}", start="2024-02-01") for i in range(1, 5)])
    rows = churn(db, by="tier")
    assert [r["group"] for r in rows] == ["assistant_director", "director", "head_of_service"]
    assert all(list(r) == FIELDS for r in rows)
    assert triple(only_row(churn(db, tiers=["director"]))) == (1, 1, 1)
    assert triple(only_row(churn(db, tiers=["director", "practitioner"]))) == (1, 1, 1)
    # a non-management tier gives an empty result
    assert churn(db, tiers=["practitioner"], by="tier") == []
    assert churn(db, tiers=["practitioner"]) == [EMPTY]


def test_social_work_only_applies_to_the_judging_row(build):
    db = build(posts=[post("P1", sw="true"), post("P2", sw="false")],
               assignments=[job("A1", "E1", "P1", start="2024-02-01"), job("A2", "E2", "P2", start="2024-02-01")])
    assert triple(only_row(churn(db, social_work_only=True))) == (1, 1, 1)
    assert triple(only_row(churn(db))) == (2, 2, 2)


def test_a_post_needs_an_assignment_active_in_the_period(build):
    # P1's only assignment ended before a; P2's runs while P2 has no row (no active row, so never active)
    db = build(posts=[post("P1"), post("P2", end="2024-03-31"), post("P2", start="2024-06-01")],
               assignments=[job("A1", "E1", "P1", end="2023-12-31"),
                            job("A2", "E2", "P2", start="2024-04-01", end="2024-05-31")])
    assert churn(db) == [EMPTY]


def test_a_moved_post_is_grouped_by_its_latest_row(build):
    db = build(posts=[post("P1", unit="T1", end="2024-05-31"), post("P1", unit="T2", start="2024-06-01")],
               assignments=[job("A1", "E1", "P1", start="2024-03-01")])
    assert churn(db, by="unit") == [{"group": "T2", "posts": 1, "holder_changes": 1, "distinct_holders": 1}]


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-09-30"),
    ("T1", "Team One", "S2", "team", "2024-10-01", ""),  # moved out of S1 into S2
    ("T2", "Team Two", "S1", "team", "2020-01-01", ""),
]


def test_unit_scope_is_judged_on_b_or_on_the_rows_valid_to_if_earlier(build):
    # P1 (T1) is deleted after 30 June: judged then, T1 is in S1; P2 (T1) is judged on b, when T1 is in S2
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1", end="2024-06-30"), post("P2", unit="T1")],
               assignments=[job("A1", "E1", "P1", start="2024-02-01", end="2024-06-30"),
                            job("A2", "E2", "P2", start="2024-02-01"), job("A3", "E3", "P2", "interim",
                                                                          start="2024-08-01")])
    assert triple(only_row(churn(db, unit="S1"))) == (1, 1, 1)
    assert triple(only_row(churn(db, unit="S2"))) == (1, 2, 2)
    assert triple(only_row(churn(db, unit="CS"))) == (2, 3, 3)


def test_posts_in_another_unit_are_out_of_a_unit_scope(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1", start="2024-02-01")])
    assert churn(db, unit="T2") == [EMPTY]
    assert churn(db, unit="T2", by="unit") == []
    assert triple(only_row(churn(db, unit="T1"))) == (1, 1, 1)
