"""Every command and subcommand of `python -m pipelines`, run as users run it, against bad input: a
missing or unknown option, a bad date, a missing file, a folder where a file belongs, a text file or an
empty or foreign DuckDB as --db, an output path that cannot be written, a bad key file, an unknown unit
or tier. Each must exit 2 with one plain line on stderr (a refused load: its heading and the problem),
and never a traceback."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests import fixture_db as fx
from tests.extract_builder import write_extract
from tests.test_workforce_db import write_neighbours

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def files(tmp_path_factory, fixture_db):
    """Named paths the cases refer to as {name}."""
    root = tmp_path_factory.mktemp("bad_inputs")
    db = root / "workforce.duckdb"
    shutil.copyfile(fixture_db, db)  # writers below must refuse; a copy keeps the shared fixture safe anyway
    (root / "notes.txt").write_text("minutes of the meeting\n", encoding="utf-8")
    (root / "folder").mkdir()
    with duckdb.connect(str(root / "empty.duckdb")):
        pass
    with duckdb.connect(str(root / "other.duckdb")) as con:
        con.execute("create table invoices (n integer)")
    lite = sqlite3.connect(root / "app.sqlite")
    lite.execute("create table t (a)")
    lite.commit()
    lite.close()
    for name, text, mode in [("short.key", "ab" * 8, 0o600), ("shared.key", "ab" * 32, 0o644),
                             ("garbled.key", "not a key at all", 0o600), ("empty.key", "", 0o600)]:
        (root / name).write_text(text, encoding="ascii")
        (root / name).chmod(mode)
    extracts = write_extract(root / "extracts", org_units=fx.ORG_UNITS, posts=fx.POSTS, assignments=fx.ASSIGNMENTS)
    paths = {"db": db, "text": root / "notes.txt", "folder": root / "folder", "empty_db": root / "empty.duckdb",
             "other_db": root / "other.duckdb", "sqlite": root / "app.sqlite", "missing": root / "missing.duckdb",
             "extracts": extracts, "neighbours": write_neighbours(root / "sn.csv"), "root": root,
             "under_file": root / "notes.txt" / "out.csv", "fresh": root / "fresh" / "new.duckdb"}
    paths.update({name.replace(".", "_"): root / name for name in ("short.key", "shared.key", "garbled.key",
                                                                    "empty.key")})
    return paths


NOT_A_DB = ["text", "folder", "empty_db", "other_db", "sqlite", "missing"]
# Every reader goes through one check (pipelines.database): `metric` tries every kind of wrong --db, the
# other commands two of them, which keeps this suite to about a minute of process start-ups.
SOME_NOT_A_DB = ["text", "other_db"]

CASES = [
    # the program itself
    ("no command", ""),
    ("unknown command", "frobnicate"),
    # ingest
    ("ingest: no --db", "ingest {extracts}"),
    ("ingest: unknown option", "ingest {extracts} --db {fresh} --colour red"),
    ("ingest: missing folder", "ingest {root}/nowhere --db {fresh}"),
    ("ingest: a file as the folder", "ingest {text} --db {fresh}"),
    *[(f"ingest: --db {what}", f"ingest {{extracts}} --db {{{what}}} --key {{root}}/k.key")
      for what in ["text", "folder", "empty_db", "other_db", "sqlite"]],
    ("ingest: --db under a file", "ingest {extracts} --db {under_file} --key {root}/k.key"),
    *[(f"ingest: {key}", f"ingest {{extracts}} --db {{fresh}} --key {{{key}}}")  # the rest: test_key_file.py
      for key in ["short_key", "shared_key", "folder"]],
    ("ingest: missing mapping", "ingest {extracts} --db {fresh} --key {root}/k.key --mapping {root}/none.toml"),
    ("ingest: mapping is a folder", "ingest {extracts} --db {fresh} --key {root}/k.key --mapping {folder}"),
    ("ingest: --report a folder", "ingest {extracts} --db {fresh} --key {root}/k.key --report {folder}"),
    ("ingest: --report under a file", "ingest {extracts} --db {fresh} --key {root}/k.key --report {under_file}"),
    ("ingest: --wait not a number", "ingest {extracts} --db {fresh} --wait soon"),
    ("ingest: --wait negative", "ingest {extracts} --db {fresh} --wait -5"),
    # metric
    ("metric: unknown metric", "metric happiness --db {db} --as-of 2024-12-31"),
    ("metric: bad date", "metric agency_rate --db {db} --as-of 31/13/2024"),
    ("metric: not a date", "metric agency_rate --db {db} --as-of yesterday"),
    ("metric: wrong reference", "metric turnover --db {db} --as-of 2024-12-31"),
    ("metric: period backwards", "metric turnover --db {db} --from 2024-12-31 --to 2024-01-01"),
    ("metric: unknown unit", "metric agency_rate --db {db} --as-of 2024-12-31 --unit NOPE"),
    ("metric: unknown tier", "metric agency_rate --db {db} --as-of 2024-12-31 --tier wizard"),
    ("metric: bad grouping", "metric agency_rate --db {db} --as-of 2024-12-31 --by colour"),
    ("metric: threshold not a number", "metric caseload --db {db} --snapshot 2024-12-31 --threshold many"),
    *[(f"metric: --db {what}", f"metric agency_rate --db {{{what}}} --as-of 2024-12-31") for what in NOT_A_DB],
    # demo
    ("demo: no --out", "demo"),
    ("demo: scale zero", "demo --out {root}/demo0 --scale 0"),
    ("demo: scale negative", "demo --out {root}/demo1 --scale -2"),
    ("demo: scale not a number", "demo --out {root}/demo2 --scale big"),
    ("demo: --out is a file", "demo --out {text}"),
    ("demo: --out under a file", "demo --out {under_file}"),
    # bench
    ("bench: unknown scale", "bench --scale huge"),
    ("bench: --out a folder", "bench --scale small --out {folder}"),
    ("bench: --out under a file", "bench --scale small --out {under_file}"),
    # benchmarks
    ("benchmarks: no action", "benchmarks"),
    ("benchmarks import: no files", "benchmarks import --db {db}"),
    ("benchmarks import: missing file", "benchmarks import {root}/none.csv --db {db}"),
    ("benchmarks import: a folder as the file", "benchmarks import {folder} --db {db}"),
    ("benchmarks import: not a DfE file", "benchmarks import {text} --db {db}"),
    *[(f"benchmarks import: --db {what}", f"benchmarks import {{neighbours}} --db {{{what}}}")
      for what in [*SOME_NOT_A_DB, "empty_db", "missing"]],
    ("benchmarks import: --wait not a number", "benchmarks import {neighbours} --db {db} --wait later"),
    *[(f"benchmarks download: --db {what}", f"benchmarks download --db {{{what}}}")
      for what in SOME_NOT_A_DB],
    *[(f"benchmarks reconcile: --db {what}", f"benchmarks reconcile --db {{{what}}}") for what in SOME_NOT_A_DB],
    ("benchmarks reconcile: bad format", "benchmarks reconcile --db {db} --format pdf"),
    *[(f"benchmarks own-return: --db {what}", f"benchmarks own-return --db {{{what}}} --out {{root}}/r.csv")
      for what in SOME_NOT_A_DB],
    ("benchmarks own-return: --out a folder", "benchmarks own-return --db {db} --out {folder}"),
    ("benchmarks own-return: --out under a file", "benchmarks own-return --db {db} --out {under_file}"),
    # export
    ("export: no kind", "export"),
    ("export pack: no --out", "export pack --db {db}"),
    ("export pack: bad date", "export pack --db {db} --out {root}/p.docx --to 2024-02-30"),
    ("export chart: unknown mode", "export chart --db {db} --mode secret"),
    ("export pack: --db missing", "export pack --db {missing} --out {root}/p.docx"),
    ("export chart: --db missing", "export chart --db {missing}"),
    ("export pack: unknown unit", "export pack --db {db} --out {root}/p.docx --unit NOPE"),
    ("export pack: unknown tier", "export pack --db {db} --out {root}/p.docx --tier wizard"),
    ("export chart: unknown chart", "export chart nonsense --db {db} --out {root}/c.png"),
    ("export chart: unknown format", "export chart nonsense --db {db} --out {root}/c.gif"),
    # export opens the database through reporting.source.DataSource, which checks it like every reader.
    *[(f"export {kind}: --db {what}", f"export {kind} --db {{{what}}} --out {{root}}/x.{ext}")
      for kind, ext in (("pack", "docx"), ("chart", "png")) for what in SOME_NOT_A_DB],
    # authority set / show
    ("authority: no action", "authority"),
    ("authority set: no --la-code", "authority set --db {db}"),
    ("authority set: unknown code", "authority set --la-code E99999999 --db {db}"),
    ("authority set: bad wait", "authority set --la-code 887 --db {db} --wait soon"),
    *[(f"authority set: --db {what}", f"authority set --la-code 887 --db {{{what}}}") for what in SOME_NOT_A_DB],
    *[(f"authority show: --db {what}", f"authority show --db {{{what}}}") for what in ("folder", "missing")],
    # audit show / prune (the audit log: pipelines/audit.py)
    ("audit: no action", "audit"),
    ("audit show: bad date", "audit show --from 2024-02-30"),
    ("audit show: not a date", "audit show --to yesterday"),
    ("audit show: from after to", "audit show --from 2024-03-01 --to 2024-01-01"),
    ("audit show: unknown event", "audit show --event lunch"),
    ("audit show: unknown format", "audit show --format pdf"),
    *[(f"audit {action}: --path {what}", f"audit {action} --path {{{what}}}")
      for action in ("show", "prune") for what in ("folder", "text", "sqlite", "missing", "under_file")],
    ("audit prune: --older-than zero", "audit prune --older-than 0"),
    ("audit prune: --older-than not a number", "audit prune --older-than soon"),
    # forecast (the fixture authority has 36 months of history but fewer than 20 people)
    ("forecast: no --as-of", "forecast --db {db} --months 12"),
    ("forecast: no --months", "forecast --db {db} --as-of 2024-12-31"),
    ("forecast: months out of range", "forecast --db {db} --as-of 2024-12-31 --months 30"),
    ("forecast: paths too few", "forecast --db {db} --as-of 2024-12-31 --months 12 --paths 5"),
    ("forecast: backtest with months", "forecast --db {db} --as-of 2024-12-31 --months 12 --backtest"),
    ("forecast: scope under 20 people", "forecast --db {db} --as-of 2024-12-31 --months 12"),
    ("forecast: history under 24 months", "forecast --db {db} --as-of 2023-06-30 --months 12 --unit T-A"),
    ("forecast: after the data end", "forecast --db {db} --as-of 2031-01-31 --months 12"),
    ("forecast: unknown unit", "forecast --db {db} --as-of 2024-12-31 --months 12 --unit NOPE"),
    ("forecast: missing what-if", "forecast --db {db} --as-of 2024-12-31 --months 12 --what-if {root}/none.toml"),
    ("forecast: what-if not TOML", "forecast --db {db} --as-of 2024-12-31 --months 12 --what-if {text}"),
    *[(f"forecast: --db {what}", f"forecast --db {{{what}}} --as-of 2024-12-31 --months 12") for what in SOME_NOT_A_DB],
]


def _id(case):
    return case.values[0] if hasattr(case, "values") else case[0]


@pytest.mark.parametrize(("name", "command"), CASES, ids=[_id(c) for c in CASES])
def test_bad_input_exits_2_with_one_plain_line_and_no_traceback(files, name, command):
    argv = [part.format(**files) for part in command.split()]
    before = files["db"].read_bytes()
    result = subprocess.run([sys.executable, "-m", "pipelines", *argv], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    refused = lines[:1] == ["The load was refused; the database was not changed. Please fix:"]
    assert len(lines) == (2 if refused else 1), result.stderr
    assert lines[-1].startswith(("Error: ", "  - ")), result.stderr
    assert files["db"].read_bytes() == before  # a refused command changes nothing
    assert not files["fresh"].exists()
