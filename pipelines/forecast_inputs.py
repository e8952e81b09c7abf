"""The workforce forecast's inputs (docs/FORECAST.md): who is in post and where the vacancies are on the
as-at date, and the rates the history gives: leaving by length of service and grade (shrunk toward the
whole scope's rate where a cell has little history), filling by months open, and the share of vacant
FTE that cover staff fill. Every number comes from a named view or a metric with bound parameters,
through a `queries` object: a ConnectionQueries over a read-only connection (the command line's own, or the
one inside the dashboard's derived frames, whose unit argument the data source checks first)."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from pipelines.errors import UsageError
from pipelines.metrics import metric_frame, series_frame
from pipelines.settings import load_settings
from pipelines.views import month_ends_between, months_before, run_view

MIN_HISTORY_MONTHS = 24
MIN_PEOPLE = 20
# Length-of-service bands (upper bounds in whole months of service, exclusive): under 1 year, 1 to 2
# years, 2 to 5 years, 5 years or more. Early leaving is much commoner, so the bands are narrow there.
SERVICE_BAND_EDGES = (12, 24, 60)
SERVICE_BANDS = ("under 1 year", "1 to 2 years", "2 to 5 years", "5 years or more")
# Months a vacancy has been open: 0, 1, ... 11, and "12 or more" as one open-ended last bucket.
OPEN_BUCKETS = 13
MONTH_DAYS = 365.25 / 12
COVER_MONTHS = 6  # the cover share is the recent level: the last six month ends up to the as-at date


class ForecastRefused(UsageError):
    """The history or the scope cannot support a forecast; the message says why in plain words."""


@dataclass(frozen=True)
class ForecastSettings:
    history_years: int = 3
    # A cell's rate is (leavers + K x scope rate) / (person-months + K): with K person-months of its own
    # history a cell sits halfway between its own rate and the whole scope's.
    shrinkage_person_months: float = 120.0
    # The same for the chance of filling, per month a vacancy has been open, in vacancy-months.
    shrinkage_vacancy_months: float = 12.0


def forecast_settings() -> ForecastSettings:
    given = load_settings().raw.get("forecast", {})
    defaults = ForecastSettings()
    try:
        years = int(given.get("history_years", defaults.history_years))
        people = float(given.get("shrinkage_person_months", defaults.shrinkage_person_months))
        vacancies = float(given.get("shrinkage_vacancy_months", defaults.shrinkage_vacancy_months))
    except (TypeError, ValueError):
        raise UsageError("data/settings.toml [forecast]: history_years and the shrinkage values must be numbers.") from None
    if years < 1 or people < 0 or vacancies < 0:
        raise UsageError("data/settings.toml [forecast]: history_years must be 1 or more and the shrinkage "
                         "values 0 or more.")
    return ForecastSettings(years, people, vacancies)


class ConnectionQueries:
    """The command line's stand-in for reporting.source.DataSource: the same view/metric questions,
    answered on one open read-only connection."""

    def __init__(self, con):
        self.con = con

    def view(self, name: str, **params) -> pd.DataFrame:
        return run_view(self.con, name, params)

    def metric_series(self, name: str, scope: tuple, days: list[date]) -> pd.DataFrame:
        return series_frame(self.con, name, scope, days, threshold=load_settings().caseload_threshold)

    def metric(self, name: str, scope: tuple, by: str = "none", **when) -> pd.DataFrame:
        return metric_frame(self.con, name, scope, by, load_settings().caseload_threshold, **when)


def shrunk_rate(events: np.ndarray, exposure: np.ndarray, overall: float, strength: float) -> np.ndarray:
    """(events + strength x overall) / (exposure + strength): a cell with no history gets the overall rate."""
    events, exposure = np.asarray(events, dtype=float), np.asarray(exposure, dtype=float)
    if strength == 0:
        return np.where(exposure > 0, events / np.where(exposure > 0, exposure, 1), overall)
    return (events + strength * overall) / (exposure + strength)


def service_band(months) -> np.ndarray:
    return np.searchsorted(np.asarray(SERVICE_BAND_EDGES), np.asarray(months), side="right")


@dataclass
class LeavingRates:
    grades: list[str]  # row order of `monthly`; the last row is "any other grade" (the scope's rate)
    monthly: np.ndarray  # grades+1 x bands: chance of leaving within a month, shrunk
    scope_rate: float
    leavers_seen: int  # leavers the rates rest on
    table: pd.DataFrame  # grade, band, person_months, leavers, raw and shrunk monthly rates (for the docs/page)
    # how uncertain the level of leaving is, as a coefficient of variation (see rate_spread)
    spread: float = 0.0


def leaving_rates(history: pd.DataFrame, strength: float) -> LeavingRates:
    frame = history.assign(band=service_band(history["service_months"].astype(int)))
    cells = frame.groupby(["grade", "band"], as_index=False)[["person_months", "leavers"]].sum()
    total_exposure = float(cells["person_months"].sum())
    scope_rate = float(cells["leavers"].sum()) / total_exposure if total_exposure else 0.0
    grades = sorted(cells["grade"].unique().tolist())
    monthly = np.full((len(grades) + 1, len(SERVICE_BANDS)), scope_rate)
    if len(cells):
        rows = cells["grade"].map({g: i for i, g in enumerate(grades)}).to_numpy()
        shrunk = shrunk_rate(cells["leavers"], cells["person_months"], scope_rate, strength)
        monthly[rows, cells["band"].to_numpy()] = shrunk
        cells = cells.assign(raw_rate=cells["leavers"] / cells["person_months"], shrunk_rate=shrunk,
                             band=[SERVICE_BANDS[b] for b in cells["band"]])
    return LeavingRates(grades, monthly, scope_rate, int(cells["leavers"].sum()), cells, rate_spread(history))


def rate_spread(history: pd.DataFrame) -> float:
    """How far the true leaving rate in the year ahead may be from the history's average, as a coefficient of
    variation (standard deviation / mean): the estimate's own sampling error (1 / sqrt(leavers)) plus the
    year-to-year movement of the rate beyond what chance alone gives (the variance of the yearly rates less
    their sampling variance, rate / person-months, never below 0). Years with under a tenth of the
    person-months of the busiest year are left out of the year-to-year part (a part year at the start of
    the data)."""
    leavers = float(history["leavers"].sum())
    if leavers <= 0:
        return 0.0
    spread_squared = 1 / leavers
    if "year_back" in history:
        years = history.groupby("year_back")[["leavers", "person_months"]].sum()
        years = years[years["person_months"] >= 0.1 * years["person_months"].max()]
        if len(years) >= 2:
            rates = years["leavers"] / years["person_months"]
            mean = float(rates.mean())
            chance = float((rates / years["person_months"]).mean())
            if mean > 0:
                spread_squared += max(0.0, float(rates.var(ddof=1)) - chance) / mean ** 2
    return spread_squared ** 0.5


def fill_chances(episodes: pd.DataFrame, strength: float) -> tuple[np.ndarray, int]:
    """Chance a vacancy is filled within the next month, by whole months it has been open (0..11, 12+).
    Each episode adds exposure to every month it was open (a part month counts in part), and a filled
    episode an event in the month it ended; rate = events / exposure, shrunk toward the overall rate;
    chance = 1 - exp(-rate). Also returns how many fills the estimate rests on."""
    days = episodes["days"].to_numpy(dtype=float) if len(episodes) else np.zeros(0)
    filled = (episodes["outcome"] == "filled").to_numpy() if len(episodes) else np.zeros(0, dtype=bool)
    months_open = days / MONTH_DAYS
    starts = np.arange(OPEN_BUCKETS, dtype=float)
    ends = np.append(starts[1:], np.inf)
    exposure = np.clip(months_open[:, None] - starts[None, :], 0, (ends - starts)[None, :]).sum(axis=0)
    # the month of filling: the episode's last vacant day falls in it
    ended_in = np.minimum(np.floor((days - 1) / MONTH_DAYS), OPEN_BUCKETS - 1).astype(int)
    events = np.bincount(ended_in[filled], minlength=OPEN_BUCKETS).astype(float)
    overall = events.sum() / exposure.sum() if exposure.sum() else 0.0
    return 1 - np.exp(-shrunk_rate(events, exposure, overall, strength)), int(events.sum())


@dataclass
class ForecastInputs:
    as_of: date
    scope: tuple
    people: pd.DataFrame  # grade, fte, service_months (one row per person in post)
    posts: pd.DataFrame  # grade, budgeted_fte, held_fte, vacant_fte, fully_vacant, open_months
    leaving: LeavingRates
    fill: np.ndarray
    cover_share: float  # covered vacant FTE / vacant FTE over the last COVER_MONTHS month ends
    fills_seen: int = 0  # filled vacancies the fill chances rest on (for their uncertainty)
    cases: float | None = None  # open cases held in scope on the latest snapshot, if any
    case_holding_fte: float | None = None
    history_from: date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def establishment_fte(self) -> float:
        return float(self.posts["budgeted_fte"].sum())


def _floats(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].astype(float) for c in columns})


def check_history(coverage_start: date, data_end: date, as_of: date) -> None:
    if as_of > data_end:
        raise ForecastRefused(f"The as-at date {as_of} is after the loaded data end ({data_end}); choose a date "
                              "on or before it.")
    if months_before(as_of, MIN_HISTORY_MONTHS) < coverage_start:
        raise ForecastRefused(f"The loaded history starts on {coverage_start}, less than {MIN_HISTORY_MONTHS} "
                              f"months before {as_of}: too short to say how often people leave and posts are "
                              "filled, so no forecast is drawn.")


def gather_inputs(queries, scope: tuple, as_of: date, settings: ForecastSettings | None = None) -> ForecastInputs:
    """Everything the simulation needs for one scope (unit, tiers tuple, social_work_only) and as-at date."""
    settings = settings or forecast_settings()
    coverage = queries.view("data_coverage").iloc[0]
    check_history(coverage["coverage_start"], coverage["data_end"], as_of)
    unit, tiers, social_work_only = scope
    where = {"unit": unit, "tiers": list(tiers) or None, "social_work_only": bool(social_work_only)}
    people = _floats(queries.view("forecast_people", day=as_of, **where), ["fte"])
    if len(people) < MIN_PEOPLE:
        raise ForecastRefused(f"Fewer than {MIN_PEOPLE} people are in post in this selection on {as_of}: too few "
                              "for a forecast to mean anything. Choose a larger unit or fewer filters.")
    history_from = max(months_before(as_of, 12 * settings.history_years), coverage["coverage_start"])
    month_ends = [d for d in month_ends_between(history_from, as_of) if d >= history_from]
    if month_ends[-1] != as_of:
        month_ends.append(as_of)
    history = queries.view("forecast_leaving_history", days=month_ends, **where)
    episodes = queries.view("forecast_vacancy_history", day=as_of, date_from=history_from, **where)
    posts = _floats(queries.view("forecast_posts", day=as_of, **where), ["budgeted_fte", "held_fte", "cover_fte"])
    posts = posts.assign(vacant_fte=(posts["budgeted_fte"] - posts["held_fte"]).clip(lower=0),
                         fully_vacant=posts["held_fte"] == 0,
                         open_months=(posts["vacant_days"].fillna(0) // MONTH_DAYS).astype(int))
    cover_days = month_ends_between(months_before(as_of, COVER_MONTHS - 1), as_of)
    cover_days = sorted({*cover_days, as_of})
    vacancy = queries.metric_series("vacancy_rate", scope, cover_days)
    vacant = float(vacancy["vacant_fte"].astype(float).sum()) if len(vacancy) else 0.0
    covered = float(vacancy["covered_vacant_fte"].astype(float).sum()) if len(vacancy) else 0.0
    fill, fills_seen = fill_chances(episodes, settings.shrinkage_vacancy_months)
    inputs = ForecastInputs(as_of, scope, people, posts, leaving_rates(history, settings.shrinkage_person_months),
                            fill, covered / vacant if vacant else 0.0, fills_seen, history_from=history_from)
    _add_caseload(queries, scope, inputs)
    return inputs


def _add_caseload(queries, scope: tuple, inputs: ForecastInputs) -> None:
    """The open cases on the latest caseload snapshot in the year to the as-at date, if there is one."""
    snapshots = queries.view("snapshot_dates", date_from=months_before(inputs.as_of, 12), date_to=inputs.as_of)
    if not len(snapshots):
        return
    latest = snapshots["snapshot_date"].max()
    row = queries.metric("caseload", scope, snapshot=latest).iloc[0]
    if float(row["case_holding_fte"] or 0) > 0:
        inputs.cases = float(row["cases"])
        inputs.case_holding_fte = float(row["case_holding_fte"])
        inputs.notes.append(f"Caseloads from the snapshot of {latest}.")
