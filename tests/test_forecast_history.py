"""The forecast on loaded data: a synthetic authority whose people leave with a known monthly chance must
have that chance recovered, by the estimate and by the simulation; the backtest compares like with like;
a short history or a small scope is refused in words; the command line answers in JSON and CSV."""

import csv
import io
import json
from datetime import date

import numpy as np
import pytest

from pipelines.cli import main
from pipelines.forecast_backtest import backtest, backtest_sentence, compare
from pipelines.forecast_inputs import SERVICE_BANDS, ConnectionQueries, ForecastRefused, gather_inputs, service_band
from pipelines.forecast_model import FIGURES, simulate
from pipelines.metrics import connect
from tests.forecast_synthetic import LAST, TOLERANCE, TRUE_MONTHLY_LEAVING, build_synthetic_db


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    return build_synthetic_db(tmp_path_factory.mktemp("forecast"))

@pytest.fixture(scope="module")
def queries(synthetic_db):
    con = connect(synthetic_db)
    yield ConnectionQueries(con)
    con.close()


WHOLE = (None, (), False)


def test_the_estimated_leaving_chance_recovers_the_known_one(queries):
    inputs = gather_inputs(queries, WHOLE, LAST)
    assert inputs.leaving.scope_rate == pytest.approx(TRUE_MONTHLY_LEAVING, rel=TOLERANCE)
    # every grade and service band was drawn from the same chance: after shrinkage each cell is near it too
    assert np.allclose(inputs.leaving.monthly, TRUE_MONTHLY_LEAVING, rtol=2 * TOLERANCE)
    # 45-day vacancies: hardly any filled in their first month, most in their second
    assert inputs.fill[0] < 0.1 < 0.6 < inputs.fill[1]


def test_the_simulated_leavers_recover_the_known_leaving_chance(queries):
    inputs = gather_inputs(queries, WHOLE, LAST)
    forecast = simulate(inputs, 12)
    # leavers in a month over the people in post at the start of it, over every path and month
    in_post_before = np.hstack([np.full((forecast.paths["leavers"].shape[0], 1), len(inputs.people)),
                                forecast.paths["in_post_headcount"][:, :-1]])
    simulated = forecast.paths["leavers"].sum() / in_post_before.sum()
    # what the model was given: each person's grade-and-service-band chance, averaged over those in post
    row = {grade: i for i, grade in enumerate(inputs.leaving.grades)}
    given = inputs.leaving.monthly[inputs.people["grade"].map(row).to_numpy(),
                                   service_band(inputs.people["service_months"].to_numpy())].mean()
    # the 50 draws of the rate's uncertainty (spread about 1/sqrt(200 leavers) = 7%: the synthetic rate does
    # not move from year to year) average to within about 0.07 / sqrt(50) = 1% of 1; 5% is five times that
    assert simulated == pytest.approx(given, rel=0.05)
    assert simulated == pytest.approx(TRUE_MONTHLY_LEAVING, rel=TOLERANCE)
    # a steady state: the median headcount stays within 5% of where it started
    assert np.allclose(forecast.summary()["in_post_headcount_median"], len(inputs.people), rtol=0.05)


def test_the_backtest_compares_each_figure_with_what_happened(queries):
    table = backtest(queries, WHOLE, LAST, paths=300)
    assert sorted(set(table["horizon_months"])) == [12, 24]
    fte = table[(table["figure"] == "in_post_fte")].set_index("horizon_months")
    assert fte.loc[12, "months_compared"] == 12
    compared = table.dropna(subset=["figure"])
    assert (compared["inside_band"] <= compared["months_compared"]).all()
    # a steady synthetic workforce: the FTE in post is forecast within 5% a year ahead
    assert fte.loc[12, "percent_off"] < 5
    # 24 months before LAST the data are only 24 months old less a day: that backtest is refused, in words
    (refused,) = table.loc[table["horizon_months"] == 24, "note"]
    assert refused.startswith("No backtest from 2021-12-31: The loaded history starts on 2020-01-01, less than 24")
    assert "Made a year ago (on 31 Dec 2022), this forecast's FTE in post was" in backtest_sentence(table)


def test_backtest_arithmetic_by_hand():
    import pandas as pd

    months = [date(2024, 1, 31), date(2024, 2, 29)]
    summary = pd.DataFrame({"month": months, **{f"{n}_{b}": [np.nan, np.nan] for n, _, _ in FIGURES
                                                for b in ("p10", "median", "p90")}})
    summary[["in_post_fte_p10", "in_post_fte_median", "in_post_fte_p90"]] = [[95, 100, 105], [90, 100, 110]]
    actual = pd.DataFrame({n: [np.nan, np.nan] for n, _, _ in FIGURES}, index=months)
    actual["in_post_fte"] = [104.0, 120.0]
    (row,) = compare(summary, actual, 12, date(2023, 2, 28))
    # errors 4 and 20 -> mean 12; mean actual 112 -> 10.71% off; 104 is inside 95..105, 120 is not
    assert row["mean_absolute_error"] == pytest.approx(12)
    assert row["percent_off"] == pytest.approx(12 / 112 * 100)
    assert (row["inside_band"], row["months_compared"]) == (1, 2)


def test_a_history_under_24_months_is_refused_in_words(queries):
    with pytest.raises(ForecastRefused, match="less than 24 months before 2021-06-30: too short"):
        gather_inputs(queries, WHOLE, date(2021, 6, 30))


def test_a_scope_under_20_people_is_refused_in_words(fixture_db):
    con = connect(fixture_db)
    try:
        with pytest.raises(ForecastRefused, match="Fewer than 20 people are in post in this selection"):
            gather_inputs(ConnectionQueries(con), WHOLE, date(2024, 12, 31))
    finally:
        con.close()


def test_the_command_prints_one_row_per_month_and_the_what_if_beside_the_baseline(synthetic_db, tmp_path, capsys):
    assert main(["forecast", "--db", str(synthetic_db), "--as-of", "2023-12-31", "--months", "6",
                 "--paths", "200"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["month"] for r in rows] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31",
                                          "2024-06-30"]
    assert rows[0]["in_post_fte_p10"] <= rows[0]["in_post_fte_median"] <= rows[0]["in_post_fte_p90"]
    assert rows[0]["caseload_per_fte_median"] is None  # no caseloads loaded
    scenario = tmp_path / "scenario.toml"
    scenario.write_text("leaving_multiplier = 0\n", encoding="utf-8")
    assert main(["forecast", "--db", str(synthetic_db), "--as-of", "2023-12-31", "--months", "6", "--paths", "200",
                 "--what-if", str(scenario), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["scenario"] for r in table] == ["baseline"] * 6 + ["what_if"] * 6
    assert {r["leavers_p90"] for r in table[6:]} == {"0.0"}  # nobody leaves when leaving chances are x 0


def test_the_command_prints_the_backtest_table(synthetic_db, capsys):
    assert main(["forecast", "--db", str(synthetic_db), "--as-of", "2023-12-31", "--backtest", "--paths",
                 "200"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["horizon_months"], r["made_on"]) for r in rows} == {(12, "2022-12-31"), (24, "2021-12-31")}


@pytest.mark.parametrize(("inside", "warned"), [(10, False), (8, False), (7, True), (4, True)])
def test_the_backtest_sentence_warns_when_the_band_held_far_fewer_than_8_in_10(inside, warned):
    import pandas as pd

    table = pd.DataFrame([{"horizon_months": 12, "made_on": date(2024, 12, 31), "figure": "in_post_fte",
                           "label": "FTE in post", "unit": "FTE", "months_compared": 12,
                           "mean_absolute_error": 8.4, "mean_actual": 420.0, "percent_off": 2.0,
                           "inside_band": inside, "note": ""}])
    sentence = backtest_sentence(table)
    assert sentence.startswith(f"Made a year ago (on 31 Dec 2024), this forecast's FTE in post was 2.0% off on "
                               f"average; {inside} of the 12 monthly outcomes since fell inside its 80% band.")
    # 0.6 x 12 = 7.2: 7 or fewer is "far fewer"
    assert ("read the band as the least uncertainty" in sentence) is warned


def test_the_forecast_starts_from_the_measures_on_the_as_at_date(synthetic_db, queries):
    from pipelines.metrics import run_metric

    forecast = simulate(gather_inputs(queries, WHOLE, LAST), 6, paths=100)
    (turnover,) = run_metric(synthetic_db, "turnover", date_from=date(2023, 1, 1), date_to=LAST)
    (vacancy,) = run_metric(synthetic_db, "vacancy_rate", as_of=LAST)
    assert forecast.start["in_post_headcount"] == turnover["headcount_end"]
    assert forecast.start["in_post_fte"] == pytest.approx(turnover["fte_end"])
    assert forecast.start["vacancy_rate_pct"] == pytest.approx(vacancy["vacancy_rate_pct"])
    assert forecast.start["vacant_fte"] == pytest.approx(vacancy["vacant_fte"])
    assert forecast.start["cover_fte"] == pytest.approx(vacancy["covered_vacant_fte"])


def test_leaving_chances_that_differ_by_grade_are_recovered_for_each_grade(tmp_path_factory):
    # Band 9 leaves at 3% a month, Band 10 at 1%; 150 posts each
    db = build_synthetic_db(tmp_path_factory.mktemp("by_grade"), {"Band 9": 0.03, "Band 10": 0.01})
    con = connect(db)
    try:
        rates = gather_inputs(ConnectionQueries(con), WHOLE, LAST).leaving
    finally:
        con.close()
    by_grade = rates.table.groupby("grade")[["leavers", "person_months"]].sum()
    raw = by_grade["leavers"] / by_grade["person_months"]
    # about 150 x 36 x 0.03 = 160 Band 9 leavers (sampling error 8%) and 54 Band 10 ones (14%)
    assert raw["Band 9"] == pytest.approx(0.03, rel=0.25)
    assert raw["Band 10"] == pytest.approx(0.01, rel=0.40)
    # every Band 9 cell stays above every Band 10 cell after shrinkage toward the 2% in between (the data
    # are 4 years long, so the "5 years or more" band has no history and gets the whole selection's rate)
    band9, band10 = rates.grades.index("Band 9"), rates.grades.index("Band 10")
    seen = [SERVICE_BANDS.index(b) for b in sorted(set(rates.table["band"]))]
    assert rates.monthly[band9, seen].min() > rates.monthly[band10, seen].max()
    assert rates.monthly[band9, 3] == rates.monthly[band10, 3] == pytest.approx(rates.scope_rate)
