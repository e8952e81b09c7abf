"""Cross-row rules on hand-made cases the set-based code must answer exactly as the row-by-row walk
did: keys repeated three times, files replacing each other, chains of overlapping intervals, and
files read and validated in several pieces."""

import pytest

from pipelines import ingest as ingest_module
from pipelines import readers
from tests.extract_builder import ORG, db_rows, held_back, job, post, write_kind

ASSIGNMENTS = [job("A1", "E1", "P1")]


def _folder(tmp_path, posts=None, assignments=None):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    if posts is not None:
        write_kind(folder, "posts", posts)
    if assignments is not None:
        write_kind(folder, "assignments", assignments)
    return folder


def test_a_key_repeated_three_times_in_one_file_holds_back_all_three_each_naming_the_other_two(tmp_path, load):
    # rows 3, 4 and 5 share assignment_id A2 with three different fte values
    rows = ASSIGNMENTS + [job("A2", "E2", "P1", fte="1"), job("A2", "E2", "P1", fte="0.5"),
                          job("A2", "E2", "P1", fte="0.8")]
    folder = _folder(tmp_path, posts=[post("P1")], assignments=rows)
    _, report = load(folder)
    tail = "; both rows are held back until the file says which is right"
    assert held_back(report) == [
        ("assignments.csv", 3, "assignment_id", f"assignment_id A2 appears again in this file with different values (row 4, 5){tail}"),
        ("assignments.csv", 4, "assignment_id", f"assignment_id A2 appears again in this file with different values (row 3, 5){tail}"),
        ("assignments.csv", 5, "assignment_id", f"assignment_id A2 appears again in this file with different values (row 3, 4){tail}"),
    ]
    assert report.kinds["assignments"].rows_loaded == 1  # only A1


def test_a_repeated_caseload_key_never_names_the_person(tmp_path, load):
    folder = _folder(tmp_path, posts=[post("P1")], assignments=ASSIGNMENTS)
    write_kind(folder, "caseloads", [("2021-03-31", "E1", "12"), ("2021-03-31", "E1", "14")])
    _, report = load(folder)
    reasons = [q.reason for q in report.quarantined]
    assert reasons == [f"snapshot_date 2021-03-31, person_id (the same person) appears again in this file with "
                       f"different values (row {other}); both rows are held back until the file says which is right"
                       for other in (3, 2)]


def test_three_files_replacing_each_other_load_the_last_files_row_of_each_key(tmp_path, load):
    folder = _folder(tmp_path, posts=[post("P1")])
    # A1 in all three files, A2 in the first two, A3 in the first and the third
    write_kind(folder, "assignments", [job("A1", "E1", "P1", fte="0.5"), job("A2", "E2", "P1", fte="0.5"),
                                       job("A3", "E3", "P1", fte="0.5")], name="assignments_1.csv")
    write_kind(folder, "assignments", [job("A1", "E1", "P1", fte="0.6"), job("A2", "E2", "P1", fte="0.6")],
               name="assignments_2.csv")
    write_kind(folder, "assignments", [job("A1", "E1", "P1", fte="0.7"), job("A3", "E3", "P1", fte="0.7")],
               name="assignments_3.csv")
    db, report = load(folder)
    assert report.quarantined == []
    assert db_rows(db, "select assignment_id, cast(fte as double) from stg_assignments order by 1") == [
        ("A1", 0.7), ("A2", 0.6), ("A3", 0.7)]


def test_overlapping_rows_of_one_post_are_each_checked_against_the_last_row_kept(tmp_path, load):
    # P1's rows by start: A 2020-01-01..2020-12-31 kept; B 2020-06-01..2023-12-31 starts inside A: held
    # back; C 2021-03-01..2021-12-31 starts after A's end (B, held back, does not count): kept;
    # D 2021-12-31..open starts on C's last day: held back; E 2022-01-01..open kept; F 2023-01-01
    # starts inside the open-ended E: held back. Written out of order: E=row 2, A=3, F=4, C=5, B=6, D=7.
    a = post("P1", start="2020-01-01", end="2020-12-31")
    b = post("P1", start="2020-06-01", end="2023-12-31")
    c = post("P1", start="2021-03-01", end="2021-12-31")
    d = post("P1", start="2021-12-31")
    e = post("P1", start="2022-01-01")
    f = post("P1", start="2023-01-01", end="2023-06-30")
    other = post("P2", start="2020-01-01")  # another id's rows are never compared with P1's
    db, report = load(_folder(tmp_path, posts=[e, a, f, c, b, d, other], assignments=ASSIGNMENTS))
    assert held_back(report) == [
        ("posts.csv", 4, "valid_from", "post_id P1 from 2023-01-01 overlaps its row from 2022-01-01 to open-ended "
                                       "(posts.csv row 2)"),
        ("posts.csv", 6, "valid_from", "post_id P1 from 2020-06-01 overlaps its row from 2020-01-01 to 2020-12-31 "
                                       "(posts.csv row 3)"),
        ("posts.csv", 7, "valid_from", "post_id P1 from 2021-12-31 overlaps its row from 2021-03-01 to 2021-12-31 "
                                       "(posts.csv row 5)"),
    ]
    assert [(p, str(s)) for p, s in db_rows(db, "select post_id, valid_from from stg_posts order by 1, 2")] == [
        ("P1", "2020-01-01"), ("P1", "2021-03-01"), ("P1", "2022-01-01"), ("P2", "2020-01-01")]


def test_an_overlap_across_two_files_names_the_earlier_file(tmp_path, load):
    folder = _folder(tmp_path, assignments=ASSIGNMENTS)
    write_kind(folder, "posts", [post("P1", start="2020-01-01")], name="posts_1.csv")
    write_kind(folder, "posts", [post("P1", start="2021-01-01")], name="posts_2.csv")
    _, report = load(folder)
    assert held_back(report) == [("posts_2.csv", 2, "valid_from", "post_id P1 from 2021-01-01 overlaps its row "
                                   "from 2020-01-01 to open-ended (posts_1.csv row 2)")]


def test_references_to_unknown_posts_are_held_back_with_the_missing_code(tmp_path, load):
    rows = ASSIGNMENTS + [job("A2", "E2", "P9"), job("A3", "E3", "P9")]
    _, report = load(_folder(tmp_path, posts=[post("P1")], assignments=rows))
    reason = "post_id 'P9' is not in posts (or all its rows were quarantined)"
    assert held_back(report) == [("assignments.csv", 3, "post_id", reason), ("assignments.csv", 4, "post_id", reason)]


def test_a_file_read_in_many_chunks_keeps_every_row_and_row_number(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK_ROWS", 2)
    path = tmp_path / "posts.csv"
    # line 1 header; 2, 3 rows; 4 blank; 5 row; 6 one cell too many (held back); 7 short; 8 trailing empty cell
    path.write_text("a,b\n1,x\n2,y\n\n3,z\n4,w,extra\n5\n6,v,\n", encoding="utf-8")
    raw = readers.read_file(path, "posts")
    assert raw.frame.to_dict("list") == {"a": ["1", "2", "3", "5", "6"], "b": ["x", "y", "z", "", "v"],
                                         readers.ROW: [2, 3, 5, 7, 8]}
    assert raw.short_rows == [(6, "the row has 3 cells but the header names only 2 columns")]


def test_rows_validated_in_small_batches_give_the_same_problems(tmp_path, load, monkeypatch):
    monkeypatch.setattr(ingest_module, "BATCH_ROWS", 2)
    # five rows, two batches and a half: bad fte at row 3, bad date at row 6
    rows = ASSIGNMENTS + [job("A2", "E2", "P1", fte="2"), job("A3", "E3", "P1"), job("A4", "E4", "P1"),
                          job("A5", "E5", "P1", start="31/02/2021")]
    _, report = load(_folder(tmp_path, posts=[post("P1")], assignments=rows))
    assert [(q.row_number, q.column) for q in report.quarantined] == [(3, "fte"), (6, "start_date")]
    assert report.kinds["assignments"].rows_loaded == 3


def _walk(rows):
    """The rule as words say it, one row at a time: by id then start, a row starting on or before the
    end of the last row kept for its id is held back (None is an open end)."""
    kept, held, last = [], [], {}
    for row in sorted(rows, key=lambda r: (r["post_id"], r["valid_from"])):
        before = last.get(row["post_id"])
        if before is not None and (before["valid_to"] is None or row["valid_from"] <= before["valid_to"]):
            held.append((row["_row"], before["_row"]))
            continue
        kept.append(row["_row"])
        last[row["post_id"]] = row
    return sorted(kept), sorted(held)


@pytest.mark.parametrize("text", ["object", "str"])  # cells as Python objects or as pandas text columns
def test_overlaps_found_for_all_ids_at_once_match_the_row_by_row_walk(text):
    import random
    from datetime import date, timedelta

    import pandas as pd

    from pipelines.rules import FILE, drop_overlaps

    rng = random.Random(8)
    rows, seen = [], set()
    while len(rows) < 400:  # 12 posts, 400 rows: long chains of overlaps, gaps and open ends
        post_id, start = f"P{rng.randint(1, 12)}", date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000))
        if (post_id, start) in seen:
            continue  # one row per key, as after the repeated-key rule
        seen.add((post_id, start))
        end = None if rng.random() < 0.15 else (start + timedelta(days=rng.randint(0, 400))).isoformat()
        rows.append({"post_id": post_id, "valid_from": start.isoformat(), "valid_to": end,
                     "_row": len(rows) + 2, FILE: "posts.csv"})
    frame = pd.DataFrame(rows, dtype="object") if text == "object" else \
        pd.DataFrame(rows).astype({"post_id": "str", "valid_from": "str", "valid_to": "str", FILE: "str"})
    kept, found = drop_overlaps("posts", frame, "post_id")
    expected_kept, expected_held = _walk(rows)
    assert sorted(kept["_row"]) == expected_kept
    assert sorted((p.row, int(p.reason.rsplit(" row ", 1)[1].rstrip(")"))) for p in found) == expected_held
    assert len(expected_held) > 100  # the case is not trivially clean
