"""Teams page (AppTest) on the fixture database (see tests/fixture_db.py), as at 2024-12-31.

Teams and pods that day: Team A (under Safeguarding), Team B (North) (moved under Children in Care
on 2024-09-01) and Pod B1 (under Team B (North)).
- Team A: W1 1.0, agency AG1 1.0, W4 0.5, S1 1.0 in post -> 4 people, 3.5 FTE, cover 1.0 -> 28.6%;
  vacancy 2.5 of 5.0 FTE -> 50.0%; turnover 2024: W2 left, headcount 4 then 3 -> 1 / 3.5 = 28.6%;
  caseload W1 22 + AG1 18 + W4 9 = 49 cases over 2.5 FTE -> 19.6, one worker above 20 cases.
- Team B (North): M1 alone, no caseload row -> within thresholds, not plotted.
- Pod B1: B1 1.0 FTE with 15 cases -> 15.0 per FTE.
"""

import json

import pytest

from reporting import teams
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import INTERNAL, PUBLICATION

PAGE = "pages/teams_page.py"


def _open(app):
    at = app.run()
    return at.switch_page(PAGE).run()


def _teams_table(at):
    return next(d.value for d in at.dataframe if "Headcount" in d.value.columns)


def _row(table, name):
    return table.set_index("Team or pod").loc[name]


def test_each_team_and_pod_gets_a_row_with_its_pressures_worst_first(app):
    at = _open(app)
    assert not at.exception
    table = _teams_table(at)
    assert table["Team or pod"].tolist() == ["Team A", "Pod B1", "Team B (North)"]
    team_a = _row(table, "Team A")
    assert (team_a["Headcount"], team_a["FTE in post"]) == (4, 3.5)
    assert (team_a["Vacancy rate (%)"], team_a["Vacant FTE"], team_a["Establishment FTE"]) == (50.0, 2.5, 5.0)
    assert (team_a["Interim ratio (%)"], team_a["Cover FTE"]) == (28.6, 1.0)
    assert (team_a["Turnover, 12 months (%)"], team_a["Leavers, 12 months"], team_a["Average headcount"]) == \
        (28.6, 1, 3.5)
    assert (team_a["Caseload per FTE"], team_a["Open cases"], team_a["Workers above 20 cases"]) == (19.6, 49, 1)
    assert team_a["Status"] == "Above red: vacancy rate, interim ratio, turnover; above amber: caseload"
    assert (_row(table, "Pod B1")["Parent"], _row(table, "Pod B1")["Caseload per FTE"]) == ("Team B (North)", 15.0)
    team_b = _row(table, "Team B (North)")
    assert (team_b["Parent"], team_b["Level"], team_b["Status"]) == ("Children in Care", "Team", "Within thresholds")


def test_headline_counts_carry_their_denominators(app):
    at = _open(app)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Above a red threshold"] == "1 of 3"
    assert shown["Workers above 20 cases (case holders)"] == "1 of 4"
    assert any("as at 31 Dec 2024" in c.value for c in at.caption)


def test_scatter_plots_caseload_against_vacancy_with_threshold_lines_and_unit_ids_for_drill_down(app):
    at = _open(app)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "31 Dec 2024" in spec["layout"]["title"]["text"]
    points = {trace["customdata"][0][0]: trace["name"] for trace in spec["data"]}
    assert points == {"T-A": "Above a red threshold", "P-B1": "Within every threshold"}
    dashed = [s for s in spec["layout"]["shapes"] if s["line"]["dash"] in ("dash", "dot")]
    assert len(dashed) == 4  # amber and red, for vacancy rate and for caseload
    assert any("1 team(s) or pod(s) with no caseload" in c.value for c in at.caption)


def test_choosing_a_service_keeps_only_its_teams(app):
    at = _open(app)
    at.selectbox(key="unit").set_value("S-B").run()
    assert not at.exception
    assert sorted(_teams_table(at)["Team or pod"]) == ["Pod B1", "Team B (North)"]
    at.selectbox(key="unit").set_value("T-A").run()
    assert _teams_table(at)["Team or pod"].tolist() == ["Team A"]


def test_a_tier_filter_recomputes_the_rates_and_names_teams_left_without_posts(app):
    at = _open(app)
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not at.exception
    table = _teams_table(at)
    # practitioner posts in Team A: SW1 (W1), SW2 (agency AG1), SW4 (W4 0.5): vacant 1.5 of 3.0; cover 1.0 of 2.5
    team_a = _row(table, "Team A")
    assert (team_a["Vacancy rate (%)"], team_a["Interim ratio (%)"]) == (50.0, 40.0)
    assert "Team B (North)" not in set(table["Team or pod"])
    assert any("not listed: Team B (North)" in c.value for c in at.caption)


def test_a_selection_with_no_team_posts_gets_a_friendly_message(app):
    at = _open(app)
    at.multiselect(key="tiers").set_value(["director"]).run()
    assert not at.exception
    assert any("no teams or pods with posts" in i.value for i in at.info)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("mode, shown", [(PUBLICATION, "c"), (INTERNAL, 4)])
def test_the_download_hides_small_numbers_only_in_publication_mode(fixture_db, monkeypatch, mode, shown):
    from datetime import date

    view = teams.teams_view(DataSource(fixture_db), Filters(unit="T-A", as_at=date(2024, 12, 31), months=12,
                                                            tiers=(), social_work_only=False))
    table = teams.download_table(view, mode)
    assert table.loc[0, "Headcount"] == shown
    assert table.loc[0, "Vacancy rate (%)"] == 50.0  # an FTE rate about posts, not people
