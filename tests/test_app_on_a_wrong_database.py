"""The dashboard pointed at something that is not a workforce database says so in words, with no figures
and no traceback (AppTest)."""

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _wrong(kind: str, tmp_path: Path) -> Path:
    if kind == "text file":
        path = tmp_path / "notes.duckdb"
        path.write_text("just some notes\n", encoding="utf-8")
    elif kind == "folder":
        path = tmp_path / "folder.duckdb"
        path.mkdir()
    elif kind == "empty DuckDB":
        path = tmp_path / "empty.duckdb"
        duckdb.connect(str(path)).close()
    else:  # another application's DuckDB
        path = tmp_path / "other.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute("create table invoices (id integer, amount decimal(10, 2))")
    return path


@pytest.mark.parametrize("kind", ["text file", "folder", "empty DuckDB", "another application's DuckDB"])
def test_the_dashboard_says_in_words_that_it_cannot_open_the_database(monkeypatch, tmp_path, kind):
    monkeypatch.setenv("WFS_DB", str(_wrong(kind, tmp_path)))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "The dashboard cannot open this database" in message
    assert not at.get("plotly_chart") and not at.metric
