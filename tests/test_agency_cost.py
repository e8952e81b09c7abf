"""The cost of agency cover against the same hours from permanent staff, worked by hand.

Settings (tests/agency_extract.py): 37 standard hours, Band 9 costs £41,000 a year, on-costs 30%, so a
permanent hour of Band 9 costs 41000 x 1.3 / (52.143 x 37) = 53300 / 1929.291 = £27.626...
"""

import csv
import io
import json
from datetime import date

import duckdb
import pytest

from pipelines import agency
from pipelines.cli import main
from pipelines.ingest import ingest
from pipelines.metrics import connect
from pipelines.settings import load_settings
from tests.agency_extract import case, load_cases, made_settings, settings_file
from tests.extract_builder import ORG, job, post, write_extract

PERMANENT_HOUR = 41000 * 1.3 / (52.143 * 37)
FROM, TO = date(2025, 1, 1), date(2025, 1, 14)  # 14 days
CASES = [
    # 37 hours a week at £50, all 14 days: 37 x 14 / 7 = 74 hours, 74 x 50 = £3,700
    case("FLAT", "2024-12-01", hours_per_week="37"),
    # no hours given, FTE 0.5: 37 x 0.5 = 18.5 a week; the rate rises from £50 to £60 on 11 January:
    # 18.5 x 10 / 7 = 26.428... hours at £50 and 18.5 x 4 / 7 = 10.571... hours at £60
    case("RISE", "2024-12-01", fte="0.5", unit="T2", rows=[
        {"valid_from": "2024-12-01", "valid_to": "2025-01-10", "job_type": "team_manager", "charge_rate_hourly": "50"},
        {"valid_from": "2025-01-11", "valid_to": "", "job_type": "team_manager", "charge_rate_hourly": "60"},
    ]),
    # a grade with no annual cost in settings: counted in agency cost, not compared; starts 8 January:
    # 7 days x 35 / 7 = 35 hours at £40 = £1,400
    case("UNPRICED", "2025-01-08", grade="Band 99", hours_per_week="35", charge_rate_hourly="40"),
    case("LATER", "2025-02-01", hours_per_week="37"),  # outside the period
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("agency_cost")


@pytest.fixture(scope="module")
def db(folder):
    return load_cases(folder, CASES)


@pytest.fixture
def test_settings_in_use(folder, monkeypatch):
    """The commands read data/settings.toml through a cache: point it at the tests' file, and clear it after."""
    monkeypatch.setenv("WFS_SETTINGS", str(settings_file(folder)))
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


@pytest.fixture(scope="module")
def segments(db, folder):
    con = connect(db)
    try:
        yield agency.cost_segments(con, FROM, TO, None, made_settings(folder))
    finally:
        con.close()


def test_hours_are_weekly_hours_times_days_active_over_seven_at_the_rate_of_each_day(segments):
    [total] = agency.summarise_cost(segments, "none")
    rise_hours = 18.5 * 10 / 7 + 18.5 * 4 / 7
    assert total["engagements"] == 3
    assert total["agency_hours"] == round(74 + rise_hours + 35, 2)
    assert total["agency_cost"] == round(3700 + 18.5 * 10 / 7 * 50 + 18.5 * 4 / 7 * 60 + 1400, 2)


def test_permanent_equivalent_prices_the_same_hours_at_the_grades_annual_cost_with_on_costs(segments):
    by_job = {row["group"]: row for row in agency.summarise_cost(segments, "job_type")}
    worker = by_job["social_worker"]  # FLAT (74 hours compared) and UNPRICED (35 hours not compared)
    assert worker["permanent_equivalent_cost"] == round(74 * PERMANENT_HOUR, 2)  # 2,044.38
    assert worker["hours_not_compared"] == 35
    # premium over the compared hours only: 3,700 - 2,044.38 = 1,655.62, 81.0% of 2,044.38
    assert worker["premium"] == round(3700 - 74 * PERMANENT_HOUR, 2)
    assert worker["premium_pct"] == round((3700 - 74 * PERMANENT_HOUR) / (74 * PERMANENT_HOUR) * 100, 1)
    manager = by_job["team_manager"]
    assert manager["permanent_equivalent_cost"] == round(18.5 * 14 / 7 * PERMANENT_HOUR, 2)


def test_cost_by_unit_grade_and_tier_splits_by_the_posts_unit_grade_and_tier(segments):
    def by(what):
        return {row["group"]: row["engagements"] for row in agency.summarise_cost(segments, what)}

    assert by("unit") == {"T1": 2, "T2": 1}
    assert by("grade") == {"Band 9": 2, "Band 99": 1}
    assert by("tier") == {"practitioner": 3}


def test_a_period_without_engagements_costs_nothing_and_has_no_premium_percentage(db, folder):
    con = connect(db)
    try:
        empty = agency.cost_segments(con, date(2020, 1, 1), date(2020, 12, 31), None, made_settings(folder))
    finally:
        con.close()
    [total] = agency.summarise_cost(empty, "none")
    assert (total["engagements"], total["agency_cost"], total["premium_pct"]) == (0, 0.0, None)


def test_cost_command_prints_json_and_csv_with_the_same_figures(db, test_settings_in_use, capsys):
    assert main(["agency", "cost", "--db", str(db), "--from", "2025-01-01", "--to", "2025-01-14", "--unit", "T2"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["agency_cost"] == round(18.5 * 10 / 7 * 50 + 18.5 * 4 / 7 * 60, 2)
    assert main(["agency", "cost", "--db", str(db), "--from", "2025-01-01", "--to", "2025-01-14", "--by", "job_type",
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["group"] for r in rows] == ["social_worker", "team_manager"]
    assert float(rows[0]["agency_cost"]) == 3700 + 1400


def test_compliance_command_lists_engagements_and_refuses_an_unknown_unit(db, test_settings_in_use, capsys):
    assert main(["agency", "compliance", "--db", str(db), "--as-of", "2025-01-09", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["engagement_id"] for r in rows) == ["FLAT", "RISE", "UNPRICED"]
    assert main(["agency", "compliance", "--db", str(db), "--as-of", "2025-01-09", "--unit", "NOPE"]) == 2
    assert capsys.readouterr().err.strip() == "Error: Unit 'NOPE' is not in the loaded org structure."
    assert main(["agency", "cost", "--db", str(db), "--from", "2025-02-01", "--to", "2025-01-01"]) == 2
    assert "is before --from" in capsys.readouterr().err


@pytest.mark.parametrize(("setting", "message"), [
    ("rules_start = \"2024-10-31\"", "settings [agency] rules_start must be a date written as YYYY-MM-DD without quotes."),
    ("on_cost_pct = -5", "settings [agency] on_cost_pct must be a number, 0 or more."),
    ("[[agency.caps]]\njob_type = \"locum\"\nfrom = 2024-10-31\nhourly = 40",
     "settings [agency] caps entry 1: job_type must be one of social_worker, senior_social_worker, "
     "advanced_practitioner, team_manager, iro_cp_chair."),
])
def test_a_setting_the_product_cannot_read_is_one_line_naming_it(db, tmp_path, monkeypatch, capsys, setting, message):
    (tmp_path / "bad.toml").write_text(f"[agency]\n{setting}\n", encoding="utf-8")
    monkeypatch.setenv("WFS_SETTINGS", str(tmp_path / "bad.toml"))
    load_settings.cache_clear()
    try:
        assert main(["agency", "compliance", "--db", str(db), "--as-of", "2025-01-09"]) == 2
    finally:
        load_settings.cache_clear()
    assert capsys.readouterr().err.strip() == f"Error: {message}"


def test_a_database_loaded_before_agency_engagements_existed_asks_for_a_new_load(tmp_path, capsys):
    old = tmp_path / "old.duckdb"
    write_extract(tmp_path / "src", org_units=ORG, posts=[post("P1")], assignments=[job("A1", "W1", "P1")])
    ingest(tmp_path / "src", old, key_path=tmp_path / "key")
    with duckdb.connect(str(old)) as con:  # as an earlier release left it: no agency staging model
        con.execute("drop view stg_agency_engagements")
    assert main(["agency", "cost", "--db", str(old), "--from", "2025-01-01", "--to", "2025-01-31"]) == 2
    assert "was loaded before agency engagements were part of the data contract" in capsys.readouterr().err
