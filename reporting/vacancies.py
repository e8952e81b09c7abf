"""Vacancies view model: the vacancy rate and cover over time, how long filled posts stood empty,
and the posts empty on the as-at date. Every number comes from data.metric / metric_series or a
named view; this module only shapes them for the page."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from pipelines.views import month_ends_between, months_before
from reporting import charts, filters
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import SuppressionRules

RATE = "Vacancy rate"
COVER = "Share of vacant FTE covered by cover staff"
# Upper bounds (inclusive) of the days-to-fill and open-age bands; the last band is open-ended.
BANDS = [(30, "0–30 days"), (90, "31–90 days"), (180, "91–180 days"), (365, "181–365 days"),
         (float("inf"), "Over 365 days")]
BEFORE_DATA = "Before the data starts"
# A filled vacancy is the appointment of a person, so the bands are counts of people; the summary states
# their total. Empty posts (open vacancies) are posts, not people, and are not suppressed.
FILL_RULES = SuppressionRules(counts=("Vacancies filled",), column_totals=("Vacancies filled",))


def _scope_params(current: Filters) -> dict:
    return {"unit": current.unit, "tiers": current.tiers or None, "social_work_only": current.social_work_only}


def _band_counts(days: pd.Series) -> pd.Series:
    """Counts per band, every band listed (zeros too) so charts keep the same axis."""
    edges = [-float("inf")] + [upper for upper, _ in BANDS]
    banded = pd.cut(days, bins=edges, labels=[label for _, label in BANDS], right=True)
    return banded.value_counts(sort=False).reindex([label for _, label in BANDS], fill_value=0)


def fmt(value, unit: str = "", decimals: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:,.{decimals}f}{unit}"


# (a) vacancy rate and cover over time -------------------------------------------------------------

@dataclass
class RateTrend:
    plotted: pd.DataFrame  # long: Month end, Measure, Percent (what the line chart draws)
    table: pd.DataFrame  # the same numbers side by side, with their denominators
    latest: dict | None
    year_ago: dict | None
    first_day: date
    last_day: date

    @property
    def peak(self) -> float:
        """The highest plotted percentage (0 when nothing is plotted), to size the chart's headroom."""
        highest = self.plotted["Percent"].max() if len(self.plotted) else 0
        return 0.0 if pd.isna(highest) else float(highest)

    @property
    def has_posts(self) -> bool:
        return bool(self.latest) and (self.latest["establishment_fte"] or 0) > 0

    @property
    def denominators(self) -> str:
        row = self.latest
        return (f"{fmt(row['vacant_fte'])} vacant FTE of {fmt(row['establishment_fte'])} budgeted FTE; "
                f"{fmt(row['agency_cover_pct'], '%')} of the vacant FTE covered by cover staff "
                f"({fmt(row['covered_vacant_fte'])} FTE)")

    def change(self, field: str) -> str | None:
        if not self.year_ago or self.latest[field] is None or self.year_ago[field] is None:
            return None
        if pd.isna(self.latest[field]) or pd.isna(self.year_ago[field]):
            return None
        return f"{self.latest[field] - self.year_ago[field]:+.1f} points on a year earlier"


def rate_trend(src: DataSource, current: Filters) -> RateTrend:
    first_day = src.coverage()["coverage_start"]
    days = month_ends_between(first_day, current.as_at)
    if not days or days[-1] != current.as_at:
        days.append(current.as_at)  # an as-at date inside a month still gets its own point
    year_ago = months_before(current.as_at, 12)
    if year_ago >= first_day and year_ago not in days:
        days = sorted(days + [year_ago])
    frame = src.metric_series("vacancy_rate", current.scope, days)
    rows = {row["day"]: row for row in frame.to_dict("records")}
    monthly = frame[frame["day"].isin(month_ends_between(first_day, current.as_at) + [current.as_at])]
    table = pd.DataFrame({
        "Month end": monthly["day"],
        "Vacancy rate (%)": monthly["vacancy_rate_pct"].astype(float).round(1),
        "Vacant FTE covered by cover staff (%)": monthly["agency_cover_pct"].astype(float).round(1),
        "Vacant FTE": monthly["vacant_fte"].astype(float).round(1),
        "Budgeted FTE": monthly["establishment_fte"].astype(float).round(1),
        "Covered vacant FTE": monthly["covered_vacant_fte"].astype(float).round(1),
    }).reset_index(drop=True)
    return RateTrend(_plotted(table), table, rows.get(current.as_at), rows.get(year_ago), first_day, current.as_at)


def _plotted(table: pd.DataFrame) -> pd.DataFrame:
    """The rate table in long form for the line chart: Month end, Measure, Percent."""
    return pd.concat([
        pd.DataFrame({"Month end": pd.to_datetime(table["Month end"]), "Measure": RATE,
                      "Percent": table["Vacancy rate (%)"]}),
        pd.DataFrame({"Month end": pd.to_datetime(table["Month end"]), "Measure": COVER,
                      "Percent": table["Vacant FTE covered by cover staff (%)"]}),
    ], ignore_index=True)


# (b) days to fill ---------------------------------------------------------------------------------

@dataclass
class FillTimes:
    bands: pd.DataFrame  # Days to fill, Vacancies filled
    summary: dict  # the vacancy_duration metric's single row
    filled: int

    @property
    def peak(self) -> int:
        return int(self.bands["Vacancies filled"].max()) if len(self.bands) else 0


def fill_times(src: DataSource, current: Filters) -> FillTimes:
    episodes = src.view("filled_vacancies", date_from=current.period_from, date_to=current.as_at,
                         **_scope_params(current))
    days = episodes["days_to_fill"] if len(episodes) else pd.Series([], dtype=float)
    counts = _band_counts(days)
    bands = pd.DataFrame({"Days to fill": counts.index.astype(str), "Vacancies filled": counts.values.astype(int)})
    summary = src.metric("vacancy_duration", current.scope, date_from=current.period_from,
                          date_to=current.as_at).iloc[0].to_dict()
    return FillTimes(bands, summary, len(episodes))


# (c) open vacancies on the as-at date -------------------------------------------------------------

@dataclass
class OpenVacancies:
    table: pd.DataFrame  # one row per empty post, oldest first, for display and download
    unit_ids: list[str]  # the team of each table row, for drilling down
    bands: pd.DataFrame  # Age band, Open vacancies
    covered: int
    censored: int

    @property
    def count(self) -> int:
        return len(self.table)

    @property
    def peak(self) -> int:
        return int(self.bands["Open vacancies"].max()) if len(self.bands) else 0


def open_vacancies(src: DataSource, current: Filters) -> OpenVacancies:
    posts = src.view("open_vacancies", day=current.as_at, **_scope_params(current))
    if not len(posts):
        empty = pd.DataFrame(columns=["Post", "Post title", "Team", "Grade", "Tier", "Vacant since", "Age (days)",
                                      "Covered by cover staff"])
        return OpenVacancies(empty, [], pd.DataFrame(columns=["Age band", "Open vacancies"]), 0, 0)
    censored = posts["left_censored"].astype(bool)
    table = pd.DataFrame({
        "Post": posts["post_id"],
        "Post title": posts["post_title"],
        "Team": posts["unit_name"].fillna(posts["unit_id"]),
        "Grade": posts["grade"],
        "Tier": posts["tier"].map(lambda t: filters.TIER_LABELS.get(t, t)),
        "Vacant since": [BEFORE_DATA.lower() if old else f"{day:%Y-%m-%d}"
                         for day, old in zip(posts["vacant_since"], censored)],
        "Age (days)": posts["age_days"].astype(int),
        "Covered by cover staff": posts["covered"].map({True: "Yes", False: "No"}),
    })
    counts = _band_counts(posts.loc[~censored, "age_days"])
    bands = pd.DataFrame({"Age band": list(counts.index.astype(str)) + [BEFORE_DATA],
                          "Open vacancies": list(counts.values.astype(int)) + [int(censored.sum())]})
    return OpenVacancies(table, list(posts["unit_id"]), bands, int(posts["covered"].sum()), int(censored.sum()))


# Chart specs: one place builds each figure, for the page, the image exports and the scrutiny pack.

def rate_spec(src: DataSource, current: Filters, trend: "RateTrend") -> ChartSpec:
    title = f"Vacancy rate and cover of vacant FTE, month ends {trend.first_day:%b %Y} to {current.as_at:%b %Y}"

    def draw(table: pd.DataFrame):
        # From the table given (in publication mode, with hidden cells as gaps), never from the raw trend.
        fig = charts.line_chart(_plotted(table), "Month end", "Percent", "Measure", title, "Percent",
                                key_dates=src.view("key_dates", date_from=trend.first_day, date_to=current.as_at),
                                hover_suffix="%")
        # Headroom above the lines keeps the key-date labels clear of the data; the x axis stops at the as-at date.
        fig.update_yaxes(range=[0, max(10.0, 1.35 * trend.peak)], ticksuffix="%")
        fig.update_xaxes(range=[trend.first_day - timedelta(days=20), current.as_at + timedelta(days=20)])
        fig.update_layout(height=460)
        return fig

    # Vacant and budgeted FTE are posts, not people; the FTE covering them is people (acting, interim, agency,
    # seconded staff), so under 5 it is hidden in publication, and the share covered with it.
    rules = SuppressionRules(counts=("Covered vacant FTE",),
                             numerators={"Vacant FTE covered by cover staff (%)": "Covered vacant FTE"})
    return ChartSpec(name=f"vacancy-rate-{current.as_at:%Y-%m-%d}", title=title, table=trend.table, draw=draw,
                     metric="vacancy_rate", rules=rules)


def fill_spec(current: Filters, fills: "FillTimes") -> ChartSpec:
    title = f"Vacancies filled by days to fill, {current.period_from:%b %Y} to {current.as_at:%b %Y}"

    def draw(table: pd.DataFrame):
        fig = charts.bar_chart(table, "Days to fill", "Vacancies filled", title, "Vacancies filled",
                               text_format="{:.0f}")
        fig.update_xaxes(title="Days the post stood fully vacant")
        fig.update_yaxes(dtick=1 if fills.peak <= 8 else None)  # whole vacancies: no half-step ticks
        return fig

    return ChartSpec(name=f"days-to-fill-{current.period_from:%Y-%m-%d}-to-{current.as_at:%Y-%m-%d}", title=title,
                     table=fills.bands, draw=draw, metric="vacancy_duration", rules=FILL_RULES)


def open_age_spec(current: Filters, empty: "OpenVacancies") -> ChartSpec:
    title = f"Empty posts by time vacant, as at {current.as_at:%d %b %Y}"

    def draw(table: pd.DataFrame):
        fig = charts.bar_chart(table, "Age band", "Open vacancies", title, "Empty posts", text_format="{:.0f}")
        fig.update_xaxes(title="Time vacant on the as-at date")
        fig.update_yaxes(dtick=1 if empty.peak <= 8 else None)
        return fig

    return ChartSpec(name=f"open-vacancies-by-age-{current.as_at:%Y-%m-%d}", title=title, table=empty.bands,
                     draw=draw, metric="vacancy_duration")
