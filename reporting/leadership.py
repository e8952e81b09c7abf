"""Leadership and interims: the view-model behind pages/leadership_page.py.

Everything here returns frames ready to plot and tables ready to show (clear column names, units in
the names); the page only lays them out."""

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from pipelines.contract import MANAGEMENT_TIERS
from pipelines.views import month_end, month_ends_between
from reporting import charts
from reporting.chart_spec import ChartSpec
from reporting.filters import TIER_LABELS
from reporting.source import DataSource
from reporting.suppression import SuppressionRules

# Above this many posts the timeline becomes a wall of bars, so team managers wait behind a toggle.
LARGE_TIMELINE = 20
ROW_PX = 28  # height of one post's row on the timeline
ALL_MANAGEMENT = "All management posts"
ARRANGEMENT_LABELS = {"permanent": "Permanent", "fixed_term": "Fixed term", "acting": "Acting",
                      "interim": "Interim", "agency": "Agency", "secondment": "Secondment"}
# Substantive arrangements in calm blues/greens, cover in warmer hues; the pattern repeats the message
# for anyone who cannot tell the colours apart (and on a black-and-white print).
ARRANGEMENT_STYLE = {
    "permanent": ("#0072B2", ""), "fixed_term": ("#007A5E", "/"), "acting": ("#8A6100", "."),
    "interim": ("#D55E00", "x"), "agency": ("#A6427C", "\\"), "secondment": ("#5C5C5C", "+"),
}
TIER_ORDER = {tier: index for index, tier in enumerate(MANAGEMENT_TIERS)}


def _one_dp(value) -> str:
    return "—" if value is None or value != value else f"{value:,.1f}"


def key_dates(src: DataSource, first: date, last: date) -> pd.DataFrame:
    return src.view("key_dates", date_from=first, date_to=last)


# --- (a) interim ratio over time -------------------------------------------------------------------

@dataclass
class InterimHeadline:
    ratio_pct: float | None
    denominator: str


def interim_headline(src: DataSource, scope: tuple, as_at: date) -> InterimHeadline:
    row = src.metric("interim_ratio", scope, as_of=as_at).iloc[0]
    ratio = row["interim_ratio_pct"]
    ratio = None if ratio is None or ratio != ratio else float(ratio)
    if not row["occupied_headcount"]:
        return InterimHeadline(None, f"Nobody held a management post here on {as_at:%d %b %Y}.")
    return InterimHeadline(ratio, (
        f"{row['cover_headcount']} of {row['occupied_headcount']} people in management posts are cover "
        f"({_one_dp(row['cover_fte'])} of {_one_dp(row['occupied_fte'])} FTE) on {as_at:%d %b %Y}"))


def interim_days(coverage_start: date, as_at: date) -> list[date]:
    """Every month end from the start of the data, plus the as-at date itself when it is mid-month."""
    days = month_ends_between(coverage_start, as_at)
    return days if as_at == month_end(as_at) else [*days, as_at]


def interim_series(src: DataSource, scope: tuple, coverage_start: date, as_at: date) -> pd.DataFrame:
    """Interim ratio per management tier and for all management posts together, one row per month end."""
    days = interim_days(coverage_start, as_at)
    by_tier = src.metric_series("interim_ratio", scope, days, by="tier")
    overall = src.metric_series("interim_ratio", scope, days).assign(group=ALL_MANAGEMENT)
    # The engine always returns the overall row, even on a day nobody is in post: leave those days out.
    overall = overall[overall["occupied_headcount"] > 0]
    frame = pd.concat([overall, by_tier], ignore_index=True)
    frame["order"] = frame["group"].map(lambda g: TIER_ORDER.get(g, -1))
    frame = frame.sort_values(["order", "day"])
    return pd.DataFrame({
        "Month end": pd.to_datetime(frame["day"]),
        "Tier": frame["group"].map(lambda g: TIER_LABELS.get(g, g)),
        "Interim ratio (%)": frame["interim_ratio_pct"].astype(float).round(1),
        "Cover (people)": frame["cover_headcount"],
        "In post (people)": frame["occupied_headcount"],
        "Cover FTE": frame["cover_fte"].astype(float).round(1),
        "Occupied FTE": frame["occupied_fte"].astype(float).round(1),
    }).reset_index(drop=True)


def interim_note(series: pd.DataFrame, as_at: date) -> str:
    director = "The director tier is one post, so it reads 0% or 100%. " \
        if (series["Tier"] == TIER_LABELS["director"]).any() else ""
    return f"Monthly, as at each month end (and the as-at date). {director}As at {as_at:%d %b %Y}."


def interim_spec(series: pd.DataFrame, title: str, dates: pd.DataFrame, name: str) -> ChartSpec:
    # In publication mode a tier's rate resting on fewer than five people drops out of the exported picture.
    # Tiers add up to all management posts each month; in post minus cover is the permanent holders.
    rules = SuppressionRules(counts=("Cover (people)", "In post (people)"),
                             rates={"Interim ratio (%)": "In post (people)"},
                             numerators={"Interim ratio (%)": "Cover FTE"},
                             companions={"Cover FTE": "Cover (people)", "Occupied FTE": "In post (people)"},
                             parts=(("Cover (people)", "In post (people)"),),
                             total_row=("Tier", ALL_MANAGEMENT), group_by="Month end")
    return ChartSpec(name=name, title=title, table=series, metric="interim_ratio", rules=rules,
                     draw=lambda table: interim_figure(table, title, dates))


def interim_figure(series: pd.DataFrame, title: str, dates: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for index, (tier, part) in enumerate(series.groupby("Tier", sort=False)):
        overall = tier == ALL_MANAGEMENT
        fig.add_trace(go.Scatter(
            x=part["Month end"], y=part["Interim ratio (%)"], name=tier, mode="lines+markers",
            line={"color": "#1F1F1F" if overall else charts.PALETTE[index % len(charts.PALETTE)],
                  "dash": charts.DASHES[index % len(charts.DASHES)], "width": 3.5 if overall else 2},
            marker={"symbol": charts.MARKERS[index % len(charts.MARKERS)], "size": 5 if overall else 4},
            customdata=part[["Cover (people)", "In post (people)"]].to_numpy(),
            hovertemplate=(f"<b>{tier}</b><br>%{{x|%b %Y}}: %{{y:.1f}}%<br>"
                           "%{customdata[0]} of %{customdata[1]} people are cover<extra></extra>"),
        ))
    charts.base_layout(fig, title, y_title="Cover as % of occupied FTE", height=500)
    # Headroom above 100% keeps the key-date labels clear of the lines.
    fig.update_yaxes(range=[0, 132], tickvals=list(range(0, 101, 20)), ticktext=[f"{v}%" for v in range(0, 101, 20)])
    fig.update_layout(legend={"y": -0.12, "yanchor": "top"}, margin={"b": 90})
    _fit_dates(fig, series["Month end"].min(), series["Month end"].max())
    return charts.add_key_dates(fig, dates)


def _fit_dates(fig: go.Figure, first, last) -> go.Figure:
    """Pin the date axis to the data: Plotly would otherwise stretch it to fit the key-date labels."""
    fig.update_xaxes(range=[pd.Timestamp(first) - pd.Timedelta(days=45), pd.Timestamp(last) + pd.Timedelta(days=45)])
    return fig


# --- (b) who held each post ------------------------------------------------------------------------

def timeline_rows(src: DataSource, scope: tuple, as_at: date, include_team_managers: bool = True) -> pd.DataFrame:
    unit, tiers, social_work_only = scope
    # a tuple, so the question can be a cache key
    tiers = tuple(t for t in tiers if include_team_managers or t != "team_manager")
    if not tiers:
        return pd.DataFrame()
    return src.view("leadership_timeline", date_to=as_at, unit=unit, tiers=tiers,
                     social_work_only=social_work_only)


def timeline_size(src: DataSource, scope: tuple, as_at: date) -> tuple[int, int]:
    """(posts on the full timeline, team-manager posts among them), to choose the default view."""
    rows = timeline_rows(src, scope, as_at)
    if rows.empty:
        return 0, 0
    posts = rows.drop_duplicates("post_id")
    return len(posts), int((posts["post_tier"] == "team_manager").sum())


def timeline_is_large(src: DataSource, scope: tuple, as_at: date) -> bool:
    posts, team_managers = timeline_size(src, scope, as_at)
    return posts > LARGE_TIMELINE and team_managers > 0


def _post_labels(rows: pd.DataFrame) -> pd.Series:
    """Each post's title, with its unit when titles repeat (37 posts called 'Team Manager')."""
    posts = rows.drop_duplicates("post_id").set_index("post_id")
    repeated = posts["post_title"].duplicated(keep=False)
    labels = posts["post_title"].where(~repeated, posts["post_title"] + " · " + posts["unit_name"].astype(str))
    still = labels.duplicated(keep=False)
    labels = labels.where(~still, labels + " (" + labels.index + ")")
    return rows["post_id"].map(labels)


def timeline_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row and one bar per appointment (an assignment, across every row its post had: a restructure
    does not end it); holders numbered per post, never identified."""
    ongoing = rows["runs_on"].astype(bool)
    return pd.DataFrame({
        "Post": _post_labels(rows),
        "Tier": rows["post_tier"].map(TIER_LABELS),
        "Holder": "Holder " + rows["holder_number"].astype(int).astype(str),
        "Arrangement": rows["arrangement"].map(ARRANGEMENT_LABELS),
        "From": pd.to_datetime(rows["bar_from"]),
        "To": pd.to_datetime(rows["bar_to"]),
        "Still in post at the as-at date": ongoing.map({True: "Yes", False: "No"}),
        "FTE": rows["fte"].astype(float).round(1),
        "Different holders of this post": rows["holders_on_post"].astype(int),
    })


def timeline_spec(table: pd.DataFrame, title: str, dates: pd.DataFrame, name: str) -> ChartSpec:
    # Posts and dates only: holders are numbered, never named, so there is nothing to suppress.
    return ChartSpec(name=name, title=title, table=table, metric="leadership_churn",
                     draw=lambda shown: timeline_figure(shown, title, dates))


def timeline_figure(table: pd.DataFrame, title: str, dates: pd.DataFrame) -> go.Figure:
    """Gantt-style bars: one row per post, a bar per assignment, colour and pattern per arrangement."""
    # The row label carries the count of holders, the figure a councillor looks for first.
    holders = table["Different holders of this post"]
    rows = table["Post"] + "  ·  " + holders.astype(str) + " holder" + holders.map(lambda n: "" if n == 1 else "s")
    posts = list(dict.fromkeys(rows))
    fig = go.Figure()
    for arrangement, (colour, pattern) in ARRANGEMENT_STYLE.items():
        chosen = table["Arrangement"] == ARRANGEMENT_LABELS[arrangement]
        part = table[chosen]
        if part.empty:
            continue
        # A bar must reach the end of its last day, and a one-day acting stint must still be visible.
        length = (part["To"] - part["From"] + pd.Timedelta(days=1)).dt.total_seconds() * 1000
        end_words = part["To"].dt.strftime("%d %b %Y").where(part["Still in post at the as-at date"] == "No",
                                                               part["To"].dt.strftime("%d %b %Y") + " (still in post)")
        fig.add_trace(go.Bar(
            y=rows[chosen], x=length, base=part["From"], orientation="h", name=ARRANGEMENT_LABELS[arrangement],
            marker={"color": colour, "line": {"color": "white", "width": 1},
                    "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white", "size": 7,
                                "solidity": 0.3}},
            customdata=list(zip(part["Post"], part["Holder"], part["From"].dt.strftime("%d %b %Y"), end_words,
                                part["Different holders of this post"])),
            hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]} of %{customdata[4]} · "
                           f"{ARRANGEMENT_LABELS[arrangement]}<br>"
                           "%{customdata[2]} to %{customdata[3]}<extra></extra>"),
        ))
    # Key-date labels sit in the top part of the plot (shared charts.add_key_dates); empty rows give them
    # a band of their own instead of covering the director's row.
    blank = [" " * (i + 1) for i in range(math.ceil((0.14 * len(posts) * ROW_PX + 24) / (0.86 * ROW_PX)))] \
        if len(dates) else []
    if blank:
        fig.add_trace(go.Scatter(y=blank, x=[table["From"].min()] * len(blank), mode="markers", showlegend=False,
                                 marker={"opacity": 0}, hoverinfo="skip"))
    charts.base_layout(fig, title, height=160 + ROW_PX * (len(posts) + len(blank)))
    fig.update_layout(barmode="overlay", bargap=0.25, legend={"traceorder": "normal"},
                      margin={"l": 20, "t": 100})
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#EEEEEE")
    fig.update_yaxes(categoryorder="array", categoryarray=blank + posts, autorange="reversed", rangemode=None,
                     automargin=True, tickfont={"size": 12}, showgrid=False)
    _fit_dates(fig, table["From"].min(), table["To"].max())
    # Post names take the left part of the picture, so the dates get a narrower plot area.
    return charts.add_key_dates(fig, dates, plot_px=400)


def timeline_summary(table: pd.DataFrame) -> str:
    posts = table.drop_duplicates("Post")
    busiest = posts.sort_values("Different holders of this post", ascending=False, kind="stable").iloc[0]
    # One row per appointment (the view merges a post's rows), so this is cover appointments / appointments.
    cover = table["Arrangement"].isin(["Acting", "Interim", "Agency", "Secondment"]).mean() * 100
    most = int(busiest["Different holders of this post"])
    changed = (f"The most changed: {busiest['Post']}, held by {most} different people."
               if most > 1 else "Each post had a single holder throughout.")
    return (f"{len(posts)} post{'s' if len(posts) != 1 else ''} shown. {changed} "
            f"{cover:.1f}% of the appointments shown were cover arrangements.")


COVER_LABELS = ("Acting", "Interim", "Agency", "Secondment")


def posts_table(table: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """One row per post from the appointments table: how many people held it, how many appointments were
    cover, and who holds it on the as-at date and on what basis (numbered, never named). For paper."""
    rows = []
    for post, appointments in table.groupby("Post", sort=False):
        now = appointments[appointments["Still in post at the as-at date"] == "Yes"]
        rows.append({
            "Post": post,
            "Tier": appointments["Tier"].iloc[0],
            "Different holders": int(appointments["Different holders of this post"].iloc[0]),
            "Appointments": len(appointments),
            "Cover appointments": int(appointments["Arrangement"].isin(COVER_LABELS).sum()),
            f"Held on {as_at:%d %b %Y}": ("; ".join(f"{h} ({a.lower()}, since {f:%d %b %Y})" for h, a, f in
                                                   zip(now["Holder"], now["Arrangement"], now["From"]))
                                         or "Vacant"),
        })
    return pd.DataFrame(rows)


# --- (c) churn in the period -----------------------------------------------------------------------

def churn(src: DataSource, scope: tuple, date_from: date, date_to: date) -> tuple[pd.DataFrame, pd.Series]:
    by_tier = src.metric("leadership_churn", scope, by="tier", date_from=date_from, date_to=date_to)
    overall = src.metric("leadership_churn", scope, date_from=date_from, date_to=date_to).iloc[0]
    by_tier = by_tier.assign(order=by_tier["group"].map(TIER_ORDER)).sort_values("order")
    table = pd.DataFrame({
        "Tier": by_tier["group"].map(TIER_LABELS),
        "Management posts": by_tier["posts"],
        "Changes of holder": by_tier["holder_changes"],
        "Different holders": by_tier["distinct_holders"],
    }).reset_index(drop=True)
    return table, overall


def churn_sentence(overall: pd.Series, period_phrase: str) -> str:
    """period_phrase: 'the 12 months to 31 Dec 2024' or 'the period 15 Jan 2024 to 31 Dec 2024'."""
    posts, changes, holders = int(overall["posts"]), int(overall["holder_changes"]), int(overall["distinct_holders"])
    return (f"In {period_phrase}, {posts} management post{'s' if posts != 1 else ''} "
            f"had {changes} change{'s' if changes != 1 else ''} of holder and {'were' if posts != 1 else 'was'} "
            f"held by {holders} different {'people' if holders != 1 else 'person'}.")


def churn_rules() -> SuppressionRules:
    # The pack's summary states the totals over all tiers, so a lone hidden tier needs a second one.
    return SuppressionRules(counts=("Changes of holder", "Different holders"),
                            column_totals=("Changes of holder", "Different holders"))


def churn_spec(table: pd.DataFrame, title: str, name: str) -> ChartSpec:
    rules = churn_rules()
    return ChartSpec(name=name, title=title, table=table, metric="leadership_churn", rules=rules,
                     draw=lambda shown: churn_figure(shown, title))


def churn_figure(table: pd.DataFrame, title: str) -> go.Figure:
    long = table.melt(id_vars="Tier", var_name="Measure", value_name="Count")
    fig = charts.bar_chart(long, "Tier", "Count", title, "Count", color="Measure", text_format="{:.0f}")
    # Solid colour under a white pattern keeps the bars easy to see; counts sit above them, zeros included.
    fig.update_traces(textposition="outside", cliponaxis=False, marker_pattern_fillmode="overlay",
                      marker_pattern_fgcolor="white", marker_pattern_solidity=0.3)
    fig.update_layout(legend={"y": -0.15, "yanchor": "top"}, margin={"b": 90, "t": 90})
    return fig
