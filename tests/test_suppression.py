"""Small-number suppression (DfE convention) for publication; internal mode shows everything."""

import pandas as pd

from reporting.suppression import INTERNAL, PUBLICATION, SuppressionRules, suppress

RULES = SuppressionRules(counts=("Leavers", "Headcount"), rates={"Turnover %": "Headcount"},
                         companions={"Leaver FTE": "Leavers"}, total_row=("Grade", "All"))


def table(rows):
    return pd.DataFrame(rows, columns=["Grade", "Leavers", "Leaver FTE", "Headcount", "Turnover %"])


def test_counts_from_one_to_four_become_c_and_zero_and_five_stay():
    out = suppress(table([("Band 9", 0, 0.0, 12, 0.0), ("Band 10", 3, 2.5, 20, 15.0), ("Band 11", 5, 5.0, 30, 16.7)]),
                   RULES)
    assert list(out["Leavers"]) == [0, "c", 5]
    assert list(out["Leaver FTE"]) == [0.0, "c", 5.0]  # the FTE beside a suppressed count would reveal it


def test_a_rate_on_fewer_than_five_people_becomes_c():
    out = suppress(table([("Band 9", 0, 0.0, 4, 0.0), ("Band 10", 6, 6.0, 40, 15.0)]), RULES)
    assert out.loc[0, "Turnover %"] == "c" and out.loc[0, "Headcount"] == "c"
    assert out.loc[1, "Turnover %"] == 15.0


def test_secondary_suppression_stops_the_total_revealing_a_lone_suppressed_cell():
    # All = 13 leavers; Band 10's 2 is suppressed; 13 - 5 - 6 would give it away, so the next
    # smallest (Band 9's 5) is suppressed too.
    rows = [("Band 9", 5, 5.0, 50, 10.0), ("Band 10", 2, 2.0, 30, 6.7), ("Band 11", 6, 6.0, 40, 15.0),
            ("All", 13, 13.0, 120, 10.8)]
    out = suppress(table(rows), RULES)
    assert list(out["Leavers"]) == ["c", "c", 6, 13]
    assert list(out["Leaver FTE"]) == ["c", "c", 6.0, 13.0]


def test_no_secondary_suppression_when_two_cells_are_already_hidden():
    rows = [("Band 9", 2, 2.0, 50, 4.0), ("Band 10", 3, 3.0, 30, 10.0), ("Band 11", 6, 6.0, 40, 15.0),
            ("All", 11, 11.0, 120, 9.2)]
    assert list(suppress(table(rows), RULES)["Leavers"]) == ["c", "c", 6, 11]


def test_internal_mode_shows_every_number():
    rows = [("Band 10", 2, 2.0, 3, 66.7)]
    assert suppress(table(rows), RULES, INTERNAL).equals(table(rows))
    assert suppress(table(rows), RULES, PUBLICATION).loc[0, "Leavers"] == "c"


def test_a_rate_on_five_or_more_people_with_one_to_four_leavers_is_hidden():
    # 13.8% x 14.5 average headcount = 2.0 leavers: the rate would give the hidden 2 back.
    rules = SuppressionRules(counts=("Leavers", "Average headcount"), rates={"Turnover %": "Average headcount"},
                             numerators={"Turnover %": "Leavers"})
    out = suppress(pd.DataFrame({"Leavers": [2, 7], "Average headcount": [14.5, 20.0], "Turnover %": [13.8, 35.0]}),
                   rules)
    assert list(out["Turnover %"]) == ["c", 35.0]
    assert list(out["Average headcount"]) == [14.5, 20.0]  # hidden or shown, never changed


def test_a_part_and_whole_that_differ_by_one_to_four_hide_the_part_and_its_rate():
    # 15 in post, 13 still employed: 15 - 13 = 2 leavers, so 13 and the 86.7% (13 / 15) are hidden.
    rules = SuppressionRules(counts=("Stayed", "In post"), rates={"Stability %": "In post"},
                             numerators={"Stability %": "Stayed"}, parts=(("Stayed", "In post"),))
    out = suppress(pd.DataFrame({"Stayed": [13, 10], "In post": [15, 20], "Stability %": [86.7, 50.0]}), rules)
    assert list(out["Stayed"]) == ["c", 10] and list(out["In post"]) == [15, 20]
    assert list(out["Stability %"]) == ["c", 50.0]


def test_an_fte_ratio_beside_a_hidden_cover_count_is_hidden_with_its_fte():
    # 20.0% of 5.0 occupied FTE = 1.0 cover FTE: cover count 1 is hidden, so is its FTE and the ratio.
    rules = SuppressionRules(counts=("Cover", "In post"), rates={"Ratio %": "In post"},
                             numerators={"Ratio %": "Cover FTE"}, companions={"Cover FTE": "Cover"})
    out = suppress(pd.DataFrame({"Cover": [1], "In post": [5], "Cover FTE": [1.0], "Occupied FTE": [5.0],
                                 "Ratio %": [20.0]}), rules)
    assert out.iloc[0].tolist() == ["c", 5, "c", 5.0, "c"]


def test_each_month_has_its_own_total_row_for_secondary_suppression():
    # Jan: All 12 = 3 + 9, so 3 alone would be 12 - 9: 9 is hidden too. Feb: 2 + 3 both small already.
    rules = SuppressionRules(counts=("Cover",), total_row=("Tier", "All"), group_by="Month")
    table = pd.DataFrame({"Month": ["Jan"] * 3 + ["Feb"] * 3, "Tier": ["A", "B", "All"] * 2,
                          "Cover": [3, 9, 12, 2, 3, 5]})
    assert list(suppress(table, rules)["Cover"]) == ["c", "c", 12, "c", "c", 5]


def test_a_total_stated_in_the_summary_reads_fewer_than_5_or_is_withheld():
    from reporting.suppression import shown_total
    rules = SuppressionRules(counts=("Filled",), column_totals=("Filled",))
    # 3 filled: the sentence says "fewer than 5", as the table hides the band of 3.
    assert shown_total(pd.DataFrame({"Filled": [3, 0]}), rules, "Filled", 3) == "fewer than 5"
    # 1 + 6 = 7: the 1 is hidden, and so is the 6 (7 - 6 would give the 1 back); 7 can be stated.
    table = pd.DataFrame({"Filled": [1, 6]})
    assert list(suppress(table, rules)["Filled"]) == ["c", "c"]
    assert shown_total(table, rules, "Filled", 7) == "7"
    # 1 + 0 + 5 = 6 with only the 1 hideable beside shown zeros: the 5 goes, the 6 may still be stated.
    assert list(suppress(pd.DataFrame({"Filled": [1, 0, 5]}), rules)["Filled"]) == ["c", 0, "c"]


def test_a_publication_picture_lists_only_what_is_drawn_and_names_what_is_hidden():
    import plotly.graph_objects as go

    from reporting.chart_spec import ChartSpec

    table = pd.DataFrame({"Tier": ["Director", "Practitioner"], "Leavers": [1, 7]})

    def draw(shown):
        fig = go.Figure()
        for tier, part in shown.groupby("Tier", sort=False):
            fig.add_trace(go.Bar(x=part["Tier"], y=part["Leavers"], name=tier))
        return fig

    spec = ChartSpec(name="t", title="t", table=table, draw=draw, rules=SuppressionRules(counts=("Leavers",)))
    internal = spec.published_figure(INTERNAL)
    assert [t.name for t in internal.data if t.showlegend is not False] == ["Director", "Practitioner"]
    published = spec.published_figure(PUBLICATION)  # the director's 1 leaver is hidden: nothing left to draw
    in_legend = [t.name for t in published.data if t.showlegend is not False and t.visible is not False]
    assert in_legend == ["Practitioner", "Not shown: Director (fewer than 5 people)"]
