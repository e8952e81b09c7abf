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
