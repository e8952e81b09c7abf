"""Hardening of the readers and rules: numbers and dates the database cannot hold are held back with a
reason (never a failed load), ids differing only in letter case are warned about, and UTF-16 or
semicolon/tab-separated text is read (or refused in plain words)."""

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from pipelines.contract import KINDS
from pipelines.errors import LoadRefused
from pipelines.views import run_view
from tests.extract_builder import ORG, db_rows, held_back, rows_of, write_kind

POSTS = [("P1", "Social worker", "T1", "Band 9", "practitioner", "true", "1", "2020-01-01", "")]
ASSIGNMENTS = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")]


def folder_with(path, **replace):
    kinds = {"org_units": ORG, "posts": POSTS, "assignments": ASSIGNMENTS, **replace}
    for kind, rows in kinds.items():
        write_kind(path, kind, rows)
    return path


# ---- item 5: out of range -> held back with a reason naming the column and the range ----

@pytest.mark.parametrize("cases", ["3000000000", "1e30", "2147483648"])
def test_open_cases_too_large_for_the_database_is_held_back_not_a_failed_load(tmp_path, load, cases):
    folder = folder_with(tmp_path / "in", caseloads=[("2020-01-31", "E1", "2147483647"), ("2020-01-31", "E2", cases)])
    db, report = load(folder)
    assert held_back(report) == [("caseloads.csv", 3, "open_cases",
                             f"open_cases '{cases}' is out of range: it must be a whole number from 0 to 2147483647")]
    assert db_rows(db, "select open_cases from stg_caseloads") == [(2147483647,)]  # 2**31 - 1, the largest


def test_a_number_with_a_huge_exponent_is_held_back_quickly(tmp_path, load):
    folder = folder_with(tmp_path / "in", caseloads=[("2020-01-31", "E1", "1e999999999")])
    _, report = load(folder)  # never turned into a billion-digit integer
    assert [q.column for q in report.quarantined] == ["open_cases"]


@pytest.mark.parametrize("fte,loads", [("0.000000004", False), ("0.000000005", False), ("0.000000006", True)])
def test_an_fte_that_rounds_to_zero_at_8_places_is_held_back(tmp_path, load, fte, loads):
    # 0.000000004 -> 0.00000000; 0.000000005 -> 0.00000000 (half to even); 0.000000006 -> 0.00000001
    rows = ASSIGNMENTS + [("A2", "E2", "P1", "permanent", fte, "2020-01-01", "", "")]
    db, report = load(folder_with(tmp_path / "in", assignments=rows))
    if loads:
        assert report.quarantined == []
        assert db_rows(db, "select fte from stg_assignments where assignment_id = 'A2'") == [(Decimal("0.00000001"),)]
    else:
        assert held_back(report) == [("assignments.csv", 3, "fte", f"fte '{fte}' rounds to 0 at the 8 decimal places "
                                                              "stored: it must be at least 0.00000001")]


def test_a_budgeted_fte_that_rounds_to_zero_is_held_back(tmp_path, load):
    rows = POSTS + [("P2", "SW", "T1", "Band 9", "practitioner", "y", "0.000000001", "2020-01-01", "")]
    _, report = load(folder_with(tmp_path / "in", posts=rows))
    assert [(q.row_number, q.column) for q in report.quarantined] == [(3, "budgeted_fte")]


@pytest.mark.parametrize("start,end,column", [
    ("1899-12-31", "", "start_date"),
    ("31/12/1899", "", "start_date"),
    ("2101-01-01", "", "start_date"),
    ("9999-12-31", "", "start_date"),   # a sentinel means an open end, not a start
    ("2020-01-01", "2101-01-01", "end_date"),
    ("2020-01-01", "1000-01-01", "end_date"),
])
def test_a_date_outside_1900_to_2100_is_held_back(tmp_path, load, start, end, column):
    rows = ASSIGNMENTS + [("A2", "E2", "P1", "permanent", "1", start, end, "")]
    _, report = load(folder_with(tmp_path / "in", assignments=rows))
    assert [(q.row_number, q.column) for q in report.quarantined] == [(3, column)]
    assert "is outside the dates accepted, 1900-01-01 to 2100-12-31" in report.quarantined[0].reason


def test_the_edges_of_the_date_range_and_the_open_end_sentinels_load(tmp_path, load):
    rows = [("A1", "E1", "P1", "permanent", "1", "1900-01-01", "2100-12-31", ""),
            ("A2", "E2", "P1", "permanent", "1", "2020-01-01", "4712-12-31", ""),
            ("A3", "E3", "P1", "permanent", "1", "2020-01-01", "31/12/9999", "")]
    posts = [("P1", "SW", "T1", "Band 9", "practitioner", "y", "1", "1900-01-01", "9999-12-31")]
    org = [("CS", "Children's Services", "", "directorate", "1900-01-01", "")]
    posts[0] = posts[0][:2] + ("CS",) + posts[0][3:]
    db, report = load(folder_with(tmp_path / "in", org_units=org, posts=posts, assignments=rows))
    assert report.quarantined == []
    assert db_rows(db, "select assignment_id, start_date, end_date from stg_assignments order by 1") == [
        ("A1", dt.date(1900, 1, 1), dt.date(2100, 12, 31)), ("A2", dt.date(2020, 1, 1), None),
        ("A3", dt.date(2020, 1, 1), None)]


def test_snapshot_and_key_dates_out_of_range_are_held_back(tmp_path, load):
    folder = folder_with(tmp_path / "in", caseloads=[("2020-01-31", "E1", "3"), ("1850-01-31", "E1", "3")],
                         key_dates=[("2020-03-01", "Inspection", "inspection"), ("2200-03-01", "Typo", "other")])
    _, report = load(folder)
    assert [(q.file_name, q.row_number, q.column) for q in report.quarantined] == [
        ("caseloads.csv", 3, "snapshot_date"), ("key_dates.csv", 3, "date")]


# ---- item 7: ids differing only in letter case or surrounding spaces ----

def test_surrounding_spaces_in_an_employee_number_are_not_part_of_it(tmp_path, load):
    rows = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", ""),
            ("A2", " E1 ", "P1", "permanent", "1", "2021-01-01", "", "")]
    folder = folder_with(tmp_path / "in", assignments=rows, caseloads=[("2020-01-31", "E1\u00a0", "3")])
    db, report = load(folder)
    assert db_rows(db, "select count(distinct person_key) from stg_assignments") == [(1,)]
    assert db_rows(db, "select count(*) from caseload_matches where is_matched") == [(1,)]
    assert report.warnings == []


def test_ids_differing_only_in_letter_case_are_two_people_and_a_warning_names_rows_not_ids(tmp_path, load):
    rows = [("A1", "EMPX1", "P1", "permanent", "1", "2020-01-01", "", ""),
            ("A2", "empx1", "P1", "permanent", "1", "2020-01-01", "", ""),
            ("A3", "EMPX2", "P1", "permanent", "1", "2020-01-01", "", ""),
            ("A4", "EmpX1", "P1", "permanent", "1", "2020-01-01", "", "")]
    folder = folder_with(tmp_path / "in", assignments=rows, caseloads=[("2020-01-31", "Empx2", "3")])
    db, report = load(folder)
    assert db_rows(db, "select count(distinct person_key) from stg_assignments") == [(4,)]
    # assignments: EMPX1, empx1, EmpX1 fold to one id (rows 2, 3, 5); EMPX2 (row 4) folds with caseloads' Empx2
    warnings = db_rows(db, "select kind, subject, day, message from data_quality_warnings "
                         "where message like '%letter case%' order by kind")
    assert warnings == [
        ("assignments", "assignments.csv", None,
         "4 employee number(s) in assignments.csv (rows 2, 3, 4, 5) differ from another employee number only "
         "in letter case; they are counted as different people. Check which spelling is right in the HR system"),
        ("caseloads", "caseloads.csv", None,
         "1 employee number(s) in caseloads.csv (row 2) differ from another employee number only "
         "in letter case; they are counted as different people. Check which spelling is right in the HR system"),
    ]
    assert len(report.warnings) == 2 + 1  # and the unmatched caseload row (Empx2 has no assignment)
    with duckdb.connect(str(db), read_only=True) as con:
        counts = run_view(con, "data_quality_warning_counts")
    assert counts[["kind", "warnings"]].values.tolist() == [["assignments", 1], ["caseloads", 2]]
    for value in ("EMPX1", "empx1", "EmpX1", "EMPX2", "Empx2"):
        assert value not in report.to_json()


# ---- item 9: UTF-16, semicolons and tabs ----

def _write(path, kind, rows, *, separator, encoding, header=None):
    columns = header or list(KINDS[kind].columns)
    lines = [separator.join(columns)] + [separator.join(r[c] for c in columns) for r in rows_of(kind, rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


@pytest.mark.parametrize("encoding,marker", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_excel_unicode_text_utf16_tab_separated_is_read(tmp_path, load, encoding, marker):
    folder = folder_with(tmp_path / "in")
    (folder / "posts.csv").unlink()
    posts = POSTS + [("P2", "Travailleur social – Nord", "T1", "Band 9", "practitioner", "y", "9", "2020-01-01", "")]
    path = folder / "posts.txt"
    _write(path, "posts", posts, separator="\t", encoding=encoding)
    path.write_bytes(marker + path.read_bytes())
    db, report = load(folder)
    assert {f.file_name: f.file_format for f in report.files}["posts.txt"] == "csv (utf-16, tab-separated)"
    assert db_rows(db, "select post_id, post_title from stg_posts order by 1") == [("P1", "Social worker")]
    assert held_back(report) == [("posts.txt", 3, "budgeted_fte", "'9' is not a number greater than 0 and at most 5")]


def test_a_semicolon_separated_csv_is_read_and_a_decimal_comma_is_still_refused(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    rows = ASSIGNMENTS + [("A2", "E2", "P1", "permanent", "0,5", "2020-01-01", "", ""),
                          ("A3", "E3", "P1", "permanent", "0.5", "2020-01-01", "", "")]
    _write(folder / "assignments.csv", "assignments", rows, separator=";", encoding="cp1252")
    db, report = load(folder)
    formats = {f.file_name: f.file_format for f in report.files}
    assert formats["assignments.csv"] == "csv (utf-8, semicolon-separated)"  # plain ASCII reads as UTF-8
    assert [(q.row_number, q.column) for q in report.quarantined] == [(3, "fte")]
    assert db_rows(db, "select assignment_id, fte from stg_assignments order by 1") == [
        ("A1", Decimal("1.00000000")), ("A3", Decimal("0.50000000"))]


def test_a_comma_inside_a_quoted_header_does_not_decide_the_separator(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    (folder / "key_dates.csv").write_text('date;"label, short";category\n2020-03-01;Inspection, ILACS;inspection\n',
                                          encoding="utf-8")
    (folder / "mapping.toml").write_text('[columns.key_dates]\nlabel = "label, short"\n', encoding="utf-8")
    db, _ = load(folder)
    assert db_rows(db, "select label from stg_key_dates") == [("Inspection, ILACS",)]


def test_utf16_without_its_marker_is_refused_in_plain_words(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    path = folder / "posts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    message = " ".join(refused.value.problems)
    assert message.startswith("posts.csv: holds NUL bytes, so it is not plain text")
    assert "\x00" not in message and "CSV UTF-8" in message


def test_a_damaged_utf16_file_is_refused_in_plain_words(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    (folder / "posts.csv").write_bytes(b"\xff\xfe" + "post_id\tpost_title\n".encode("utf-16-le") + b"\x00\xd8x")
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    assert refused.value.problems == ["posts.csv: starts with a UTF-16 marker (Excel's 'Unicode text') but is not "
                                      "valid UTF-16 text. Save it again from the HR system or Excel as 'CSV UTF-8'."]


def test_a_quoted_line_break_keeps_excel_row_numbers_for_later_rows(tmp_path, load):
    folder = folder_with(tmp_path / "in")
    (folder / "posts.csv").write_text(
        "post_id,post_title,unit_id,grade,tier,social_work_post,budgeted_fte,valid_from,valid_to\n"
        'P1,"Social worker\nNorth",T1,Band 9,practitioner,y,1,2020-01-01,\n'
        "P2,SW,T1,Band 9,practitioner,y,9,2020-01-01,\n", encoding="utf-8")
    db, report = load(folder)
    assert db_rows(db, "select post_title from stg_posts") == [("Social worker\nNorth",)]
    assert [(q.row_number, q.column) for q in report.quarantined] == [(3, "budgeted_fte")]  # Excel's row 3
