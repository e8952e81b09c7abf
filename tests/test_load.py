"""Loading: atomic swap, idempotency, load history, the report, and no personal data in the file."""

import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

import pipelines.store as store
from pipelines.ingest import ingest
from pipelines.metrics import run_metric
from tests.extract_builder import ORG, write_kind

POSTS = [("P1", "Social worker", "T1", "Band 9", "practitioner", "true", "1", "2020-01-01", ""),
         ("P2", "Social worker", "T2", "Band 9", "practitioner", "true", "1", "2020-01-01", "")]


def extract(folder, assignments):
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    write_kind(folder, "assignments", assignments)
    return folder


FIRST = [("A1", "E1", "P1", "permanent", "1", "2020-01-01", "", "")]
SECOND = FIRST + [("A2", "E2", "P2", "agency", "1", "2020-01-01", "", "")]


def test_a_load_that_fails_part_way_leaves_the_old_database_answering_the_same(tmp_path, key_file, monkeypatch):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=key_file)
    before = run_metric(db, "agency_rate", as_of=date(2020, 6, 1))

    def crash(con):
        con.execute("create table half_built as select 1")
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "build_models", crash)
    with pytest.raises(RuntimeError):
        ingest(extract(tmp_path / "two", SECOND), db, key_path=key_file)
    assert run_metric(db, "agency_rate", as_of=date(2020, 6, 1)) == before
    # No half-built file left; the writer lock's file stays by design (pipelines/writelock.py says why).
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["w.duckdb", "w.duckdb.lock"]


def test_loading_the_same_extract_twice_changes_nothing(tmp_path, key_file):
    db = tmp_path / "w.duckdb"
    folder = extract(tmp_path / "one", FIRST)
    assert ingest(folder, db, key_path=key_file).status == "loaded"
    before = db.read_bytes()
    assert ingest(folder, db, key_path=key_file).status == "unchanged"
    assert db.read_bytes() == before


def test_each_load_records_a_history_row_with_files_hashes_and_counts(tmp_path, key_file):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=key_file)
    ingest(extract(tmp_path / "two", SECOND + [("A3", "E3", "P9", "agency", "1", "2020-01-01", "", "")]), db,
           key_path=key_file)
    with duckdb.connect(str(db), read_only=True) as con:
        loads = con.execute("select load_id, rows_loaded, rows_quarantined from loads order by 1").fetchall()
        files = con.execute("select load_id, file_name, length(sha256), row_count from load_files "
                            "where kind = 'assignments' order by 1").fetchall()
        kinds = con.execute("select rows_loaded, rows_quarantined from load_kinds "
                            "where load_id = 2 and kind = 'assignments'").fetchall()
    assert loads == [(1, 3 + 2 + 1, 0), (2, 3 + 2 + 2, 1)]
    assert files == [(1, "assignments.csv", 64, 1), (2, "assignments.csv", 64, 3)]
    assert kinds == [(2, 1)]


def test_no_personal_value_or_employee_number_appears_in_the_database_file(tmp_path, key_file):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    columns = ["assignment_id", "person_id", "post_id", "arrangement", "fte", "start_date", "end_date",
               "leaving_reason", "First Name", "Surname", "Date of Birth", "NI Number", "E-mail", "Home Postcode",
               "Mobile"]
    planted = {"First Name": "Zebedee", "Surname": "Quaglino", "Date of Birth": "1971-07-19",
               "NI Number": "QQ123456C", "E-mail": "zq@example.org", "Home Postcode": "ME4 4TR", "Mobile": "07700900123"}
    write_kind(folder, "assignments", [
        {"assignment_id": "A1", "person_id": "EMP778899", "post_id": "P1", "arrangement": "permanent", "fte": "1",
         "start_date": "2020-01-01", **planted},
        {"assignment_id": "A2", "person_id": "EMP445566", "post_id": "P1", "arrangement": "bogus", "fte": "1",
         "start_date": "2020-01-01", **planted},
    ], columns=columns)
    write_kind(folder, "caseloads", [("2020-01-31", "EMP778899", "3"), ("2020-01-31", "EMP112233", "4")])
    db = tmp_path / "w.duckdb"
    report = ingest(folder, db, key_path=key_file)
    content = db.read_bytes()
    for value in [*planted.values(), "EMP778899", "EMP445566", "EMP112233"]:
        assert value.encode() not in content, value
        assert value not in report.to_json(), value
    assert sorted(d["column"] for d in report.dropped_personal_columns) == sorted(planted)


def test_the_pseudonym_key_is_created_outside_the_database_and_reused(tmp_path, key_file):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=key_file)
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = key_file.read_text()
    with duckdb.connect(str(db), read_only=True) as con:
        first = con.execute("select person_key from stg_assignments").fetchall()
    ingest(extract(tmp_path / "two", SECOND), db, key_path=key_file)
    assert key_file.read_text() == key
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select person_key from stg_assignments where assignment_id = 'A1'").fetchall() == first


def test_the_command_line_prints_a_summary_and_writes_the_json_report(tmp_path):
    folder = extract(tmp_path / "in", SECOND + [("A3", "E3", "P1", "permanent", "2", "2020-01-01", "", "")])
    report_file = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "pipelines", "ingest", str(folder), "--db", str(tmp_path / "w.duckdb"),
                             "--key", str(tmp_path / "k.key"), "--report", str(report_file)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "assignments" in result.stdout and "held back" in result.stdout
    report = json.loads(report_file.read_text())
    assert report["status"] == "loaded"
    assert report["kinds"]["assignments"] == {"kind": "assignments", "rows_read": 3, "rows_loaded": 2,
                                              "rows_quarantined": 1, "rows_repeated": 0, "rows_replaced": 0}
    assert report["quarantined"][0]["row_number"] == 4
    assert report["quarantined"][0]["values"]["person_id"] != "E3"


def test_a_quarantine_reason_never_repeats_an_employee_number(tmp_path, key_file):
    folder = extract(tmp_path / "in", FIRST)
    write_kind(folder, "caseloads", [("2020-01-31", "EMP990011", "3"), ("2020-01-31", "EMP990011", "4")])
    db = tmp_path / "w.duckdb"
    report = ingest(folder, db, key_path=key_file)
    assert len(report.quarantined) == 2
    assert b"EMP990011" not in db.read_bytes()
    assert "EMP990011" not in report.to_json() and "EMP990011" not in report.summary()
