"""What counts as a workforce database: readers refuse anything else in plain words, and the writers
(ingest, benchmarks import) never overwrite a file that is not a workforce database this product made."""

import shutil
import sqlite3
from datetime import date

import duckdb
import pytest

from pipelines.benchmarks.importer import import_files
from pipelines.database import APPLICATION, MARKER_TABLE, NotAWorkforceDatabase, check_workforce_db, open_workforce_db
from pipelines.errors import UsageError
from pipelines.ingest import ingest
from pipelines.metrics import connect, run_metric
from tests.test_load import FIRST, extract

AS_OF = date(2020, 6, 1)
NEIGHBOURS_HEADER = ["LA number", "LA Name", "GOReg"] + [c for n in range(1, 11) for c in (f"SN{n}", "SNP")]


def write_neighbours(path):
    """A statistical neighbour groupings CSV in DfE's layout: one authority with ten neighbours."""
    row = ["887", "Medway", "South East"] + [c for n in range(1, 11) for c in (str(800 + n), "Close")]
    path.write_text(",".join(NEIGHBOURS_HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def duckdb_file(path, *statements):
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    return path


@pytest.fixture(scope="module")
def not_ours(tmp_path_factory):
    """Every kind of --db that is not a workforce database, by name."""
    root = tmp_path_factory.mktemp("not_ours")
    (root / "notes.txt").write_text("minutes of the meeting\n", encoding="utf-8")
    (root / "folder").mkdir()
    (root / "empty-file.duckdb").touch()
    lite = sqlite3.connect(root / "app.sqlite")
    lite.execute("create table t (a)")
    lite.commit()
    lite.close()
    return {
        "a text file": root / "notes.txt",
        "a folder": root / "folder",
        "a SQLite database": root / "app.sqlite",
        "an empty DuckDB": duckdb_file(root / "empty.duckdb"),
        "another application's DuckDB": duckdb_file(root / "other.duckdb", "create table invoices (n integer)"),
        "a DuckDB marked by another application": duckdb_file(
            root / "marked.duckdb", f"create table {MARKER_TABLE} (application varchar, format_version integer)",
            f"insert into {MARKER_TABLE} values ('payroll-tool', 1)"),
    }


WORDS = {"a text file": "not a DuckDB database file", "a folder": "is a folder",
         "a SQLite database": "not a DuckDB database file", "an empty DuckDB": "empty DuckDB database",
         "another application's DuckDB": "DuckDB database of another application",
         "a DuckDB marked by another application": "another application"}


@pytest.mark.parametrize("what", list(WORDS))
def test_a_reader_refuses_what_is_not_a_workforce_database_saying_what_it_is(not_ours, what):
    with pytest.raises(NotAWorkforceDatabase, match=WORDS[what]):
        open_workforce_db(not_ours[what])
    with pytest.raises(UsageError, match=WORDS[what]):  # the metric engine goes through the same check
        run_metric(not_ours[what], "agency_rate", as_of=AS_OF)


def test_a_missing_database_says_to_load_extracts_first(tmp_path):
    with pytest.raises(NotAWorkforceDatabase, match="no database there yet. Load extracts first"):
        check_workforce_db(tmp_path / "none.duckdb")


@pytest.mark.parametrize("what", [w for w in WORDS if w != "a folder"])
def test_ingest_refuses_to_overwrite_what_is_not_a_workforce_database_and_leaves_it_as_it_was(
        not_ours, tmp_path, what):
    target = tmp_path / not_ours[what].name
    shutil.copyfile(not_ours[what], target)
    before = target.read_bytes()
    with pytest.raises(NotAWorkforceDatabase, match="Nothing was written"):
        ingest(extract(tmp_path / "one", FIRST), target, key_path=tmp_path / "k.key")
    assert target.read_bytes() == before


def test_ingest_refuses_a_folder_as_the_database(not_ours, tmp_path):
    with pytest.raises(NotAWorkforceDatabase, match="is a folder"):
        ingest(extract(tmp_path / "one", FIRST), not_ours["a folder"], key_path=tmp_path / "k.key")


def test_ingest_fills_an_empty_file_since_there_is_nothing_in_it_to_lose(tmp_path):
    target = tmp_path / "w.duckdb"
    target.touch()
    assert ingest(extract(tmp_path / "one", FIRST), target, key_path=tmp_path / "k.key").status == "loaded"
    check_workforce_db(target)


@pytest.mark.parametrize("what", [w for w in WORDS if w != "a folder"])
def test_benchmarks_import_refuses_to_overwrite_what_is_not_a_workforce_database(not_ours, tmp_path, what):
    target = tmp_path / not_ours[what].name
    shutil.copyfile(not_ours[what], target)
    before = target.read_bytes()
    with pytest.raises(UsageError):
        import_files([write_neighbours(tmp_path / "sn.csv")], target)
    assert target.read_bytes() == before


def test_every_load_and_every_import_marks_the_database_as_ours(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=tmp_path / "k.key")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(f"select application, format_version from {MARKER_TABLE}").fetchall() == [(APPLICATION, 1)]
        con.execute("select count(*) from loads").fetchall()
    import_files([write_neighbours(tmp_path / "sn.csv")], db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(f"select application from {MARKER_TABLE}").fetchall() == [(APPLICATION,)]
        assert con.execute("select count(*) from dfe_statistical_neighbours").fetchall() == [(10,)]  # 1 LA x 10


def previous_release_copy(db, target):
    """The database as the previous release wrote it: the same tables, no marker."""
    shutil.copyfile(db, target)
    with duckdb.connect(str(target)) as con:
        con.execute(f"drop table {MARKER_TABLE}")
    return target


def test_a_database_made_by_the_previous_release_still_opens_and_reloads(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=tmp_path / "k.key")
    old = previous_release_copy(db, tmp_path / "old.duckdb")
    assert run_metric(old, "agency_rate", as_of=AS_OF) == run_metric(db, "agency_rate", as_of=AS_OF)
    import_files([write_neighbours(tmp_path / "sn.csv")], old)  # an import into it is allowed, and marks it
    ingest(extract(tmp_path / "one", FIRST), old, key_path=tmp_path / "k.key")
    with duckdb.connect(str(old), read_only=True) as con:
        assert con.execute("select count(*) from loads").fetchall() == [(1,)]  # same files: unchanged, one load
        assert con.execute(f"select count(*) from {MARKER_TABLE}").fetchall() == [(1,)]


def test_a_database_holding_only_dfe_figures_is_ours_but_has_no_hr_data_to_measure(tmp_path):
    dfe_only = duckdb_file(tmp_path / "dfe.duckdb", "create table dfe_releases (kind varchar)")
    check_workforce_db(dfe_only)
    ingest(extract(tmp_path / "one", FIRST), dfe_only, key_path=tmp_path / "k.key")  # may be loaded into
    with pytest.raises(NotAWorkforceDatabase, match="DfE figures only"):
        connect(duckdb_file(tmp_path / "dfe2.duckdb", "create table dfe_releases (kind varchar)"))
