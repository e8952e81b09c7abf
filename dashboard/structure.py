"""Structure changes view model: structural events over time by type, change frequency per unit,
and the busiest restructure days. Structural change is scoped by unit only (METRICS.md section 7)."""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import data, filters
from dashboard.filters import Filters

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


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


# Headline -----------------------------------------------------------------------------------------

@dataclass
class Headline:
    events: int
    change_days: int
    per_12m: float

    def sentence(self, current: Filters) -> str:
        if self.events == 0:
            return f"No structural changes in the {current.months} months to {current.as_at:%d %b %Y}"
        days = plural(self.change_days, "day", "different days")
        return (f"{plural(self.events, 'structural change')} on {days} "
                f"in the {current.months} months to {current.as_at:%d %b %Y} ({self.per_12m:,.0f} per 12 months)")


def headline(current: Filters) -> Headline:
    row = data.metric("structural_changes", unit_scope(current), date_from=current.period_from,
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


def events_over_time(current: Filters) -> EventsOverTime:
    first_day = data.coverage()["coverage_start"]
    months = (current.as_at.year - first_day.year) * 12 + current.as_at.month - first_day.month + 1
    step = "Quarter" if months > QUARTERLY_AFTER_MONTHS else "Month"
    frame = data.view("structural_events_by_month", date_from=first_day, date_to=current.as_at, unit=current.unit)
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


def changes_by_unit(current: Filters) -> UnitChanges:
    frame = data.metric("structural_changes", unit_scope(current), by="unit", date_from=current.period_from,
                        date_to=current.as_at)
    if not len(frame):
        return UnitChanges(pd.DataFrame(columns=["Unit", "Events", "Days with changes", "Events per 12 months"]), [])
    names = filters.unit_labels(current.as_at)
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

def busiest_days(current: Filters) -> pd.DataFrame:
    frame = data.view("busiest_change_days", date_from=current.period_from, date_to=current.as_at,
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
