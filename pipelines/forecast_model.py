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
Rates estimated from a few years of history are themselves uncertain: see pipelines/forecast_paths.py.
Cover FTE is the recent cover share x vacant FTE; caseload per FTE is the open cases (plus the what-if's
monthly change) over the case-holding FTE, which moves with the FTE in post."""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pipelines.errors import UsageError
from pipelines.forecast_inputs import ForecastInputs
from pipelines.forecast_paths import run_paths
from pipelines.forecast_whatif import WhatIf
from pipelines.views import months_before

DEFAULT_PATHS = 1000
DEFAULT_SEED = 2026
# Memory grows with paths x places (about 10 bytes each): 5,000 paths x 10,000 places is about 0.5 GB.
MAX_PATHS = 5000
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
    fill_spread = inputs.fills_seen ** -0.5 if inputs.fills_seen else 0.0
    record = run_paths(places, inputs.leaving.monthly, inputs.fill, what_if, months, paths, seed,
                       inputs.leaving.spread, fill_spread)
    figures = _derived_figures(inputs, what_if, places, record, months)
    start = _starting_point(inputs, places)
    return Forecast(inputs, what_if, [month_after(inputs.as_of, m + 1) for m in range(months)], figures, start)


def _derived_figures(inputs, what_if, places, record, months) -> dict:
    total_place_fte = float(places.fte.sum())
    figures = dict(record)
    vacant = np.maximum(total_place_fte - record["in_post_fte"], 0)
    figures["vacant_fte"] = vacant
    figures["vacancy_rate_pct"] = (vacant / places.establishment_fte * 100 if places.establishment_fte > 0
                                   else np.full_like(vacant, np.nan))
    # Cover is the recent share of vacant FTE; converting agency FTE to permanent takes that cover away with
    # the vacancy it covered. Without conversion, vacant V0 has cover s*V0; converting N leaves V0-N vacant with
    # s*V0-N cover, i.e. s*V - (1-s)*N in terms of the vacant FTE V the paths give.
    share = inputs.cover_share
    converted = np.zeros(months)
    if what_if.convert_agency_fte:
        per_month = what_if.convert_agency_fte / what_if.convert_over_months
        converted = np.minimum(np.arange(1, months + 1), what_if.convert_over_months) * per_month
    figures["cover_fte"] = np.clip(vacant * share - (1 - share) * converted[None, :], 0, vacant)
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
        # on the day itself, the cover actually there (METRICS.md section 5, covered_vacant_fte)
        "vacant_fte": vacant, "cover_fte": float(inputs.posts[["vacant_fte", "cover_fte"]].min(axis=1).sum()),
        "caseload_per_fte": (inputs.cases / inputs.case_holding_fte if inputs.cases is not None else float("nan")),
    }


def check_run(months: int, paths: int) -> None:
    if not 6 <= months <= 24:
        raise UsageError(f"--months must be from 6 to 24 (the forecast looks 6 to 24 months ahead), not {months}.")
    if not 100 <= paths <= MAX_PATHS:
        raise UsageError(f"--paths must be from 100 to {MAX_PATHS:,}, not {paths}.")
