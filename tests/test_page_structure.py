"""Structure changes page (AppTest) on the fixture database (see tests/fixture_db.py), and its SQL
views checked against the structural_changes metric on the fixture plus a few extra posts.

Fixture: the only structural changes are Team B's move from Safeguarding (S-A) to Children in Care
(S-B) and its rename to 'Team B (North)', both on 2024-09-01: 2 events on 1 day. The old side (T-B on
31 Aug, under S-A) and the new side (T-B on 1 Sep, under S-B) put both events in S-A's and S-B's scope;
Team A (T-A) never changed."""

import json
from datetime import date

import duckdb
import pytest

from pipelines.metrics import run_metric
from pipelines.views import run_view
from tests.apptest_helpers import open_page, page_text
from tests.test_page_vacancies import extended_db  # noqa: F401  (module fixture: fixture plus extra posts)

PAGE = "pages/structure_page.py"




def _table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_headline_counts_changes_and_days_in_the_period(app):
    at = open_page(app, PAGE)
    assert "2 structural changes on 1 day in the 12 months to 31 Dec 2024 (2 per 12 months)" in page_text(at)


def test_changes_over_time_are_stacked_by_type_in_plain_words_with_key_dates(app):
    at = open_page(app, PAGE)
    over_time = _table(at, "Type of change")
    assert sorted(over_time["Type of change"]) == ["Unit moved to a new parent", "Unit renamed"]
    assert set(over_time["Events"]) == {1}
    assert {str(d)[:10] for d in over_time["Month starting"]} == {"2024-09-01"}
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Structural changes by month and type, Jan 2022 to Dec 2024"
    assert spec["layout"]["barmode"] == "stack"
    assert "Ofsted ILACS: inadequate" in [a["text"] for a in spec["layout"]["annotations"]]


def test_changes_per_unit_show_unit_names_and_a_yearly_rate(app):
    at = open_page(app, PAGE)
    by_unit = _table(at, "Events per 12 months")
    assert list(by_unit["Unit"]) == ["Team B (North)"]
    assert list(by_unit["Events"]) == [2]
    assert list(by_unit["Events per 12 months"]) == [2.0]
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert spec["data"][0]["customdata"] == ["T-B"]  # the unit id a click drills down to


def test_busiest_days_list_counts_by_type_and_the_units_touched(app):
    at = open_page(app, PAGE)
    days = _table(at, "Names of units touched")
    assert [str(d) for d in days["Date"]] == ["2024-09-01"]
    row = days.iloc[0]
    assert (row["Events"], row["Unit renamed"], row["Unit moved to a new parent"]) == (2, 1, 1)
    assert row["Names of units touched"] == "Team B (North)"
    assert "Post moved to another unit" not in days.columns  # no such change that day


def test_choosing_a_unit_counts_only_changes_touching_it(app):
    at = open_page(app, PAGE)
    at.selectbox(key="unit").set_value("S-B").run()
    assert not at.exception
    assert "2 structural changes on 1 day" in page_text(at)
    at.selectbox(key="unit").set_value("T-A").run()
    assert not at.exception
    text = page_text(at)
    assert "No structural changes in the 12 months to 31 Dec 2024" in text
    assert "There is no structural change in the data for this part of the service." in text
    assert "No unit or post in this selection changed" in text
    assert not at.get("plotly_chart")


def test_tier_and_social_work_filters_are_said_not_to_apply(app):
    at = open_page(app, PAGE)
    assert "do not apply on this page" not in page_text(at)
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not at.exception
    assert "tier and social-work filters do not apply on this page" in page_text(at)
    assert "2 structural changes on 1 day" in page_text(at)  # the counts ignore the tier filter


def _views(db, unit, date_from, date_to):
    con = duckdb.connect(str(db), read_only=True)
    try:
        params = {"date_from": date_from, "date_to": date_to, "unit": unit}
        by_month = run_view(con, "structural_events_by_month", params)
        busiest = run_view(con, "busiest_change_days", params)
        metric = {name: run_metric(con, "structural_changes", date_from=date_from, date_to=date_to, unit=unit,
                                   by=name) for name in ("month", "type", "none")}
    finally:
        con.close()
    return by_month, busiest, metric


@pytest.mark.parametrize("unit", [None, "CS", "S-A", "S-B", "T-A", "T-B", "P-B1"])
@pytest.mark.parametrize("period", [(date(2022, 1, 1), date(2024, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31)),
                                    (date(2024, 7, 1), date(2024, 8, 31))])
def test_monthly_and_busiest_day_views_agree_with_the_metric(extended_db, unit, period):  # noqa: F811
    by_month, busiest, metric = _views(extended_db, unit, *period)
    months = by_month.assign(month=by_month["month_start"].map(lambda d: d.strftime("%Y-%m")))
    assert months.groupby("month")["events"].sum().to_dict() == {r["group"]: r["events"] for r in metric["month"]}
    assert by_month.groupby("event_type")["events"].sum().to_dict() == {
        r["group"]: r["events"] for r in metric["type"]}
    total = metric["none"][0]
    assert int(busiest["events"].sum()) == total["events"]  # fewer than 10 change days here, so all are listed
    assert len(busiest) == total["change_days"]


def test_extra_posts_give_the_expected_events_by_type(extended_db):  # noqa: F811
    by_month, busiest, _ = _views(extended_db, "S-A", date(2024, 1, 1), date(2024, 12, 31))
    # S-A: SW6 created 2024-01-01 in Pod B1 (Team B still under S-A), SW9 moved T-A -> T-B on 2024-07-01
    # (both sides under S-A then), and on 2024-09-01 SW8 deleted (T-A) and Team B's move and rename
    # (old side under S-A)
    assert by_month.groupby("event_type")["events"].sum().to_dict() == {
        "post_created": 1, "post_deleted": 1, "post_moved": 1, "unit_moved": 1, "unit_renamed": 1}
    # busiest first; days with equal counts latest first
    assert list(busiest["event_date"].astype(str)) == ["2024-09-01", "2024-07-01", "2024-01-01"]
    assert list(busiest["events"]) == [3, 1, 1]
    assert list(busiest["units_touched"]) == ["Team A; Team B (North)", "Team A; Team B", "Pod B1"]


def test_a_quiet_period_says_when_the_last_change_was_and_how_big_it_was(app):
    at = open_page(app, PAGE)
    at.selectbox(key="period").set_value(3).run()  # 1 Oct to 31 Dec 2024: after Team B's move on 1 Sep
    assert not at.exception
    text = page_text(at)
    assert "No structural changes in the 3 months to 31 Dec 2024" in text
    # the move and the rename of Team B on 1 Sep 2024: 2 changes touching Team B (the unit moved and renamed)
    assert "The last change was on 01 Sep 2024: 2 changes touching 1 unit." in text
