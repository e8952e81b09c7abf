"""Vacancy duration (METRICS.md section 6), hand-computed on tiny extracts.

An episode is a maximal run s..t of fully vacant days (active row, sub_fte = 0) of one post, cut at b.
Filled: a substantive assignment is active on t+1 and t < b; counted when a <= t+1 <= b.
Open: t = b (age t - s + 1). Closed: no row on t+1. Left-censored: s <= coverage start (the earliest
assignment start_date), left out of filled/open and counted in left_censored. Grouped and scoped
by the post row on t. The median of an even count is the mean of the two middle values.

Unless a test says otherwise, the coverage start is 2020-01-01 (every post is created then and
filled from then), so every episode below starts after it.
"""

from datetime import date, timedelta

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row, post

FIELDS = ["group", "filled", "median_days_to_fill", "mean_days_to_fill", "open", "median_open_age_days",
          "open_over_90_days", "open_over_180_days", "left_censored"]
A, B = date(2024, 1, 1), date(2024, 12, 31)
EMPTY = {"filled": 0, "median_days_to_fill": None, "mean_days_to_fill": None, "open": 0,
         "median_open_age_days": None, "open_over_90_days": 0, "open_over_180_days": 0, "left_censored": 0}


def vacated(post_id, vacant_from: date, filled_on: date | None = None):
    """The post's holder since 2020-01-01 leaves the day before vacant_from; a new holder starts on filled_on."""
    rows = [job(f"{post_id}-old", f"{post_id}-holder", post_id, end=(vacant_from - timedelta(days=1)).isoformat())]
    if filled_on is not None:
        rows.append(job(f"{post_id}-new", f"{post_id}-successor", post_id, start=filled_on.isoformat()))
    return rows


def durations(db, a=A, b=B, **kw):
    return run_metric(db, "vacancy_duration", date_from=a, date_to=b, **kw)


def test_a_filled_vacancy_counts_its_days_from_first_vacant_day_to_last(build):
    # vacant 2024-02-01 .. 2024-03-10 (29 February days + 10), filled on 11 March
    db = build(posts=[post("P1")], assignments=vacated("P1", date(2024, 2, 1), date(2024, 3, 11)))
    assert durations(db) == [{"group": "all", **EMPTY, "filled": 1, "median_days_to_fill": 39.0,
                              "mean_days_to_fill": 39.0}]


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values(build):
    s = date(2024, 2, 1)
    days = [10, 20, 40, 100]
    db = build(posts=[post(f"P{d}") for d in days],
               assignments=[r for d in days for r in vacated(f"P{d}", s, s + timedelta(days=d))])
    row = only_row(durations(db))
    assert row["filled"] == 4
    assert row["median_days_to_fill"] == pytest.approx((20 + 40) / 2)
    assert row["mean_days_to_fill"] == pytest.approx((10 + 20 + 40 + 100) / 4)


def test_the_median_of_an_odd_count_is_the_middle_value(build):
    s = date(2024, 2, 1)
    days = [10, 20, 100]
    db = build(posts=[post(f"P{d}") for d in days],
               assignments=[r for d in days for r in vacated(f"P{d}", s, s + timedelta(days=d))])
    row = only_row(durations(db))
    assert (row["filled"], row["median_days_to_fill"]) == (3, 20.0)
    assert row["mean_days_to_fill"] == pytest.approx(130 / 3)


def test_filled_is_counted_when_the_day_after_the_vacancy_falls_in_the_period(build):
    a, b = date(2024, 4, 1), date(2024, 6, 30)
    db = build(posts=[post(f"P{i}") for i in range(1, 6)], assignments=[
        *vacated("P1", date(2024, 3, 1), date(2024, 4, 1)),  # t+1 = a: counted, 31 days
        *vacated("P2", date(2024, 3, 1), date(2024, 3, 31)),  # t+1 = a-1: not counted
        *vacated("P3", date(2024, 5, 1), date(2024, 6, 30)),  # t+1 = b: counted, 31 + 29 = 60 days
        *vacated("P4", date(2024, 5, 1), date(2024, 7, 1)),  # t = b: open on b, age 31 + 30 = 61
        *vacated("P5", date(2024, 5, 1), date(2024, 7, 15)),  # filled after b: open on b, age 61
    ])
    row = only_row(durations(db, a, b))
    assert row == {"group": "all", "filled": 2, "median_days_to_fill": pytest.approx((31 + 60) / 2),
                   "mean_days_to_fill": pytest.approx((31 + 60) / 2), "open": 2, "median_open_age_days": 61.0,
                   "open_over_90_days": 0, "open_over_180_days": 0, "left_censored": 0}


@pytest.mark.parametrize("ages, over_90, over_180", [
    ([90, 91, 180, 181], 3, 1),
    ([89, 90], 0, 0),
    ([181], 1, 1),
])
def test_open_over_90_and_180_days_are_strictly_greater_than(build, ages, over_90, over_180):
    # an open episode with age n on b began on b - n + 1
    db = build(posts=[post(f"P{n}") for n in ages],
               assignments=[r for n in ages for r in vacated(f"P{n}", B - timedelta(days=n - 1))])
    row = only_row(durations(db))
    assert row["open"] == len(ages)
    assert (row["open_over_90_days"], row["open_over_180_days"]) == (over_90, over_180)
    middle = sorted(ages)[(len(ages) - 1) // 2: len(ages) // 2 + 1]
    assert row["median_open_age_days"] == pytest.approx(sum(middle) / len(middle))
    assert row["filled"] == 0 and row["median_days_to_fill"] is None


ORG_2019 = [
    ("CS", "Children's Services", "", "directorate", "2019-01-01", ""),
    ("T1", "Team One", "CS", "team", "2019-01-01", ""),
    ("T2", "Team Two", "CS", "team", "2019-01-01", ""),
]


def test_a_left_censored_episode_is_left_out_of_filled_and_open_and_counted_on_its_own(build):
    # coverage start = the earliest assignment start = 2020-01-01 (P0's holder)
    db = build(org=ORG_2019, posts=[post("P0"), post("P1"), post("P2"), post("P3", start="2019-06-01"),
                                    post("P4"), post("P5", start="2020-01-02")],
               assignments=[
                   job("A0", "E0", "P0"),
                   job("A1", "E1", "P1", start="2024-03-01"),  # vacant from 2020-01-01 = coverage start: censored
                   job("A3", "E3", "P3", start="2024-05-01"),  # vacant from 2019-06-01: censored
                   job("A4", "E4", "P4", start="2021-01-01"),  # censored, but filled before a: not counted at all
                   # P2: vacant from 2020-01-01, never filled: open on b but censored
                   # P5: created 2020-01-02, never filled: open, not censored
               ])
    row = only_row(durations(db))
    assert row == {"group": "all", "filled": 0, "median_days_to_fill": None, "mean_days_to_fill": None,
                   "open": 1, "median_open_age_days": float((B - date(2020, 1, 2)).days + 1),
                   "open_over_90_days": 1, "open_over_180_days": 1, "left_censored": 3}


def test_a_post_moved_and_regraded_while_vacant_keeps_one_episode_grouped_by_its_row_on_the_last_day(build):
    # vacant 2024-02-01 .. 2024-04-30 (29 + 31 + 30 = 90 days); moved T1 -> T2 and regraded on 1 April
    db = build(posts=[post("P1", unit="T1", grade="Band 9", end="2024-03-31"),
                      post("P1", unit="T2", grade="Band 10", start="2024-04-01")],
               assignments=vacated("P1", date(2024, 2, 1), date(2024, 5, 1)))
    assert durations(db, by="unit") == [{"group": "T2", **EMPTY, "filled": 1, "median_days_to_fill": 90.0,
                                         "mean_days_to_fill": 90.0}]
    assert [r["group"] for r in durations(db, by="grade")] == ["Band 10"]
    assert only_row(durations(db, unit="T1"))["filled"] == 0
    assert only_row(durations(db, unit="T2"))["filled"] == 1


def test_a_post_regraded_while_open_is_grouped_by_its_row_on_b(build):
    db = build(posts=[post("P1", grade="Band 9", tier="practitioner", end="2024-09-30"),
                      post("P1", grade="Band 10", tier="senior_practitioner", start="2024-10-01")],
               assignments=vacated("P1", date(2024, 9, 1)))
    # open since 1 September: 30 + 31 + 30 + 31 = 122 days on b
    rows = durations(db, by="tier")
    assert [(r["group"], r["open"], r["median_open_age_days"]) for r in rows] == [("senior_practitioner", 1, 122.0)]
    assert only_row(durations(db, tiers=["practitioner"]))["open"] == 0
    assert only_row(durations(db, tiers=["senior_practitioner"]))["open"] == 1


def test_a_day_without_a_row_of_the_post_ends_the_run(build):
    # P1 has no row on 2024-03-01; vacant from 2024-02-01; filled on 2024-04-01
    # episode 1: 1..29 Feb, closed (no row on 1 March): not counted; episode 2: 2..31 March = 30 days, filled
    db = build(posts=[post("P1", end="2024-02-29"), post("P1", start="2024-03-02")],
               assignments=vacated("P1", date(2024, 2, 1), date(2024, 4, 1)))
    row = only_row(durations(db))
    assert (row["filled"], row["median_days_to_fill"], row["open"], row["left_censored"]) == (1, 30.0, 0, 0)


def test_a_post_deleted_while_vacant_closes_its_episode_which_is_not_counted(build):
    db = build(posts=[post("P1", end="2024-05-31"), post("P2")],
               assignments=[*vacated("P1", date(2024, 3, 1)), *vacated("P2", date(2024, 3, 1), date(2024, 3, 11))])
    row = only_row(durations(db))
    assert (row["filled"], row["median_days_to_fill"], row["open"]) == (1, 10.0, 0)


def test_only_a_post_with_no_substantive_fte_is_fully_vacant_and_cover_does_not_end_a_vacancy(build):
    db = build(posts=[post("P1", budget="2"), post("P2"), post("P3")], assignments=[
        job("A1", "E1", "P1", fte="0.5"),  # 1.5 of 2 vacant, but not fully vacant: no episode
        *vacated("P2", date(2024, 6, 1)),
        job("A2", "E2", "P2", "interim", start="2024-06-01"),  # P2 stays fully vacant under interim cover
        job("A3", "E3", "P3", fte="0.5"), job("A4", "E4", "P3", fte="0.5", end="2024-03-31"),  # half a job share left
    ])
    row = only_row(durations(db))
    # P2: open since 1 June: 30 + 31 + 31 + 30 + 31 + 30 + 31 = 214 days
    assert row == {"group": "all", "filled": 0, "median_days_to_fill": None, "mean_days_to_fill": None,
                   "open": 1, "median_open_age_days": 214.0, "open_over_90_days": 1, "open_over_180_days": 1,
                   "left_censored": 0}


def test_a_fixed_term_appointment_fills_a_vacancy(build):
    db = build(posts=[post("P1")], assignments=[*vacated("P1", date(2024, 2, 1)),
                                                job("A9", "E9", "P1", "fixed_term", fte="0.2", start="2024-02-21")])
    row = only_row(durations(db))
    assert (row["filled"], row["median_days_to_fill"]) == (1, 20.0)  # 1..20 February


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-03-31"),
    ("T1", "Team One", "S2", "team", "2024-04-01", ""),  # moved out of S1 into S2
]


def test_unit_scope_is_judged_on_the_last_vacant_day(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1"), post("P2", unit="T1")], assignments=[
        *vacated("P1", date(2024, 2, 1), date(2024, 3, 15)),  # t = 14 March: T1 in S1; 29 + 14 = 43 days
        *vacated("P2", date(2024, 2, 1), date(2024, 5, 1)),  # t = 30 April: T1 in S2; 90 days
    ])
    s1 = only_row(durations(db, unit="S1"))
    assert (s1["filled"], s1["median_days_to_fill"]) == (1, 43.0)
    s2 = only_row(durations(db, unit="S2"))
    assert (s2["filled"], s2["median_days_to_fill"]) == (1, 90.0)
    everything = only_row(durations(db, unit="CS"))
    assert (everything["filled"], everything["mean_days_to_fill"]) == (2, pytest.approx((43 + 90) / 2))


def test_the_all_row_is_present_with_zeros_and_nulls_when_nothing_is_in_scope(build):
    db = build(posts=[post("P1", unit="T1")], assignments=vacated("P1", date(2024, 2, 1), date(2024, 3, 1)))
    assert durations(db, unit="T2") == [{"group": "all", **EMPTY}]
    assert durations(db, unit="T2", by="unit") == []
    assert durations(db, social_work_only=True, tiers=["support"]) == [{"group": "all", **EMPTY}]


def test_groups_are_sorted_by_code_point_and_carry_exactly_the_spec_fields(build):
    db = build(posts=[post("P1", grade="Band 9"), post("P2", grade="Band 10")],
               assignments=[*vacated("P1", date(2024, 2, 1), date(2024, 2, 11)), *vacated("P2", date(2024, 11, 1))])
    rows = durations(db, by="grade")
    assert rows == [
        {"group": "Band 10", **EMPTY, "open": 1, "median_open_age_days": 61.0},  # 30 Nov + 31 Dec
        {"group": "Band 9", **EMPTY, "filled": 1, "median_days_to_fill": 10.0, "mean_days_to_fill": 10.0},
    ]
    assert all(list(r) == FIELDS for r in rows)


def test_a_run_still_going_on_b_is_open_whatever_happens_to_the_post_afterwards(build):
    db = build(posts=[post("P1", end="2025-01-31"),  # deleted after b while vacant
                      post("P2", end="2024-12-31")],  # its last row ends on b: t = b, so open
               assignments=[*vacated("P1", date(2024, 12, 1)), *vacated("P2", date(2024, 12, 22))])
    row = only_row(durations(db))
    # ages on b: P1 31 days, P2 10 days -> median (10 + 31) / 2
    assert (row["open"], row["median_open_age_days"], row["filled"]) == (2, pytest.approx(20.5), 0)
