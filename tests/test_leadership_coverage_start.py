"""Leadership churn and the coverage start (METRICS.md section 8), hand-computed.

An assignment starting on or before the coverage start (the earliest start_date among all loaded
assignments) is never a holder change: the data cannot show who held the post before it. A system
migrated on a date gives everyone in post that start date; only the appointments after it are real.
"""

from datetime import date

from pipelines.metrics import run_metric
from tests.extract_builder import job, only_row
from tests.extract_builder import post as base_post

MIGRATED = "2021-04-01"  # the day the HR system went live: everyone in post then "starts" that day
A, B = date(2021, 4, 1), date(2024, 3, 31)  # 36 months from the migration date


def post(post_id, tier, unit="T1"):
    return base_post(post_id, unit=unit, grade="Hay C", tier=tier)


def churn(db, a=A, b=B, **kw):
    return run_metric(db, "leadership_churn", date_from=a, date_to=b, **kw)


def triple(row):
    return row["posts"], row["holder_changes"], row["distinct_holders"]


MIGRATED_POSTS = [post("DIR", "director"), post("AD1", "assistant_director"), post("HOS1", "head_of_service"),
                  post("TM1", "team_manager"), post("TM2", "team_manager"), post("SW1", "practitioner")]
MIGRATED_ASSIGNMENTS = [
    # everyone in post on the migration day, each with that start date
    job("A1", "E1", "DIR", start=MIGRATED, end="2022-06-30"),
    job("A2", "E2", "AD1", start=MIGRATED),
    job("A3", "E3", "HOS1", "interim", start=MIGRATED, end="2022-09-30"),
    job("A4", "E4", "TM1", start=MIGRATED, end="2023-05-31"),
    job("A5", "E5", "TM2", fte="0.5", start=MIGRATED),
    job("A6", "E6", "SW1", start=MIGRATED),  # not a management post
    # what really happened after the migration
    job("A7", "E7", "DIR", "interim", start="2022-07-01", end="2022-12-31"),  # E1 left: change 1
    job("A8", "E8", "DIR", start="2023-01-01"),  # the interim replaced by a permanent director: change 2
    job("A9", "E3", "HOS1", start="2022-10-01"),  # E3's interim made permanent the next day: no change
    job("A10", "E10", "TM1", start="2023-09-01"),  # after three empty months: change 3
    job("A11", "E11", "TM2", fte="0.5", start="2022-02-01"),  # a job share joins E5: change 4
]


def test_a_period_from_the_migration_date_counts_only_the_real_changes(build):
    db = build(posts=MIGRATED_POSTS, assignments=MIGRATED_ASSIGNMENTS)
    # posts: DIR, AD1, HOS1, TM1, TM2 = 5 (SW1 is not a management post)
    # changes: the five migrated starts (A1..A5, 1 Apr 2021 = the coverage start) are not changes;
    #   A7, A8, A10, A11 are; A9 is not (E3 held HOS1 on 30 Sep 2022) -> 4 (counting A1..A5 would give 9)
    # holders: (DIR,E1) (DIR,E7) (DIR,E8) (AD1,E2) (HOS1,E3) (TM1,E4) (TM1,E10) (TM2,E5) (TM2,E11) = 9
    assert triple(only_row(churn(db))) == (5, 4, 9)
    by_tier = {r["group"]: triple(r) for r in churn(db, by="tier")}
    # director: A7, A8 = 2 of 3 holders; team managers: A10, A11 = 2 of 4 holders
    assert by_tier == {"assistant_director": (1, 0, 1), "director": (1, 2, 3), "head_of_service": (1, 0, 1),
                       "team_manager": (2, 2, 4)}


def test_a_period_starting_after_the_migration_counts_the_same_real_changes(build):
    db = build(posts=MIGRATED_POSTS, assignments=MIGRATED_ASSIGNMENTS)
    # from 2 Apr 2021 the migrated starts fall outside the period anyway: still A7, A8, A10, A11 = 4
    assert triple(only_row(churn(db, a=date(2021, 4, 2)))) == (5, 4, 9)


def _boundary_extract(earliest_elsewhere):
    """Three empty team-manager posts, filled on the coverage start C = 1 Apr 2021 and on the day after;
    earliest_elsewhere, if given, is a practitioner's start on another post (it may move C)."""
    assignments = [
        job("A1", "E1", "TM1", start="2021-04-01"),  # on C
        job("A2", "E2", "TM2", start="2021-04-02"),  # the day after C, to an empty post
        job("A3", "E3", "TM3", "acting", start="2021-04-02"),  # the day after C, beside nobody
    ]
    if earliest_elsewhere:
        assignments.append(job("A0", "E0", "SW1", start=earliest_elsewhere))
    posts = [post("TM1", "team_manager"), post("TM2", "team_manager"), post("TM3", "team_manager"),
             post("SW1", "practitioner")]
    return {"posts": posts, "assignments": assignments}


def test_an_assignment_starting_on_the_coverage_start_is_not_a_change_but_the_day_after_is(build):
    db = build(**_boundary_extract(earliest_elsewhere=None))
    # C = min(1 Apr, 2 Apr, 2 Apr) = 1 Apr 2021: A1 is not a change; A2 and A3 start after C -> 2
    assert triple(only_row(churn(db, a=date(2021, 1, 1)))) == (3, 2, 3)
    # the same from a period starting on C itself
    assert triple(only_row(churn(db, a=date(2021, 4, 1)))) == (3, 2, 3)


def test_the_coverage_start_is_the_earliest_start_of_any_assignment_even_off_management_posts(build):
    # a practitioner starting 31 Mar 2021 (the day before A1) moves C to 31 Mar: A1 on 1 Apr is now after C,
    # to an empty post, so it is a change: A1, A2, A3 -> 3
    db = build(**_boundary_extract(earliest_elsewhere="2021-03-31"))
    assert triple(only_row(churn(db, a=date(2021, 1, 1)))) == (3, 3, 3)
    # and a practitioner starting on C itself changes nothing: C stays 1 Apr, A2 and A3 -> 2
    db = build(**_boundary_extract(earliest_elsewhere="2021-04-01"))
    assert triple(only_row(churn(db, a=date(2021, 1, 1)))) == (3, 2, 3)
