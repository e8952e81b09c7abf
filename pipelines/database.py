"""Is this file a workforce database? The one check every reader and writer of a `--db` goes through.

A workforce database says so in a one-row table, `workforce_stability`, written by every load and every
DfE import: the application's name and the file's format version. Databases built before that table
existed are recognised by what only we write: the load history (`loads`) or DfE imports (`dfe_releases`).
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.errors import UsageError

APPLICATION = "workforce-stability"
FORMAT_VERSION = 1
MARKER_TABLE = "workforce_stability"
# What only this product writes, so a database made by an earlier release still opens.
LEGACY_TABLES = ("loads", "dfe_releases")
# Every DuckDB file has these four bytes at offset 8. Checked before DuckDB sees the file because DuckDB
# tries to download a reader extension for some other formats (SQLite) instead of refusing them.
DUCKDB_MAGIC = b"DUCK"


class NotAWorkforceDatabase(UsageError):
    """--db names something this product cannot read as its database, or must not overwrite."""


READER_HINT = "Check the --db path."
WRITER_HINT = ("Nothing was written: this product only replaces a workforce database it made. Check the --db "
               "path, or move that file away.")


def _ingest_hint(path: Path) -> str:
    return f"Load extracts first: python -m pipelines ingest FOLDER --db {path}"


def _looks_like_duckdb(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(12)
    return len(head) == 12 and head[8:12] == DUCKDB_MAGIC


def _file_problem(path: Path) -> str | None:
    """What stops `path` being opened as a DuckDB database file, in plain words; None if nothing."""
    if not path.exists():
        return f"{path}: no database there yet. {_ingest_hint(path)}"
    if path.is_dir():
        return f"{path} is a folder, not a database file. Give the database file, e.g. {path / 'workforce.duckdb'}."
    if not path.is_file():
        return f"{path} is not an ordinary file, so it cannot be a workforce database."
    try:
        if path.stat().st_size == 0:
            return f"{path} is an empty file, not a workforce database. {_ingest_hint(path)}"
        if not _looks_like_duckdb(path):
            return f"{path} is not a workforce database (it is not a DuckDB database file at all)."
    except PermissionError:
        return f"{path} cannot be read: this account has no permission to read it."
    return None


def _tables(con) -> set[str]:
    rows = con.execute("select table_name from duckdb_tables() where database_name = current_database() "
                       "and schema_name = 'main'").fetchall()
    return {row[0] for row in rows}


def _content_problem(con, path: Path) -> str | None:
    tables = _tables(con)
    if not tables:
        return f"{path} is an empty DuckDB database, not a workforce database this product made."
    if MARKER_TABLE in tables:
        rows = con.execute(f"select application, format_version from {MARKER_TABLE}").fetchall()
        if not rows or rows[0][0] != APPLICATION:
            return f"{path} is a DuckDB database of another application, not a workforce database."
        if rows[0][1] > FORMAT_VERSION:
            return (f"{path} was written by a newer release of Workforce Stability (database format "
                    f"{rows[0][1]}; this release reads up to {FORMAT_VERSION}). Update the software.")
        return None
    if tables & set(LEGACY_TABLES):
        return None
    return f"{path} is a DuckDB database of another application, not a workforce database."


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        words = str(error)
        if "lock" in words.lower():
            raise NotAWorkforceDatabase(f"{path} is open for writing by another program; try again when it "
                                        "has finished.") from None
        if "version" in words.lower():
            raise NotAWorkforceDatabase(f"{path} was written by another version of DuckDB than the one this "
                                        "release uses, so it cannot be read.") from None
        raise NotAWorkforceDatabase(f"{path} cannot be opened as a database (it may be damaged).") from None


def _hinted(problem: str, hint: str) -> str:
    """A problem that ends by saying what to do is left as it is; the others get `hint`."""
    return problem if "python -m pipelines" in problem or "e.g." in problem else f"{problem} {hint}"


def open_workforce_db(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the workforce database at `path`; NotAWorkforceDatabase (plain words) otherwise:
    missing, a folder, an empty or non-DuckDB file, an empty DuckDB, or another application's DuckDB."""
    path = Path(path)
    problem = _file_problem(path)
    if problem:
        raise NotAWorkforceDatabase(_hinted(problem, READER_HINT))
    try:
        con = _connect(path, read_only)
    except NotAWorkforceDatabase as error:
        raise NotAWorkforceDatabase(_hinted(str(error), READER_HINT)) from None
    try:
        problem = _content_problem(con, path)
    except duckdb.Error:
        problem = f"{path} cannot be read as a workforce database (it may be damaged)."
    if problem:
        con.close()
        raise NotAWorkforceDatabase(_hinted(problem, READER_HINT))
    return con


def check_workforce_db(path: Path) -> None:
    """Raise NotAWorkforceDatabase unless `path` is a workforce database (opened read-only, then closed)."""
    open_workforce_db(path).close()


def check_writable_target(path: Path) -> None:
    """Before a writer replaces `path`: nothing there, an empty file (nothing to lose), or our own database.
    Anything else is refused, so a mistyped --db never destroys another file."""
    path = Path(path)
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise NotAWorkforceDatabase(f"{path.parent} is a file, so it cannot hold the database {path.name}.")
        return
    if path.is_file() and path.stat().st_size == 0:
        return
    problem = _file_problem(path)
    if problem is None:
        try:
            with _connect(path, read_only=True) as con:
                problem = _content_problem(con, path)
        except NotAWorkforceDatabase as error:
            problem = str(error)
        except duckdb.Error:
            problem = f"{path} cannot be read as a workforce database (it may be damaged)."
    if problem:
        raise NotAWorkforceDatabase(problem if path.is_dir() else f"{problem} {WRITER_HINT}")


def has_hr_data(con) -> bool:
    """False for a database holding DfE imports only (no HR extracts loaded yet)."""
    return "loads" in _tables(con)


def has_census_returns(con) -> bool:
    """True once a DfE census return has been imported (pipelines/census)."""
    return "census_returns" in _tables(con)


def write_marker(con) -> None:
    """Mark the database being built (con) as ours; every writer calls this before swapping its file in."""
    con.execute(f"create or replace table {MARKER_TABLE} (application varchar, format_version integer)")
    con.execute(f"insert into {MARKER_TABLE} values ($app, $version)",
                {"app": APPLICATION, "version": FORMAT_VERSION})


@dataclass
class EditedCopy:
    """A connection to a copy of the database; set `changed` to have the copy swapped in."""

    con: duckdb.DuckDBPyConnection
    changed: bool = False


@contextmanager
def edited_copy(db_path: Path, purpose: str) -> Iterator[EditedCopy]:
    """For a writer holding the writer lock: a copy of db_path (with its WAL) to change; on leaving, if
    `changed` was set, the copy is marked as ours, checkpointed and swapped in with os.replace. Readers never
    see a half-written file, and an error (or no change) leaves db_path as it was."""
    building = db_path.with_name(f".{db_path.name}.{os.getpid()}.{purpose}")
    leftovers = (building, building.with_name(building.name + ".wal"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        if db_path.exists() and db_path.stat().st_size:
            shutil.copyfile(db_path, building)
            wal = db_path.with_name(db_path.name + ".wal")
            if wal.exists():
                shutil.copyfile(wal, leftovers[1])
        copy = EditedCopy(duckdb.connect(str(building)))
        try:
            yield copy
            if copy.changed:
                write_marker(copy.con)
                copy.con.execute("checkpoint")
        finally:
            copy.con.close()
        if copy.changed:
            os.replace(building, db_path)
    finally:
        for leftover in leftovers:
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
