"""Teams page view-model: one row per team or pod with its front-line pressures side by side,
the words that say which thresholds are breached, and the pressure scatter chart."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from pipelines.settings import load_settings
from pipelines.views import period_start
from reporting import charts
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import SuppressionRules, suppress
from reporting.turnover import small_group_note

TURNOVER_MONTHS = 12
# (threshold key in settings, column judged, words used in the status)
JUDGED = (
    ("vacancy_rate", "Vacancy rate (%)", "vacancy rate"),
    ("interim_ratio", "Interim ratio (%)", "interim ratio"),
    ("turnover", "Turnover, 12 months (%)", "turnover"),
    ("caseload", "Caseload per FTE", "caseload"),
)
LEVELS = {"team": "Team", "pod": "Pod"}
# Worst status first; colour and marker shape together, so the chart never relies on colour alone.
STATUS_STYLE = {
    "red": ("Above a red threshold", "#D55E00", "diamond"),
    "amber": ("Above an amber threshold", "#8A6100", "square"),
    "green": ("Within every threshold", "#0072B2", "circle"),
}
SHADES = {"red": "background-color: #F6C3A8; font-weight: 600", "amber": "background-color: #FFF0C2", "": ""}


def over_column() -> str:
    return f"Workers above {load_settings().caseload_threshold:g} cases"


@dataclass
class TeamsView:
    table: pd.DataFrame  # one row per team or pod with posts in scope, worst pressure first
    unit_ids: list[str]  # unit_id of each table row, for drill-down from a selected row
    levels: list[str]  # each row's worst status: 'red', 'amber' or 'green'
    marks: pd.DataFrame  # 'red' / 'amber' / '' per cell of table, judged on unrounded values
    without_posts: list[str]  # names of teams and pods in scope with nothing to measure
    snapshot: date | None  # the caseload snapshot used
    period_from: date


def _by_unit(src: DataSource, name: str, scope: tuple, columns: dict[str, str], **when) -> pd.DataFrame:
    frame = src.metric(name, scope, by="unit", **when)
    return frame[["group", *columns]].rename(columns={"group": "unit_id", **columns})


def _judge(frame: pd.DataFrame) -> pd.DataFrame:
    """'red' / 'amber' / '' per judged cell."""
    thresholds = load_settings().thresholds
    marks = pd.DataFrame("", index=frame.index, columns=[column for _, column, _ in JUDGED])
    for key, column, _ in JUDGED:
        statuses = [thresholds[key].status(None if pd.isna(v) else float(v)) for v in frame[column]]
        marks[column] = [s if s in ("red", "amber") else "" for s in statuses]
    return marks


def _status_words(marks: pd.Series) -> str:
    """'Above red: vacancy rate, turnover; above amber: caseload', or 'Within thresholds'."""
    words = dict((column, name) for _, column, name in JUDGED)
    red = [words[c] for c, mark in marks.items() if mark == "red"]
    amber = [words[c] for c, mark in marks.items() if mark == "amber"]
    parts = (["Above red: " + ", ".join(red)] if red else []) + \
        ([("above" if red else "Above") + " amber: " + ", ".join(amber)] if amber else [])
    return "; ".join(parts) or "Within thresholds"


def teams_view(src: DataSource, current: Filters) -> TeamsView:
    as_at, scope = current.as_at, current.scope
    units = src.view("teams_in_scope", day=as_at, unit=current.unit)
    snapshot_frame = src.view("latest_snapshot", day=as_at)
    snapshot = snapshot_frame["snapshot_date"].iloc[0] if len(snapshot_frame) else None
    snapshot = None if pd.isna(snapshot) else snapshot
    period_from = period_start(as_at, TURNOVER_MONTHS)

    measures = [
        _by_unit(src, "interim_ratio", scope, {"occupied_headcount": "Headcount", "occupied_fte": "FTE in post",
                                          "cover_fte": "Cover FTE", "interim_ratio_pct": "Interim ratio (%)"},
                 as_of=as_at),
        _by_unit(src, "vacancy_rate", scope, {"establishment_fte": "Establishment FTE", "vacant_fte": "Vacant FTE",
                                         "vacancy_rate_pct": "Vacancy rate (%)"}, as_of=as_at),
        _by_unit(src, "turnover", scope, {"leavers": "Leavers, 12 months", "avg_headcount": "Average headcount",
                                     "turnover_rate_pct": "Turnover, 12 months (%)"},
                 date_from=period_from, date_to=as_at),
    ]
    caseload_columns = {"case_holders": "Case holders", "case_holding_fte": "Case-holding FTE", "cases": "Open cases",
                        "caseload_per_fte": "Caseload per FTE", "over_threshold": over_column()}
    if snapshot is not None:
        measures.append(_by_unit(src, "caseload", scope, caseload_columns, snapshot=snapshot))
    else:
        measures.append(pd.DataFrame(columns=["unit_id", *caseload_columns.values()]))

    frame = units.rename(columns={"unit_name": "Team or pod", "parent_name": "Parent"})
    frame["Level"] = frame["unit_level"].map(LEVELS)
    measured = set()
    for measure in measures:
        measured |= set(measure["unit_id"])
        frame = frame.merge(measure, on="unit_id", how="left")
    # A team listed by no metric has no posts (or none in the tier and social-work filters).
    has_posts = frame["unit_id"].isin(measured)
    without_posts = frame.loc[~has_posts, "Team or pod"].tolist()
    frame = frame[has_posts].reset_index(drop=True)

    marks = _judge(frame)
    frame["Status"] = [_status_words(row) for _, row in marks.iterrows()]
    frame["Note"] = frame["Average headcount"].map(small_group_note)
    frame["_red"] = (marks == "red").sum(axis=1)
    frame["_amber"] = (marks == "amber").sum(axis=1)
    order = frame.sort_values(["_red", "_amber", "Team or pod"], ascending=[False, False, True]).index
    frame, marks = frame.loc[order].reset_index(drop=True), marks.loc[order].reset_index(drop=True)
    levels = ["red" if r else "amber" if a else "green" for r, a in zip(frame["_red"], frame["_amber"])]

    columns = ["Team or pod", "Status", "Headcount", "FTE in post", "Vacancy rate (%)", "Vacant FTE",
               "Establishment FTE", "Interim ratio (%)", "Cover FTE", "Turnover, 12 months (%)",
               "Leavers, 12 months", "Average headcount", "Caseload per FTE", "Open cases", "Case-holding FTE",
               "Case holders", over_column(), "Note", "Level", "Parent"]
    table = frame[columns].copy()
    # Shown and downloaded to one decimal place, as DfE publishes; counts stay whole numbers.
    rounded = [c for c in columns if "(%)" in c or "FTE" in c or c in ("Average headcount", "Caseload per FTE")]
    table[rounded] = table[rounded].astype(float).round(1)
    for count in ("Headcount", "Leavers, 12 months", "Open cases", "Case holders", over_column()):
        table[count] = table[count].astype("Int64")
    marks = marks.reindex(columns=columns, fill_value="")
    return TeamsView(table, frame["unit_id"].tolist(), levels, marks, without_posts, snapshot, period_from)


def styled(view: TeamsView):
    """The table with breached cells shaded; the Status column carries the same meaning in words."""
    return view.table.style.apply(lambda _: view.marks.map(SHADES.get), axis=None)


def download_rules() -> SuppressionRules:
    # No count of cover staff is shown, so their FTE stands for it: below 5 it is hidden like a count.
    return SuppressionRules(
        counts=("Headcount", "Leavers, 12 months", "Case holders", over_column(), "Average headcount", "Cover FTE"),
        rates={"Interim ratio (%)": "Headcount", "Turnover, 12 months (%)": "Average headcount",
               "Caseload per FTE": "Case holders"},
        numerators={"Interim ratio (%)": "Cover FTE", "Turnover, 12 months (%)": "Leavers, 12 months"},
        companions={"Cover FTE": "Headcount", "FTE in post": "Headcount", "Case-holding FTE": "Case holders"},
        parts=((over_column(), "Case holders"),),
    )


def download_table(view: TeamsView, mode: str) -> pd.DataFrame:
    """The table as downloaded: in publication mode no count of 1 to 4 people can be read or worked out."""
    return suppress(view.table, download_rules(), mode)


def headline(view: TeamsView) -> dict[str, str]:
    """The counts above the chart, each with its denominator."""
    total = len(view.table)
    holders = int(view.table["Case holders"].fillna(0).sum())
    above = int(view.table[over_column()].fillna(0).sum())
    return {
        "Teams and pods": f"{total}",
        "Above a red threshold": f"{view.levels.count('red')} of {total}",
        "Above an amber threshold only": f"{view.levels.count('amber')} of {total}",
        f"{over_column()} (case holders)": f"{above} of {holders}" if holders else "—",
    }


def threshold_words() -> str:
    thresholds = load_settings().thresholds
    units = {"vacancy_rate": "%", "interim_ratio": "%", "turnover": "%", "caseload": " cases per FTE"}
    return "; ".join(f"{words} amber above {thresholds[key].amber:g}{units[key]}, red above {thresholds[key].red:g}"
                     f"{units[key]}" for key, _, words in JUDGED)


@dataclass
class PressurePoints:
    table: pd.DataFrame  # exactly what the scatter plots
    unit_ids: list[str]
    levels: list[str]
    unplotted: int  # teams with no vacancy rate or no caseload


def chart_points(view: TeamsView) -> PressurePoints:
    table = view.table
    plotted = (table["Vacancy rate (%)"].notna() & table["Caseload per FTE"].notna()).tolist()
    points = table.loc[plotted, ["Team or pod", "Vacancy rate (%)", "Caseload per FTE", "Case holders",
                                 "FTE in post", "Status"]]
    keep = [i for i, shown in enumerate(plotted) if shown]
    return PressurePoints(points.reset_index(drop=True), [view.unit_ids[i] for i in keep],
                          [view.levels[i] for i in keep], plotted.count(False))


def pressure_spec(points: PressurePoints, title: str, name: str) -> ChartSpec:
    """The scatter as an exportable chart; in publication mode a caseload resting on fewer than five
    case holders is left off the picture and shown as c in the data."""
    # The markers are sized by FTE in post, and no headcount is shown beside it: below 5 it is hidden.
    rules = SuppressionRules(counts=("Case holders", "FTE in post"), rates={"Caseload per FTE": "Case holders"})
    return ChartSpec(name=name, title=title, table=points.table, metric="caseload", rules=rules,
                     draw=lambda table: pressure_chart(PressurePoints(table, points.unit_ids, points.levels,
                                                                      points.unplotted), title))


def pressure_chart(points: PressurePoints, title: str) -> go.Figure:
    """Caseload per FTE against vacancy rate, one marker per team sized by FTE in post, with the
    amber and red thresholds as reference lines."""
    thresholds = load_settings().thresholds
    # In publication mode a small FTE in post is hidden (None here): its marker is drawn at the smallest size.
    table = points.table.assign(**{"FTE in post": pd.to_numeric(points.table["FTE in post"], errors="coerce")})
    fig = go.Figure()
    largest = max(float(table["FTE in post"].max()), 1.0) if len(table) and table["FTE in post"].notna().any() else 1.0
    top_x = max([thresholds["vacancy_rate"].red * 1.15, *table["Vacancy rate (%)"].dropna().tolist()]) * 1.08
    top_y = max([thresholds["caseload"].red * 1.1, *table["Caseload per FTE"].dropna().tolist()]) * 1.08
    for level, (name, colour, symbol) in STATUS_STYLE.items():
        chosen = [lv == level for lv in points.levels]
        part = table[chosen]
        if part.empty:
            continue
        # Only teams at pressure are named on the chart: forty names in one cluster would hide each other.
        labels = part["Team or pod"] if level != "green" else [""] * len(part)
        # Alternate label sides by caseload order so neighbouring names are less likely to collide.
        # Names of teams near the left edge go to the right of the marker, so the axis does not cut them.
        ranks = part["Caseload per FTE"].rank(method="first").fillna(0).astype(int)
        sides = ["right" if x < top_x * 0.12 else "center" for x in part["Vacancy rate (%)"].fillna(0)]
        fig.add_trace(go.Scatter(
            x=part["Vacancy rate (%)"], y=part["Caseload per FTE"], mode="markers+text", name=name,
            text=labels, textposition=[("top " if r % 2 else "bottom ") + side for r, side in zip(ranks, sides)],
            textfont={"size": 11, "color": charts.TEXT},
            customdata=[[u, n, f] for u, n, f, c in zip(points.unit_ids, table["Team or pod"],
                                                         table["FTE in post"], chosen) if c],
            marker={"size": part["FTE in post"].fillna(0), "sizemode": "area", "sizemin": 7,
                    "sizeref": 2.0 * largest / 34 ** 2, "color": colour, "symbol": symbol, "opacity": 0.8,
                    "line": {"color": "white", "width": 1}},
            hovertemplate=("<b>%{customdata[1]}</b><br>Vacancy rate %{x:.1f}%<br>Caseload %{y:.1f} cases per FTE"
                           "<br>%{customdata[2]:.1f} FTE in post<extra></extra>"),
        ))
    charts.base_layout(fig, title, x_title="Vacancy rate (%)", y_title="Open cases per case-holding FTE",
                       height=560)
    for key, axis, suffix in (("vacancy_rate", "x", "% vacant"), ("caseload", "y", " cases per FTE")):
        for band, value, dash in (("amber", thresholds[key].amber, "dash"), ("red", thresholds[key].red, "dot")):
            colour, label = STATUS_STYLE[band][1], f"{band.capitalize()} {value:g}{suffix}"
            line = {"color": colour, "dash": dash, "width": 1.5}
            if axis == "x":
                fig.add_vline(x=value, line=line, annotation_text=label, annotation_position="top right",
                              annotation_font={"size": 11, "color": colour})
            else:
                fig.add_hline(y=value, line=line, annotation_text=label, annotation_position="bottom right",
                              annotation_font={"size": 11, "color": colour})
    # A little room left of zero so teams with no vacancies are not cut in half by the axis.
    fig.update_xaxes(range=[-top_x * 0.03, top_x], ticksuffix="%", showgrid=True, gridcolor="#EEEEEE")
    fig.update_yaxes(range=[0, top_y])
    fig.update_layout(clickmode="event+select", legend={"y": 1.02})
    return fig
