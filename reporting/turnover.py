"""Turnover and stability: the view-model behind pages/turnover_page.py.

Frames come back ready to plot, with the table a reader sees (and downloads) built alongside."""

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from pipelines.contract import VOLUNTARY_REASONS
from pipelines.views import month_end, months_before, period_start
from reporting import charts
from reporting.chart_spec import ChartSpec
from reporting.source import DataSource
from reporting.suppression import SuppressionRules

REASON_LABELS = {
    "resignation": "Resignation", "retirement": "Retirement", "voluntary_redundancy": "Voluntary redundancy",
    "compulsory_redundancy": "Compulsory redundancy", "dismissal": "Dismissal", "end_of_contract": "End of contract",
    "death": "Death in service", "other": "Other", "unknown": "Unknown (recorded as unknown)",
    "not recorded": "Not recorded",
}
MEASURE_NOTE = (
    "Two ways of counting turnover. Turnover (headcount) is the CIPD crude rate: people leaving in the period "
    "divided by the average of the headcount at its start and end. DfE FTE turnover follows the children's "
    "social work workforce return: the FTE of leavers divided by the FTE in post at the end of the period "
    "(DfE uses the year to 30 September). They differ when the workforce grows or shrinks, or when part-time "
    "staff leave. A move between posts with less than a week's break is not leaving; a move to agency or "
    "interim work is.")


def _grade_key(grade: str) -> tuple:
    """Natural order, so Band 9 comes before Band 10 (the metric engine sorts as text)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(grade)))


def _grade_order(grades) -> list[str]:
    return sorted(set(grades), key=_grade_key)


def _rate(value):
    return None if value is None or value != value else round(float(value), 1)


def _sort_grades(frame: pd.DataFrame) -> pd.DataFrame:
    order = {grade: index for index, grade in enumerate(_grade_order(frame["group"]))}
    return frame.assign(_order=frame["group"].map(order)).sort_values("_order").drop(columns="_order")


# --- headline -------------------------------------------------------------------------------------------

@dataclass
class Headline:
    has_staff: bool
    turnover_pct: float | None
    turnover_words: str
    dfe_pct: float | None
    dfe_words: str
    stability_pct: float | None
    stability_words: str
    stability_short: str
    voluntary_pct: float | None
    voluntary_words: str


def headline(src: DataSource, scope: tuple, date_from: date, date_to: date) -> Headline:
    turnover = src.metric("turnover", scope, date_from=date_from, date_to=date_to).iloc[0]
    stability = src.metric("stability", scope, date_from=date_from, date_to=date_to).iloc[0]
    leavers, voluntary = int(turnover["leavers"]), int(turnover["voluntary_leavers"])
    return Headline(
        has_staff=bool(turnover["headcount_start"] or turnover["headcount_end"] or leavers),
        turnover_pct=_rate(turnover["turnover_rate_pct"]),
        turnover_words=(f"{leavers} leaver{'s' if leavers != 1 else ''} over an average headcount of "
                        f"{turnover['avg_headcount']:,.1f}"),
        dfe_pct=_rate(turnover["dfe_turnover_rate_fte_pct"]),
        dfe_words=(f"{turnover['leaver_fte']:,.1f} leaver FTE over {turnover['fte_end']:,.1f} FTE in post on "
                   f"{date_to:%d %b %Y}"),
        stability_pct=_rate(stability["stability_index_pct"]),
        stability_words=(f"{stability['stable']} of {stability['headcount_start']} staff in post on "
                         f"{date_from:%d %b %Y} were still employed on {date_to:%d %b %Y} "
                         f"({stability['stability_index_pct']:.1f}%)" if stability["headcount_start"] else
                         f"Nobody was in post here on {date_from:%d %b %Y}, so there is no stability index"),
        stability_short=(f"{stability['stable']} of {stability['headcount_start']} stayed through the period"
                         if stability["headcount_start"] else f"Nobody in post on {date_from:%d %b %Y}"),
        voluntary_pct=_rate(voluntary / leavers * 100) if leavers else None,
        voluntary_words=(f"{voluntary} of {leavers} leavers chose to go (resignation, retirement, voluntary "
                         "redundancy)" if leavers else "Nobody left in the period"),
    )


# --- (a) turnover by grade, (e) stability by grade -----------------------------------------------------

def turnover_by_grade(src: DataSource, scope: tuple, date_from: date, date_to: date) -> pd.DataFrame:
    frame = _sort_grades(src.metric("turnover", scope, by="grade", date_from=date_from, date_to=date_to))
    return pd.DataFrame({
        "Grade": frame["group"],
        "Turnover, headcount (%)": frame["turnover_rate_pct"].map(_rate),
        "Leavers": frame["leavers"],
        "Average headcount": frame["avg_headcount"].round(1),
        "DfE FTE turnover (%)": frame["dfe_turnover_rate_fte_pct"].map(_rate),
        "Leaver FTE": frame["leaver_fte"].round(1),
        "FTE in post at end": frame["fte_end"].round(1),
        "Voluntary leavers": frame["voluntary_leavers"],
        "Note": frame["avg_headcount"].map(small_group_note),
    }).reset_index(drop=True)


SMALL_GROUP = 5  # people: below this average headcount one leaver moves a rate by 20 points or more


def small_group_note(average_headcount) -> str:
    """'Small group: rates swing' beside a rate resting on an average headcount under 5 people."""
    if average_headcount is None or average_headcount != average_headcount:
        return ""
    return "Small group: rates swing" if 0 < float(average_headcount) < SMALL_GROUP else ""


def turnover_spec(table: pd.DataFrame, title: str, name: str) -> ChartSpec:
    rules = SuppressionRules(
        counts=("Leavers", "Voluntary leavers", "Average headcount"),
        rates={"Turnover, headcount (%)": "Average headcount", "DfE FTE turnover (%)": "FTE in post at end"},
        numerators={"Turnover, headcount (%)": "Leavers", "DfE FTE turnover (%)": "Leaver FTE"},
        companions={"Leaver FTE": "Leavers", "FTE in post at end": "Average headcount"},
        # leavers minus voluntary leavers is the number who left for other reasons
        parts=(("Voluntary leavers", "Leavers"),))
    return ChartSpec(name=name, title=title, table=table, metric="turnover", rules=rules,
                     draw=lambda shown: turnover_figure(shown, title))


def turnover_figure(table: pd.DataFrame, title: str) -> go.Figure:
    fig = charts.bar_chart(table, "Grade", "Turnover, headcount (%)", title, "Turnover, headcount (%)",
                           text_format="{:.1f}%")
    fig.update_traces(
        customdata=table[["Leavers", "Average headcount"]].to_numpy(), textposition="outside", cliponaxis=False,
        hovertemplate="<b>%{x}</b>: %{y:.1f}%<br>%{customdata[0]} leavers, average headcount "
                      "%{customdata[1]:.1f}<extra></extra>")
    fig.update_yaxes(ticksuffix="%")
    return fig


def stability_by_grade(src: DataSource, scope: tuple, date_from: date, date_to: date) -> pd.DataFrame:
    frame = _sort_grades(src.metric("stability", scope, by="grade", date_from=date_from, date_to=date_to))
    return pd.DataFrame({
        "Grade": frame["group"],
        "Stability index (%)": frame["stability_index_pct"].map(_rate),
        f"Still employed on {date_to:%d %b %Y}": frame["stable"],
        f"In post on {date_from:%d %b %Y}": frame["headcount_start"],
    }).reset_index(drop=True)


def stability_spec(table: pd.DataFrame, title: str, name: str) -> ChartSpec:
    stayed, cohort = table.columns[2], table.columns[3]
    # in post minus still employed is the number who left
    rules = SuppressionRules(counts=(stayed, cohort), rates={"Stability index (%)": cohort},
                             numerators={"Stability index (%)": stayed}, parts=((stayed, cohort),))
    return ChartSpec(name=name, title=title, table=table, metric="stability", rules=rules,
                     draw=lambda shown: stability_figure(shown, title))


def stability_figure(table: pd.DataFrame, title: str) -> go.Figure:
    fig = charts.bar_chart(table, "Grade", "Stability index (%)", title, "Stability index (%)",
                           text_format="{:.1f}%")
    fig.update_traces(
        customdata=table.iloc[:, [2, 3]].to_numpy(), textposition="outside", cliponaxis=False,
        marker_color=charts.PALETTE[2],
        hovertemplate="<b>%{x}</b>: %{y:.1f}%<br>%{customdata[0]} of %{customdata[1]} stayed<extra></extra>")
    fig.update_yaxes(range=[0, 110], tickvals=list(range(0, 101, 20)), ticktext=[f"{v}%" for v in range(0, 101, 20)])
    return fig


# --- (b) grade x year, (c) voluntary vs other by year -------------------------------------------------

def year_ends(as_at: date, coverage_start: date) -> list[date]:
    """The ends of the 12-month periods ending on the as-at date's day in each year, fully inside the data."""
    ends, k = [], 0
    while period_start(months_before(as_at, 12 * k), 12) >= coverage_start:
        ends.insert(0, months_before(as_at, 12 * k))
        k += 1
    return ends


def year_basis(as_at: date) -> str:
    if as_at.month == 12 and as_at.day == 31:
        return "calendar years"
    if as_at == month_end(as_at):
        return f"12 months to the end of {as_at:%B} each year"
    return f"12 months to {as_at:%d %B} each year"


def _year_label(end: date) -> str:
    return str(end.year) if (end.month, end.day) == (12, 31) else f"to {end:%b} {end.year}"


def yearly(src: DataSource, scope: tuple, ends: list[date]) -> pd.DataFrame:
    """Turnover by grade for each 12-month period: one row per period and grade."""
    parts = []
    for end in ends:
        frame = src.metric("turnover", scope, by="grade", date_from=period_start(end, 12), date_to=end)
        parts.append(frame.assign(period=_year_label(end), period_end=end))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if frame.empty:
        return frame
    grades = _grade_order(frame["group"])
    return pd.DataFrame({
        "Period": frame["period"],
        "Period end": frame["period_end"],
        "Grade": pd.Categorical(frame["group"], categories=grades, ordered=True),
        "Turnover, headcount (%)": frame["turnover_rate_pct"].map(_rate),
        "Leavers": frame["leavers"],
        "Average headcount": frame["avg_headcount"].round(1),
        "Voluntary leavers": frame["voluntary_leavers"],
    })


def heatmap_table(years: pd.DataFrame) -> pd.DataFrame:
    return years.drop(columns=["Period end", "Voluntary leavers"]).sort_values(["Grade", "Period"]) \
        .assign(Grade=lambda f: f["Grade"].astype(str)).reset_index(drop=True)


def heatmap_spec(table: pd.DataFrame, title: str, name: str) -> ChartSpec:
    rules = SuppressionRules(counts=("Leavers", "Average headcount"),
                             rates={"Turnover, headcount (%)": "Average headcount"},
                             numerators={"Turnover, headcount (%)": "Leavers"})
    return ChartSpec(name=name, title=title, table=table, metric="turnover", rules=rules,
                     draw=lambda shown: heatmap_figure(shown, title))


def heatmap_figure(table: pd.DataFrame, title: str) -> go.Figure:
    # A categorical grade keeps Band 9 above Band 10 through the pivot.
    cells = table.assign(Grade=pd.Categorical(table["Grade"], categories=_grade_order(table["Grade"]), ordered=True))
    fig = charts.heatmap(cells, "Period", "Grade", "Turnover, headcount (%)", title, "%")
    counts = cells.pivot(index="Grade", columns="Period", values="Leavers")
    base = cells.pivot(index="Grade", columns="Period", values="Average headcount")
    fig.update_traces(
        customdata=[[[c, b] for c, b in zip(crow, brow)] for crow, brow in zip(counts.values, base.values)],
        hovertemplate="<b>%{y}</b>, %{x}: %{z:.1f}%<br>%{customdata[0]} leavers, average headcount "
                      "%{customdata[1]:.1f}<extra></extra>", xgap=2, ygap=2)
    # A grade of two people can show 200%: cap the colours so those cells do not wash out the rest.
    rates = pd.to_numeric(cells["Turnover, headcount (%)"], errors="coerce").dropna()
    top = max(10.0, math.ceil(rates.quantile(0.9) / 10) * 10) if len(rates) else 10.0
    over = "+" if len(rates) and rates.max() > top else ""
    fig.update_traces(zmin=0, zmax=top, colorbar={"title": "Turnover", "tickvals": [0, top / 2, top],
                                                  "ticktext": ["0%", f"{top / 2:g}%", f"{top:g}%{over}"]})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(360, 140 + 34 * cells["Grade"].nunique()))
    return fig


def leavers_by_year(years: pd.DataFrame) -> pd.DataFrame:
    """Voluntary and other leavers per period; each leaving event sits in exactly one grade, so grades add up."""
    totals = years.groupby("Period end", as_index=False).agg(
        Period=("Period", "first"), leavers=("Leavers", "sum"), voluntary=("Voluntary leavers", "sum"))
    return pd.DataFrame({
        "Period": totals["Period"],
        "Voluntary leavers": totals["voluntary"],
        "Other leavers": totals["leavers"] - totals["voluntary"],
        "All leavers": totals["leavers"],
        "Voluntary share (%)": (totals["voluntary"] / totals["leavers"].where(totals["leavers"] > 0) * 100).round(1),
    })


def key_dates(src: DataSource, ends: list[date]) -> pd.DataFrame:
    return src.view("key_dates", date_from=period_start(ends[0], 12), date_to=ends[-1])


def leavers_spec(table: pd.DataFrame, title: str, dates: pd.DataFrame, ends: list[date], name: str) -> ChartSpec:
    rules = SuppressionRules(counts=("Voluntary leavers", "Other leavers", "All leavers"),
                             rates={"Voluntary share (%)": "All leavers"},
                             numerators={"Voluntary share (%)": "Voluntary leavers"},
                             parts=(("Voluntary leavers", "All leavers"), ("Other leavers", "All leavers")))
    return ChartSpec(name=name, title=title, table=table, metric="turnover", rules=rules,
                     draw=lambda shown: leavers_figure(shown, title, dates, ends))


def leavers_figure(table: pd.DataFrame, title: str, dates: pd.DataFrame, ends: list[date]) -> go.Figure:
    """Stacked bars on a real date axis (each bar spans its 12 months) so the key dates line up with them."""
    middle = {_year_label(end): pd.Timestamp(end) - pd.Timedelta(days=182) for end in ends}
    long = table.melt(id_vars="Period", value_vars=["Voluntary leavers", "Other leavers"], var_name="Kind",
                      value_name="Leavers").assign(middle=lambda f: f["Period"].map(middle))
    fig = charts.bar_chart(long, "middle", "Leavers", title, "Leavers", color="Kind", text_format="{:.0f}",
                           stack=True)
    fig.update_traces(width=330 * 86_400_000, marker_pattern_fillmode="overlay", marker_pattern_fgcolor="white",
                      marker_pattern_solidity=0.3, insidetextfont_color="white",
                      hovertemplate="%{customdata[0]}: %{y} %{fullData.name}<extra></extra>")
    fig.for_each_trace(lambda t: t.update(customdata=long.loc[long["Kind"] == t.name, ["Period"]].to_numpy()))
    fig.update_xaxes(type="date", tickvals=list(middle.values()), ticktext=list(middle))
    fig.update_yaxes(range=[0, long.groupby("Period")["Leavers"].sum().max() * 1.5 or 1])
    fig.update_layout(legend={"y": -0.12, "yanchor": "top"}, margin={"b": 90}, height=460)
    charts.add_key_dates(fig, dates)
    first, last = pd.Timestamp(period_start(ends[0], 12)), pd.Timestamp(ends[-1])
    fig.update_xaxes(range=[first - pd.Timedelta(days=20), last + pd.Timedelta(days=20)])
    return fig


# --- (d) leaving reasons ---------------------------------------------------------------------------------

def leaving_reasons(src: DataSource, scope: tuple, date_from: date, date_to: date) -> pd.DataFrame:
    unit, tiers, social_work_only = scope
    frame = src.view("leaving_reasons", date_from=date_from, date_to=date_to, unit=unit,
                      tiers=list(tiers) or None, social_work_only=social_work_only)
    if frame.empty:
        return frame
    total = frame["leavers"].sum()
    return pd.DataFrame({
        "Reason": frame["reason"].map(lambda r: REASON_LABELS.get(r, str(r).replace("_", " ").capitalize())),
        "Voluntary": frame["reason"].isin(VOLUNTARY_REASONS).map({True: "Yes", False: "No"}),
        "Leavers": frame["leavers"].astype(int),
        "Share of leavers (%)": (frame["leavers"] / total * 100).astype(float).round(1),
        "Leaver FTE": frame["leaver_fte"].astype(float).round(1),
    })


def reasons_spec(table: pd.DataFrame, title: str, name: str) -> ChartSpec:
    # The shares give away the total number of leavers, so a lone hidden reason needs a second one.
    rules = SuppressionRules(counts=("Leavers",),
                             companions={"Leaver FTE": "Leavers", "Share of leavers (%)": "Leavers"},
                             column_totals=("Leavers",))
    return ChartSpec(name=name, title=title, table=table, metric="turnover", rules=rules,
                     draw=lambda shown: reasons_figure(shown, title))


def reasons_figure(table: pd.DataFrame, title: str) -> go.Figure:
    fig = charts.bar_chart(table, "Reason", "Leavers", title, "Leavers", color="Voluntary", text_format="{:.0f}",
                           horizontal=True)
    fig.for_each_trace(lambda t: t.update(name="Chose to leave" if t.name == "Yes" else "Other reasons"))
    fig.update_traces(textposition="outside", cliponaxis=False, marker_pattern_fillmode="overlay",
                      marker_pattern_fgcolor="white", marker_pattern_solidity=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=list(table["Reason"]), automargin=True)
    fig.update_layout(height=max(300, 140 + 34 * len(table)), barmode="overlay")
    return fig
