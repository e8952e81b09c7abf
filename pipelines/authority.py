"""Whose data is this? The authority's identity lives in its own database, not in the shipped settings.

A database has no identity until someone sets it (`python -m pipelines authority set --la-code ...`);
until then exports say "authority not set" and nothing is compared with any council's published
figures. The name, old LA number and region come from DfE's published files that ship with the
product, so they are spelt exactly as DfE spells them (which the benchmarks need). The demo database
carries the fictional demo authority's identity, and no other database does.

The identity is one row in the table `authority_identity`; loads and DfE imports carry it over."""

import csv
from datetime import datetime
from pathlib import Path

from pipelines.benchmarks import SHIPPED_DIR, Identity
from pipelines.database import check_workforce_db, edited_copy
from pipelines.errors import UsageError
from pipelines.writelock import writer_lock

TABLE = "authority_identity"
NOT_SET = "authority not set"
COLUMNS = "name varchar, la_code varchar, la_number varchar, region varchar, demo boolean, set_at timestamp"
INDICATORS_FILE = SHIPPED_DIR / "csww_indicators_2017_to_2025.csv"

# The demo authority is fictional; it borrows Medway's codes so that its benchmarks have real neighbours.
DEMO = Identity("Northbridge Borough Council (demo)", "E06000035", "887", "South East")


def read_identity(con) -> Identity:
    """The database's authority, or an Identity named 'authority not set' with no codes."""
    found = con.execute("select count(*) from duckdb_tables() where table_name = $t and schema_name = 'main'",
                        {"t": TABLE}).fetchall()[0][0]
    if found:
        rows = con.execute(f"select name, la_code, la_number, region from {TABLE} limit 1").fetchall()
        if rows:
            return Identity(*rows[0])
    return Identity(NOT_SET, None, None, None)


def is_set(who: Identity) -> bool:
    return who.name != NOT_SET


def lookup(la_code: str, indicators: Path = INDICATORS_FILE) -> Identity:
    """The authority DfE's shipped indicators file lists under this new LA code (E06000035) or old LA
    number (887), with its name and region from the latest year it appears in."""
    wanted = la_code.strip().upper()
    latest: dict | None = None
    with indicators.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("geographic_level") != "Local authority":
                continue
            if wanted in (row.get("new_la_code", "").upper(), row.get("old_la_code", "")):
                if latest is None or row["time_period"] > latest["time_period"]:
                    latest = row
    if latest is None:
        raise UsageError(f"No local authority with the code '{la_code[:20]}' in DfE's published file "
                         f"({indicators.name}). Give the new LA code as DfE writes it (e.g. E06000035) or the "
                         "three-digit LA number (e.g. 887).")
    return Identity(latest["la_name"], latest["new_la_code"], latest["old_la_code"], latest["region_name"])


def set_identity(db_path: Path, who: Identity, *, demo: bool = False, wait_seconds: float | None = None) -> None:
    """Write the identity into the database: a new file built beside it and swapped in, under the writer lock."""
    db_path = Path(db_path)
    check_workforce_db(db_path)
    with writer_lock(db_path, wait_seconds):
        check_workforce_db(db_path)
        with edited_copy(db_path, "authority") as copy:
            write_identity(copy.con, who, demo=demo)
            copy.changed = True


def write_identity(con, who: Identity, *, demo: bool = False) -> None:
    con.execute(f"create or replace table {TABLE} ({COLUMNS})")
    con.execute(f"insert into {TABLE} values ($name, $code, $number, $region, $demo, $at)",
                {"name": who.name, "code": who.la_code, "number": who.la_number, "region": who.region,
                 "demo": demo, "at": datetime.now().replace(microsecond=0)})


def set_command_words(db: Path | str) -> str:
    return f"python -m pipelines authority set --la-code E06000035 --db {db}"
