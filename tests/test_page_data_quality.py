"""Data quality page (AppTest): on the clean fixture database (see tests/fixture_db.py), and on a
database whose second load held rows back, dropped columns and has a repeated caseload row."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.contract import KINDS
from pipelines.ingest import ingest
from tests import fixture_db as fx
from tests.extract_builder import write_extract, write_kind

PAGE = "pages/data_quality_page.py"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _open(at):
    at = at.run()
    return at.switch_page(PAGE).run()


def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _metrics(at):
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def troubled_db(tmp_path_factory) -> Path:
    """Load 1: the clean fixture. Load 2: the same plus a zero-FTE post, an assignment with an unreadable
    FTE and date, a repeated caseload row for W1 with a different count, and two extra columns."""
    root = tmp_path_factory.mktemp("troubled")
    db, key = root / "dq.duckdb", root / "dq.key"
    ingest(write_extract(root / "first", org_units=fx.ORG_UNITS, posts=fx.POSTS, assignments=fx.ASSIGNMENTS,
                         caseloads=fx.CASELOADS, key_dates=fx.KEY_DATES), db, key_path=key)
    folder = root / "second"
    columns = list(KINDS["assignments"].columns)
    write_kind(folder, "org_units", fx.ORG_UNITS)
    write_kind(folder, "posts", fx.POSTS + [("SW9", "Social worker", "T-A", "Band 9", "practitioner", "y", "0",
                                             "2022-01-01", "")])
    assignments = [dict(zip(columns, row), full_name="A Person", payroll_ref="P1") for row in fx.ASSIGNMENTS]
    assignments.append(dict(zip(columns, ("a-bad", "W9", "SW1", "permanent", "abc", "2024-13-01", "", "")),
                            full_name="B Person", payroll_ref="P2"))
    write_kind(folder, "assignments", assignments, columns=columns + ["full_name", "payroll_ref"])
    write_kind(folder, "caseloads", fx.CASELOADS + [("2024-12-31", "W1", "23")])
    write_kind(folder, "key_dates", fx.KEY_DATES)
    ingest(folder, db, key_path=key)
    return db


@pytest.fixture
def troubled_app(troubled_db, monkeypatch):
    monkeypatch.setenv("WFS_DB", str(troubled_db))
    return AppTest.from_file(APP, default_timeout=60)


def test_a_clean_load_shows_its_files_counts_and_coverage_dates(app):
    at = _open(app)
    assert not at.exception
    shown = _metrics(at)
    assert (shown["Files read"], shown["Rows loaded"], shown["Rows held back"], shown["Warnings"]) == \
        ("5", "37", "0", "1")
    assert (shown["First assignment starts"], shown["Latest data date"]) == ("01 Jan 2022", "31 Dec 2024")
    assert (shown["First caseload snapshot"], shown["Latest caseload snapshot"]) == ("31 Dec 2023", "31 Dec 2024")
    files = _table(at, "Format and encoding")
    assert files["File"].tolist() == ["org_units.csv", "posts.csv", "assignments.csv", "caseloads.csv",
                                      "key_dates.csv"]
    assert files["SHA-256 (first 12)"].str.len().eq(12).all()
    assert any("No rows were held back" in s.value for s in at.success)
    assert any("folder **extracts**" in m.value for m in at.markdown)


def test_the_unmatched_caseload_row_is_a_warning_counted_by_kind(app):
    at = _open(app)
    counts = _table(at, "First date")
    assert counts.to_dict("records") == [{"Kind": "Caseloads", "Warnings": 1, "First date": "31 Dec 2024",
                                          "Last date": "31 Dec 2024"}]
    warnings = _table(at, "Message")
    assert warnings.iloc[0]["Message"].startswith("1 caseload row(s) on 2024-12-31")


def test_the_page_ignores_the_unit_and_tier_filters_and_says_so(app):
    at = _open(app)
    before = _metrics(at)
    at.selectbox(key="unit").set_value("T-A").run()
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not at.exception
    assert _metrics(at) == before
    assert any("ignores the unit, tier and social-work filters" in c.value for c in at.caption)


def test_held_back_rows_show_file_row_column_and_reason_filterable_by_kind(troubled_app):
    at = _open(troubled_app)
    assert not at.exception
    shown = _metrics(at)
    assert (shown["Rows held back"], shown["Warnings"]) == ("4", "1")  # 1 post, 1 assignment, 2 caseload rows
    held = _table(at, "Reason")
    assert list(held.columns) == ["Kind", "File", "Row", "Column", "Reason"]
    assert len(held) == 5  # the bad assignment row has two problems
    assert held[held["Column"] == "budgeted_fte"].iloc[0]["Row"] == 11
    at.selectbox(key="dq_held_back_kind").set_value("posts").run()
    held = _table(at, "Reason")
    assert held["Kind"].tolist() == ["Posts"]
    assert any("PREPARING_EXTRACTS.md" in m.value for m in at.markdown)


def test_person_ids_never_appear_not_even_inside_a_reason(troubled_app):
    at = _open(troubled_app)
    text = " ".join(d.value.to_csv() for d in at.dataframe)
    assert "person_id (not shown)" in text
    assert not re.search(r"\bW1\b|\bW9\b", text)  # raw person ids from the extract
    assert not re.search(r"\b[0-9a-f]{32}\b", text)  # pseudonymised keys from row_values


def test_dropped_columns_and_the_load_history_are_listed(troubled_app):
    at = _open(troubled_app)
    dropped = _table(at, "Why not stored").set_index("Column")
    assert dropped.loc["full_name", "Why not stored"].startswith("Personal data")
    assert dropped.loc["payroll_ref", "Why not stored"].startswith("Not in the data contract")
    history = _table(at, "By kind")
    assert history["Load"].tolist() == [2, 1]
    assert history["Rows held back"].tolist() == [4, 0]
    assert "assignments 11 loaded, 1 held back" in history.iloc[0]["By kind"]


def test_each_reason_is_shown_in_full_once_with_how_many_rows_it_holds_back(troubled_app):
    at = _open(troubled_app)
    grouped = next(t.value for t in at.table if "Rows held back" in t.value.columns)
    assert list(grouped.columns) == ["File", "Column", "Reason", "Rows held back", "Row numbers"]
    # 5 problems on 4 rows; every (file, column, reason) is one line, and the row counts add up to the problems
    assert grouped["Rows held back"].sum() == 5
    held = _table(at, "Reason")
    assert sorted(grouped["Reason"]) == sorted(held["Reason"].unique())
    text = " ".join(t.value.to_csv() for t in at.table)
    assert not re.search(r"\bW1\b|\bW9\b", text)  # still no raw person id


def test_the_teams_page_lists_each_breaching_teams_status_in_full(app):
    at = app.run()
    at.switch_page("pages/teams_page.py").run()
    assert not at.exception
    statuses = next(t.value for t in at.table if "Status" in t.value.columns)
    table = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    breaching = table[table["Status"].str.len() > 0]
    assert len(statuses) >= 1
    assert set(statuses["Team or pod"]) <= set(table["Team or pod"])
    assert statuses["Status"].tolist() == [table.set_index("Team or pod").at[t, "Status"]
                                           for t in statuses["Team or pod"]]
    assert len(statuses) <= len(breaching)
