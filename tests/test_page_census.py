"""The dashboard on census returns (AppTest): a census-only database opens on the Census page, the pages that
need HR extracts say what only they give, and the Data quality, Benchmarks and Scrutiny pack pages work."""

import io
import shutil
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from pipelines.benchmarks.importer import import_files
from pipelines.census.importer import import_returns
from pipelines.cli import main
from reporting.census_pack import HEADING
from reporting.source import DataSource
from tests.apptest_helpers import page_text
from tests.census_builder import worker, write_return

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"


def _returns(folder: Path, la: str = "301") -> list[Path]:
    """2022: six workers in post. 2023: five of them again (one now agency), one leaver to agency work in
    the year, one new starter; one record with a bad OrgRole held back."""
    in_post = [worker(f"AB00000000{n:02d}", FTE30="1.000000", OrgRole="5", RoleStartDate="2018-01-01",
                      Cases30="15") for n in range(1, 7)]
    later = [dict(w) for w in in_post[:4]] + [
        worker("AB0000000005", agency="1", FTE30="1.000000", OrgRole="5", Cases30="12"),
        worker("AB0000000006", FTE="1.000000", OrgRole="5", RoleStartDate="2018-01-01", RoleEndDate="2023-03-31",
               ReasonLeave="1", LeaverDestination="3"),
        worker("AB0000000007", FTE30="0.500000", OrgRole="6", RoleStartDate="2023-02-01", StartOrigin="1"),
        worker("AB0000000008", FTE30="1.000000", OrgRole="9")]
    return [write_return(folder, 2022, in_post, vacancies="2.00", agency_cover="1.00", la=la),
            write_return(folder, 2023, later, vacancies="1.00", agency_cover="0.50", la=la)]


@pytest.fixture(scope="module")
def census_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("census_pages")
    db = folder / "census.duckdb"
    import_returns(_returns(folder), db, key_path=folder / "key")
    main(["authority", "set", "--la-code", "301", "--db", str(db)])
    import_files([INDICATORS], db)
    return db


@pytest.fixture
def app_on(monkeypatch):
    def _open(db: Path) -> AppTest:
        monkeypatch.setenv("WFS_DB", str(db))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception
        return at
    return _open


def test_a_census_only_database_opens_on_the_census_page(app_on, census_db):
    at = app_on(census_db)
    assert [t.value for t in at.title] == ["Census returns"]
    metrics = {m.label: m.value for m in at.metric}
    # 2023: in post workers 1-4 (1.0 each) and 7 (0.5) = 4.5 FTE, 5 people; leaver 6 (1.0): 1 / 4.5 = 22.2%
    assert metrics["In post (census return)"] == "5 people"
    assert metrics["Turnover (census return)"] == "22.2%"
    # agency: worker 5 (1.0): 1 / (1 + 4.5) = 18.2%
    assert metrics["Agency rate (census return)"] == "18.2%"
    text = page_text(at)
    assert "**1** of the leavers went to agency or consultancy social work" in text
    assert "Only HR extracts give interim leadership by post" in text


def test_retention_links_the_same_workers_across_years(census_db):
    from reporting import census as vm

    src = DataSource(census_db)
    try:
        [row] = vm.retention(src).to_dict("records")
    finally:
        src.close()
    # of the six in post in 2022: 1-4 in post again, 5 now agency, 6 left: 4 / 6 = 66.7%
    assert row == {"Year to 30 Sep": 2023, "In post a year earlier": 6, "Still in post": 4,
                   "Now agency workers here": 1, "Retained (%)": 66.7}


def _open_by_address(at: AppTest, path: str) -> AppTest:
    """Census-only mode makes some pages functions, not files; AppTest.switch_page takes files only, so the page
    is chosen by its address the way a browser would (AppTest keeps the registered pages by hash)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == path)
    at.run()
    assert not at.exception
    return at


def test_the_scrutiny_pack_page_offers_the_census_pack(app_on, census_db):
    at = _open_by_address(app_on(census_db), "scrutiny-pack")
    assert [t.value for t in at.title] == ["Scrutiny pack"]
    assert "Only HR extracts give the sections by team and post." in page_text(at)
    assert [b.proto.label for b in at.get("download_button")] == ["Download the Word pack"]


@pytest.mark.parametrize("path, words", [("overview", "month-by-month figures for any part of the service"),
                                         ("turnover", "turnover and stability by team and grade"),
                                         ("vacancies", "vacancies by post and team, and how long each vacancy has been open"),
                                         ("structure", "restructures")])
def test_pages_that_need_hr_extracts_say_what_only_they_give(app_on, census_db, path, words):
    at = _open_by_address(app_on(census_db), path)
    [info] = [i.value for i in at.info]
    assert f"Only HR extracts give {words}" in info
    assert not at.get("plotly_chart")


def test_the_data_quality_page_lists_held_back_census_records(app_on, census_db):
    at = app_on(census_db)
    at.switch_page("pages/data_quality_page.py").run()
    assert not at.exception
    assert "Census returns" in [s.value for s in at.subheader]
    held = at.dataframe[1].value
    assert held[["Year", "Worker record", "Field"]].values.tolist() == [[2023, 8, "OrgRole"]]


def test_the_benchmarks_page_compares_the_returns_with_dfe(app_on, census_db):
    at = app_on(census_db)
    at.switch_page("pages/benchmarks_page.py").run()
    assert not at.exception
    assert "Census return, HR data and DfE's published figure" in [s.value for s in at.subheader]
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == ["Year to 30 Sep", "Measure", "Census return", "HR data", "Published (DfE)"]
    # DfE published Barking and Dagenham's real figures, not these invented returns: every year is flagged
    assert table["Published (DfE)"].notna().all() and table["HR data"].isna().all()


def test_the_word_pack_has_a_census_section(census_db, tmp_path):
    out = tmp_path / "pack.docx"
    assert main(["export", "pack", "--db", str(census_db), "--out", str(out), "--mode", "internal"]) == 0
    document = docx.Document(io.BytesIO(out.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert f"1. {HEADING}" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 of the 1 leavers in the year to 30 September 2023 went to agency or consultancy social work" in text


def test_with_hr_extracts_too_the_census_page_and_three_columns_appear(app_on, fixture_db, tmp_path):
    db = tmp_path / "both.duckdb"
    shutil.copyfile(fixture_db, db)
    import_returns(_returns(tmp_path, la="887"), db, key_path=tmp_path / "key")  # the fixture's authority
    at = app_on(db)
    assert [t.value for t in at.title] != ["Census returns"]  # HR data loaded: the Overview opens first
    at.switch_page("pages/census_page.py").run()
    assert not at.exception
    assert "Figures by year" in [s.value for s in at.subheader]
    assert "Only HR extracts give" not in page_text(at)
    at.switch_page("pages/turnover_page.py").run()  # an HR page names its source, the census page its own
    assert any(c.value.startswith("Source: the HR extracts") for c in at.caption)


def test_the_pack_in_publication_mode_never_says_a_small_number(census_db):
    from reporting.census_pack import pack_specs

    src = DataSource(census_db)
    try:
        published = pack_specs(src, None, "publication")
        internal = pack_specs(src, None, "internal")
    finally:
        src.close()
    # 2023: 1 leaver (to agency) and 1 agency worker: counts of 1 to 4, so the turnover and agency rate built
    # on them are hidden, in the tables and in the words
    assert published[0].summary == ("In the year to 30 September 2023, turnover was not shown (fewer than 5 people) "
                                    "and the agency rate not shown (fewer than 5 people) (FTE), from the census "
                                    "return.")
    assert published[1].summary == ""
    assert published[0].published_table("publication")["Leavers"].tolist() == [0, "c"]
    assert internal[1].summary.startswith("1 of the 1 leavers")


def test_figures_by_role_for_one_year(census_db):
    from reporting import census as vm

    src = DataSource(census_db)
    try:
        table = vm.roles_table(src, 2023).set_index("Role")
    finally:
        src.close()
    # 2023 case holders (OrgRole 5): workers 1-4 in post (4.0 FTE), worker 6 left (1.0): 1 / 4 = 25.0%;
    # agency worker 5 (1.0): 1 / (1 + 4) = 20.0%. Qualified without cases (6): the starter, worker 7.
    assert table.loc["Case holder", ["In post (headcount)", "Leavers", "Turnover (FTE, %)",
                                     "Agency rate (FTE, %)"]].tolist() == [4, 1, 25.0, 20.0]
    # by headcount too (all full time here): 1 leaver / 4 in post = 25.0%; 1 agency / (1 + 4) = 20.0%
    assert table.loc["Case holder", ["Turnover (headcount, %)", "Agency rate (headcount, %)"]].tolist() == [25.0, 20.0]
    assert table.loc["Qualified without cases", ["In post (headcount)", "Starters"]].tolist() == [1, 1]


def test_absence_on_the_census_date_by_reason(tmp_path):
    workers = [worker("AB0000000001", FTE30="1.000000", Absat30Sept="1", ReasonAbsence="SIC", WorkingDaysLost="12.50"),
               worker("AB0000000002", FTE30="1.000000", Absat30Sept="0", WorkingDaysLost="2.00"),
               worker("AB0000000003", FTE30="1.000000", WorkingDaysLost="1.25"),
               worker("AB0000000004", agency="1", FTE30="1.000000", Absat30Sept="1", ReasonAbsence="MAT")]
    db = tmp_path / "c.duckdb"
    import_returns([write_return(tmp_path, 2023, workers)], db, key_path=tmp_path / "key")
    from reporting import census as vm

    src = DataSource(db)
    try:
        table = vm.absence(src, 2023)
    finally:
        src.close()
    # the agency worker is not counted (absence is for non-agency workers in post); 2.00 + 1.25 = 3.25 -> 3.3
    assert table.values.tolist() == [["Not absent on 30 September", 2, 3.3], ["Sick leave", 1, 12.5]]
