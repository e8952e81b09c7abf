"""A unit hierarchy with a loop (X's parent is Y and Y's parent is X; A -> B -> C -> A; a unit that is its
own parent). On the days a loop exists its units are treated as top units: their parent links are not
followed, so each unit's subtree holds each unit once, every unit stays in the picker, and one
data-quality warning names the loop's units and dates. Units hanging below a loop unit stay below it."""

from datetime import date

import duckdb
import pandas as pd

from pipelines.metric_specs import AS_OF, METRICS, PERIOD
from pipelines.metrics import run_metric
from pipelines.views import run_view, tree_order
from tests.extract_builder import job, only_row, post


def unit(unit_id, parent, level="service", start="2020-01-01", end="", name=None):
    return (unit_id, name or f"Unit {unit_id}", parent, level, start, end)


def one_person_per_unit(units: list[str], **ends):
    """Post P<u> in unit u held by person E<u> from 2020-01-01; ends={unit: last day} for leavers."""
    posts = [post(f"P{u}", unit=u) for u in units]
    jobs = [job(f"J{u}", f"E{u}", f"P{u}", end=ends.get(u, ""), reason="resignation" if u in ends else "")
            for u in units]
    return posts, jobs


def headcount(db, day, unit_id=None) -> int:
    return only_row(run_metric(db, "interim_ratio", as_of=day, unit=unit_id))["occupied_headcount"]


def warnings(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = run_view(con, "data_quality_warnings", {"kind": "org_units"})
    return [(r.subject, r.day, r.message) for r in frame.itertuples()]


def picker(db, day) -> list[tuple[str, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return tree_order(run_view(con, "org_tree", {"day": day}))


# X sits under Y under CS, except in the first half of 2021, when Y's parent is X: a two-unit loop.
# Team T hangs below X all the time.
TWO_LOOP = [
    unit("CS", "", level="directorate"),
    unit("X", "Y"),
    unit("Y", "CS", end="2020-12-31"),
    unit("Y", "X", start="2021-01-01", end="2021-06-30"),
    unit("Y", "CS", start="2021-07-01"),
    unit("T", "X", level="team", name="Team T"),
]
BEFORE, DURING, AFTER = date(2020, 6, 1), date(2021, 3, 1), date(2021, 9, 1)


def test_a_two_unit_loop_for_part_of_the_time_is_one_warning_naming_both_units_and_its_dates(build):
    db = build(org=TWO_LOOP, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "X", "Y", "T"]))))
    assert warnings(db) == [(
        "X", date(2021, 1, 1),
        "units X and Y are each other's parents in a loop from 2021-01-01 to 2021-06-30; "
        "on those days each is treated as a top unit (its parent is ignored)")]


def test_on_loop_days_the_loop_units_are_top_units_and_each_person_counts_once(build):
    db = build(org=TWO_LOOP, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "X", "Y", "T"]))))
    # outside the loop the tree is CS > Y > X > T: Y's subtree is Y, X, T (3 people); X's is X, T (2)
    for day in (BEFORE, AFTER):
        assert [headcount(db, day, u) for u in (None, "CS", "Y", "X", "T")] == [4, 4, 3, 2, 1]
    # in the loop both links X->Y and Y->X are ignored: CS alone (1), X with its team T (1 + 1 = 2),
    # Y alone (1); the top units add up to the whole service, 1 + 2 + 1 = 4, so nobody counts twice
    assert [headcount(db, DURING, u) for u in (None, "CS", "X", "Y", "T")] == [4, 1, 2, 1, 1]


def test_the_picker_lists_every_unit_once_with_loop_units_at_the_top_on_loop_days(build):
    db = build(org=TWO_LOOP, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "X", "Y", "T"]))))
    assert picker(db, BEFORE) == [("CS", 0), ("Y", 1), ("X", 2), ("T", 3)]
    # top units by name: "Unit CS", "Unit X" (with "Team T" below), "Unit Y"
    assert picker(db, DURING) == [("CS", 0), ("X", 0), ("T", 1), ("Y", 0)]
    assert picker(db, AFTER) == picker(db, BEFORE)


# A permanent three-unit loop A -> B -> C -> A with team D under A, and S, its own parent.
THREE_LOOP_AND_SELF = [
    unit("A", "B"), unit("B", "C"), unit("C", "A"),
    unit("D", "A", level="team"),
    unit("S", "S"),
]
UNITS = ["A", "B", "C", "D", "S"]


def test_a_three_unit_loop_and_a_unit_that_is_its_own_parent_are_each_named_in_a_warning(build):
    db = build(org=THREE_LOOP_AND_SELF, **dict(zip(("posts", "assignments"), one_person_per_unit(UNITS))))
    assert warnings(db) == [
        ("A", date(2020, 1, 1), "units A, B and C are each other's parents in a loop from 2020-01-01 onwards; "
                                "on those days each is treated as a top unit (its parent is ignored)"),
        ("S", date(2020, 1, 1), "unit S is its own parent from 2020-01-01 onwards; "
                                "on those days it is treated as a top unit"),
    ]
    assert picker(db, DURING) == [("A", 0), ("D", 1), ("B", 0), ("C", 0), ("S", 0)]


def test_every_metric_ends_for_every_unit_of_a_loop_and_counts_each_person_once(build):
    # E_C leaves on 2021-03-31 (resignation); everyone else stays
    posts, jobs = one_person_per_unit(UNITS, C="2021-03-31")
    db = build(org=THREE_LOOP_AND_SELF, posts=posts, assignments=jobs)
    period = {"date_from": date(2021, 1, 1), "date_to": date(2021, 12, 31)}
    for name, spec in METRICS.items():
        day = {"as_of": DURING} if spec.reference == AS_OF else {"snapshot": DURING}
        for scope in [None, *UNITS]:
            assert run_metric(db, name, unit=scope, **(period if spec.reference == PERIOD else day))
    # A's subtree is A and D (2); B, C and S are alone (1 each); whole service 5 = 2 + 1 + 1 + 1
    assert [headcount(db, DURING, u) for u in (None, "A", "B", "C", "S")] == [5, 2, 1, 1, 1]
    leavers = {u: only_row(run_metric(db, "turnover", unit=u, **period))["leavers"] for u in (None, "A", "B", "C")}
    assert leavers == {None: 1, "A": 0, "B": 0, "C": 1}


def test_a_loop_that_grows_and_outlasts_a_rename_is_one_warning_per_set_of_units(build):
    # 2020: A <-> B.  2021: A -> B -> C -> A (C renamed on 2021-07-01: two rows, one loop).
    # From 2022 C's parent is CS, so A sits under B under C under CS.
    org = [
        unit("CS", "", level="directorate"),
        unit("A", "B"),
        unit("B", "A", end="2020-12-31"), unit("B", "C", start="2021-01-01"),
        unit("C", "CS", end="2020-12-31"),
        unit("C", "A", start="2021-01-01", end="2021-06-30"),
        unit("C", "A", start="2021-07-01", end="2021-12-31", name="Unit C renamed"),
        unit("C", "CS", start="2022-01-01"),
    ]
    db = build(org=org, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "A", "B", "C"]))))
    assert [(subject, day, message.split(";")[0]) for subject, day, message in warnings(db)] == [
        ("A", date(2020, 1, 1), "units A and B are each other's parents in a loop from 2020-01-01 to 2020-12-31"),
        ("A", date(2021, 1, 1), "units A, B and C are each other's parents in a loop from 2021-01-01 to 2021-12-31"),
    ]
    # 2020: C under CS (CS 1 + 1), A and B top units (1 each); 2021: every unit alone; 2022: all under CS
    assert [headcount(db, date(2020, 6, 1), u) for u in (None, "CS", "A", "B", "C")] == [4, 2, 1, 1, 1]
    assert [headcount(db, date(2021, 9, 1), u) for u in (None, "CS", "A", "B", "C")] == [4, 1, 1, 1, 1]
    assert [headcount(db, date(2022, 6, 1), u) for u in (None, "CS", "A", "B", "C")] == [4, 4, 1, 2, 3]


def test_a_unit_row_with_two_loop_spells_keeps_its_parent_between_them(build):
    # X's one row says parent Y throughout; Y's parent is X in Q1 and Q3 of 2021, CS otherwise
    org = [
        unit("CS", "", level="directorate"),
        unit("X", "Y"),
        unit("Y", "CS", end="2020-12-31"),
        unit("Y", "X", start="2021-01-01", end="2021-03-31"),
        unit("Y", "CS", start="2021-04-01", end="2021-06-30"),
        unit("Y", "X", start="2021-07-01", end="2021-09-30"),
        unit("Y", "CS", start="2021-10-01"),
    ]
    db = build(org=org, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "X", "Y"]))))
    assert [day for _, day, _ in warnings(db)] == [date(2021, 1, 1), date(2021, 7, 1)]
    # Y's subtree: Y and X (2) between the loops and after them, Y alone (1) in them
    days = [date(2020, 6, 1), date(2021, 2, 1), date(2021, 5, 1), date(2021, 8, 1), date(2021, 11, 1)]
    assert [headcount(db, day, "Y") for day in days] == [2, 1, 2, 1, 2]
    assert [headcount(db, day, "CS") for day in days] == [3, 1, 3, 1, 3]


def tree(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "parent_unit_id"])


def test_tree_order_lists_every_unit_once_even_when_its_input_has_a_loop():
    # given a frame whose links run in loops (not as org_tree returns it), nothing may vanish:
    # R is the only root; X and Y point at each other; S is its own parent; Q hangs below X
    units = tree([("R", "Root", None), ("X", "Ex", "Y"), ("Y", "Why", "X"), ("S", "Self", "S"),
                  ("Q", "Queue", "X")])
    # R first; then the unplaced units by name: Ex (with Why and Queue below it, by name), Self
    assert tree_order(units) == [("R", 0), ("X", 0), ("Q", 1), ("Y", 1), ("S", 0)]


def test_tree_order_puts_a_unit_whose_parent_is_not_listed_at_the_top():
    units = tree([("R", "Root", None), ("T", "Team", "GONE"), ("U", "Under", "R")])
    assert tree_order(units) == [("R", 0), ("U", 1), ("T", 0)]


def test_org_tree_gives_no_parent_to_a_loop_unit_on_loop_days_only(build):
    db = build(org=TWO_LOOP, **dict(zip(("posts", "assignments"), one_person_per_unit(["CS", "X", "Y", "T"]))))

    def parents(day):
        with duckdb.connect(str(db), read_only=True) as con:
            frame = run_view(con, "org_tree", {"day": day})
        return {r.unit_id: (r.parent_unit_id if isinstance(r.parent_unit_id, str) else None) for r in frame.itertuples()}

    assert parents(BEFORE) == {"CS": None, "X": "Y", "Y": "CS", "T": "X"}
    assert parents(DURING) == {"CS": None, "X": None, "Y": None, "T": "X"}
