"""Every bad-input rule of the data contract: file-level refusals and row-level quarantine."""

import subprocess
import sys

import duckdb
import pytest

from pipelines.errors import LoadRefused
from tests.extract_builder import ORG, write_kind

POSTS = [("P1", "Social worker", "T1", "Band 9", "practitioner", "true", "1", "2020-01-01", "")]
ASSIGNMENTS = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")]


def good_folder(folder, **replace):
    kinds = {"org_units": ORG, "posts": POSTS, "assignments": ASSIGNMENTS, **replace}
    for kind, rows in kinds.items():
        if rows is not None:
            write_kind(folder, kind, rows)
    return folder


def quarantined(report):
    return [(q.file_name, q.row_number, q.column) for q in report.quarantined]


# ---- a whole file or kind unusable: refused, database untouched, exit status 2 ----

def _refused(tmp_path, load, folder):
    db, _ = load(good_folder(tmp_path / "good"))
    before = db.read_bytes()
    with pytest.raises(LoadRefused) as refused:
        load(folder)
    assert db.read_bytes() == before
    return " ".join(refused.value.problems)


def test_a_required_kind_absent_is_refused(tmp_path, load):
    message = _refused(tmp_path, load, good_folder(tmp_path / "bad", assignments=None))
    assert "No assignments file found" in message


def test_a_required_column_missing_is_refused_naming_file_and_column(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    write_kind(folder, "posts", POSTS, columns=["post_id", "post_title", "unit_id", "grade", "tier",
                                                "social_work_post", "valid_from", "valid_to"])
    message = _refused(tmp_path, load, folder)
    assert "posts.csv" in message and "budgeted_fte" in message


def test_a_file_with_no_rows_is_refused(tmp_path, load):
    message = _refused(tmp_path, load, good_folder(tmp_path / "bad", assignments=[]))
    assert "assignments.csv" in message and "no data rows" in message


def test_an_unreadable_file_is_refused(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    (folder / "posts.csv").write_bytes(b"post_id,post_title\n\x81\x8d\x8f\x90\x9d,x\n")
    message = _refused(tmp_path, load, folder)
    assert "posts.csv" in message and "could not be read" in message


def test_a_file_in_the_wrong_format_is_refused(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    (folder / "caseloads.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    message = _refused(tmp_path, load, folder)
    assert "caseloads.xls" in message and ".xlsx" in message


def test_a_damaged_workbook_is_refused(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    (folder / "caseloads.xlsx").write_bytes(b"not a zip file at all")
    message = _refused(tmp_path, load, folder)
    assert "caseloads.xlsx" in message


def test_the_command_line_refuses_with_exit_status_2_and_no_traceback(tmp_path):
    folder = good_folder(tmp_path / "bad", posts=None)
    result = subprocess.run([sys.executable, "-m", "pipelines", "ingest", str(folder), "--db", str(tmp_path / "x.duckdb"),
                             "--key", str(tmp_path / "k.key")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "No posts file found" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "x.duckdb").exists()


# ---- a row breaks a rule: quarantined with file, row, column and reason; the rest loads ----

@pytest.mark.parametrize("bad_row,column,words", [
    (("A2", "E2", "P1", "permanent", "1", "31/02/2020", "", ""), "start_date", "not a date"),
    (("A2", "E2", "P1", "permanent", "1", "12/31/2020", "", ""), "start_date", "not a date"),
    (("A2", "E2", "P1", "permanent", "1.2", "2020-01-01", "", ""), "fte", "at most 1"),
    (("A2", "E2", "P1", "permanent", "0", "2020-01-01", "", ""), "fte", "greater than 0"),
    (("A2", "E2", "P1", "contractor", "1", "2020-01-01", "", ""), "arrangement", "allowed values"),
    (("A2", "E2", "P1", "permanent", "1", "2020-01-01", "", "fired"), "leaving_reason", "allowed values"),
    (("A2", "E2", "P1", "permanent", "1", "2020-05-01", "2020-04-30", ""), "end_date", "before start_date"),
    (("A2", "", "P1", "permanent", "1", "2020-01-01", "", ""), "person_id", "required"),
    (("A2", "E2", "P404", "permanent", "1", "2020-01-01", "", ""), "post_id", "not in posts"),
])
def test_a_bad_assignment_row_is_quarantined_and_the_rest_loads(tmp_path, load, bad_row, column, words):
    db, report = load(good_folder(tmp_path / "in", assignments=ASSIGNMENTS + [bad_row]))
    assert quarantined(report) == [("assignments.csv", 3, column)]
    assert words in report.quarantined[0].reason
    assert report.kinds["assignments"].rows_loaded == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from load_quarantine").fetchall() == [(1,)]


@pytest.mark.parametrize("bad_row,column,words", [
    (("P2", "SW", "T1", "Band 9", "practitioner", "maybe", "1", "2020-01-01", ""), "social_work_post", "yes/no"),
    (("P2", "SW", "T1", "Band 9", "practitioner", "y", "5.5", "2020-01-01", ""), "budgeted_fte", "at most 5"),
    (("P2", "SW", "T1", "Band 9", "chief", "y", "1", "2020-01-01", ""), "tier", "allowed values"),
    (("P2", "SW", "T9", "Band 9", "practitioner", "y", "1", "2020-01-01", ""), "unit_id", "not in org_units"),
    (("P1", "SW", "T1", "Band 9", "practitioner", "y", "1", "2020-06-01", ""), "valid_from", "overlaps"),
    (("P2", "SW", "T1", "Band 9", "practitioner", "y", "1", "2020-06-01", "2020-05-31"), "valid_to", "before valid_from"),
])
def test_a_bad_post_row_is_quarantined(tmp_path, load, bad_row, column, words):
    _, report = load(good_folder(tmp_path / "in", posts=POSTS + [bad_row]))
    assert quarantined(report) == [("posts.csv", 3, column)]
    assert words in report.quarantined[0].reason


def test_a_bad_org_unit_row_is_quarantined(tmp_path, load):
    rows = ORG + [("T3", "Team Three", "CS", "squad", "2020-01-01", "")]
    _, report = load(good_folder(tmp_path / "in", org_units=rows))
    assert quarantined(report) == [("org_units.csv", 5, "unit_level")]


def test_two_different_rows_with_one_key_in_one_file_are_both_quarantined(tmp_path, load):
    rows = ASSIGNMENTS + [("A2", "E2", "P1", "agency", "1", "2020-01-01", "", ""),
                          ("A2", "E2", "P1", "agency", "0.5", "2020-01-01", "", "")]
    _, report = load(good_folder(tmp_path / "in", assignments=rows))
    assert quarantined(report) == [("assignments.csv", 3, "assignment_id"), ("assignments.csv", 4, "assignment_id")]


def test_an_identical_repeat_in_one_file_loads_once(tmp_path, load):
    rows = ASSIGNMENTS + ASSIGNMENTS
    db, report = load(good_folder(tmp_path / "in", assignments=rows))
    assert report.quarantined == []
    assert report.kinds["assignments"].rows_loaded == 1


def test_a_caseload_row_with_negative_cases_is_quarantined(tmp_path, load):
    folder = good_folder(tmp_path / "in")
    write_kind(folder, "caseloads", [("2020-01-31", "E1", "12"), ("2020-01-31", "E2", "-1"), ("2020-01-31", "E3", "2.5")])
    _, report = load(folder)
    assert quarantined(report) == [("caseloads.csv", 3, "open_cases"), ("caseloads.csv", 4, "open_cases")]


def test_a_parent_missing_on_the_childs_start_is_a_warning_not_a_quarantine(tmp_path, load):
    rows = [("CS", "Children's Services", "", "directorate", "2020-03-01", ""),
            ("T1", "Team One", "CS", "team", "2020-01-01", "")]
    _, report = load(good_folder(tmp_path / "in", org_units=rows))
    assert report.quarantined == []
    assert any("parent CS has no row valid on 2020-01-01" in w["message"] for w in report.warnings)


def test_a_decimal_comma_is_refused_not_read_as_a_whole_number(tmp_path, load):
    rows = POSTS + [("P2", "SW", "T1", "Band 9", "practitioner", "y", "0,5", "2020-01-01", "")]
    _, report = load(good_folder(tmp_path / "in", posts=rows))
    assert quarantined(report) == [("posts.csv", 3, "budgeted_fte")]


def test_a_file_marked_utf8_with_invalid_bytes_is_refused(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    (folder / "posts.csv").write_bytes(b"\xef\xbb\xbfpost_id,post_title\nP1,\xff\xfe\n")
    message = _refused(tmp_path, load, folder)
    assert "posts.csv" in message and "UTF-8" in message


def test_a_mapping_naming_an_unknown_kind_is_refused(tmp_path, load):
    folder = good_folder(tmp_path / "bad")
    (folder / "mapping.toml").write_text('[values.assignmentz.arrangement]\n"Perm" = "permanent"\n')
    message = _refused(tmp_path, load, folder)
    assert "assignmentz" in message
