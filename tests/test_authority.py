"""Whose data a database holds: nobody's until it is set, from DfE's shipped files, and it stays with the
database through reloads and DfE imports. The demo's identity never reaches a user's database."""

import subprocess
import sys
from pathlib import Path

import docx
import duckdb
import pytest

from pipelines.authority import DEMO, NOT_SET, lookup, read_identity
from tests.extract_builder import ORG, job, post, write_extract

ROOT = Path(__file__).resolve().parents[1]
DFE = ROOT / "data" / "dfe"


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)


@pytest.fixture
def user_db(tmp_path) -> Path:
    """A council's own extracts loaded with the settings as shipped: no identity yet."""
    jobs = [job(f"A{i}", f"E{i}", f"P{i}", end="2024-06-30" if i == 0 else "") for i in range(6)]
    folder = write_extract(tmp_path / "extracts", org_units=ORG, posts=[post(f"P{i}") for i in range(6)],
                           assignments=[*jobs, job("A6", "E6", "P0", start="2024-07-01")])
    db = tmp_path / "workforce.duckdb"
    result = _run("ingest", folder, "--db", db, "--key", tmp_path / "key")
    assert result.returncode == 0, result.stderr
    return db


def _identity(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return read_identity(con)


def test_a_users_database_has_no_identity_until_it_is_set(user_db):
    assert _identity(user_db).name == NOT_SET
    shown = _run("authority", "show", "--db", user_db)
    assert shown.returncode == 0
    assert f"The authority is not set for {user_db}. Set it with: python -m pipelines authority set" in shown.stdout


def test_until_it_is_set_exports_say_authority_not_set_and_never_the_demos_name(user_db, tmp_path):
    out = tmp_path / "pack.docx"
    assert _run("export", "pack", "--db", user_db, "--sections", "turnover", "--out", out).returncode == 0
    text = " ".join(p.text for p in docx.Document(out).paragraphs)
    footer = " ".join(p.text for s in docx.Document(out).sections for p in s.footer.paragraphs)
    assert "Authority not set" in text and "HR extracts (authority not set)" in text
    assert "Northbridge" not in text + footer and "Medway" not in text + footer
    svg = tmp_path / "t.svg"
    assert _run("export", "chart", "vacancy-rate", "--db", user_db, "--out", svg).returncode == 0
    assert "Source: HR extracts (authority not set)" in svg.read_text(encoding="utf-8")


def test_nothing_is_reconciled_or_written_as_a_return_until_the_authority_is_set(user_db, tmp_path):
    assert _run("benchmarks", "import", *sorted(DFE.glob("*.csv")), "--db", user_db).returncode == 0
    for args in (("benchmarks", "reconcile", "--db", user_db),
                 ("benchmarks", "own-return", "--db", user_db, "--out", tmp_path / "return.csv")):
        result = _run(*args)
        assert result.returncode == 2
        assert "The authority is not set" in result.stderr and "authority set --la-code" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "return.csv").exists()


@pytest.mark.parametrize("code", ["E06000035", "e06000035", "887"])
def test_setting_the_authority_takes_its_name_number_and_region_from_dfes_shipped_file(user_db, code):
    result = _run("authority", "set", "--la-code", code, "--db", user_db)
    assert result.returncode == 0, result.stderr
    who = _identity(user_db)
    # data/dfe/csww_indicators_2017_to_2025.csv: Medway, E06000035, 887, South East
    assert (who.name, who.la_code, who.la_number, who.region) == ("Medway", "E06000035", "887", "South East")
    assert "Medway: LA code E06000035, LA number 887, region South East." in _run(
        "authority", "show", "--db", user_db).stdout


def test_a_name_for_papers_can_be_given_and_an_unknown_code_is_refused(user_db):
    assert _run("authority", "set", "--la-code", "E06000035", "--name", "Medway Council", "--db",
                user_db).returncode == 0
    assert _identity(user_db).name == "Medway Council"
    unknown = _run("authority", "set", "--la-code", "E99999999", "--db", user_db)
    assert unknown.returncode == 2 and "No local authority with the code 'E99999999'" in unknown.stderr
    assert _identity(user_db).name == "Medway Council"  # unchanged


def test_the_identity_stays_through_a_reload_and_a_dfe_import(user_db, tmp_path):
    assert _run("authority", "set", "--la-code", "887", "--db", user_db).returncode == 0
    folder = write_extract(tmp_path / "newer", org_units=ORG, posts=[post(f"P{i}") for i in range(7)],
                           assignments=[job(f"A{i}", f"E{i}", f"P{i}") for i in range(7)])
    assert _run("ingest", folder, "--db", user_db, "--key", tmp_path / "key").returncode == 0
    assert _identity(user_db).name == "Medway"
    assert _run("benchmarks", "import", DFE / "csww_indicators_2017_to_2025.csv", "--db", user_db).returncode == 0
    assert _identity(user_db).name == "Medway"


def test_setting_it_on_a_file_that_is_not_a_workforce_database_is_refused(tmp_path):
    other = tmp_path / "notes.duckdb"
    other.write_text("notes", encoding="utf-8")
    result = _run("authority", "set", "--la-code", "887", "--db", other)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert other.read_text(encoding="utf-8") == "notes"


def test_only_the_demo_database_carries_the_demo_identity(tmp_path):
    result = _run("demo", "--out", tmp_path / "extracts", "--scale", "0.2", "--db", tmp_path / "demo.duckdb",
                  "--key", tmp_path / "key")
    assert result.returncode == 0, result.stderr
    assert _identity(tmp_path / "demo.duckdb") == DEMO


def test_lookup_reads_the_latest_year_the_authority_appears_in():
    assert lookup("E06000035").name == "Medway"
