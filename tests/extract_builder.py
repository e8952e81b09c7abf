"""Build small extract folders for tests: rows as dicts (or tuples), written in contract columns."""

import csv
from pathlib import Path

from pipelines.contract import KINDS


def rows_of(kind: str, rows) -> list[dict]:
    columns = KINDS[kind].columns
    return [row if isinstance(row, dict) else dict(zip(columns, row)) for row in rows]


def write_kind(folder: Path, kind: str, rows, *, name: str | None = None, encoding: str = "utf-8",
               columns: list[str] | None = None) -> Path:
    """Write one CSV file of a kind; rows are dicts or tuples in the contract's column order."""
    folder.mkdir(parents=True, exist_ok=True)
    dict_rows = rows_of(kind, rows)
    header = columns or list(KINDS[kind].columns)
    path = folder / (name or f"{kind}.csv")
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in dict_rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in header})
    return path


def write_extract(folder: Path, *, org_units, posts, assignments, caseloads=None, key_dates=None) -> Path:
    write_kind(folder, "org_units", org_units)
    write_kind(folder, "posts", posts)
    write_kind(folder, "assignments", assignments)
    if caseloads is not None:
        write_kind(folder, "caseloads", caseloads)
    if key_dates is not None:
        write_kind(folder, "key_dates", key_dates)
    return folder


# A minimal valid organisation most tests start from: a directorate with two teams.
ORG = [
    ("CS", "Children's Services", "", "directorate", "2020-01-01", ""),
    ("T1", "Team One", "CS", "team", "2020-01-01", ""),
    ("T2", "Team Two", "CS", "team", "2020-01-01", ""),
]


def post(post_id, unit="T1", grade="Band 9", tier="practitioner", sw="true", budget="1", start="2020-01-01", end="",
         title=None):
    """One posts row in contract column order, with the defaults most metric tests want."""
    return (post_id, title or f"Post {post_id}", unit, grade, tier, sw, budget, start, end)


def job(assignment_id, person, post_id, arrangement="permanent", fte="1", start="2020-01-01", end="", reason=""):
    """One assignments row in contract column order."""
    return (assignment_id, person, post_id, arrangement, fte, start, end, reason)


def only_row(rows):
    """The single `all` row of an ungrouped metric result."""
    assert [r["group"] for r in rows] == ["all"]
    return rows[0]


def held_back(report) -> list[tuple]:
    """A load report's held-back rows as (file, row, column, reason)."""
    return [(q.file_name, q.row_number, q.column, q.reason) for q in report.quarantined]


def db_rows(db, sql: str) -> list[tuple]:
    """Rows of a query on a loaded database, opened read-only as the dashboard does."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()
