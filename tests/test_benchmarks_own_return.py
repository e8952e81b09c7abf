"""An authority's own return in DfE's format: written from HR data, imported over DfE's rows for that
authority only, and the demo's planted discrepancy caught by the reconciliation."""

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.benchmarks.importer import import_files
from pipelines.benchmarks.own_return import DEMO_MISREPORT

DFE = Path(__file__).resolve().parents[1] / "data" / "dfe"  # the copies shipped with the product
INDICATORS = DFE / "csww_indicators_2017_to_2025.csv"
MEDWAY = "E06000035"  # data/settings.toml: the demo's real region and statistical-neighbour set


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo authority loaded, its published return written, and DfE's files plus that return imported."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.duckdb"
    made = run("demo", "--out", str(folder / "extracts"), "--db", str(db), "--key", str(folder / "k.key"))
    assert made.returncode == 0, made.stderr
    imported = run("benchmarks", "import", *map(str, sorted(DFE.glob("*.csv"))), str(folder / "published_return.csv"),
                   "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    return folder, db


def _value(db: Path, code: str, year: int, column: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select {column} from dfe_indicators where new_la_code = $c and time_period = $y",  # noqa: S608
                           {"c": code, "y": year}).fetchall()


def test_the_demo_return_replaces_only_its_own_authoritys_rows(demo):
    folder, db = demo
    with (folder / "published_return.csv").open(encoding="utf-8") as handle:
        ours = {row["time_period"]: row for row in csv.DictReader(handle)}
    assert _value(db, MEDWAY, 2021, "turnover_rate_fte") == [(float(ours["2021"]["turnover_rate_fte"]),)]
    with duckdb.connect(str(db), read_only=True) as con:
        england = con.execute("select turnover_rate_fte, vacancy_rate_fte from dfe_indicators "
                              "where geographic_level = 'National' and time_period = 2025").fetchall()
        others = con.execute("select count(*) from dfe_indicators where new_la_code is distinct from $c",
                             {"c": MEDWAY}).fetchall()[0][0]
    with INDICATORS.open(encoding="utf-8-sig") as handle:
        published_others = sum(1 for row in csv.DictReader(handle) if row["new_la_code"] != MEDWAY)
    assert england == [(11.8, 14.2)]  # DfE's own figures untouched
    assert others == published_others  # every other authority, region and England row as DfE published it


def test_the_reconciliation_on_the_demo_catches_the_planted_discrepancy_and_nothing_else(demo):
    _, db = demo
    result = run("benchmarks", "reconcile", "--db", str(db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    flagged = [row for row in rows if not row["Status"].startswith(("Within", "No published"))]
    assert len(flagged) == 1, flagged
    assert str(DEMO_MISREPORT.year) in " ".join(flagged[0].values())
    assert "Agency rate" in " ".join(flagged[0].values())


def test_an_own_return_imported_again_changes_nothing(demo):
    folder, db = demo
    before = db.read_bytes()
    report = import_files([folder / "published_return.csv"], db)
    assert report.imported == [] and db.read_bytes() == before
