"""The forecast's arithmetic on hand-made inputs (no database): shrinkage, the chance of filling by months
open, and every what-if, where leaving and filling are switched off or certain so the answer is exact."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.errors import UsageError
from pipelines.forecast_inputs import (
    OPEN_BUCKETS,
    SERVICE_BANDS,
    ForecastInputs,
    LeavingRates,
    fill_chances,
    leaving_rates,
    shrunk_rate,
)
from pipelines.forecast_model import simulate
from pipelines.forecast_whatif import WhatIf, what_if_from_mapping


def test_a_cell_with_k_person_months_sits_halfway_to_the_scope_rate():
    # cell: 2 leavers in 40 person-months (5%); scope rate 1%; K = 120 -> (2 + 120 x 0.01) / (40 + 120) = 3.2 / 160
    assert shrunk_rate([2], [40], 0.01, 120)[0] == pytest.approx(0.02)
    # K person-months of its own: (6 + 1.2) / (120 + 120) = 0.03, halfway between 0.05 and 0.01
    assert shrunk_rate([6], [120], 0.01, 120)[0] == pytest.approx(0.03)


def test_leaving_rates_by_grade_and_service_band_are_shrunk_toward_the_whole_scope():
    history = pd.DataFrame({"grade": ["A", "A", "B"], "service_months": [3, 8, 70],
                            "person_months": [25, 15, 360], "leavers": [1, 1, 2]})
    rates = leaving_rates(history, strength=120)
    # scope: 4 leavers / 400 person-months = 0.01
    assert rates.scope_rate == pytest.approx(0.01)
    assert rates.grades == ["A", "B"]
    # A, under 1 year (months 3 and 8 together): (2 + 1.2) / (40 + 120) = 0.02
    assert rates.monthly[0, 0] == pytest.approx(0.02)
    # B, 5 years or more: (2 + 1.2) / (360 + 120) = 0.0066667
    assert rates.monthly[1, SERVICE_BANDS.index("5 years or more")] == pytest.approx(3.2 / 480)
    # cells with no history, and the "any other grade" row, get the scope rate
    assert rates.monthly[0, 3] == pytest.approx(0.01)
    assert rates.monthly[2].tolist() == pytest.approx([0.01] * 4)
    assert rates.leavers_seen == 4


def test_fill_chance_by_months_open_counts_part_months_as_part_exposure():
    month = 365.25 / 12
    episodes = pd.DataFrame({"outcome": ["filled", "filled", "open"], "days": [10, 40, 70]})
    chances, fills = fill_chances(episodes, strength=0)
    # month 0: exposure 10/month + 1 + 1, one fill (the 10-day one)
    exposure0 = 10 / month + 2
    assert chances[0] == pytest.approx(1 - math.exp(-1 / exposure0))
    # month 1: (40 - month)/month + 1 (the open one passes through it), one fill (the 40-day one)
    exposure1 = (40 - month) / month + 1
    assert chances[1] == pytest.approx(1 - math.exp(-1 / exposure1))
    # month 2: only the open one, no fill -> 0 without shrinkage
    assert chances[2] == 0
    assert len(chances) == OPEN_BUCKETS and fills == 2


def hand_inputs(*, people=20, vacant_posts=5, leave=0.0, fill=0.0, cases=None, cover_share=0.5) -> ForecastInputs:
    """people in post (1 FTE, grade A, 6 months' service) on their own posts, plus fully vacant posts."""
    staff = pd.DataFrame({"grade": ["A"] * people, "fte": [1.0] * people, "service_months": [6] * people})
    posts = pd.DataFrame({"grade": ["A"] * (people + vacant_posts), "budgeted_fte": 1.0,
                          "held_fte": [1.0] * people + [0.0] * vacant_posts, "cover_fte": 0.0})
    posts = posts.assign(vacant_fte=1.0 - posts["held_fte"], fully_vacant=posts["held_fte"] == 0, open_months=0)
    rates = LeavingRates(["A"], np.full((2, 4), leave), leave, 0, pd.DataFrame())
    return ForecastInputs(date(2024, 12, 31), (None, (), False), staff, posts, rates,
                          np.full(OPEN_BUCKETS, fill), cover_share, 0,
                          cases=cases, case_holding_fte=None if cases is None else float(people))


def medians(forecast, name):
    return forecast.summary()[f"{name}_median"].tolist()


def test_with_no_leaving_and_no_filling_the_baseline_stands_still():
    forecast = simulate(hand_inputs(), 6, paths=200)
    assert medians(forecast, "in_post_headcount") == [20] * 6
    # 5 vacant FTE of 25 budgeted = 20%; cover = 0.5 x 5 = 2.5 FTE
    assert medians(forecast, "vacancy_rate_pct") == pytest.approx([20.0] * 6)
    assert medians(forecast, "cover_fte") == pytest.approx([2.5] * 6)
    assert forecast.months[0] == date(2025, 1, 31) and forecast.months[-1] == date(2025, 6, 30)


def test_extra_recruits_fill_vacant_posts_until_none_are_left():
    forecast = simulate(hand_inputs(), 6, WhatIf(extra_recruits_per_month=2), paths=200)
    # 20 + 2, + 2, then the last vacant post: 25 and no further
    assert medians(forecast, "in_post_headcount") == [22, 24, 25, 25, 25, 25]
    assert medians(forecast, "starters") == [2, 2, 1, 0, 0, 0]
    assert medians(forecast, "vacancy_rate_pct")[-1] == 0


def test_converting_agency_fte_spreads_the_conversion_over_the_months_given():
    forecast = simulate(hand_inputs(), 6, WhatIf(convert_agency_fte=3, convert_over_months=3), paths=200)
    # 3 FTE over 3 months: one vacant 1-FTE post a month, then the conversion is over
    assert medians(forecast, "in_post_fte") == pytest.approx([21, 22, 23, 23, 23, 23])
    # cover: the converted agency FTE were the cover, so they go with it: before, 0.5 x 5 vacant = 2.5 FTE of
    # cover; each month one covered FTE becomes permanent: 2.5 - 1 = 1.5, 0.5, then none (never below 0)
    assert medians(forecast, "cover_fte") == pytest.approx([1.5, 0.5, 0.0, 0.0, 0.0, 0.0])


def test_establishment_growth_adds_vacant_posts_and_a_cut_deletes_vacant_ones():
    grown = simulate(hand_inputs(), 6, WhatIf(establishment_change_fte=5), paths=200)
    # 10 vacant of 30 budgeted
    assert medians(grown, "vacancy_rate_pct")[0] == pytest.approx(10 / 30 * 100)
    cut = simulate(hand_inputs(), 6, WhatIf(establishment_change_fte=-3), paths=200)
    # 2 vacant of 22 budgeted; nobody in post goes
    assert medians(cut, "vacancy_rate_pct")[0] == pytest.approx(2 / 22 * 100)
    assert medians(cut, "in_post_headcount")[0] == 20
    with pytest.raises(UsageError, match="more than the 5.0 vacant FTE"):
        simulate(hand_inputs(), 6, WhatIf(establishment_change_fte=-6), paths=200)


def test_the_leaving_multiplier_scales_every_leaving_chance():
    stayed = simulate(hand_inputs(leave=0.5), 6, WhatIf(leaving_multiplier=0), paths=200)
    assert medians(stayed, "leavers") == [0] * 6
    # 0.5 x 2 = a certain leaving: everyone goes in the first month, nobody is recruited (fill chance 0)
    gone = simulate(hand_inputs(leave=0.5), 6, WhatIf(leaving_multiplier=2), paths=200)
    assert medians(gone, "leavers") == [20, 0, 0, 0, 0, 0]
    assert medians(gone, "vacancy_rate_pct")[0] == pytest.approx(100.0)


def test_caseload_per_fte_follows_the_case_inflow_and_the_fte_in_post():
    forecast = simulate(hand_inputs(cases=100.0), 3, WhatIf(caseload_inflow_change=10), paths=200)
    # cases 110, 120, 130 over a case-holding FTE of 20 (the FTE in post does not move)
    assert medians(forecast, "caseload_per_fte") == pytest.approx([5.5, 6.0, 6.5])
    # without caseloads there is no such figure: NaN in every month (null in the command's JSON)
    assert all(math.isnan(v) for v in medians(simulate(hand_inputs(), 3, paths=200), "caseload_per_fte"))


def test_the_same_seed_gives_the_same_forecast_and_another_seed_another():
    inputs = hand_inputs(leave=0.05, fill=0.3)
    first, again = simulate(inputs, 12, seed=7), simulate(inputs, 12, seed=7)
    assert first.summary().equals(again.summary())
    assert not first.summary().equals(simulate(inputs, 12, seed=8).summary())


@pytest.mark.parametrize(("given", "words"), [
    ({"extra_recruits": 2}, "unknown setting(s) extra_recruits"),
    ({"extra_recruits_per_month": 1.5}, "must be a whole number"),
    ({"leaving_multiplier": -1}, "must be between 0 and 5"),
    ({"convert_agency_fte": "ten"}, "must be a number"),
])
def test_a_bad_what_if_is_refused_in_words(given, words):
    with pytest.raises(UsageError, match=words.replace("(", r"\(").replace(")", r"\)")):
        what_if_from_mapping(given, "scenario.toml")


def test_the_backtest_table_never_gives_away_fewer_than_5_leavers():
    from reporting.forecast import ForecastView, backtest_table

    rows = pd.DataFrame({"horizon_months": [12, 12], "made_on": [date(2023, 12, 31)] * 2,
                         "figure": ["leavers", "in_post_fte"], "label": ["Leavers in the month", "FTE in post"],
                         "unit": ["people", "FTE"], "months_compared": [12, 12],
                         # 3 leavers in 12 months: mean 0.25 a month; with the error (0.5) and the % (200) a
                         # reader could work out the 3, so the % is left out
                         "mean_absolute_error": [0.5, 2.0], "mean_actual": [0.25, 100.0],
                         "percent_off": [200.0, 2.0], "inside_band": [11, 9], "note": ["", ""]})
    view = ForecastView(date(2024, 12, 31), 12, WhatIf(), pd.DataFrame(), backtest=rows)
    table = backtest_table(view)
    assert pd.isna(table["Error as % of actual"][0])
    assert table["Error as % of actual"][1] == 2.0
    assert table["Outcomes inside the 80% band"].tolist() == ["11 of 12", "9 of 12"]


def test_the_spread_of_the_leaving_rate_adds_its_year_to_year_movement_to_its_sampling_error():
    from pipelines.forecast_inputs import rate_spread

    # three years of 1,000 person-months with 10, 20 and 30 leavers: rates 1%, 2%, 3%
    history = pd.DataFrame({"grade": "A", "service_months": 6, "year_back": [0, 1, 2],
                            "person_months": [1000, 1000, 1000], "leavers": [10, 20, 30]})
    # sampling: 1/60; between years: variance 0.0001 less chance (0.01 + 0.02 + 0.03) / 1000 / 3 = 0.00002,
    # over the mean rate squared 0.0004 -> 0.2
    assert rate_spread(history) == pytest.approx(math.sqrt(1 / 60 + 0.00008 / 0.0004))
    # steady years add nothing beyond the sampling error
    steady = history.assign(leavers=[20, 20, 20])
    assert rate_spread(steady) == pytest.approx(math.sqrt(1 / 60))
    # a part year (under a tenth of the busiest year's person-months) is left out of the year-to-year part
    part = pd.concat([steady, pd.DataFrame({"grade": ["A"], "service_months": [6], "year_back": [3],
                                            "person_months": [50], "leavers": [5]})])
    assert rate_spread(part) == pytest.approx(math.sqrt(1 / 65))
