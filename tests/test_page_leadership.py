"""Leadership and interims page (AppTest) on the fixture database (known values: tests/fixture_db.py)."""

import json

from tests.apptest_helpers import open_page, page_text

PAGE = "pages/leadership_page.py"


def _table(at, first_column):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_headline_interim_ratio_is_shown_with_its_denominator(app):
    at = open_page(app, PAGE)
    # management tiers on 2024-12-31: interim I1 on DIR, permanent H1 and M1 -> 1 of 3 people, 33.3%
    assert at.metric[0].value == "33.3%"
    assert "1 of 3 people in management posts are cover (1.0 of 3.0 FTE) on 31 Dec 2024" in page_text(at)


def test_interim_series_runs_monthly_by_tier_over_the_whole_data(app):
    at = open_page(app, PAGE)
    series = _table(at, "Month end")
    assert set(series["Tier"]) == {"All management posts", "Director", "Head of service", "Team manager"}
    overall = series[series["Tier"] == "All management posts"].set_index("Month end")["Interim ratio (%)"]
    assert len(overall) == 36  # Jan 2022 .. Dec 2024
    assert overall[overall.index.max()] == 33.3 and overall[overall.index.min()] == 0.0
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Interim ratio by management tier, Jan 2022 to Dec 2024" in spec["layout"]["title"]["text"]
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert "Interim director" in labels and "Ofsted ILACS: inadequate" in labels


def test_timeline_numbers_holders_per_post_and_never_shows_person_keys(app):
    at = open_page(app, PAGE)
    timeline = _table(at, "Post")
    director = timeline[timeline["Post"] == "Director of Children's Services"]
    assert list(director["Holder"]) == ["Holder 1", "Holder 2"]
    assert list(director["Arrangement"]) == ["Permanent", "Interim"]
    assert set(timeline["Post"]) == {"Director of Children's Services", "Head of Safeguarding", "Team manager"}
    shown = timeline.astype(str).to_numpy().ravel().tolist() + list(timeline.columns)
    assert not any(key in shown for key in ("D0", "I1", "H1", "M1"))
    assert not any("person" in str(c).lower() for c in timeline.columns)
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    names = {trace.get("name") for trace in spec["data"] if trace["type"] == "bar"}
    assert names == {"Permanent", "Interim"}
    assert all(trace["marker"]["pattern"]["shape"] for trace in spec["data"]
               if trace["type"] == "bar" and trace["name"] == "Interim")


def test_churn_sentence_and_table_count_the_change_of_director(app):
    at = open_page(app, PAGE)
    assert ("In the 12 months to 31 Dec 2024, 3 management posts had 1 change of holder and were held by "
            "4 different people.") in page_text(at)
    churn = _table(at, "Tier").set_index("Tier")
    assert churn.loc["Director", "Changes of holder"] == 1
    assert churn.loc["Director", "Different holders"] == 2
    assert churn["Management posts"].sum() == 3


def test_choosing_a_service_narrows_every_figure_to_it(app):
    at = open_page(app, PAGE)
    at.selectbox(key="unit").set_value("S-A").run()
    assert not at.exception
    # On 31 Dec 2024 S-A holds only HOS-A (T-B moved to S-B on 1 Sep 2024): permanent H1, no cover
    assert at.metric[0].value == "0.0%"
    assert "0 of 1 people in management posts are cover" in page_text(at)
    assert "1 management post had 0 changes of holder and was held by 1 different person." in page_text(at)
    assert "Director of Children's Services" not in set(_table(at, "Post")["Post"])


def test_a_team_without_management_posts_gets_a_friendly_message(app):
    at = open_page(app, PAGE)
    at.selectbox(key="unit").set_value("T-A").run()
    assert not at.exception
    assert any("no management posts" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_tier_filter_without_management_tiers_explains_why_the_page_is_empty(app):
    at = open_page(app, PAGE)
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not at.exception
    assert any("leaves out every management tier" in i.value for i in at.info)


def test_a_period_from_the_first_day_of_the_data_counts_only_the_real_change_of_director(app):
    at = open_page(app, PAGE)
    at.selectbox(key="period").set_value(36).run()
    assert not at.exception
    # 36 months to 31 Dec 2024 start on 1 Jan 2022, the coverage start: D0, H1 and M1 all "start" that day,
    # as after a migration, so none of them is a change; I1 on 1 Jul 2024 is -> 1 (counting them would say 4).
    # holders: D0, I1 (DIR), H1 (HOS-A), M1 (TM-B) = 4
    assert ("In the 36 months to 31 Dec 2024, 3 management posts had 1 change of holder and were held by "
            "4 different people.") in page_text(at)
    assert "Appointments starting 01 Jan 2022, the first day of the data, are never counted" in page_text(at)
