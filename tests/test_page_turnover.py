"""Turnover and stability page (AppTest) on the fixture database (known values: tests/fixture_db.py).

Whole service, 12 months to 31 Dec 2024: D0 (director, Hay A) and W2 (Band 9) resign; headcount
8 on 1 Jan 2024 and 6 on 31 Dec 2024 -> 2 / 7.0 = 28.6%; 6 of the 8 stay -> 75.0%; DfE form
2.0 leaver FTE / 5.5 FTE in post on 31 Dec 2024 = 36.4%."""

import json

from tests.apptest_helpers import open_page, page_text

PAGE = "pages/turnover_page.py"


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _table(at, *columns):
    return next(d.value for d in at.dataframe if all(c in d.value.columns for c in columns))


def test_headline_shows_turnover_dfe_turnover_and_stability_with_denominators(app):
    at = open_page(app, PAGE)
    assert _metric(at, "Turnover (headcount)") == "28.6%"
    assert _metric(at, "DfE FTE turnover") == "36.4%"
    assert _metric(at, "Stability index") == "75.0%"
    assert _metric(at, "Chose to leave") == "100.0%"
    texts = page_text(at)
    assert "6 of 8 staff in post on 01 Jan 2024 were still employed on 31 Dec 2024 (75.0%)" in texts
    assert "2 leavers over an average headcount of 7.0" in texts
    assert "2.0 leaver FTE over 5.5 FTE in post on 31 Dec 2024" in texts


def test_turnover_by_grade_lists_grades_in_natural_order_with_leavers_and_headcount(app):
    at = open_page(app, PAGE)
    grades = _table(at, "Grade", "Turnover, headcount (%)", "DfE FTE turnover (%)")
    assert list(grades["Grade"]) == ["Band 4", "Band 9", "Band 10", "Band 12", "Hay A", "Hay C"]
    band9 = grades.set_index("Grade").loc["Band 9"]
    assert (band9["Leavers"], band9["Average headcount"], band9["Turnover, headcount (%)"]) == (1, 2.5, 40.0)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Turnover by grade (headcount), 01 Jan 2024 to 31 Dec 2024"


def test_year_by_year_charts_cover_each_calendar_year_of_the_data(app):
    at = open_page(app, PAGE)
    heat = _table(at, "Period", "Grade")
    assert sorted(set(heat["Period"])) == ["2022", "2023", "2024"]
    band10 = heat[(heat["Grade"] == "Band 10") & (heat["Period"] == "2023")].iloc[0]
    assert band10["Leavers"] == 1  # W3 retired on 31 Dec 2023
    by_year = _table(at, "Period", "Voluntary leavers", "Other leavers").set_index("Period")
    assert list(by_year["All leavers"]) == [0, 1, 2]
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert spec["layout"]["title"]["text"].startswith("Turnover rate by grade, calendar years, 2022 to 2024")
    leavers_chart = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert "Ofsted ILACS: inadequate" in [a["text"] for a in leavers_chart["layout"]["annotations"]]


def test_leaving_reasons_and_stability_by_grade_are_tabulated(app):
    at = open_page(app, PAGE)
    reasons = _table(at, "Reason")
    assert reasons.to_dict("records") == [{"Reason": "Resignation", "Voluntary": "Yes", "Leavers": 2,
                                           "Share of leavers (%)": 100.0, "Leaver FTE": 2.0}]
    stability = _table(at, "Stability index (%)").set_index("Grade")
    assert stability.loc["Band 9", "Stability index (%)"] == 66.7
    assert stability.loc["Band 9", "In post on 01 Jan 2024"] == 3


def test_choosing_a_unit_changes_the_figures(app):
    at = open_page(app, PAGE)
    at.selectbox(key="unit").set_value("T-A").run()
    assert not at.exception
    # Team A: W2 leaves; W1, W2, W4, S1 on 1 Jan, three on 31 Dec -> 1 / 3.5 = 28.6%, FTE 1.0 / 2.5 = 40.0%
    assert _metric(at, "DfE FTE turnover") == "40.0%"
    assert "1 leaver over an average headcount of 3.5" in page_text(at)
    assert _table(at, "Reason")["Leavers"].tolist() == [1]
    at.selectbox(key="unit").set_value("S-B").run()
    assert not at.exception
    # S-B only gains Team B on 1 Sep 2024: nobody leaves, nobody was in post on 1 Jan
    assert _metric(at, "Turnover (headcount)") == "0.0%"
    assert _metric(at, "Stability index") == "—"
    assert any("Nobody left this part of the service" in i.value for i in at.info)


def test_a_selection_with_no_staff_gets_a_friendly_message(app):
    at = open_page(app, PAGE)
    at.multiselect(key="tiers").set_value(["assistant_director"]).run()
    assert not at.exception
    assert any("no turnover to show" in i.value for i in at.info)
    assert not at.get("plotly_chart")
