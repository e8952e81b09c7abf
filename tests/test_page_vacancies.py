"""Vacancies page (AppTest) on the fixture database (see tests/fixture_db.py), and its filled-vacancy
view checked against the vacancy_duration metric on the fixture plus a few extra posts.

Fixture, as at 31 Dec 2024, whole service: establishment 9.0 FTE; vacant SW2 1.0 + SW3 1.0 + SW4 0.5
+ DIR 1.0 = 3.5 FTE (38.9%); covered: SW2 by agency AG1 and DIR by interim I1 = 2.0 of 3.5 (57.1%).
Fully vacant posts: SW3 since 2024-01-01 (366 days, no cover), SW2 since 2024-04-01 (275, covered),
DIR since 2024-07-01 (184, covered). No vacancy is filled in the fixture."""

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import streamlit as st

from pipelines.ingest import ingest
from pipelines.metrics import run_metric
from pipelines.views import run_view
from tests import fixture_db as fx
from tests.apptest_helpers import open_page, page_text
from tests.extract_builder import write_extract

PAGE = "pages/vacancies_page.py"

# Extra posts for filled, left-censored, closed and moved-while-vacant episodes (a copy of the fixture
# with these appended; tests/fixture_db.py itself is unchanged).
EXTRA_POSTS = [
    ("SW5", "Social worker", "T-A", "Band 9", "practitioner", "y", "1", "2022-01-01", ""),
    ("SW6", "Social worker", "P-B1", "Band 9", "practitioner", "y", "1", "2024-01-01", ""),
    ("SW7", "Senior social worker", "T-A", "Band 10", "senior_practitioner", "y", "1", "2022-01-01", ""),
    ("SW8", "Social worker", "T-A", "Band 9", "practitioner", "y", "1", "2022-01-01", "2024-08-31"),
    ("SW9", "Social worker", "T-A", "Band 9", "practitioner", "y", "1", "2022-01-01", "2024-06-30"),
    ("SW9", "Social worker", "T-B", "Band 9", "practitioner", "y", "1", "2024-07-01", ""),
]
EXTRA_ASSIGNMENTS = [
    # SW5: vacant 2023-06-01..2023-09-30 (122 days, filled before 2024), then 2024-03-01..2024-06-14 (106 days)
    ("x-5a", "E5A", "SW5", "permanent", "1", "2022-01-01", "2023-05-31", "resignation"),
    ("x-5b", "E5B", "SW5", "permanent", "1", "2023-10-01", "2024-02-29", "resignation"),
    ("x-5c", "E5C", "SW5", "permanent", "1", "2024-06-15", "", ""),
    # SW6: created 2024-01-01, vacant 20 days, filled 2024-01-21; vacant again 2024-10-01..2024-10-20, filled
    ("x-6a", "E6A", "SW6", "permanent", "1", "2024-01-21", "2024-09-30", "resignation"),
    ("x-6b", "E6B", "SW6", "fixed_term", "1", "2024-10-21", "", ""),
    # SW7: empty from the first day of the data (left-censored), filled 2024-05-01
    ("x-7a", "E7A", "SW7", "permanent", "1", "2024-05-01", "", ""),
    # SW8: holder leaves 2024-06-30, post deleted 2024-09-01: closed, never filled
    ("x-8a", "E8A", "SW8", "permanent", "1", "2022-01-01", "2024-06-30", "resignation"),
    # SW9: vacant 2024-05-01..2024-07-31, moved from T-A to T-B on 2024-07-01 while vacant, filled 2024-08-01
    ("x-9a", "E9A", "SW9", "permanent", "1", "2022-01-01", "2024-04-30", "resignation"),
    ("x-9b", "E9B", "SW9", "permanent", "1", "2024-08-01", "", ""),
]


def build_extended_db(folder: Path) -> Path:
    extracts = write_extract(folder / "extracts", org_units=fx.ORG_UNITS, posts=fx.POSTS + EXTRA_POSTS,
                             assignments=fx.ASSIGNMENTS + EXTRA_ASSIGNMENTS, caseloads=fx.CASELOADS,
                             key_dates=fx.KEY_DATES)
    db = folder / "extended.duckdb"
    ingest(extracts, db, key_path=folder / "extended.key")
    return db


@pytest.fixture(scope="module")
def extended_db(tmp_path_factory) -> Path:
    return build_extended_db(tmp_path_factory.mktemp("extended"))




def _metric(at, label_start):
    return next(m for m in at.metric if m.label.startswith(label_start))


def _open_table(at):
    return next(d.value for d in at.dataframe if "Vacant since" in d.value.columns)


def test_headline_shows_the_vacancy_rate_with_its_denominators_as_at_the_date(app):
    at = open_page(app, PAGE)
    assert _metric(at, "Vacancy rate").value == "38.9%"
    assert _metric(at, "Vacant FTE with cover").value == "57.1%"
    text = page_text(at)
    assert "3.5 vacant FTE of 9.0 budgeted FTE; 57.1% of the vacant FTE covered by cover staff" in text
    assert "As at 31 Dec 2024" in text


def test_rate_chart_runs_monthly_from_the_data_start_with_key_dates(app):
    at = open_page(app, PAGE)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Vacancy rate and cover of vacant FTE, month ends Jan 2022 to Dec 2024"
    assert {t["name"] for t in spec["data"]} == {"Vacancy rate", "Share of vacant FTE covered by cover staff"}
    table = next(d.value for d in at.dataframe if "Vacancy rate (%)" in d.value.columns)
    assert len(table) == 36  # every month end from Jan 2022 to Dec 2024
    assert table.iloc[-1]["Vacancy rate (%)"] == 38.9 and table.iloc[-1]["Budgeted FTE"] == 9.0
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert "Ofsted ILACS: inadequate" in labels and "Interim director" in labels


def test_empty_posts_are_listed_oldest_first_with_age_and_cover(app):
    at = open_page(app, PAGE)
    table = _open_table(at)
    assert list(table["Post"]) == ["SW3", "SW2", "DIR"]
    assert list(table["Age (days)"]) == [366, 275, 184]
    assert list(table["Covered by cover staff"]) == ["No", "Yes", "Yes"]
    assert list(table["Team"]) == ["Team A", "Team A", "Children's Services"]
    bands = next(d.value for d in at.dataframe if "Age band" in d.value.columns)
    assert dict(zip(bands["Age band"], bands["Open vacancies"]))["181–365 days"] == 2
    assert _metric(at, "Posts fully vacant").value == "3"
    assert _metric(at, "Covered by cover staff").value == "2 of 3"
    assert _metric(at, "Vacant over 180 days").value == "3"


def test_no_filled_vacancy_in_the_period_gets_a_friendly_message(app):
    at = open_page(app, PAGE)
    assert any("No vacancies in this selection were filled" in i.value for i in at.info)


def test_choosing_a_team_narrows_every_section(app):
    at = open_page(app, PAGE)
    at.selectbox(key="unit").set_value("T-A").run()
    assert not at.exception
    # Team A: SW1..SW4 + SUP1 = 5.0 FTE; vacant 1 + 1 + 0.5 = 2.5 (50%); AG1 covers SW2: 1.0 of 2.5 = 40%
    assert _metric(at, "Vacancy rate").value == "50.0%"
    assert "2.5 vacant FTE of 5.0 budgeted FTE; 40.0% of the vacant FTE" in page_text(at)
    assert list(_open_table(at)["Post"]) == ["SW3", "SW2"]


def test_tier_filter_keeps_only_posts_of_that_tier(app):
    at = open_page(app, PAGE)
    at.multiselect(key="tiers").set_value(["director"]).run()
    assert not at.exception
    assert _metric(at, "Vacancy rate").value == "100.0%"
    assert list(_open_table(at)["Post"]) == ["DIR"]


def test_a_selection_without_posts_gets_a_friendly_state_not_a_blank_chart(app):
    at = open_page(app, PAGE)
    at.multiselect(key="tiers").set_value(["director"]).run()
    at.toggle(key="sw").set_value(True).run()  # the director's post is not a social-work post
    assert not at.exception
    assert any("no budgeted posts in this selection" in i.value for i in at.info)
    assert any("No post in this selection is fully vacant" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_selecting_a_row_of_the_empty_posts_table_drills_to_its_team():
    from dashboard import components

    st.session_state["table"] = SimpleNamespace(selection=SimpleNamespace(rows=[1]))
    components.drill_from_table("table", ["T-A", "CS"])
    assert st.session_state["unit"] == "CS"


@pytest.mark.parametrize("period", [(date(2024, 1, 1), date(2024, 12, 31)), (date(2023, 1, 1), date(2024, 12, 31)),
                                    (date(2024, 6, 1), date(2024, 10, 21)), (date(2024, 1, 1), date(2024, 1, 20))])
@pytest.mark.parametrize("scope", [{}, {"unit": "S-A"}, {"unit": "S-B"}, {"unit": "T-A"},
                                   {"tiers": ["senior_practitioner"]}, {"social_work_only": True, "unit": "P-B1"}])
def test_filled_vacancies_view_agrees_with_the_vacancy_duration_metric(extended_db, period, scope):
    date_from, date_to = period
    con = duckdb.connect(str(extended_db), read_only=True)
    try:
        rows = run_view(con, "filled_vacancies", {"date_from": date_from, "date_to": date_to,
                                                  "unit": scope.get("unit"), "tiers": scope.get("tiers"),
                                                  "social_work_only": scope.get("social_work_only", False)})
        expected = run_metric(con, "vacancy_duration", date_from=date_from, date_to=date_to, **scope)[0]
    finally:
        con.close()
    assert len(rows) == expected["filled"]
    if expected["filled"]:
        assert float(rows["days_to_fill"].median()) == expected["median_days_to_fill"]
        assert float(rows["days_to_fill"].mean()) == pytest.approx(expected["mean_days_to_fill"])


def test_filled_vacancies_follow_the_episode_rules(extended_db):
    con = duckdb.connect(str(extended_db), read_only=True)
    try:
        rows = run_view(con, "filled_vacancies", {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31),
                                                  "unit": None, "tiers": None, "social_work_only": False})
        moved = run_view(con, "filled_vacancies", {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31),
                                                   "unit": "S-A", "tiers": None, "social_work_only": False})
    finally:
        con.close()
    # SW7 is left-censored, SW8 closed, SW5's 2023 episode was filled before the period: none of them here
    assert sorted(zip(rows["post_id"], rows["days_to_fill"])) == [
        ("SW5", 106), ("SW6", 20), ("SW6", 20), ("SW9", 92)]
    # SW9 is placed by its row on its last empty day (T-B, then still under S-A)
    assert "SW9" in set(moved["post_id"])


@pytest.fixture
def extended_app(extended_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WFS_DB", str(extended_db))
    return AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)


def test_days_to_fill_are_binned_with_median_and_mean_from_the_metric(extended_app):
    at = open_page(extended_app, PAGE)
    bands = next(d.value for d in at.dataframe if "Days to fill" in d.value.columns)
    assert dict(zip(bands["Days to fill"], bands["Vacancies filled"])) == {
        "0–30 days": 2, "31–90 days": 0, "91–180 days": 2, "181–365 days": 0, "Over 365 days": 0}
    assert _metric(at, "Vacancies filled").value == "4"
    # days 20, 20, 92, 106: median (20 + 92) / 2 = 56.0, mean 238 / 4 = 59.5
    assert _metric(at, "Median days to fill").value == "56.0 days"
    assert _metric(at, "Mean days to fill").value == "59.5 days"
    assert "1 vacancy that began before the data starts is left out" in page_text(at)
