"""`benchmarks own-return` from census returns, and the three-way reconciliation (return, HR data, DfE)."""

import csv

import pandas as pd
import pytest

from pipelines.benchmarks import benchmark_settings
from pipelines.census.importer import import_returns
from pipelines.census.reconcile import RETURN_VS_PUBLISHED, three_way
from pipelines.cli import main
from reporting import census as vm
from reporting.source import DataSource
from tests.census_builder import worker, write_return

# Year to 30 Sep 2023: in post 4 x 1.0 FTE; one leaver of 0.5 FTE; one agency worker of 1.0 FTE
# holding 18 cases; in post worker 1 holds 22 cases; vacancies 1.0 FTE, 0.5 of it covered by agency.
WORKERS = [worker(f"AB000000000{n}", FTE30="1.000000", RoleStartDate="2020-01-01") for n in range(1, 5)] + [
    worker("AB0000000011", FTE="0.500000", RoleStartDate="2020-01-01", RoleEndDate="2023-06-30"),
    worker("AB0000000012", agency="1", FTE30="1.000000", Cases30="18")]
WORKERS[0]["Cases30"] = "22"


@pytest.fixture(scope="module")
def census_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("census_reconcile")
    db = folder / "c.duckdb"
    import_returns([write_return(folder, 2023, WORKERS, vacancies="1.00", agency_cover="0.50",
                                 agency_headcount="1")], db, key_path=folder / "key")
    assert main(["authority", "set", "--la-code", "301", "--db", str(db)]) == 0
    return db


def _written(tmp_path, db) -> list[dict]:
    out = tmp_path / "own.csv"
    assert main(["benchmarks", "own-return", "--db", str(db), "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_own_return_from_census_returns_in_dfes_format(census_db, tmp_path, capsys):
    [row] = _written(tmp_path, census_db)
    assert "as its census returns give it (1 year(s))" in capsys.readouterr().out
    assert (row["time_period"], row["old_la_code"], row["geographic_level"]) == ("2023", "301", "Local authority")
    assert (row["inpost_headcount"], row["inpost_fte"]) == ("4", "4")
    assert (row["leavers_headcount"], row["leavers_fte"]) == ("1", "0.5")
    assert row["turnover_rate_fte"] == "12.5"  # 0.5 / 4.0
    assert row["turnover_rate_headcount"] == "25"  # 1 / 4
    assert row["agency_rate_fte"] == "20"  # 1 / (1 + 4)
    assert row["vacancy_rate_fte"] == "20"  # 1 / (1 + 4)
    assert row["agency_cover_rate_fte"] == "50"  # cover 0.5 / agency FTE 1.0
    assert row["vacancy_agency_cover_rate_fte"] == "50"  # cover 0.5 / vacancies 1.0
    assert (row["case_holders_fte"], row["cases"], row["caseload_fte"]) == ("2", "40", "20")  # 40 cases / 2 FTE
    assert row["absence_rate_fte"] == "0"  # no days lost returned


def test_own_return_from_hr_is_refused_in_plain_words_without_hr_data(census_db, tmp_path, capsys):
    code = main(["benchmarks", "own-return", "--db", str(census_db), "--out", str(tmp_path / "x.csv"),
                 "--source", "hr"])
    assert code == 2
    assert "no HR extracts loaded yet" in capsys.readouterr().err


def test_the_return_matches_what_dfe_published_from_it(census_db, tmp_path):
    """Import the own-return file as DfE's published row: every measure then agrees."""
    rows = _written(tmp_path, census_db)
    published = tmp_path / "published.csv"
    with published.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    db = tmp_path / "copy.duckdb"
    db.write_bytes(census_db.read_bytes())
    assert main(["benchmarks", "import", str(published), "--db", str(db)]) == 0
    src = DataSource(db)
    try:
        table = vm.reconciliation(src, src.identity())
    finally:
        src.close()
    assert list(table["Status"].unique()) == ["Within tolerance"]
    assert table.set_index("Measure").loc["Turnover (FTE)", ["Census return", "Published (DfE)"]].tolist() == [
        12.5, 12.5]
    assert table["HR data"].isna().all()  # census returns only: no HR column figures


def test_differences_are_flagged_with_likely_reasons_in_all_three_columns():
    census = pd.DataFrame([{"year": 2023, "turnover_rate_fte": 12.5, "agency_rate_fte": 20.0,
                            "vacancy_rate_fte": 20.0, "vacancy_agency_cover_rate_fte": 50.0, "caseload_fte": 20.0}])
    hr = pd.DataFrame([{"time_period": 2023, "turnover_pct": 12.0, "agency_rate_pct": 10.0,
                        "vacancy_rate_pct": 20.0, "agency_cover_pct": 50.0, "caseload_per_fte": 20.4}])
    published = pd.DataFrame([{"time_period": 2023, "indicator": "turnover", "value": 16.0},
                              {"time_period": 2023, "indicator": "agency_rate", "value": 20.0}])
    items = {i.indicator: i for i in three_way(census, hr, published, benchmark_settings())}
    # turnover: the return 12.5 vs published 16.0 is 3.5 points, beyond the 2-point tolerance
    assert (items["turnover"].return_gap, items["turnover"].status) == (
        -3.5, "Check: the return and DfE's figure differ")
    assert items["turnover"].reasons == RETURN_VS_PUBLISHED
    # agency: HR 10.0 vs the return 20.0: HR 10 points lower, so the reasons for a lower HR figure come first
    assert items["agency_rate"].hr_gap == -10.0
    assert items["agency_rate"].status == "Check: the HR data and the return differ"
    assert items["agency_rate"].reasons[0].startswith("Agency workers missing from the HR extract")
    # caseload: 20.4 vs 20.0 is within the 1-case tolerance; nothing published for it
    assert (items["caseload"].status, items["caseload"].published) == ("Within tolerance", None)


def test_the_demo_writes_returns_from_the_hr_history_that_agree_with_the_hr_figures(fixture_db, tmp_path):
    """The fixture's year to 30 Sep 2024 (tests/test_page_benchmarks.py works it out by hand): agency rate
    1.0 / 5.5 = 18.2%, vacancy rate 2.5 / (2.5 + 4.5) = 35.7%; a return derived from it says the same."""
    import shutil

    from pipelines.census.demo_returns import write_demo_returns
    from pipelines.census.reconcile import as_comparable
    from pipelines.metrics import connect

    con = connect(fixture_db)
    try:
        paths = write_demo_returns(con, "887", tmp_path / "census")
    finally:
        con.close()
    assert "<PersonBirthDate>" in paths[-1].read_text()  # fake personal items, as a real return has
    db = tmp_path / "both.duckdb"
    shutil.copyfile(fixture_db, db)
    import_returns(paths, db, key_path=tmp_path / "key")
    src = DataSource(db)
    try:
        census = as_comparable(src.derived("census_figures", False)).set_index("time_period")
    finally:
        src.close()
    assert round(census.loc[2024, "agency_rate_pct"], 1) == 18.2
    assert round(census.loc[2024, "vacancy_rate_pct"], 1) == 35.7
