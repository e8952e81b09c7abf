"""The SQL models in sql/: read as text, run with bound parameters, in dependency order."""

import hashlib
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

# Marts in dependency order; each file is one SELECT materialised as a table of its name.
MARTS = (
    "unit_rows",
    "unit_cycles",
    "unit_ancestry",
    "post_rows",
    "assignment_spans",
    "interval_islands",
    "leaving_events",
    "vacancy_runs",
    "coverage",
    "structural_events",
    "caseload_matches",
    "data_quality_warnings",
)


@cache
def sql_text(layer: str, name: str) -> str:
    return (SQL_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")


def staging_names() -> list[str]:
    return sorted(p.stem for p in (SQL_DIR / "staging").glob("*.sql"))


def models_fingerprint() -> str:
    """Changes whenever any SQL model changes, so a reload after an upgrade is never skipped."""
    digest = hashlib.sha256()
    for path in sorted(SQL_DIR.rglob("*.sql")):
        digest.update(path.relative_to(SQL_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_models(con) -> None:
    for statement in sql_text("macros", "scope").split(";"):
        if statement.strip():
            con.execute(statement)
    for name in staging_names():
        con.execute(f"create view {name} as {sql_text('staging', name)}")
    for name in MARTS:
        con.execute(f"create table {name} as {sql_text('marts', name)}")
