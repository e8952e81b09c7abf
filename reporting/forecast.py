"""Forecast view model (docs/FORECAST.md): the baseline and what-if forecasts and the backtest for the
sidebar's selection, as frames, chart specs and sentences for the Forecast page and the Word pack.

The simulation is costly (about a second), so it is asked for through the DataSource as derived frames
(`forecast_summary`, `forecast_backtest`), which the dashboard caches per selection and what-if. A
selection the forecast refuses (too little history, too few people) comes back as a one-row frame with
the reason, so the refusal is cached and shown like any answer."""

from dataclasses import astuple, dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pipelines.errors import UsageError
from pipelines.forecast_backtest import backtest, backtest_sentence
from pipelines.forecast_inputs import ConnectionQueries, ForecastRefused, gather_inputs
from pipelines.forecast_model import DEFAULT_PATHS, DEFAULT_SEED, FIGURES, simulate
from pipelines.forecast_whatif import WhatIf
from reporting import charts
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource, derived_frame
from reporting.suppression import is_small

__all__ = ["UsageError", "WhatIf", "forecast_view"]  # the page takes the what-if and its refusal from here
BASELINE, WHAT_IF = "baseline", "what_if"
SCENARIO_NAMES = {BASELINE: "If nothing changes", WHAT_IF: "What if"}
LABELS = {name: label for name, label, _ in FIGURES}
UNITS = {name: unit for name, _, unit in FIGURES}
# what the page charts first; every figure is in the table and the downloads
CHARTED = ("in_post_fte", "vacancy_rate_pct", "in_post_headcount", "cover_fte", "leavers", "starters",
           "caseload_per_fte")


def _start_row(forecast, scenario: str) -> dict:
    """Month 0 (the as-at date): what is, so each line starts from the real figure."""
    row = {"scenario": scenario, "month": forecast.inputs.as_of}
    for name, _, _ in FIGURES:
        value = forecast.start.get(name, np.nan)
        row.update({f"{name}_p10": value, f"{name}_median": value, f"{name}_p90": value})
    return row


@derived_frame("forecast_summary", who="unit", unit_arg=0, day_arg=3)
def forecast_summary_frame(con, unit, tiers, social_work_only, as_of, months, what_if_values, paths, seed):
    """Per unit (the `unit` argument): month 0 and one row per month ahead, baseline and (if any) what-if."""
    try:
        inputs = gather_inputs(ConnectionQueries(con), (unit, tuple(tiers), bool(social_work_only)), as_of)
    except ForecastRefused as refused:
        return pd.DataFrame({"refused": [str(refused)]})
    what_if = WhatIf(*what_if_values)
    parts = []
    for scenario, change in [(BASELINE, WhatIf())] + ([] if what_if.is_baseline else [(WHAT_IF, what_if)]):
        forecast = simulate(inputs, months, change, paths=paths, seed=seed)
        parts += [pd.DataFrame([_start_row(forecast, scenario)]),
                  forecast.summary().assign(scenario=scenario)]
    return pd.concat(parts, ignore_index=True).assign(refused="")


@derived_frame("forecast_backtest", who="unit", unit_arg=0, day_arg=3)
def forecast_backtest_frame(con, unit, tiers, social_work_only, as_of):
    """Per unit (the `unit` argument): the accuracy table of forecasts made 12 and 24 months before as_of."""
    return backtest(ConnectionQueries(con), (unit, tuple(tiers), bool(social_work_only)), as_of)


@dataclass
class ForecastView:
    as_at: date
    months: int
    what_if: WhatIf
    frame: pd.DataFrame  # scenario, month, <figure>_p10/_median/_p90 (month 0 is the as-at date)
    refused: str = ""
    backtest: pd.DataFrame | None = None

    @property
    def has_what_if(self) -> bool:
        return bool((self.frame.get("scenario") == WHAT_IF).any()) if not self.refused else False

    def value(self, figure: str, scenario: str = BASELINE, month: int = -1, band: str = "median") -> float:
        rows = self.frame[self.frame["scenario"] == scenario]
        return float(rows[f"{figure}_{band}"].iloc[month])

    def has_figure(self, figure: str) -> bool:
        return not self.refused and not self.frame[f"{figure}_median"].isna().all()

    @property
    def backtest_sentence(self) -> str:
        return backtest_sentence(self.backtest) if self.backtest is not None else ""


def forecast_view(src: DataSource, current: Filters, months: int = 12, what_if: WhatIf | None = None,
                  paths: int = DEFAULT_PATHS, seed: int = DEFAULT_SEED, with_backtest: bool = True) -> ForecastView:
    what_if = what_if or WhatIf()
    scope = (current.unit, tuple(current.tiers), bool(current.social_work_only))
    frame = src.derived("forecast_summary", *scope, current.as_at, months, astuple(what_if), paths, seed)
    if "refused" in frame and len(frame) == 1 and frame["refused"].iloc[0]:
        return ForecastView(current.as_at, months, what_if, frame, refused=frame["refused"].iloc[0])
    table = src.derived("forecast_backtest", *scope, current.as_at) if with_backtest else None
    return ForecastView(current.as_at, months, what_if, frame.drop(columns="refused"), backtest=table)


def fmt(value: float, unit: str) -> str:
    if value is None or value != value:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "people":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def figure_table(view: ForecastView, figure: str) -> pd.DataFrame:
    """Month end, then the middle value and the 80% band of each scenario, rounded for reading."""
    unit = UNITS[figure]
    digits = 0 if unit == "people" else 1
    table = pd.DataFrame({"Month end": view.frame.loc[view.frame["scenario"] == BASELINE, "month"].to_list()})
    for scenario in (BASELINE, WHAT_IF) if view.has_what_if else (BASELINE,):
        rows = view.frame[view.frame["scenario"] == scenario]
        name = SCENARIO_NAMES[scenario]
        for band, words in (("median", "middle"), ("p10", "low (10%)"), ("p90", "high (90%)")):
            table[f"{name}: {words} ({unit})"] = rows[f"{figure}_{band}"].astype(float).round(digits).to_list()
    return table


def all_figures_table(view: ForecastView) -> pd.DataFrame:
    """Every figure's middle value and band, one row per scenario and month: the full download."""
    frame = view.frame.copy()
    frame.insert(0, "Scenario", frame.pop("scenario").map(SCENARIO_NAMES))
    renamed = {"month": "Month end"}
    for name, label, unit in FIGURES:
        for band, words in (("median", "middle"), ("p10", "low (10%)"), ("p90", "high (90%)")):
            renamed[f"{name}_{band}"] = f"{label}: {words} ({unit})"
    return frame.rename(columns=renamed).round(1)


def backtest_table(view: ForecastView) -> pd.DataFrame:
    table = view.backtest
    if table is None or not len(table):
        return pd.DataFrame()
    done = table.dropna(subset=["figure"])
    shown = pd.DataFrame({
        "Made (months before)": done["horizon_months"].astype(int),
        "Made on": done["made_on"],
        "Figure": done["label"],
        "Months compared": done["months_compared"].astype(int),
        # a rate's error is in percentage points; a count's or an FTE's in its own unit
        "Average error": [f"{v:.1f} points" if u == "%" else f"{v:,.1f} {u}"
                          for v, u in zip(done["mean_absolute_error"], done["unit"])],
        "Error as % of actual": [_percent_off(row) for row in done.itertuples()],
        "Outcomes inside the 80% band": [f"{i} of {m}" for i, m in zip(done["inside_band"], done["months_compared"])],
    })
    return shown.reset_index(drop=True)


def _percent_off(row) -> float | None:
    """Left out (None) for leavers or starters fewer than 5 in all the months compared: with the average error
    it would give away how many people left or started (the small-number rule, docs/EXPORTS.md)."""
    counted = row.unit == "people" and row.figure in ("leavers", "starters")
    if counted and is_small(row.mean_actual * row.months_compared):
        return None
    return round(float(row.percent_off), 1) if row.percent_off == row.percent_off else None


def forecast_spec(view: ForecastView, current: Filters, figure: str) -> ChartSpec:
    label, unit = LABELS[figure], UNITS[figure]
    last = view.frame["month"].iloc[-1]
    title = f"{label}: forecast from {view.as_at:%d %b %Y} to {last:%b %Y}, middle value and 80% band"
    table = figure_table(view, figure)

    def draw(shown: pd.DataFrame) -> go.Figure:
        fig = go.Figure()
        x = pd.to_datetime(shown["Month end"])
        for index, scenario in enumerate((BASELINE, WHAT_IF) if view.has_what_if else (BASELINE,)):
            name, colour = SCENARIO_NAMES[scenario], charts.PALETTE[index]
            low, mid, high = (shown[f"{name}: {w} ({unit})"] for w in ("low (10%)", "middle", "high (90%)"))
            fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False,
                                     hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                                     fillcolor=_translucent(colour), name=f"{name}: 80% band", hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=x, y=mid, mode="lines+markers", name=f"{name}: middle value",
                                     line={"color": colour, "width": 2.5, "dash": charts.DASHES[index]},
                                     marker={"symbol": charts.MARKERS[index], "size": 6},
                                     hovertemplate=f"%{{x|%b %Y}}: %{{y:,.1f}} {unit}<extra>{name}</extra>"))
        charts.base_layout(fig, title, y_title=f"{label} ({unit})", height=460)
        fig.update_layout(legend_traceorder="normal")  # filled bands would otherwise list the what-if first
        if unit in ("FTE", "people") and figure not in ("leavers", "starters"):
            # a workforce of hundreds moving by a few: an axis from 0 would flatten the band into the line
            fig.update_yaxes(rangemode="normal")
        return fig

    what = "; ".join(view.what_if.words()) if view.has_what_if else ""
    summary = (f"{label} on {view.as_at:%d %b %Y}: {fmt(view.value(figure, month=0), unit)}; forecast for "
               f"{last:%b %Y} if nothing changes: {fmt(view.value(figure), unit)} (80% band "
               f"{fmt(view.value(figure, band='p10'), unit)} to {fmt(view.value(figure, band='p90'), unit)})"
               + (f"; with {what}: {fmt(view.value(figure, WHAT_IF), unit)}" if what else "") + ". "
               + view.backtest_sentence)
    return ChartSpec(name=f"forecast-{figure.replace('_', '-')}-{current.as_at:%Y-%m-%d}", title=title, table=table,
                     draw=draw, summary=summary, metric="forecast",
                     alt_text=f"Line chart with shaded band: {summary}")


def _translucent(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},0.18)"


def pack_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    """The pack's Forecast section: FTE in post and the vacancy rate a year ahead, with the backtest."""
    view = forecast_view(src, current)
    if view.refused:
        return []
    return [forecast_spec(view, current, figure) for figure in ("in_post_fte", "vacancy_rate_pct")]
