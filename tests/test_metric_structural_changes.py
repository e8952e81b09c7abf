"""Structural change (METRICS.md section 7), hand-computed on tiny extracts; plus the command line.

Events come from consecutive rows of one unit or post. Each has an old side (the unit of the row
before, judged on the day before the event) and/or a new side (the unit of the row from the event
day, judged on the event day). An event is in scope for U when a side's unit is in U's subtree on
that side's day; with by unit it counts under each in-scope unit it touches, once per group.
events_per_12m = events x 365.25 / (b - a + 1), the whole period's length, for every group.
"""

import csv
import io
import json
import subprocess
import sys
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from pipelines.metrics import run_metric
from tests.extract_builder import ORG, job, only_row, post, write_extract

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["group", "events", "change_days", "events_per_12m"]
A, B = date(2024, 1, 1), date(2024, 12, 31)
YEAR = (B - A).days + 1  # 366: 2024 is a leap year


def unit(unit_id, name, parent, level="team", start="2020-01-01", end=""):
    return (unit_id, name, parent, level, start, end)


ANCHOR = [job("A0", "E0", "P0")]  # an assignments file needs a row; P0 never changes


@pytest.fixture
def build(load, tmp_path):
    numbers = count()

    def _build(*, posts, assignments=ANCHOR, org=ORG, caseloads=None, anchor_post=True):
        n = next(numbers)
        posts = [post("P0"), *posts] if anchor_post else posts
        folder = write_extract(tmp_path / f"src{n}", org_units=org, posts=posts,
                               assignments=assignments, caseloads=caseloads)
        db, report = load(folder, db_name=f"db{n}.duckdb")
        assert report.status == "loaded", report.summary()
        assert not report.quarantined, report.quarantined
        return db

    return _build


def changes(db, a=A, b=B, **kw):
    return run_metric(db, "structural_changes", date_from=a, date_to=b, **kw)


def counts(rows):
    return [(r["group"], r["events"]) for r in rows]


def test_a_renamed_unit_is_one_event_and_the_rate_is_scaled_to_twelve_months(build):
    org = [*ORG[:1], unit("T1", "Team One", "CS", end="2024-03-31"), unit("T1", "Team 1", "CS", start="2024-04-01"),
           ORG[2]]
    db = build(org=org, posts=[])
    assert changes(db) == [{"group": "all", "events": 1, "change_days": 1,
                            "events_per_12m": pytest.approx(1 * 365.25 / 366)}]
    assert counts(changes(db, by="type")) == [("unit_renamed", 1)]


def test_a_unit_renamed_and_re_parented_at_once_gives_two_events_on_one_day(build):
    org = [*ORG, unit("S1", "Safeguarding", "CS", level="service"),
           unit("T3", "Team Three", "CS", end="2024-03-31"), unit("T3", "Hub Three", "S1", start="2024-04-01")]
    db = build(org=org, posts=[])
    assert only_row(changes(db)) == {"group": "all", "events": 2, "change_days": 1,
                                     "events_per_12m": pytest.approx(2 * 365.25 / YEAR)}
    assert counts(changes(db, by="type")) == [("unit_moved", 1), ("unit_renamed", 1)]


CHANGING_ORG = [
    *ORG[:2],
    unit("T2", "Team Two", "CS", end="2024-06-30"),  # unit_closed on 2024-07-01
    unit("T3", "Team Three", "CS", start="2024-05-01"),  # unit_created on 2024-05-01
]
CHANGING_POSTS = [
    post("P1", unit="T1"),  # from the earliest posts date: no event
    post("P2", unit="T1", start="2024-02-01"),  # post_created 2024-02-01
    post("P3", unit="T1", end="2024-08-31"),  # post_deleted 2024-09-01
    post("P4", unit="T1", end="2024-05-14"), post("P4", unit="T3", start="2024-05-15"),  # post_moved 2024-05-15
    post("P5", grade="Band 9", end="2024-09-30"), post("P5", grade="Band 10", start="2024-10-01"),  # regraded
    post("P6", unit="T1", grade="Band 9", end="2024-10-31"),  # moved and regraded on 2024-11-01: two events
    post("P6", unit="T3", grade="Band 10", start="2024-11-01"),
]


def test_every_event_type_is_found_and_counted(build):
    db = build(org=CHANGING_ORG, posts=CHANGING_POSTS)
    assert counts(changes(db, by="type")) == [
        ("post_created", 1), ("post_deleted", 1), ("post_moved", 2), ("post_regraded", 2),
        ("unit_closed", 1), ("unit_created", 1)]
    # 8 events on 7 days (P6's two events share 2024-11-01)
    assert only_row(changes(db)) == {"group": "all", "events": 8, "change_days": 7,
                                     "events_per_12m": pytest.approx(8 * 365.25 / YEAR)}


def test_by_month_groups_by_the_event_date_and_every_group_uses_the_whole_period_length(build):
    db = build(org=CHANGING_ORG, posts=CHANGING_POSTS)
    rows = changes(db, by="month")
    assert [(r["group"], r["events"], r["change_days"]) for r in rows] == [
        ("2024-02", 1, 1), ("2024-05", 2, 2), ("2024-07", 1, 1), ("2024-09", 1, 1), ("2024-10", 1, 1),
        ("2024-11", 2, 1)]
    for r in rows:
        assert r["events_per_12m"] == pytest.approx(r["events"] * 365.25 / YEAR)


def test_by_unit_counts_an_event_under_each_unit_it_touches_once(build):
    db = build(org=CHANGING_ORG, posts=CHANGING_POSTS)
    # T1: P2 created, P3 deleted, P4 moved (old side), P5 regraded (both sides T1: once),
    #     P6 moved (old side), P6 regraded (old side) = 6
    # T2: closed = 1; T3: created, P4 moved (new side), P6 moved and regraded (new sides) = 4
    assert counts(changes(db, by="unit")) == [("T1", 6), ("T2", 1), ("T3", 4)]


def test_created_events_are_measured_against_the_earliest_row_of_their_own_kind(build):
    # units start 2020-01-01 (T3 on 2021-03-01); the earliest post row is 2021-01-01, so P1 and P2,
    # though later than the earliest unit row, are not "created"; P3 (2021-06-01) is
    org = [*ORG, unit("T3", "Team Three", "CS", start="2021-03-01")]
    db = build(org=org, anchor_post=False,
               posts=[post("P1", start="2021-01-01"), post("P2", start="2021-01-01"), post("P3", start="2021-06-01")],
               assignments=[job("A1", "E1", "P1", start="2021-01-01")])
    rows = changes(db, date(2020, 1, 1), date(2021, 12, 31), by="type")
    assert counts(rows) == [("post_created", 1), ("unit_created", 1)]
    assert only_row(changes(db, date(2020, 1, 1), date(2021, 12, 31)))["change_days"] == 2


def test_a_post_first_seen_on_the_earliest_posts_date_is_not_created(build):
    db = build(posts=[post("P1", start="2020-01-01"), post("P2", start="2020-01-02")])
    assert counts(changes(db, date(2020, 1, 1), date(2020, 12, 31), by="type")) == [("post_created", 1)]


def test_events_on_the_first_and_last_day_of_the_period_count_and_those_outside_do_not(build):
    org = [*ORG[:1],
           unit("T1", "Team One", "CS", end="2023-12-31"), unit("T1", "Team 1", "CS", start="2024-01-01"),  # on a
           unit("T2", "Team Two", "CS", end="2024-12-30"), unit("T2", "Team 2", "CS", start="2024-12-31")]  # on b
    db = build(org=org, posts=[
        post("P1", end="2024-12-31"),  # deleted on 2025-01-01 = b + 1: outside
        post("P2", unit="T1", end="2023-12-30"), post("P2", unit="T2", start="2023-12-31"),  # a - 1: outside
    ])
    assert only_row(changes(db)) == {"group": "all", "events": 2, "change_days": 2,
                                     "events_per_12m": pytest.approx(2 * 365.25 / YEAR)}
    inner = changes(db, date(2024, 1, 2), date(2024, 12, 30))
    assert inner == [{"group": "all", "events": 0, "change_days": 0, "events_per_12m": 0.0}]
    assert counts(changes(db, date(2025, 1, 1), date(2025, 1, 1), by="type")) == [("post_deleted", 1)]
    assert counts(changes(db, date(2023, 12, 31), date(2023, 12, 31), by="type")) == [("post_moved", 1)]


def test_changes_to_other_attributes_splits_and_gaps_are_not_events(build):
    org = [*ORG[:1],
           unit("T1", "Team One", "CS", level="team", end="2024-02-29"),
           unit("T1", "Team One", "CS", level="pod", start="2024-03-01"),  # unit_level only
           unit("T2", "Team Two", "CS", end="2024-04-30"), unit("T2", "Team Two", "CS", start="2024-05-01"),  # split
           unit("T3", "Team Three", "CS", end="2024-02-29"), unit("T3", "Team Three", "CS", start="2024-04-01")]  # gap
    db = build(org=org, posts=[
        post("P1", tier="practitioner", end="2024-03-31"), post("P1", tier="senior_practitioner", start="2024-04-01"),
        post("P2", budget="1", end="2024-03-31"), post("P2", budget="0.5", start="2024-04-01"),
        post("P3", title="Social worker", end="2024-03-31"), post("P3", title="Senior social worker", start="2024-04-01"),
        post("P4", sw="true", end="2024-03-31"), post("P4", sw="false", start="2024-04-01"),
        post("P5", end="2024-03-31"), post("P5", start="2024-04-01"),  # split, nothing changed
        post("P6", end="2024-03-31"), post("P6", start="2024-05-01"),  # a gap: a warning, not an event
    ])
    assert changes(db) == [{"group": "all", "events": 0, "change_days": 0, "events_per_12m": 0.0}]
    assert changes(db, by="type") == []


def test_events_per_12m_uses_the_whole_period_length(build):
    org = [*ORG[:1], unit("T1", "Team One", "CS", end="2024-01-31"), unit("T1", "Team 1", "CS", start="2024-02-01"),
           unit("T2", "Team Two", "CS", end="2024-03-14"), unit("T2", "Team 2", "CS", start="2024-03-15")]
    db = build(org=org, posts=[])
    a, b = date(2024, 1, 1), date(2024, 3, 31)  # 31 + 29 + 31 = 91 days
    assert only_row(changes(db, a, b))["events_per_12m"] == pytest.approx(2 * 365.25 / 91)
    by_month = changes(db, a, b, by="month")
    assert [(r["group"], r["events_per_12m"]) for r in by_month] == [
        ("2024-02", pytest.approx(1 * 365.25 / 91)), ("2024-03", pytest.approx(1 * 365.25 / 91))]


# ------------------------------------------------------------------ sides and scope

SIDES_ORG = [
    unit("CS", "Children's Services", "", level="directorate"),
    unit("S1", "Safeguarding", "CS", level="service"),
    unit("S2", "Early Help", "CS", level="service"),
    unit("T1", "Team One", "S1", end="2024-03-31"),
    unit("T1", "Team One", "S2", start="2024-04-01"),  # unit_moved 2024-04-01: old side S1's, new side S2's
    unit("T2", "Team Two", "S1"),
    unit("T3", "Team Three", "S2"),
]
SIDES_POSTS = [
    # post_moved 2024-04-01: old side T1 on 31 March (in S1), new side T3 on 1 April (in S2)
    post("P1", unit="T1", end="2024-03-31"), post("P1", unit="T3", start="2024-04-01"),
    # post_moved 2024-06-01: old side T1 on 31 May (by then in S2), new side T3 (in S2)
    post("P2", unit="T1", end="2024-05-31"), post("P2", unit="T3", start="2024-06-01"),
]


def test_each_side_is_judged_in_the_org_tree_of_its_own_day(build):
    db = build(org=SIDES_ORG, posts=SIDES_POSTS)
    assert counts(changes(db, unit="S1", by="type")) == [("post_moved", 1), ("unit_moved", 1)]
    assert counts(changes(db, unit="S2", by="type")) == [("post_moved", 2), ("unit_moved", 1)]
    # both sides of each event are in CS: each still counts once
    assert only_row(changes(db, unit="CS"))["events"] == 3
    assert only_row(changes(db))["events"] == 3
    assert only_row(changes(db, unit="S1"))["change_days"] == 1


def test_an_event_touching_other_units_only_is_out_of_a_unit_scope(build):
    db = build(org=SIDES_ORG, posts=SIDES_POSTS)
    assert changes(db, unit="T2") == [{"group": "all", "events": 0, "change_days": 0, "events_per_12m": 0.0}]
    assert changes(db, unit="T2", by="unit") == []
    assert only_row(changes(db, unit="T3"))["events"] == 2  # the two post moves' new sides


def test_by_unit_lists_the_in_scope_units_each_event_touches(build):
    db = build(org=SIDES_ORG, posts=SIDES_POSTS)
    # T1: unit_moved (both sides T1: once), P1 old side, P2 old side = 3; T3: P1 and P2 new sides = 2
    assert counts(changes(db, by="unit")) == [("T1", 3), ("T3", 2)]
    # within S1 only the sides judged inside S1: T1 on 31 March (unit_moved's old side, P1's old side)
    assert counts(changes(db, unit="S1", by="unit")) == [("T1", 2)]
    # within S2: unit_moved's new side (T1), P2's old side (T1, now in S2), and both new sides in T3
    assert counts(changes(db, unit="S2", by="unit")) == [("T1", 2), ("T3", 2)]


def test_a_closed_unit_is_judged_on_its_last_day_and_a_created_one_on_its_first(build):
    org = [*ORG[:1], unit("S1", "Safeguarding", "CS", level="service"),
           unit("T1", "Team One", "S1", end="2024-06-30"),  # unit_closed 2024-07-01, old side judged on 30 June
           unit("T2", "Team Two", "S1", start="2024-03-01")]  # unit_created 2024-03-01, new side on 1 March
    db = build(org=org, posts=[])
    assert counts(changes(db, unit="S1", by="type")) == [("unit_closed", 1), ("unit_created", 1)]
    assert counts(changes(db, unit="T1", by="unit")) == [("T1", 1)]


# ------------------------------------------------------------------ the command line


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipelines", "metric", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)


def test_cli_json_and_csv_give_the_same_rows_with_exactly_the_spec_fields(build):
    db = build(org=SIDES_ORG, posts=SIDES_POSTS)
    done = cli("structural_changes", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "type",
               "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows == [
        {"group": "post_moved", "events": 2, "change_days": 2, "events_per_12m": pytest.approx(2 * 365.25 / 366)},
        {"group": "unit_moved", "events": 1, "change_days": 1, "events_per_12m": pytest.approx(365.25 / 366)},
    ]
    assert all(list(r) == FIELDS for r in rows)
    as_csv = cli("structural_changes", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "type",
                 "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert as_csv.stdout.splitlines()[0] == "group,events,change_days,events_per_12m"
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["group"], int(r["events"]), int(r["change_days"])) for r in parsed] == [
        ("post_moved", 2, 2), ("unit_moved", 1, 1)]
    assert float(parsed[0]["events_per_12m"]) == pytest.approx(2 * 365.25 / 366, rel=1e-12)


@pytest.mark.parametrize("extra", [
    ["--tier", "team_manager"],  # the metric takes no tier filter
    ["--social-work-only"],  # nor a social-work filter
    ["--by", "grade"],  # a grouping it does not allow
    ["--by", "tier"],
    ["--tier", "not_a_tier"],  # an unknown tier
])
def test_cli_refuses_filters_and_groupings_structural_changes_does_not_take(build, extra):
    db = build(posts=[])
    done = cli("structural_changes", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", *extra)
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_a_root_unit_given_a_parent_is_moved_and_a_rename_across_a_gap_is_still_a_rename(build):
    org = [*ORG,
           unit("R2", "Old Directorate", "", level="directorate", end="2024-02-29"),
           unit("R2", "Old Directorate", "CS", level="service", start="2024-03-01"),  # parent empty -> CS: moved
           unit("T3", "Team Three", "CS", end="2024-04-30"),
           unit("T3", "Team 3", "CS", start="2024-06-01")]  # a gap in May (a warning) and a rename on 1 June
    db = build(org=org, posts=[])
    rows = changes(db, by="month")
    assert [(r["group"], r["events"]) for r in rows] == [("2024-03", 1), ("2024-06", 1)]
    assert counts(changes(db, by="type")) == [("unit_moved", 1), ("unit_renamed", 1)]
