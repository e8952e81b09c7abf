"""The workforce forecast's Monte Carlo (docs/FORECAST.md): every person in post and every vacant place is
followed month by month on many paths at once (numpy arrays of paths x places, a fixed seed), and the
median and an 80% band (10th to 90th percentile of the paths) are taken for every figure and month.

A *place* is either a person in post (their FTE, grade and months of service) or a vacant part of a post
(at most 1 FTE each). Each month, with one random number per place and path:
- a person leaves with their grade and length-of-service band's chance (x the what-if multiplier); their
  place becomes vacant, open for 0 months;
- a vacant place that can be filled is filled with the chance for its months open; the starter has the
  place's FTE and grade and 0 months of service. A part-vacant remainder under 0.5 FTE of a post
  someone still holds is not recruited to (it stays vacant, as such remainders mostly do);
- the what-if's extra recruits and agency conversions then fill vacant places in order.
Rates estimated from a few years of history are themselves uncertain, so each path also scales all its
leaving chances, and all its fill chances, by a factor drawn once for the path: Gamma(n, 1/n), where n is
the number of leavers (or fills) the rates rest on (mean 1, spread 1/sqrt(n): 100 leavers, about 10%).
Cover FTE is the recent cover share x vacant FTE; caseload per FTE is the open cases (plus the what-if's
monthly change) over the case-holding FTE, which moves with the FTE in post."""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pipelines.errors import UsageError
from pipelines.forecast_inputs import OPEN_BUCKETS, SERVICE_BAND_EDGES, ForecastInputs, service_band
from pipelines.forecast_whatif import WhatIf
from pipelines.views import months_before

DEFAULT_PATHS = 1000
DEFAULT_SEED = 2026
SERVICE_CAP = SERVICE_BAND_EDGES[-1]  # months of service past which the band no longer changes
# (name, label, unit): the figures of every forecast row, in order
FIGURES = (
    ("in_post_headcount", "People in post", "people"),
    ("in_post_fte", "FTE in post", "FTE"),
    ("leavers", "Leavers in the month", "people"),
    ("starters", "Starters in the month", "people"),
    ("vacancy_rate_pct", "Vacancy rate", "%"),
    ("vacant_fte", "Vacant FTE", "FTE"),
    ("cover_fte", "Agency/cover FTE on vacant posts", "FTE"),
    ("caseload_per_fte", "Caseload per FTE", "cases per FTE"),
)
BAND = ("p10", "median", "p90")


def month_after(day: date, months: int) -> date:
    return months_before(day, -months)


@dataclass
class Places:
    fte: np.ndarray  # (places,) float32
    grade: np.ndarray  # (places,) int: row of the leaving-rate table
    fillable: np.ndarray  # (places,) bool
    occupied: np.ndarray  # (places,) bool, at the start
    service: np.ndarray  # (places,) int16 months of service (people)
    open_months: np.ndarray  # (places,) int16 months open (vacant places)
    establishment_fte: float


def build_places(inputs: ForecastInputs, what_if: WhatIf) -> Places:
    grade_row = {g: i for i, g in enumerate(inputs.leaving.grades)}
    other = len(inputs.leaving.grades)
    people = inputs.people
    fte, grade, fillable, occupied, service, open_months = (
        [people["fte"].to_numpy(float)], [people["grade"].map(grade_row).fillna(other).to_numpy(int)],
        [np.ones(len(people), bool)], [np.ones(len(people), bool)],
        [people["service_months"].to_numpy(int)], [np.zeros(len(people), int)])
    vacant = inputs.posts[inputs.posts["vacant_fte"] > 1e-9]
    for post in vacant.itertuples():
        whole, rest = divmod(round(post.vacant_fte, 6), 1.0)
        parts = [1.0] * int(whole) + ([rest] if rest > 1e-9 else [])
        fte.append(np.array(parts))
        grade.append(np.full(len(parts), grade_row.get(post.grade, other)))
        fillable.append(np.array([post.fully_vacant or part >= 0.5 for part in parts]))
        occupied.append(np.zeros(len(parts), bool))
        service.append(np.zeros(len(parts), int))
        open_months.append(np.full(len(parts), post.open_months if post.fully_vacant else 0))
    places = Places(*(np.concatenate(x) for x in (fte, grade, fillable, occupied, service, open_months)),
                    establishment_fte=inputs.establishment_fte)
    return _change_establishment(places, what_if.establishment_change_fte, other)


def _change_establishment(places: Places, change: float, other_grade: int) -> Places:
    if change > 0:
        count = int(np.ceil(change - 1e-9))
        extra = np.full(count, change / count)
        return Places(np.append(places.fte, extra), np.append(places.grade, np.full(count, other_grade)),
                      np.append(places.fillable, np.ones(count, bool)), np.append(places.occupied, np.zeros(count, bool)),
                      np.append(places.service, np.zeros(count, int)), np.append(places.open_months, np.zeros(count, int)),
                      places.establishment_fte + change)
    if change < 0:
        # A cut deletes vacant FTE only, longest open first: nobody in post is made to leave.
        vacant_fte = float(places.fte[~places.occupied].sum())
        if -change > vacant_fte + 1e-9:
            raise UsageError(f"An establishment cut of {-change:g} FTE is more than the {vacant_fte:.1f} vacant FTE "
                             "on the as-at date; the forecast only deletes vacant posts.")
        fte, to_cut = places.fte.copy(), -change
        for index in sorted(np.flatnonzero(~places.occupied), key=lambda i: -places.open_months[i]):
            taken = min(fte[index], to_cut)
            fte[index] -= taken
            to_cut -= taken
            if to_cut <= 1e-9:
                break
        keep = fte > 1e-9
        return Places(fte[keep], places.grade[keep], places.fillable[keep], places.occupied[keep],
                      places.service[keep], places.open_months[keep], places.establishment_fte + change)
    return places


@dataclass
class Forecast:
    inputs: ForecastInputs
    what_if: WhatIf
    months: list[date]
    paths: dict[str, np.ndarray]  # figure -> (paths, months)
    start: dict[str, float]  # the figures on the as-at date (month 0)

    def summary(self) -> pd.DataFrame:
        """One row per month: month, then <figure>_p10, _median, _p90 for every figure (NaN where none)."""
        columns = {"month": self.months}
        for name, _, _ in FIGURES:
            values = self.paths.get(name)
            for band, q in zip(BAND, (10, 50, 90)):
                columns[f"{name}_{band}"] = (np.percentile(values, q, axis=0) if values is not None
                                             else np.full(len(self.months), np.nan))
        return pd.DataFrame(columns)


def simulate(inputs: ForecastInputs, months: int, what_if: WhatIf | None = None, paths: int = DEFAULT_PATHS,
             seed: int = DEFAULT_SEED) -> Forecast:
    what_if = what_if or WhatIf()
    places = build_places(inputs, what_if)
    rng = np.random.default_rng(seed)
    count = len(places.fte)
    # chance of leaving within a month, by (grade row, months of service capped at SERVICE_CAP), flattened
    leave_table = (inputs.leaving.monthly[:, service_band(np.arange(SERVICE_CAP + 1))] * what_if.leaving_multiplier)
    leave_flat = np.clip(leave_table, 0, 1).astype(np.float32).ravel()
    fill_chance = inputs.fill.astype(np.float32)
    leave_scale = _rate_scale(rng, inputs.leaving.leavers_seen, paths)
    fill_scale = _rate_scale(rng, inputs.fills_seen, paths)
    grade_offset = (places.grade * (SERVICE_CAP + 1)).astype(np.int32)[None, :]
    fte = places.fte.astype(np.float32)
    fillable = np.broadcast_to(places.fillable, (paths, count))
    occupied = np.repeat(places.occupied[None, :], paths, axis=0)
    service = np.repeat(np.minimum(places.service, SERVICE_CAP).astype(np.int16)[None, :], paths, axis=0)
    open_months = np.repeat(np.minimum(places.open_months, OPEN_BUCKETS - 1).astype(np.int16)[None, :], paths, axis=0)
    record = {name: np.zeros((paths, months), np.float32) for name in ("in_post_headcount", "in_post_fte",
                                                                        "leavers", "starters")}
    convert_per_month = what_if.convert_agency_fte / what_if.convert_over_months
    for month in range(months):
        draw = rng.random((paths, count), dtype=np.float32)
        leaves = occupied & (draw < leave_flat[grade_offset + service] * leave_scale)
        fills = ~occupied & fillable & (draw < fill_chance[open_months] * fill_scale)
        occupied = (occupied & ~leaves) | fills
        forced = _forced_fills(occupied, fillable, fte, what_if.extra_recruits_per_month,
                               convert_per_month if month < what_if.convert_over_months else 0.0)
        fills |= forced
        occupied |= forced
        service = np.where(fills, 0, np.minimum(service + 1, SERVICE_CAP)).astype(np.int16)
        open_months = np.where(occupied | leaves, 0, np.minimum(open_months + 1, OPEN_BUCKETS - 1)).astype(np.int16)
        record["in_post_headcount"][:, month] = occupied.sum(axis=1)
        record["in_post_fte"][:, month] = occupied.astype(np.float32) @ fte
        record["leavers"][:, month] = leaves.sum(axis=1)
        record["starters"][:, month] = fills.sum(axis=1)
    figures = _derived_figures(inputs, what_if, places, record, months)
    start = _starting_point(inputs, places)
    return Forecast(inputs, what_if, [month_after(inputs.as_of, m + 1) for m in range(months)], figures, start)


def _rate_scale(rng, events: int, paths: int) -> np.ndarray:
    """(paths, 1) factors, mean 1, for the uncertainty of a rate estimated from `events` events."""
    if events <= 0:
        return np.ones((paths, 1), np.float32)
    return rng.gamma(events, 1 / events, size=(paths, 1)).astype(np.float32)


def _forced_fills(occupied, fillable, fte, recruits: int, convert_fte: float) -> np.ndarray:
    """What-if starters: `recruits` vacant places per path, then vacant places up to `convert_fte` FTE."""
    forced = np.zeros_like(occupied)
    candidates = ~occupied & fillable
    if recruits:
        forced |= candidates & (np.cumsum(candidates, axis=1) <= recruits)
        candidates = candidates & ~forced
    if convert_fte > 0:
        # a place counts when the FTE before it is still short of the month's conversion
        before = np.cumsum(candidates * fte, axis=1) - candidates * fte
        forced |= candidates & (before < convert_fte - 1e-6)
    return forced


def _derived_figures(inputs, what_if, places, record, months) -> dict:
    total_place_fte = float(places.fte.sum())
    figures = dict(record)
    vacant = np.maximum(total_place_fte - record["in_post_fte"], 0)
    figures["vacant_fte"] = vacant
    figures["vacancy_rate_pct"] = (vacant / places.establishment_fte * 100 if places.establishment_fte > 0
                                   else np.full_like(vacant, np.nan))
    figures["cover_fte"] = vacant * inputs.cover_share
    if inputs.cases is not None:
        start_fte = float(inputs.people["fte"].sum())
        cases = np.maximum(inputs.cases + what_if.caseload_inflow_change * np.arange(1, months + 1), 0)
        holding = inputs.case_holding_fte * record["in_post_fte"] / start_fte
        figures["caseload_per_fte"] = np.where(holding > 0, cases[None, :] / np.maximum(holding, 1e-9), np.nan)
    return figures


def _starting_point(inputs: ForecastInputs, places: Places) -> dict:
    in_post_fte = float(inputs.people["fte"].sum())
    vacant = float(inputs.posts["vacant_fte"].sum())
    establishment = inputs.establishment_fte
    return {
        "in_post_headcount": float(len(inputs.people)), "in_post_fte": in_post_fte,
        "vacancy_rate_pct": vacant / establishment * 100 if establishment else float("nan"),
        "vacant_fte": vacant, "cover_fte": vacant * inputs.cover_share,
        "caseload_per_fte": (inputs.cases / inputs.case_holding_fte if inputs.cases is not None else float("nan")),
    }


def check_run(months: int, paths: int) -> None:
    if not 6 <= months <= 24:
        raise UsageError(f"--months must be from 6 to 24 (the forecast looks 6 to 24 months ahead), not {months}.")
    if not 100 <= paths <= 20000:
        raise UsageError(f"--paths must be from 100 to 20000, not {paths}.")
