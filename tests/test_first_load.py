"""An HR analyst's first load (issue 9, part 4): month-first dates warned about, headings found under a
title block, a mapping line that matches nothing pointed to, every row read accounted for, and the new
pseudonym key's whereabouts told once."""

import subprocess
import sys

import duckdb
import openpyxl
import pytest

from pipelines.contract import KINDS
from pipelines.demo import write_demo
from pipelines.errors import LoadRefused
from tests.extract_builder import ORG, write_kind

POSTS = [("P1", "Social worker", "T1", "Band 9", "practitioner", "true", "1", "2020-01-01", "")]
ASSIGNMENTS = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")]


def folder_with(folder, **replace):
    for kind, rows in {"org_units": ORG, "posts": POSTS, "assignments": ASSIGNMENTS, **replace}.items():
        if rows is not None:
            write_kind(folder, kind, rows)
    return folder


# ---- dates valid only in US order ----

def test_a_date_valid_only_month_first_warns_that_the_columns_other_slash_dates_may_be_swapped(tmp_path, load):
    folder = folder_with(tmp_path / "in", assignments=[
        ("A1", "E1", "P1", "permanent", "1", "07/15/2024", "", ""),  # row 2: no 15th month: held back
        ("A2", "E2", "P1", "permanent", "1", "01/06/2025", "", ""),  # row 3: meant 6 Jan, read as 1 June
        ("A3", "E3", "P1", "permanent", "1", "2024-03-01", "", ""),  # row 4: ISO, never ambiguous
        ("A4", "E4", "P1", "permanent", "1", "13/06/2025", "", ""),  # row 5: real only day first
        ("A5", "E5", "P1", "permanent", "1", "05/05/2025", "", ""),  # row 6: the same date either way
    ])
    db, report = load(folder)
    assert [(q.row_number, q.column) for q in report.quarantined] == [(2, "start_date")]  # still held back
    with duckdb.connect(str(db), read_only=True) as con:
        a2 = con.execute("select strftime(start_date, '%Y-%m-%d') from stg_assignments where assignment_id = 'A2'")
        assert a2.fetchall() == [("2025-06-01",)]  # loaded as read, day first
        stored = con.execute("select kind, subject, message from data_quality_warnings").fetchall()
    dated = [w for w in report.warnings if "month-first" in w["message"]]
    assert len(dated) == 1 and dated[0]["kind"] == "assignments" and dated[0]["subject"] == "assignments.csv"
    message = dated[0]["message"]
    assert message.startswith("assignments.csv column start_date holds 1 date(s) that are real dates only in "
                              "month-first US order (row 2, held back)")
    # rows 3 only: row 4 is ISO, row 5 is real only day first, row 6 reads the same either way
    assert "its 1 other date(s) written with slashes that are real dates either way (row 3)" in message
    assert "day and month swapped" in message
    assert not any(value in message for value in ("07/15/2024", "01/06/2025", "E1", "E2"))
    assert ("assignments", "assignments.csv", message) in stored  # on the Data quality page
    assert message in report.summary()  # and in the load report people read


def test_a_column_with_only_real_uk_dates_gets_no_month_first_warning(tmp_path, load):
    folder = folder_with(tmp_path / "in", assignments=[("A1", "E1", "P1", "permanent", "1", "01/06/2025", "", ""),
                                                      ("A2", "E2", "P1", "permanent", "1", "13/06/2025", "", "")])
    _, report = load(folder)
    assert not [w for w in report.warnings if "month-first" in w["message"]]


# ---- Excel (and CSV) title blocks above the headings ----

def _posts_workbook(path, headings):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "posts"
    sheet.append(["Establishment report"])        # row 1
    sheet.append(["Run on 31/03/2025 by HR"])     # row 2
    sheet.append([])                              # row 3
    sheet.append(headings)                        # row 4
    sheet.append(["P1", "Social worker", "T1", "Band 9", "practitioner", "yes", 1, "2020-01-01", None])  # row 5
    sheet.append(["P2", "Social worker", "T1", "Band 9", "practitioner", "yes", 0, "2020-01-01", None])  # row 6
    book.save(path)


def test_excel_headings_under_a_title_block_are_found_and_the_row_used_is_said(tmp_path, load):
    folder = folder_with(tmp_path / "in", posts=None)
    _posts_workbook(folder / "posts.xlsx", list(KINDS["posts"].columns))
    db, report = load(folder)
    assert [(q.file_name, q.row_number, q.column) for q in report.quarantined] == [("posts.xlsx", 6, "budgeted_fte")]
    assert {f.file_name: f.header_row for f in report.files}["posts.xlsx"] == 4
    assert "posts.xlsx: headings taken from row 4 of sheet 'posts'; the rows above them were not read." \
        in report.summary()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select post_id from stg_posts").fetchall() == [("P1",)]


def test_excel_headings_that_do_not_all_match_are_refused_saying_where_they_seem_to_be(tmp_path, load):
    folder = folder_with(tmp_path / "in", posts=None)
    headings = [c if c != "budgeted_fte" else "Budget" for c in KINDS["posts"].columns]
    _posts_workbook(folder / "posts.xlsx", headings)
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    assert refused.value.problems[0].startswith(
        "posts.xlsx: the headings seem to be on row 4 of sheet 'posts', but required column(s) budgeted_fte not found.")


def test_csv_title_lines_above_the_headings_are_skipped_and_row_numbers_stay_excels(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    path = folder / "assignments.csv"
    path.write_text("Assignments report,,,,,,,\n" + path.read_text() + "A2,E2,P1,permanent,2,2020-01-01,,\n")
    _, report = load(folder)
    # line 1 title, line 2 headings, line 3 A1, line 4 A2 (fte 2)
    assert [(q.row_number, q.column) for q in report.quarantined] == [(4, "fte")]
    assert "assignments.csv: headings taken from row 2;" in report.summary()


def test_a_semicolon_csv_under_a_title_line_with_no_separator_is_still_split_by_semicolons(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    path = folder / "assignments.csv"
    path.write_text("Assignments report\n\n" + path.read_text().replace(",", ";") + "A2;E2;P1;permanent;2;2020-01-01;;\n")
    _, report = load(folder)
    # line 1 title, line 2 blank, line 3 headings, line 4 A1, line 5 A2 (fte 2)
    assert [(q.row_number, q.column) for q in report.quarantined] == [(5, "fte")]
    assert {f.file_name: f.file_format for f in report.files}["assignments.csv"] == "csv (utf-8, semicolon-separated)"


# ---- a mapping naming a heading no file has ----

def test_a_mapped_heading_in_no_file_names_the_mapping_line_and_the_closest_headings(tmp_path, load):
    folder = folder_with(tmp_path / "in", assignments=None)
    (folder / "mapping.toml").write_text('[vendor]\nname = "Ours"\n\n[columns.assignments]\nperson_id = "Emp No"\n')
    columns = ["assignment_id", "Employee No", "Emp Number", "post_id", "arrangement", "fte", "start_date"]
    write_kind(folder, "assignments", [dict(zip(columns, ("A1", "E1", "E1", "P1", "permanent", "1", "2020-01-01")))],
               columns=columns)
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    # difflib ratios against 'emp no': 'employee no' 2*6/17 = 0.71, 'emp number' 2*5/16 = 0.63, the rest < 0.6
    assert ("mapping.toml line 5: column 'Emp No' is in no assignments file; the closest headings are "
            "'Employee No', 'Emp Number'. Correct the heading on the right-hand side of that line.") \
        in refused.value.problems


def test_a_mapped_optional_heading_in_no_file_is_refused_rather_than_loaded_empty(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    (folder / "mapping.toml").write_text('[columns.assignments]\n# when people left\nend_date = "Leave Date"\n')
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    assert refused.value.problems == [
        "mapping.toml line 3: column 'Leave Date' is in no assignments file; no heading in those files is close to "
        "it. Correct the heading on the right-hand side of that line."]


# ---- every row read accounted for ----

def test_rows_read_are_loaded_plus_repeats_plus_replaced_plus_held_back(tmp_path, load):
    folder = folder_with(tmp_path / "in", assignments=None)
    write_kind(folder, "assignments", [
        ("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", ""),  # row 2: also in 2021 unchanged: a repeat
        ("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", ""),  # row 3: the same row again: a repeat
        ("A2", "E2", "P1", "permanent", "1", "2020-01-01", "", ""),  # row 4: ended in 2021's file: replaced
        ("A3", "E3", "P1", "permanent", "2", "2020-01-01", "", ""),  # row 5: fte 2: held back
    ], name="assignments_2020.csv")
    path = write_kind(folder, "assignments", [
        ("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", ""),
        ("A2", "E2", "P1", "permanent", "1", "2020-01-01", "2021-03-31", "resignation"),
        ("A4", "E4", "P1", "acting", "1", "2021-01-01", "", ""),
    ], name="assignments_2021.csv")
    path.write_text(path.read_text() + "\n")  # a blank line is not a row read
    _, report = load(folder)
    counts = report.kinds["assignments"]
    # read 4 + 3 = 7; loaded A1, A2 (2021), A4 = 3; repeats: 2020 row 3 and 2020 row 2 = 2; replaced: 2020 A2 = 1
    assert (counts.rows_read, counts.rows_loaded, counts.rows_repeated, counts.rows_replaced,
            counts.rows_quarantined) == (7, 3, 2, 1, 1)
    assert "assignments          7 read = 3 loaded + 2 repeats + 1 replaced + 1 held back" in report.summary()


def test_the_demos_yearly_files_with_repeats_and_updates_add_up_to_the_rows_read(tmp_path, load):
    write_demo(tmp_path / "demo", scale=0.2)
    _, report = load(tmp_path / "demo")
    for counts in report.kinds.values():
        assert counts.rows_read == (counts.rows_loaded + counts.rows_repeated + counts.rows_replaced
                                    + counts.rows_quarantined), counts
    assert report.kinds["assignments"].rows_repeated > 0 and report.kinds["assignments"].rows_replaced > 0


# ---- the new pseudonym key ----

def _ingest(folder, tmp_path):
    return subprocess.run([sys.executable, "-m", "pipelines", "ingest", str(folder), "--db", str(tmp_path / "w.duckdb"),
                           "--key", str(tmp_path / "keys" / "pseudonym.key")], capture_output=True, text=True)


def test_only_the_load_that_makes_the_key_says_where_it_is_and_to_back_it_up(tmp_path):
    first = _ingest(folder_with(tmp_path / "one"), tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "keys" / "pseudonym.key").resolve()
    assert f"A new pseudonym key was made at {key}. Back it up now" in first.stdout
    assert "without this key, future loads cannot be linked to this one" in first.stdout
    second = _ingest(folder_with(tmp_path / "two", assignments=ASSIGNMENTS + [
        ("A2", "E2", "P1", "permanent", "1", "2021-01-01", "", "")]), tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Loaded" in second.stdout and "new pseudonym key" not in second.stdout
