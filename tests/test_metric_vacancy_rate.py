"""Vacancy rate (METRICS.md section 5), hand-computed on tiny extracts.

For each in-scope post row active on d: sub_fte / cov_fte = fte of substantive / cover assignments on
the post active on d; vacant_fte = max(0, budgeted_fte - sub_fte); covered_vacant_fte =
min(vacant_fte, cov_fte). Sums: establishment_fte, vacant_fte, covered_vacant_fte;
vacancy_rate_pct = vacant / establishment x 100; agency_cover_pct = covered_vacant / vacant x 100.
"""

from datetime import date

import pytest

from pipelines.metrics import run_metric, series
from tests.extract_builder import job, only_row, post

FIELDS = ["group", "establishment_fte", "vacant_fte", "covered_vacant_fte", "vacancy_rate_pct", "agency_cover_pct"]
D = date(2024, 6, 30)


def vacancy(db, d=D, **kw):
    return run_metric(db, "vacancy_rate", as_of=d, **kw)


def test_a_job_share_of_two_half_time_permanents_fills_a_full_time_post(build):
    db = build(posts=[post("P1", budget="1")],
               assignments=[job("A1", "E1", "P1", fte="0.5"), job("A2", "E2", "P1", fte="0.5")])
    assert vacancy(db) == [{"group": "all", "establishment_fte": 1.0, "vacant_fte": 0.0,
                            "covered_vacant_fte": 0.0, "vacancy_rate_pct": 0.0, "agency_cover_pct": None}]


def test_interim_cover_over_a_substantive_holder_on_leave_is_not_a_vacancy(build):
    # the holder's 1.0 fills the post; the interim's 1.0 covers nothing vacant
    db = build(posts=[post("P1")], assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P1", "interim")])
    row = only_row(vacancy(db))
    assert (row["vacant_fte"], row["covered_vacant_fte"], row["vacancy_rate_pct"]) == (0.0, 0.0, 0.0)
    assert row["agency_cover_pct"] is None  # vacant_fte = 0


def test_partly_vacant_posts_and_their_cover(build):
    db = build(posts=[post("P1", budget="2"), post("P2", budget="1"), post("P3", budget="1")],
               assignments=[job("A1", "E1", "P1", fte="0.5"),  # P1: vacant 2 - 0.5 = 1.5
                            job("A2", "E2", "P1", "agency", fte="1"),  # ... covered min(1.5, 1.0) = 1.0
                            job("A3", "E3", "P2", "acting", fte="0.5"),  # P2: vacant 1.0, covered 0.5
                            job("A4", "E4", "P3")])  # P3: full
    row = only_row(vacancy(db))
    assert row["establishment_fte"] == pytest.approx(4.0)
    assert row["vacant_fte"] == pytest.approx(2.5)
    assert row["covered_vacant_fte"] == pytest.approx(1.5)
    assert row["vacancy_rate_pct"] == pytest.approx(2.5 / 4.0 * 100)
    assert row["agency_cover_pct"] == pytest.approx(1.5 / 2.5 * 100)


def test_an_over_filled_post_does_not_offset_a_vacancy_elsewhere(build):
    db = build(posts=[post("P1", budget="1"), post("P2", budget="1")],
               assignments=[job("A1", "E1", "P1"), job("A2", "E2", "P1", "fixed_term", fte="0.5")])
    row = only_row(vacancy(db))
    # P1: max(0, 1 - 1.5) = 0; P2: 1 vacant and uncovered
    assert (row["establishment_fte"], row["vacant_fte"], row["covered_vacant_fte"]) == (2.0, 1.0, 0.0)
    assert row["vacancy_rate_pct"] == pytest.approx(1 / 2 * 100)
    assert row["agency_cover_pct"] == 0.0


def test_cover_beyond_the_vacant_fte_is_capped(build):
    db = build(posts=[post("P1", budget="1")],
               assignments=[job("A1", "E1", "P1", fte="0.5"), job("A2", "E2", "P1", "secondment", fte="1"),
                            job("A3", "E3", "P1", "interim", fte="0.5")])
    row = only_row(vacancy(db))
    # vacant 0.5, cover 1.5 -> covered 0.5
    assert (row["vacant_fte"], row["covered_vacant_fte"], row["agency_cover_pct"]) == (0.5, 0.5, 100.0)


def test_a_post_with_no_active_row_is_not_in_the_establishment_and_its_assignments_do_not_count(build):
    db = build(posts=[post("P1", end="2024-05-31"), post("P1", start="2024-07-01"), post("P2", budget="0.5")],
               assignments=[job("A1", "E1", "P1")])
    june = only_row(vacancy(db))  # P1 has no row in June: only P2 (0.5, vacant)
    assert (june["establishment_fte"], june["vacant_fte"], june["vacancy_rate_pct"]) == (0.5, 0.5, 100.0)
    july = only_row(vacancy(db, date(2024, 7, 1)))
    assert (july["establishment_fte"], july["vacant_fte"]) == (1.5, 0.5)
    assert july["vacancy_rate_pct"] == pytest.approx(0.5 / 1.5 * 100)


def test_an_assignment_outside_the_post_rows_life_does_not_fill_it(build):
    # P1 exists from 2024-06-01; an assignment starting earlier only counts from then
    db = build(posts=[post("P1", start="2024-06-01"), post("P2")],
               assignments=[job("A1", "E1", "P1", start="2024-01-01", end="2024-06-30"), job("A2", "E2", "P2")])
    days = series(db, "vacancy_rate", [date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 1)])
    assert only_row(days[date(2024, 5, 31)])["establishment_fte"] == 1.0  # P1 not yet there
    assert only_row(days[date(2024, 6, 30)])["vacant_fte"] == 0.0  # end_date inclusive
    assert only_row(days[date(2024, 7, 1)])["vacant_fte"] == 1.0


def test_a_regraded_post_is_grouped_by_its_row_on_the_day(build):
    db = build(posts=[post("P1", grade="Band 9", end="2024-03-31"), post("P1", grade="Band 10", start="2024-04-01"),
                      post("P2", grade="Band 9")],
               assignments=[job("A1", "E1", "P2")])
    march = vacancy(db, date(2024, 3, 31), by="grade")
    assert [(r["group"], r["establishment_fte"], r["vacant_fte"]) for r in march] == [("Band 9", 2.0, 1.0)]
    april = vacancy(db, date(2024, 4, 1), by="grade")
    assert april == [
        {"group": "Band 10", "establishment_fte": 1.0, "vacant_fte": 1.0, "covered_vacant_fte": 0.0,
         "vacancy_rate_pct": 100.0, "agency_cover_pct": 0.0},
        {"group": "Band 9", "establishment_fte": 1.0, "vacant_fte": 0.0, "covered_vacant_fte": 0.0,
         "vacancy_rate_pct": 0.0, "agency_cover_pct": None},
    ]
    assert all(list(r) == FIELDS for r in april)


MOVED_ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("S1", "Safeguarding", "CS", "service", "2020-01-01", ""),
    ("S2", "Early Help", "CS", "service", "2020-01-01", ""),
    ("T1", "Team One", "S1", "team", "2020-01-01", "2024-03-31"),
    ("T1", "Team One", "S2", "team", "2024-04-01", ""),  # moved out of S1 into S2
    ("T2", "Team Two", "S1", "team", "2020-01-01", ""),
]


def test_unit_scope_is_judged_on_the_day_so_a_moved_team_leaves_its_old_service(build):
    db = build(org=MOVED_ORG, posts=[post("P1", unit="T1"), post("P2", unit="T2", budget="2")],
               assignments=[job("A1", "E1", "P2")])
    # S1 on 31 March: P1 (vacant 1) + P2 (2, vacant 1) -> 2 of 3
    before = only_row(vacancy(db, date(2024, 3, 31), unit="S1"))
    assert (before["establishment_fte"], before["vacant_fte"]) == (3.0, 2.0)
    # S1 on 1 April: only P2
    after = only_row(vacancy(db, date(2024, 4, 1), unit="S1"))
    assert (after["establishment_fte"], after["vacant_fte"]) == (2.0, 1.0)
    assert only_row(vacancy(db, date(2024, 4, 1), unit="S2"))["establishment_fte"] == 1.0
    assert only_row(vacancy(db, date(2024, 3, 31), unit="S2"))["establishment_fte"] == 0.0
    by_unit = vacancy(db, date(2024, 4, 1), unit="CS", by="unit")
    assert [(r["group"], r["vacancy_rate_pct"]) for r in by_unit] == [("T1", 100.0), ("T2", 50.0)]


def test_tier_and_social_work_filters_select_post_rows(build):
    db = build(posts=[post("P1", tier="team_manager"), post("P2", tier="practitioner", budget="2"),
                      post("P3", tier="support", sw="false")],
               assignments=[job("A1", "E1", "P2")])
    tm = only_row(vacancy(db, tiers=["team_manager"]))
    assert (tm["establishment_fte"], tm["vacancy_rate_pct"]) == (1.0, 100.0)
    sw = only_row(vacancy(db, social_work_only=True))
    # P1 (1, vacant 1) + P2 (2, vacant 1) -> 2 of 3
    assert sw["vacancy_rate_pct"] == pytest.approx(2 / 3 * 100)
    rows = vacancy(db, by="tier")
    assert [r["group"] for r in rows] == ["practitioner", "support", "team_manager"]


def test_the_all_row_is_present_with_zeros_and_null_rates_when_nothing_is_in_scope(build):
    db = build(posts=[post("P1", unit="T1")], assignments=[job("A1", "E1", "P1")])
    empty = [{"group": "all", "establishment_fte": 0.0, "vacant_fte": 0.0, "covered_vacant_fte": 0.0,
              "vacancy_rate_pct": None, "agency_cover_pct": None}]
    assert vacancy(db, unit="T2") == empty
    assert vacancy(db, date(2019, 12, 31)) == empty
    assert vacancy(db, unit="T2", by="grade") == []


def test_groups_are_sorted_by_code_point(build):
    db = build(posts=[post("P1", grade="band 8"), post("P2", grade="Band 9"), post("P3", grade="Band 10")],
               assignments=[job("A1", "E1", "P1")])
    assert [r["group"] for r in vacancy(db, by="grade")] == ["Band 10", "Band 9", "band 8"]
