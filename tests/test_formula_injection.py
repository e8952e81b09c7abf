"""Spreadsheet formula injection: no CSV or XLSX the product writes carries a live formula.

Grades and unit names come from HR systems that anyone may have typed into; a grade of
=SUM(1,1)*100 must reach a committee officer's spreadsheet as text, never run."""

import csv
import io
import subprocess
import sys
from datetime import date

import openpyxl
import pandas as pd
import pytest

from pipelines.safe_cells import FORMULA_STARTS, csv_text, neutralise, neutralise_frame
from reporting import exports
from reporting.filters import Filters
from reporting.source import DataSource
from tests.extract_builder import job, post

HOSTILE_GRADE = "=SUM(1,1)*100"
HOSTILE_UNIT = "=HYPERLINK(\"http://example.invalid\",\"Team\")"
RISKY = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_every_risky_start_gets_an_apostrophe_and_other_text_does_not():
    assert [neutralise(v) for v in RISKY] == ["'" + v for v in RISKY]
    assert neutralise("Band 9") == "Band 9"
    assert neutralise("Team - East") == "Team - East"  # a dash inside text is harmless
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


def test_numbers_stay_numbers_even_when_negative():
    table = pd.DataFrame({"Grade": [HOSTILE_GRADE, "Band 9"], "Change (points)": [-2.5, 1.0], "Leavers": [-1, 3]})
    safe = neutralise_frame(table)
    assert safe["Grade"].tolist() == ["'" + HOSTILE_GRADE, "Band 9"]
    assert safe["Change (points)"].tolist() == [-2.5, 1.0]
    assert safe["Leavers"].tolist() == [-1, 3]
    rows = list(csv.reader(io.StringIO(csv_text(table))))
    assert rows[1] == ["'" + HOSTILE_GRADE, "-2.5", "-1"]  # the negative numbers are written as numbers


def test_a_hostile_column_heading_is_neutralised_too():
    assert neutralise_frame(pd.DataFrame({"=cmd": [1]})).columns.tolist() == ["'=cmd"]


def _formula_cells(book) -> list[str]:
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f"]


def test_the_xlsx_keeps_the_text_exactly_but_never_as_a_formula_on_either_sheet():
    table = pd.DataFrame({"Team": [HOSTILE_UNIT], "Grade": [HOSTILE_GRADE], "Change": [-3]})
    stamp = exports.Stamp(title="Teams", filters=f"{HOSTILE_UNIT}; 12 months", source="Source: test",
                          definition="-1 means fewer")
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(table, stamp)))
    assert _formula_cells(book) == []
    data = book["Data"]
    assert data["A2"].value == HOSTILE_UNIT and data["A2"].data_type == "s" and data["A2"].quotePrefix
    assert data["C2"].value == -3 and data["C2"].data_type == "n"
    about = {row[0].value: row[1] for row in book["About"].iter_rows()}
    assert about["Filters"].data_type == "s" and about["Filters"].quotePrefix
    assert about["Definition"].quotePrefix


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """An authority whose HR system holds a formula as a grade and another as a team's name."""
    from pipelines.ingest import ingest
    from tests.extract_builder import write_extract

    folder = tmp_path_factory.mktemp("hostile")
    org = [("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
           ("T1", HOSTILE_UNIT, "CS", "team", "2020-01-01", "")]
    posts = [post(f"P{i}", unit="T1", grade=HOSTILE_GRADE if i % 2 else "Band 9") for i in range(12)]
    jobs = [job(f"A{i}", f"E{i}", f"P{i}", start="2020-01-01", end="2024-05-31" if i < 3 else "")
            for i in range(12)]
    write_extract(folder / "src", org_units=org, posts=posts, assignments=jobs)
    db = folder / "hostile.duckdb"
    report = ingest(folder / "src", db, key_path=folder / "key")
    assert report.status == "loaded"
    return db


def _run(*args):
    result = subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def _assert_no_risky_csv_cell(text: str):
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], cells


def test_export_chart_csv_and_xlsx_carry_no_formula(hostile_db, tmp_path):
    _run("export", "chart", "turnover-by-grade", "--db", str(hostile_db), "--to", "2024-12-31", "--mode",
         "internal", "--out", str(tmp_path / "t.csv"))
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert "'" + HOSTILE_GRADE in text
    _assert_no_risky_csv_cell(text)
    _run("export", "chart", "turnover-by-grade", "--db", str(hostile_db), "--to", "2024-12-31", "--unit", "T1",
         "--out", str(tmp_path / "t.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert _formula_cells(book) == []
    assert any(HOSTILE_UNIT in str(c.value) for row in book["About"].iter_rows() for c in row)


def test_metric_csv_on_the_command_line_carries_no_formula(hostile_db):
    result = _run("metric", "turnover", "--db", str(hostile_db), "--from", "2024-01-01", "--to", "2024-12-31",
                  "--by", "grade", "--format", "csv")
    assert "'" + HOSTILE_GRADE in result.stdout
    _assert_no_risky_csv_cell(result.stdout)
    by_unit = _run("metric", "vacancy_rate", "--db", str(hostile_db), "--as-of", "2024-12-31", "--by", "unit",
                   "--format", "csv")
    _assert_no_risky_csv_cell(by_unit.stdout)


def test_the_teams_and_open_vacancies_downloads_carry_no_formula(hostile_db):
    from reporting import teams, vacancies
    from reporting.suppression import INTERNAL

    src = DataSource(hostile_db)
    current = Filters(unit=None, as_at=date(2024, 12, 31), months=12, tiers=(), social_work_only=False)
    team_csv = exports.csv_bytes(teams.download_table(teams.teams_view(src, current), INTERNAL)).decode("utf-8")
    assert "'" + HOSTILE_UNIT.replace('"', '""') in team_csv
    _assert_no_risky_csv_cell(team_csv)
    empty = vacancies.open_vacancies(src, current)
    _assert_no_risky_csv_cell(exports.csv_bytes(empty.table).decode("utf-8"))
