"""Readers: encodings detected, XLSX via calamine, date forms, sentinels, booleans, mapping files."""

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.parsing import parse_date
from tests.extract_builder import ORG, write_kind

POSTS = [("P1", "Social worker – North", "T1", "Band 9", "practitioner", "Y", "1", "01/01/2020", "31/12/4712")]
ASSIGNMENTS = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")]


def _rows(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_each_csv_encoding_is_detected_and_read(tmp_path, load, encoding):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG, encoding=encoding)
    write_kind(folder, "posts", POSTS, encoding=encoding)
    write_kind(folder, "assignments", ASSIGNMENTS, encoding=encoding)
    db, report = load(folder)
    assert _rows(db, "select post_title from stg_posts") == [("Social worker – North",)]
    expected = {"utf-8": "csv (utf-8)", "utf-8-sig": "csv (utf-8 with BOM)", "cp1252": "csv (windows-1252)"}
    formats = {f.file_name: f.file_format for f in report.files}
    assert formats["posts.csv"] == expected[encoding]  # the file with a non-ASCII character


def test_uk_iso_and_sentinel_dates_read_the_same(tmp_path, load):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS + [("P2", "SW", "T1", "Band 9", "practitioner", "n", "1", "2020-01-01", "9999-12-31"),
                                          ("P3", "SW", "T1", "Band 9", "practitioner", "NO", "1", "2020-01-01", "")])
    write_kind(folder, "assignments", ASSIGNMENTS)
    db, _ = load(folder)
    rows = _rows(db, "select post_id, valid_from, valid_to, social_work_post from stg_posts order by post_id")
    assert rows == [("P1", dt.date(2020, 1, 1), None, True), ("P2", dt.date(2020, 1, 1), None, False),
                    ("P3", dt.date(2020, 1, 1), None, False)]


def test_day_first_dates_are_never_read_as_us_order():
    assert parse_date("03/04/2024") == dt.date(2024, 4, 3)
    assert parse_date("04/13/2024") is None  # no 13th month: a row error, never guessed as 13 April
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date("2023-02-29") is None


@pytest.mark.parametrize("spelling,expected", [("true", True), ("FALSE", False), ("Yes", True), ("no", False),
                                               ("Y", True), ("n", False), ("1", True), ("0", False)])
def test_every_boolean_spelling_in_the_contract_is_accepted(tmp_path, load, spelling, expected):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", [("P1", "SW", "T1", "Band 9", "practitioner", spelling, "1", "2020-01-01", "")])
    write_kind(folder, "assignments", ASSIGNMENTS)
    db, _ = load(folder)
    assert _rows(db, "select social_work_post from stg_posts") == [(expected,)]


def _write_xlsx(path: Path, sheet: str, header: list[str], rows: list[list]) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["This sheet is not the data"])
    data = book.create_sheet(sheet)
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)


def test_xlsx_native_date_cells_numbers_and_sentinels_are_read_from_the_named_sheet(tmp_path, load):
    folder = tmp_path / "in"
    folder.mkdir()
    _write_xlsx(folder / "org_units.xlsx", "org_units",
                ["unit_id", "unit_name", "parent_unit_id", "unit_level", "valid_from", "valid_to"],
                [["CS", "Children's Services", None, "directorate", dt.datetime(2020, 1, 1), dt.datetime(9999, 12, 31)],
                 ["T1", "Team One", "CS", "team", "01/01/2020", None]])
    _write_xlsx(folder / "posts.xlsx", "posts",
                ["post_id", "post_title", "unit_id", "grade", "tier", "social_work_post", "budgeted_fte",
                 "valid_from", "valid_to"],
                [[1001, "SW", "T1", "Band 9", "practitioner", True, 0.5, dt.date(2020, 1, 1), dt.datetime(4712, 12, 31)]])
    write_kind(folder, "assignments", [("A1", "E1", "1001", "permanent", "0.5", "2020-01-01", "", "")])
    db, report = load(folder)
    assert _rows(db, "select unit_id, valid_to from stg_org_units order by 1") == [("CS", None), ("T1", None)]
    assert _rows(db, "select post_id, budgeted_fte, social_work_post from stg_posts") == [("1001", 0.5, True)]
    assert _rows(db, "select count(*) from stg_assignments") == [(1,)]
    assert "xlsx (sheet 'org_units')" in {f.file_format for f in report.files}


def test_several_files_of_a_kind_are_combined_in_name_order(tmp_path, load):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    write_kind(folder, "assignments", [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")],
               name="assignments_2020-01.csv")
    write_kind(folder, "assignments", [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "2020-06-30", "resignation"),
                                       ("A2", "E2", "P1", "agency", "1", "2020-07-01", "", "")],
               name="assignments_2020-02.csv")
    db, report = load(folder)
    rows = _rows(db, "select assignment_id, end_date from stg_assignments order by 1")
    assert rows == [("A1", dt.date(2020, 6, 30)), ("A2", None)]
    assert report.kinds["assignments"].rows_loaded == 2


def test_a_vendor_mapping_file_renames_columns_and_maps_codes(tmp_path, load):
    folder = tmp_path / "in"
    mapping = Path(__file__).resolve().parent.parent / "data" / "mappings" / "itrent.toml"
    (folder).mkdir()
    (folder / "mapping.toml").write_bytes(mapping.read_bytes())
    write_kind(folder, "org_units",
               [{"Org Unit Code": "CS", "Org Unit Description": "Children's Services", "Parent Org Unit Code": "",
                 "Org Level": "DIR", "Effective From": "01/04/2019", "Effective To": ""}],
               name="iTrent_Org_Structure.csv",
               columns=["Org Unit Code", "Org Unit Description", "Parent Org Unit Code", "Org Level",
                        "Effective From", "Effective To"])
    write_kind(folder, "posts",
               [{"Post Number": "P1", "Post Title": "Director", "Org Unit Code": "CS", "Grade": "Hay A",
                 "Management Tier": "T1 Director", "SWE Registration Required": "N", "Budgeted FTE": "1",
                 "Effective From": "01/04/2019", "Effective To": ""}],
               name="iTrent_Establishment.csv",
               columns=["Post Number", "Post Title", "Org Unit Code", "Grade", "Management Tier",
                        "SWE Registration Required", "Budgeted FTE", "Effective From", "Effective To"])
    write_kind(folder, "assignments",
               [{"Appointment ID": "X1", "Employee Number": "004512", "Post Number": "P1", "Contract Type": "Agency Locum",
                 "FTE": "1", "Appointment Start": "01/05/2019", "Appointment End": "31/10/2019", "Leaving Reason": "EOC",
                 "Surname": "Smith"}],
               name="iTrent_Appointments_2019.csv",
               columns=["Appointment ID", "Employee Number", "Post Number", "Contract Type", "FTE",
                        "Appointment Start", "Appointment End", "Leaving Reason", "Surname"])
    db, report = load(folder)
    assert _rows(db, "select unit_level from stg_org_units") == [("directorate",)]
    assert _rows(db, "select tier from stg_posts") == [("director",)]
    assert _rows(db, "select arrangement, leaving_reason from stg_assignments") == [("agency", "end_of_contract")]
    assert report.mapping == "iTrent (example)"
    assert [d["column"] for d in report.dropped_personal_columns] == ["Surname"]


def test_blank_lines_keep_excel_row_numbers_for_later_rows(tmp_path, load):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    path = write_kind(folder, "assignments", ASSIGNMENTS)
    path.write_text(path.read_text() + "\nA2,E2,P1,permanent,2,2020-01-01,,\n")
    _, report = load(folder)
    assert [(q.row_number, q.column) for q in report.quarantined] == [(4, "fte")]
