"""How wrong the forecast has been before (docs/FORECAST.md, "How good is it"): the same model, run as if
12 and 24 months before the latest date, from the data as they stood then, compared month by month with
what happened. Per figure: the mean absolute error of the median, that error as a percentage of the
actual level, and how many of the monthly outcomes fell inside the 80% band."""

from datetime import date

import numpy as np
import pandas as pd

from pipelines.forecast_inputs import ForecastRefused, gather_inputs
from pipelines.forecast_model import DEFAULT_PATHS, DEFAULT_SEED, FIGURES, simulate
from pipelines.views import months_before

HORIZONS = (12, 24)
# Below this share of outcomes inside the 80% band, the backtest sentence warns that the band is too narrow.
NARROW_BAND_SHARE = 0.6
COLUMNS = ["horizon_months", "made_on", "figure", "label", "unit", "months_compared", "mean_absolute_error",
           "mean_actual", "percent_off", "inside_band", "note"]


def actual_figures(queries, scope: tuple, origin: date, months: list[date]) -> pd.DataFrame:
    """What happened at each forecast month: one row per month, one column per figure (NaN where unknown)."""
    unit, tiers, social_work_only = scope
    where = {"unit": unit, "tiers": list(tiers) or None, "social_work_only": bool(social_work_only)}
    frame = queries.view("forecast_actuals", days=[origin, *months], **where).set_index("day")
    frame = frame.astype(float).reindex(months)
    vacancy = queries.metric_series("vacancy_rate", scope, months).set_index("day").reindex(months)
    frame["vacancy_rate_pct"] = vacancy["vacancy_rate_pct"].astype(float)
    frame["vacant_fte"] = vacancy["vacant_fte"].astype(float)
    frame["cover_fte"] = vacancy["covered_vacant_fte"].astype(float)
    caseload = queries.metric_series("caseload", scope, months).set_index("day").reindex(months)
    held = caseload["case_holding_fte"].astype(float)
    frame["caseload_per_fte"] = np.where(held > 0, caseload["caseload_per_fte"].astype(float), np.nan)
    return frame


def compare(summary: pd.DataFrame, actual: pd.DataFrame, horizon: int, origin: date) -> list[dict]:
    rows = []
    for name, label, unit in FIGURES:
        truth = actual[name].to_numpy(float)
        median = summary[f"{name}_median"].to_numpy(float)
        low, high = summary[f"{name}_p10"].to_numpy(float), summary[f"{name}_p90"].to_numpy(float)
        known = ~np.isnan(truth) & ~np.isnan(median)
        if not known.any():
            continue
        error = float(np.abs(median[known] - truth[known]).mean())
        level = float(np.abs(truth[known]).mean())
        inside = int(((truth[known] >= low[known] - 1e-9) & (truth[known] <= high[known] + 1e-9)).sum())
        rows.append({"horizon_months": horizon, "made_on": origin, "figure": name, "label": label, "unit": unit,
                     "months_compared": int(known.sum()), "mean_absolute_error": error, "mean_actual": level,
                     "percent_off": error / level * 100 if level else None, "inside_band": inside, "note": ""})
    return rows


def backtest(queries, scope: tuple, latest: date, paths: int = DEFAULT_PATHS, seed: int = DEFAULT_SEED,
             settings=None) -> pd.DataFrame:
    """The accuracy table: one row per (horizon, figure), or one row with a note where the history
    before that horizon's start was too short to forecast from."""
    rows = []
    for horizon in HORIZONS:
        origin = months_before(latest, horizon)
        try:
            inputs = gather_inputs(queries, scope, origin, settings)
        except ForecastRefused as refused:
            rows.append({**dict.fromkeys(COLUMNS), "horizon_months": horizon, "made_on": origin,
                         "note": f"No backtest from {origin}: {refused}"})
            continue
        forecast = simulate(inputs, horizon, paths=paths, seed=seed)
        rows += compare(forecast.summary(), actual_figures(queries, scope, origin, forecast.months), horizon, origin)
    return pd.DataFrame(rows, columns=COLUMNS)


def backtest_sentence(table: pd.DataFrame, figure: str = "in_post_fte") -> str:
    """'Made a year ago, this forecast's FTE in post was 2.1% off; 9 of the 12 monthly outcomes fell in the
    80% band.' (or why there is no such sentence)."""
    row = table[(table["horizon_months"] == 12) & (table["figure"] == figure)]
    if not len(row):
        notes = table.loc[table["horizon_months"] == 12, "note"]
        return notes.iloc[0] if len(notes) and notes.iloc[0] else "No backtest is available for this selection."
    row = row.iloc[0]
    label = row["label"] if row["label"][1:2].isupper() else row["label"][0].lower() + row["label"][1:]
    sentence = (f"Made a year ago (on {row['made_on']:%d %b %Y}), this forecast's {label} was "
                f"{row['percent_off']:.1f}% off on average; {row['inside_band']} of the {row['months_compared']} "
                "monthly outcomes since fell inside its 80% band.")
    if row["inside_band"] < NARROW_BAND_SHARE * row["months_compared"]:
        sentence += (" That is fewer than the 8 in 10 an honest band holds: the future has differed from the past "
                     "more than the model allows, so read the band as the least uncertainty, not the most.")
    return sentence
