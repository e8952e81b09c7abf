"""Structure changes view model: structural events over time by type, change frequency per unit,
and the busiest restructure days. Structural change is scoped by unit only (METRICS.md section 7)."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from reporting import charts, filters
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.words import plural

EVENT_LABELS = {
    "unit_created": "Unit created",
    "unit_closed": "Unit closed",
    "unit_renamed": "Unit renamed",
    "unit_moved": "Unit moved to a new parent",
    "post_created": "Post created",
    "post_deleted": "Post deleted",
    "post_moved": "Post moved to another unit",
    "post_regraded": "Post regraded",
}
# Beyond four years, monthly bars get too thin to read: show quarters instead.
QUARTERLY_AFTER_MONTHS = 48
MOST_UNITS_PLOTTED = 20


def unit_scope(current: Filters) -> tuple:
    """The metric takes no tier or social-work filter, so they are dropped here (and cached once)."""
    return (current.unit, (), False)


def ignores_filters(current: Filters) -> bool:
    return bool(current.tiers) or current.social_work_only


# Headline -----------------------------------------------------------------------------------------

@dataclass
class Headline:
    events: int
    change_days: int
    per_12m: float

    def sentence(self, current: Filters) -> str:
        if self.events == 0:
            return f"No structural changes in {current.period_phrase}"
        days = plural(self.change_days, "day", "different days")
        return (f"{plural(self.events, 'structural change')} on {days} "
                f"in {current.period_phrase} ({self.per_12m:,.0f} per 12 months)")


def last_change(src: DataSource, current: Filters) -> str:
    """'The last change before then was on 3 Mar 2023: 41 changes touching 12 units.', or '' if none."""
    frame = src.view("last_change_day", date_to=current.as_at, unit=current.unit)
    if not len(frame):
        return "There is no structural change in the data for this part of the service."
    row = frame.iloc[0]
    return (f"The last change was on {row['event_date']:%d %b %Y}: {plural(int(row['events']), 'change')} touching "
            f"{plural(int(row['units_touched']), 'unit')}.")


def headline(src: DataSource, current: Filters) -> Headline:
    row = src.metric("structural_changes", unit_scope(current), date_from=current.period_from,
                      date_to=current.as_at).iloc[0]
    return Headline(int(row["events"]), int(row["change_days"]), float(row["events_per_12m"]))


# (a) events over time by type ---------------------------------------------------------------------

@dataclass
class EventsOverTime:
    plotted: pd.DataFrame  # period start (datetime), Type of change, Events
    step: str  # 'Month' or 'Quarter'
    first_day: date
    last_day: date

    @property
    def total(self) -> int:
        return int(self.plotted["Events"].sum()) if len(self.plotted) else 0

    @property
    def peak(self) -> int:
        """The tallest stacked bar, to leave room above it for the key-date labels."""
        return int(self.plotted.groupby(self.x)["Events"].sum().max()) if len(self.plotted) else 0

    @property
    def x(self) -> str:
        return f"{self.step} starting"


def events_over_time(src: DataSource, current: Filters) -> EventsOverTime:
    first_day = src.coverage()["coverage_start"]
    months = (current.as_at.year - first_day.year) * 12 + current.as_at.month - first_day.month + 1
    step = "Quarter" if months > QUARTERLY_AFTER_MONTHS else "Month"
    frame = src.view("structural_events_by_month", date_from=first_day, date_to=current.as_at, unit=current.unit)
    columns = [f"{step} starting", "Type of change", "Events"]
    if not len(frame):
        return EventsOverTime(pd.DataFrame(columns=columns), step, first_day, current.as_at)
    starts = pd.to_datetime(frame["month_start"])
    if step == "Quarter":
        # an event has one date, so summing its months into quarters still counts it once
        starts = starts.dt.to_period("Q").dt.start_time
    shaped = pd.DataFrame({columns[0]: starts, "type": frame["event_type"], "Events": frame["events"].astype(int)})
    shaped = shaped.groupby([columns[0], "type"], as_index=False)["Events"].sum()
    order = {t: i for i, t in enumerate(EVENT_LABELS)}
    shaped = shaped.sort_values(["type", columns[0]], key=lambda s: s.map(order) if s.name == "type" else s)
    shaped.insert(1, "Type of change", shaped.pop("type").map(EVENT_LABELS))
    return EventsOverTime(shaped.reset_index(drop=True), step, first_day, current.as_at)


# (b) change frequency per unit ---------------------------------------------------------------------

@dataclass
class UnitChanges:
    table: pd.DataFrame  # Unit, Events, Days with changes, Events per 12 months; busiest first
    unit_ids: list[str]  # the unit of each table row, for drilling down

    @property
    def plotted(self) -> pd.DataFrame:
        """The busiest units only: beyond about twenty bars a chart stops being readable."""
        return self.table.head(MOST_UNITS_PLOTTED)

    @property
    def plotted_ids(self) -> list[str]:
        return self.unit_ids[:MOST_UNITS_PLOTTED]

    @property
    def all_plotted(self) -> bool:
        return len(self.table) <= MOST_UNITS_PLOTTED


def changes_by_unit(src: DataSource, current: Filters) -> UnitChanges:
    frame = src.metric("structural_changes", unit_scope(current), by="unit", date_from=current.period_from,
                        date_to=current.as_at)
    if not len(frame):
        return UnitChanges(pd.DataFrame(columns=["Unit", "Events", "Days with changes", "Events per 12 months"]), [])
    names = filters.unit_labels(src, current.as_at)
    labels = frame["group"].map(lambda u: names.get(u, u))
    # two units can share a name (e.g. after a rename): the bar chart needs distinct labels
    clash = labels.duplicated(keep=False)
    labels = labels.where(~clash, labels + " (" + frame["group"] + ")")
    table = pd.DataFrame({
        "Unit": labels,
        "Events": frame["events"].astype(int),
        "Days with changes": frame["change_days"].astype(int),
        "Events per 12 months": frame["events_per_12m"].astype(float).round(1),
        "unit_id": frame["group"],
    }).sort_values(["Events", "Unit"], ascending=[False, True])
    return UnitChanges(table.drop(columns="unit_id").reset_index(drop=True), list(table["unit_id"]))


# (c) busiest restructure days ---------------------------------------------------------------------

def busiest_days(src: DataSource, current: Filters) -> pd.DataFrame:
    frame = src.view("busiest_change_days", date_from=current.period_from, date_to=current.as_at,
                      unit=current.unit)
    if not len(frame):
        return frame
    table = pd.DataFrame({"Date": frame["event_date"], "Events": frame["events"].astype(int)})
    for event_type, label in EVENT_LABELS.items():
        if frame[event_type].sum() > 0:  # columns of types that never happened that day only add noise
            table[label] = frame[event_type].astype(int)
    table["Units touched"] = frame["units_touched_count"].astype(int)
    table["Names of units touched"] = frame["units_touched"]
    return table


def _colour_by_type(fig) -> None:
    """Each type keeps its colour and pattern whichever types a selection happens to contain."""
    patterns = ["", "/", ".", "x", "-", "\\", "+", "|"]
    labels = list(EVENT_LABELS.values())
    for trace in fig.data:
        index = labels.index(trace.name)
        trace.marker.color = charts.PALETTE[index % len(charts.PALETTE)]
        trace.marker.pattern.shape = patterns[index % len(patterns)]


def over_time_spec(src: DataSource, current: Filters, over_time: EventsOverTime) -> ChartSpec:
    """Stacked bars of changes per month or quarter by type, with key dates."""
    title = (f"Structural changes by {over_time.step.lower()} and type, "
             f"{over_time.first_day:%b %Y} to {current.as_at:%b %Y}")

    def draw(table: pd.DataFrame):
        fig = charts.bar_chart(table, over_time.x, "Events",
                               title, "Changes",
                               color="Type of change", stack=True, text_format="{:.0f}")
        _colour_by_type(fig)
        # A date axis sizes bars from the closest pair of dates: fix the width so sparse years stay readable.
        fig.update_traces(width=(85 if over_time.step == "Quarter" else 28) * 86_400_000, textposition="none",
                          hovertemplate="%{x|%b %Y}: %{y} × %{fullData.name}<extra></extra>")
        # Headroom keeps the key-date labels clear of the bars; the x axis stops at the as-at date.
        fig.update_yaxes(range=[0, max(5, 1.35 * over_time.peak)])
        fig.update_xaxes(range=[over_time.first_day - timedelta(days=60), current.as_at + timedelta(days=60)])
        fig.update_layout(height=480, margin={"t": 120}, legend={"traceorder": "normal"})
        charts.add_key_dates(fig, src.view("key_dates", date_from=over_time.first_day, date_to=current.as_at))
        fig.update_shapes(layer="below")  # key-date lines behind the bars, so thin bars stay visible
        return fig

    return ChartSpec(name=f"structural-changes-over-time-{current.as_at:%Y-%m-%d}", title=title, table=over_time.plotted,
                     draw=draw, metric="structural_changes")


def by_unit_spec(current: Filters, by_unit: UnitChanges) -> ChartSpec:
    """Horizontal bars of changes per unit (the busiest ones), each bar carrying its unit id for drill-down."""
    period = f"{current.period_from:%b %Y} to {current.as_at:%b %Y}"
    shown = by_unit.plotted
    busiest = "" if by_unit.all_plotted else f"the {len(shown)} busiest units"
    title = f"Structural changes by unit{', ' + busiest if busiest else ''}, {period}"

    def draw(table: pd.DataFrame):
        fig = charts.bar_chart(table, "Unit", "Events", title,
                               "Changes", horizontal=True, text_format="{:.0f}")
        fig.update_traces(customdata=by_unit.plotted_ids, hovertemplate="%{y}: %{x} changes<extra></extra>",
                          textposition="outside", cliponaxis=False)
        fig.update_layout(height=max(220, 130 + 26 * len(table)), margin={"l": 240}, bargap=0.35)
        return fig

    return ChartSpec(name=f"structural-changes-by-unit-{current.as_at:%Y-%m-%d}", title=title, table=shown, draw=draw,
                     metric="structural_changes")
