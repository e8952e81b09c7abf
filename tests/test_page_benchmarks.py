"""Benchmarks page (AppTest) on the fixture database with DfE's published files imported.

The fixture's social-work posts (HOS-A, TM-B, SW1..SW4, SWB1; see tests/fixture_db.py) in the year to
30 September 2024: in post on 30 Sep 2024 H1 + M1 + W1 + B1 (1.0 each) + W4 0.5 = 4.5 FTE; agency AG1 1.0;
leavers W3 (31 Dec 2023) and W2 (31 Mar 2024), 2.0 FTE -> turnover 2.0 / 4.5 = 44.4%; agency rate
1.0 / 5.5 = 18.2%; vacant SW2 1.0 (covered) + SW3 1.0 + SW4 0.5 = 2.5 -> DfE vacancy rate 2.5 / (2.5 + 4.5)
= 35.7%, agency cover 1.0 / 2.5 = 40.0%; caseload at the 31 Dec 2023 snapshot (the last one on or before
30 Sep 2024): W1 25 + W2 24 + W3 20 = 69 cases / 3.0 FTE = 23.0. In the year to 30 Sep 2023 nobody left
(0.0%). The authority identity in data/settings.toml is Medway's (E06000035, 887, South East).
"""

import base64
import csv
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines.benchmarks.importer import import_files

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/benchmarks_page.py"
DFE = ROOT / "data" / "dfe"  # the copies shipped with the product
FILES = [DFE / "csww_indicators_2017_to_2025.csv", DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv",
         DFE / "la_cla_swcount.csv"]

# Until app.py lists the page, it runs inside the same sidebar and navigation from a small stand-in.
STAND_IN = """
import streamlit as st
from dashboard import data, filters
st.set_page_config(layout="wide")
page = st.navigation([st.Page({page!r}, title="Benchmarks", url_path="benchmarks", default=True)])
data.source()
filters.render_sidebar()
page.run()
"""


@pytest.fixture(scope="module")
def benchmark_db(fixture_db, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("benchmarks") / "with-dfe.duckdb"
    shutil.copyfile(fixture_db, db)
    import_files(FILES, db)
    return db


@pytest.fixture
def open_page(monkeypatch, tmp_path):
    def _open(db: Path) -> AppTest:
        monkeypatch.setenv("WFS_DB", str(db))
        if "benchmarks_page.py" in (ROOT / "app.py").read_text(encoding="utf-8"):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.run()
            at.switch_page(PAGE).run()
        else:
            script = tmp_path / "stand_in_app.py"
            script.write_text(STAND_IN.format(page=str(ROOT / PAGE)), encoding="utf-8")
            at = AppTest.from_file(str(script), default_timeout=60)
            at.run()
        return at

    return _open


def published(year: int, level: str, name: str | None = None) -> dict:
    with FILES[0].open(encoding="utf-8-sig", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["time_period"] == str(year)
                    and r["geographic_level"] == level and (name is None or r["la_name"] == name))


def numbers(values) -> list[float]:
    """A trace's values: plotly sends float arrays base64-encoded ({'dtype': 'f8', 'bdata': ...})."""
    if isinstance(values, dict):
        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def metric(at, label: str) -> str:
    return next(m for m in at.metric if m.label == label).value


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_before_any_import_the_page_says_how_to_import(open_page, fixture_db):
    at = open_page(fixture_db)
    assert not at.exception
    message = " ".join(i.value for i in at.info)
    assert "python -m pipelines benchmarks import data/dfe/csww_indicators_2017_to_2025.csv" in message
    assert f"--db {fixture_db}" in message


def test_without_an_authority_the_page_says_how_to_set_it_and_compares_nothing(open_page, benchmark_db, tmp_path):
    unset = tmp_path / "unset.duckdb"
    shutil.copyfile(benchmark_db, unset)
    with duckdb.connect(str(unset)) as con:
        con.execute("drop table authority_identity")
    at = open_page(unset)
    assert not at.exception
    message = " ".join(i.value for i in at.info)
    assert f"python -m pipelines authority set --la-code E06000035 --db {unset}" in message
    assert not at.get("plotly_chart") and not at.metric


def test_our_hr_figures_sit_beside_the_published_ones_for_the_latest_year(open_page, benchmark_db):
    at = open_page(benchmark_db)
    assert not at.exception
    assert any(s.value == "Year to 30 September 2024 at a glance" for s in at.subheader)
    assert [metric(at, label) for label in ("Turnover", "Agency rate", "Vacancy rate", "Agency cover", "Caseload")] \
        == ["44.4%", "18.2%", "35.7%", "40.0%", "23.0"]
    medway, england = published(2024, "Local authority", "Medway"), published(2024, "National")
    text = markdown(at)
    assert f"Published for us: **{float(medway['turnover_rate_fte']):.1f}%**" in text  # 18.2%
    assert f"England: {float(england['turnover_rate_fte']):.1f}%" in text  # 13.9%
    assert f"England: {float(england['vacancy_rate_fte']):.1f}%" in text


def test_the_latest_year_table_ranks_our_published_figure_among_all_authorities(open_page, benchmark_db):
    at = open_page(benchmark_db)
    table = at.dataframe[0].value
    turnover = table[table["Measure"] == "Turnover (FTE)"].iloc[0]
    with FILES[0].open(encoding="utf-8-sig", newline="") as handle:
        values = [float(r["turnover_rate_fte"]) for r in csv.DictReader(handle) if r["time_period"] == "2024"
                  and r["geographic_level"] == "Local authority" and r["turnover_rate_fte"][0].isdigit()]
    ours = float(published(2024, "Local authority", "Medway")["turnover_rate_fte"])
    rank = sum(v < ours for v in values) + 1
    assert turnover["Rank of published figure (1 = lowest)"] == f"{rank} of {len(values)}"
    assert turnover["Quartile"].startswith(str(1 + 4 * (rank - 1) // len(values)))
    assert turnover["Our HR data"] == 44.4


def test_each_chart_plots_us_england_region_and_every_neighbour(open_page, benchmark_db):
    at = open_page(benchmark_db)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {t["name"]: t for t in spec["data"] if t.get("showlegend", True) is not False}
    assert {"Our HR data", "Our published figure", "England", "South East", "Statistical neighbour median",
            "Each statistical neighbour"} <= set(traces)
    england = traces["England"]
    assert numbers(england["y"])[-1] == float(published(2024, "National")["turnover_rate_fte"])
    hovers = " ".join(t["hovertemplate"] for t in spec["data"])
    assert "Swindon" in hovers and "Kent" in hovers  # each neighbour named on hover
    assert "Turnover (FTE)" in spec["layout"]["title"]["text"] and "2017 to 2024" in spec["layout"]["title"]["text"]


def test_reconciliation_flags_where_our_return_and_hr_data_differ(open_page, benchmark_db):
    at = open_page(benchmark_db)
    warnings = " ".join(w.value for w in at.warning)
    medway = published(2024, "Local authority", "Medway")
    assert (f"Turnover (FTE), year to 30 September 2024: our HR data give 44.4%, but DfE published "
            f"{float(medway['turnover_rate_fte']):.1f}% for") in warnings
    assert "Likely reasons to check" in warnings


def test_an_earlier_as_at_date_moves_the_comparison_to_that_year(open_page, benchmark_db):
    at = open_page(benchmark_db)
    at.date_input(key="as_at").set_value(date(2023, 12, 31)).run()
    assert not at.exception
    assert any(s.value == "Year to 30 September 2023 at a glance" for s in at.subheader)
    assert metric(at, "Turnover") == "0.0%"
    medway = published(2023, "Local authority", "Medway")
    assert f"Published for us: **{float(medway['turnover_rate_fte']):.1f}%**" in markdown(at)  # 24.8%


def test_the_page_credits_dfe_under_the_open_government_licence(open_page, benchmark_db):
    at = open_page(benchmark_db)
    captions = " ".join(c.value for c in at.caption)
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in captions
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in captions
