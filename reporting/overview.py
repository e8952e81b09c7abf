"""The overview's headline cards: value, change on a year earlier, sparkline, denominator, status."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipelines.settings import load_settings
from pipelines.views import months_before, period_start
from reporting.filters import Filters
from reporting.overview_publish import published_basis
from reporting.source import DataSource
from reporting.suppression import INTERNAL, SUPPRESSED

SPARK_MONTHS = 24


@dataclass
class Card:
    key: str
    label: str
    metric: str
    unit: str  # '%', ' days', ' events', ' cases'
    value: float | None = None
    previous: float | None = None
    denominator: str = ""
    sparkline: list[float] = field(default_factory=list)
    status: str = "none"
    better: str = "lower"  # which direction is good, from the thresholds in data/settings.toml
    note: str = ""
    basis: object = None  # the metric row the card was read from, to write its publication-mode words

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def decimals(self) -> int:
        return 0 if self.unit == " events" else 1

    @property
    def shown_value(self) -> str:
        return "—" if self.value is None else f"{self.value:,.{self.decimals}f}{self.unit}"

    @property
    def shown_change(self) -> str | None:
        """'+2.1 points on a year earlier': percentage points for rates, the measure's own unit otherwise."""
        if self.change is None:
            return None
        unit = " points" if self.unit == "%" else self.unit
        return f"{self.change:+,.{self.decimals}f}{unit} on a year earlier"


def _fmt(value, unit="") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}"


def _as_of_card(src: DataSource, card: Card, scope, as_at: date, field_name: str, describe) -> Card:
    days = [months_before(as_at, k) for k in range(SPARK_MONTHS, -1, -1)]
    frame = src.metric_series(card.metric, scope, days)
    by_day = {row.day: row for row in frame.itertuples()}
    latest, year_ago = by_day.get(as_at), by_day.get(months_before(as_at, 12))
    card.value = getattr(latest, field_name) if latest is not None else None
    card.previous = getattr(year_ago, field_name) if year_ago is not None else None
    card.sparkline = [v for v in frame[field_name].tolist() if v == v and v is not None]
    card.denominator = describe(latest) if latest is not None else ""
    card.basis = latest
    return card


def _period_value(src: DataSource, metric: str, scope, end: date, field_name: str):
    frame = src.metric(metric, scope, date_from=period_start(end, 12), date_to=end)
    return frame.iloc[0], frame.iloc[0][field_name]


def _period_card(src: DataSource, card: Card, scope, as_at: date, field_name: str, describe) -> Card:
    ends = [months_before(as_at, k) for k in range(SPARK_MONTHS, -1, -3)]
    values = [_period_value(src, card.metric, scope, end, field_name)[1] for end in ends]
    latest_row, card.value = _period_value(src, card.metric, scope, as_at, field_name)
    card.previous = _period_value(src, card.metric, scope, months_before(as_at, 12), field_name)[1]
    card.sparkline = [v for v in values if v is not None and v == v]
    card.denominator = describe(latest_row)
    card.basis = latest_row
    return card


def _caseload_card(src: DataSource, card: Card, scope, as_at: date) -> Card:
    snapshots = src.view("snapshot_dates", date_from=months_before(as_at, SPARK_MONTHS), date_to=as_at)
    days = list(snapshots["snapshot_date"])
    if not days:
        card.note = "No caseload snapshot on or before this date."
        return card
    frame = src.metric_series("caseload", scope, days)
    latest = frame.iloc[-1]
    card.value = latest["caseload_per_fte"]
    earlier = frame[frame["day"] <= months_before(latest["day"], 12)]
    card.previous = earlier.iloc[-1]["caseload_per_fte"] if len(earlier) else None
    card.sparkline = [v for v in frame["caseload_per_fte"].tolist() if v is not None and v == v]
    card.basis = latest
    card.denominator = (f"{latest['cases']:,} cases / {latest['case_holding_fte']:,.1f} case-holding FTE "
                        f"on {latest['day']:%d %b %Y}; {latest['over_threshold']} above "
                        f"{load_settings().caseload_threshold:g} cases")
    return card


def headline_cards(src: DataSource, current: Filters) -> list[Card]:
    scope, as_at = current.scope, current.as_at
    cards = []
    management = current.management_scope
    interim = Card("interim_ratio", "Interim ratio (managers)", "interim_ratio", "%")
    if management is None:
        interim.note = "The tier filter leaves out every management tier."
        cards.append(interim)
    else:
        cards.append(_as_of_card(src, interim, management, as_at, "interim_ratio_pct", lambda r: (
            f"{r.cover_headcount} of {r.occupied_headcount} people in management posts are cover "
            f"({_fmt(r.cover_fte)} of {_fmt(r.occupied_fte)} FTE)")))
    cards.append(_as_of_card(src, Card("agency_rate", "Agency rate", "agency_rate", "%"), scope, as_at, "agency_rate_pct",
                             lambda r: f"{_fmt(r.agency_fte)} agency FTE of {_fmt(r.agency_fte + r.substantive_fte)} FTE"))
    cards.append(_as_of_card(src, Card("vacancy_rate", "Vacancy rate", "vacancy_rate", "%"), scope, as_at,
                             "vacancy_rate_pct", lambda r: (
                                 f"{_fmt(r.vacant_fte)} vacant FTE of {_fmt(r.establishment_fte)} budgeted FTE; "
                                 f"{_fmt(r.agency_cover_pct, '%')} of it covered")))
    cards.append(_period_card(src, Card("turnover", "Turnover (12 months)", "turnover", "%"), scope, as_at,
                              "turnover_rate_pct", lambda r: (
                                  f"{r['leavers']} leavers over an average headcount of {r['avg_headcount']:,.1f}")))
    cards.append(_period_card(src, Card("stability", "Stability (12 months)", "stability", "%"), scope, as_at,
                              "stability_index_pct", lambda r: (
                                  f"{r['stable']} of {r['headcount_start']} staff in post a year earlier stayed")))
    cards.append(_period_card(src, Card("median_days_to_fill", "Median days to fill", "vacancy_duration", " days"), scope,
                              as_at, "median_days_to_fill", lambda r: (
                                  f"{r['filled']} vacancies filled in 12 months; {r['open']} open, "
                                  f"{r['open_over_180_days']} of them over 180 days")))
    cards.append(_period_card(src, Card("structural_changes", "Structure changes",
                                   "structural_changes", " events"), (current.unit, (), False), as_at, "events", lambda r: (
                                       f"{r['events']} changes on {r['change_days']} different days in the 12 months"
                                       if r["events"] else "No changes to units or posts in the 12 months")))
    cards.append(_caseload_card(src, Card("caseload", "Caseload per FTE", "caseload", " cases"), scope, as_at))
    thresholds = load_settings().thresholds
    for card in cards:
        card.status = thresholds[card.key].status(card.value)
        card.better = thresholds[card.key].better
    return cards


STATUS_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "No status"}


def _rounded(card: Card, value: float | None) -> float | int | None:
    """To the card's own precision: counts of events as whole numbers (8, not 8.0), rates to one decimal."""
    if value is None:
        return None
    return int(round(value)) if card.decimals == 0 else round(value, 1)


def cards_table(cards: list[Card], current: Filters, mode: str = INTERNAL) -> pd.DataFrame:
    """The cards as one table (what an officer pastes into a paper), with the as-at date on every row. In
    publication mode a value resting on 1 to 4 people is 'c' (and so is its change, which would give it back),
    and the 'Based on' words say 'fewer than 5' instead of the count."""
    rows = []
    for card in cards:
        basis, hide = (card.note or card.denominator, False) if mode == INTERNAL else published_basis(card)
        rows.append({
            "Measure": card.label,
            "Value": SUPPRESSED if hide else _rounded(card, card.value),
            "Unit": card.unit.strip() or "%",
            "A year earlier": _rounded(card, card.previous),
            "Change": SUPPRESSED if hide and card.change is not None else _rounded(card, card.change),
            "Status": "c" if hide else STATUS_LABELS[card.status],
            "Based on": card.note or basis,
            "As at": current.as_at.isoformat(),
        })
    table = pd.DataFrame(rows)
    for column in ("Value", "A year earlier", "Change"):  # each row to its own precision: 2 events, 12.3%
        table[column] = pd.Series([row[column] for row in rows], dtype=object)
    return table
