"""Write a complete new database file and swap it in, so readers see the old data or the new, never a mix."""

import json
import os
from contextlib import suppress
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.benchmarks.importer import copy_benchmark_tables
from pipelines.contract import KINDS
from pipelines.database import write_marker
from pipelines.report import LoadReport
from pipelines.sqlfiles import build_models

# DuckDB's own memory while it builds the marts (it spills to a temporary folder beyond this): with
# its default (80% of the machine) a million caseload rows doubled the load's peak memory.
BUILD_MEMORY_LIMIT = "128MB"

HISTORY_TABLES = {
    "loads": "load_id integer, loaded_at timestamp, source_folder varchar, mapping varchar, fingerprint varchar, "
    "rows_loaded bigint, rows_quarantined bigint, coverage_start date, latest_date date",
    "load_files": "load_id integer, kind varchar, file_name varchar, file_format varchar, sha256 varchar, row_count bigint",
    "load_kinds": "load_id integer, kind varchar, rows_read bigint, rows_loaded bigint, rows_quarantined bigint",
}
CURRENT_LOAD_TABLES = {
    "load_quarantine": "load_id integer, kind varchar, file_name varchar, row_number integer, column_name varchar, "
    "reason varchar, row_values varchar",
    "load_dropped_columns": "load_id integer, file_name varchar, column_name varchar, why varchar",
}


# Warnings found in Python while reading (e.g. ids differing only in letter case), stored before the SQL
# models run so that the data_quality_warnings mart lists them with its own.
READ_WARNINGS = "kind varchar, subject varchar, day date, message varchar"


def _names(columns: str) -> list[str]:
    return [column.split()[0] for column in columns.split(", ")]


def _frame(table: str, records: list) -> pd.DataFrame:
    columns = {**HISTORY_TABLES, **CURRENT_LOAD_TABLES}[table]
    return pd.DataFrame(records, columns=_names(columns))


def raw_columns(kind: str) -> list[str]:
    return ["person_key" if c == "person_id" else c for c in KINDS[kind].columns]


def latest_fingerprint(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            rows = con.execute("select fingerprint from loads order by load_id desc limit 1").fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def _previous_history(db_path: Path) -> dict[str, pd.DataFrame]:
    if not db_path.exists():
        return {}
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return {name: con.execute(f"select * from {name}").df() for name in HISTORY_TABLES}
    except duckdb.Error:
        return {}  # an unreadable or pre-history database: its history cannot be carried over


def _insert(con, name: str, rows: pd.DataFrame | None) -> None:
    if rows is not None and len(rows):
        con.register("incoming", rows)
        con.execute(f"insert into {name} select * from incoming")
        con.unregister("incoming")


def _create(con, name: str, columns: str, rows: pd.DataFrame | None) -> None:
    con.execute(f"create table {name} ({columns})")
    _insert(con, name, rows)


def _load_rows(report: LoadReport, load_id: int) -> dict[str, pd.DataFrame]:
    coverage = report.coverage
    return {
        "loads": _frame("loads", [(
            load_id, pd.Timestamp(report.loaded_at), report.source, report.mapping, report.fingerprint,
            sum(k.rows_loaded for k in report.kinds.values()),
            sum(k.rows_quarantined for k in report.kinds.values()),
            coverage.get("coverage_start"), coverage.get("latest_date"),
        )]),
        "load_files": _frame("load_files", 
            [(load_id, f.kind, f.file_name, f.file_format, f.sha256, f.rows) for f in report.files]
        ),
        "load_kinds": _frame("load_kinds", 
            [(load_id, k.kind, k.rows_read, k.rows_loaded, k.rows_quarantined) for k in report.kinds.values()]
        ),
        "load_quarantine": _frame("load_quarantine", 
            [(load_id, q.kind, q.file_name, q.row_number, q.column, q.reason, json.dumps(q.values))
             for q in report.quarantined]
        ),
        "load_dropped_columns": _frame("load_dropped_columns", 
            [(load_id, d["file"], d["column"], "personal data") for d in report.dropped_personal_columns]
            + [(load_id, d["file"], d["column"], "not in the data contract") for d in report.ignored_columns]
        ),
    }


def _build(con, tables: dict[str, pd.DataFrame], report: LoadReport, history: dict[str, pd.DataFrame]) -> None:
    for kind in KINDS:
        columns = raw_columns(kind)
        _create(con, f"raw_{kind}", ", ".join(f'"{c}" varchar' for c in columns), tables[kind][columns])
    _create(con, "read_warnings", READ_WARNINGS, pd.DataFrame(report.warnings, columns=_names(READ_WARNINGS)))
    build_models(con)
    previous = history.get("loads")
    load_id = int(previous["load_id"].max()) + 1 if previous is not None and len(previous) else 1
    coverage = con.execute(
        "select coverage_start, greatest(latest_assignment_date, latest_snapshot) from coverage"
    ).fetchall()[0]
    report.coverage = {"coverage_start": coverage[0], "latest_date": coverage[1]}
    this_load = _load_rows(report, load_id)
    for name, columns in HISTORY_TABLES.items():
        _create(con, name, columns, history.get(name))
        _insert(con, name, this_load[name])
    for name, columns in CURRENT_LOAD_TABLES.items():
        _create(con, name, columns, this_load[name])
    report.warnings = con.execute("select kind, subject, day, message from data_quality_warnings order by day, kind") \
        .df().to_dict("records")


def write_database(db_path: Path, tables: dict[str, pd.DataFrame], report: LoadReport) -> None:
    """Build every table in a new file beside db_path, then os.replace it over db_path.

    A failure at any step removes the new file and leaves the old database answering as before.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    building = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    history = _previous_history(db_path)
    try:
        con = duckdb.connect(str(building), config={"memory_limit": BUILD_MEMORY_LIMIT})
        try:
            _build(con, tables, report, history)
            copy_benchmark_tables(db_path, con)  # DfE's published figures survive a reload of HR data
            write_marker(con)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(building, db_path)
    except BaseException:
        with suppress(OSError):
            building.unlink(missing_ok=True)
            building.with_name(building.name + ".wal").unlink(missing_ok=True)
        raise
