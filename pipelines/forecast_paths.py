"""The forecast's inner loop: every place (a person in post or a vacant part of a post) on every path,
month by month, with one random number per place, path and month (docs/FORECAST.md, "How it works").

Speed (1,000 paths x 24 months for 3,000 staff in well under 2 s) comes from two choices:
- each place carries one integer *key* that says its state and when that state began (a person's grade
  and the month their service began; a vacancy and the month it opened). A small table per month turns
  keys into chances, so ageing costs nothing and the month's chances are one lookup;
- only the few places that change in a month (about 2%) are touched to update keys and totals.
Rates estimated from a few years of history are uncertain, and move from year to year, so the paths are
split into RATE_DRAWS groups, and each group scales all its leaving chances, and all its fill chances, by
its own factor with mean 1 and the rate's spread (forecast_inputs.rate_spread for leaving; 1/sqrt(fills)
for filling), drawn from a Gamma distribution."""

import numpy as np

from pipelines.forecast_inputs import OPEN_BUCKETS, SERVICE_BAND_EDGES, service_band

SERVICE_CAP = SERVICE_BAND_EDGES[-1]  # months of service past which the band no longer changes
RATE_DRAWS = 50


def _rate_scales(rng, spread: float, groups: int) -> np.ndarray:
    """Factors with mean 1 and coefficient of variation `spread`: Gamma(1 / spread^2, spread^2)."""
    if spread <= 0:
        return np.ones(groups)
    return rng.gamma(1 / spread ** 2, spread ** 2, size=groups)


def run_paths(places, leaving_monthly: np.ndarray, fill: np.ndarray, what_if, months: int, paths: int, seed: int,
              leave_spread: float, fill_spread: float) -> dict[str, np.ndarray]:
    """Per path and month: people and FTE in post at the month end, leavers and starters in the month."""
    rng = np.random.default_rng(seed)
    grades = leaving_monthly.shape[0]
    # key layout: grade g, service began in month b (b from -SERVICE_CAP to months) -> g * width + b + SERVICE_CAP;
    # a fillable vacancy opened in month b -> grades * width + b + SERVICE_CAP; a remainder never filled -> last
    width = SERVICE_CAP + months + 1
    vacancy_base, never = grades * width, (grades + 1) * width
    began = np.arange(-SERVICE_CAP, months + 1)
    fte = places.fte.astype(np.float64)
    fillable = places.fillable
    first_key = SERVICE_CAP + np.where(places.occupied, places.grade * width - np.minimum(places.service, SERVICE_CAP),
                                       vacancy_base - np.minimum(places.open_months, OPEN_BUCKETS - 1))
    first_key = np.where(places.occupied | fillable, first_key, never)
    key = np.repeat(first_key.astype(np.int32)[None, :], paths, axis=0)
    occupied = np.repeat(places.occupied[None, :], paths, axis=0)
    groups = np.array_split(np.arange(paths), min(RATE_DRAWS, paths))
    leave_scale, fill_scale = _rate_scales(rng, leave_spread, len(groups)), _rate_scales(rng, fill_spread, len(groups))
    headcount = np.full(paths, float(places.occupied.sum()))
    in_post_fte = np.full(paths, float(fte[places.occupied].sum()))
    record = {name: np.zeros((paths, months)) for name in ("in_post_headcount", "in_post_fte", "leavers", "starters")}
    convert_per_month = what_if.convert_agency_fte / what_if.convert_over_months
    leave_chance = np.clip(leaving_monthly * what_if.leaving_multiplier, 0, 1)
    for month in range(months):
        # the month's chances by key: service (or months open) is this month minus the month it began
        service = np.clip(month - began, 0, SERVICE_CAP)
        leave_table = leave_chance[:, service_band(service)].ravel()
        fill_table = fill[np.clip(month - began, 0, OPEN_BUCKETS - 1)]
        draw = rng.random((paths, key.shape[1]), dtype=np.float32)
        event = np.empty_like(occupied)
        for group, ls, fs in zip(groups, leave_scale, fill_scale):
            table = np.concatenate([np.minimum(leave_table * ls, 1), np.minimum(fill_table * fs, 1), [0.0]])
            rows = slice(group[0], group[-1] + 1)
            np.less(draw[rows], table.astype(np.float32)[key[rows]], out=event[rows])
        # the flat positions of the few places that changed (much faster than a 2-D nonzero)
        rows, cols = np.divmod(np.flatnonzero(event), key.shape[1])
        left = occupied[rows, cols]
        occupied[rows, cols] = ~left
        if what_if.extra_recruits_per_month or convert_per_month and month < what_if.convert_over_months:
            forced_rows, forced_cols = np.nonzero(_forced_fills(
                occupied, fillable, fte, what_if.extra_recruits_per_month,
                convert_per_month if month < what_if.convert_over_months else 0.0))
            occupied[forced_rows, forced_cols] = True
            rows, cols = np.concatenate([rows, forced_rows]), np.concatenate([cols, forced_cols])
            left = np.concatenate([left, np.zeros(len(forced_rows), bool)])
        # new keys: a leaver's place is a vacancy opened next month; a starter's service begins next month
        key[rows, cols] = np.where(left, vacancy_base, places.grade[cols] * width) + month + 1 + SERVICE_CAP
        leavers = np.bincount(rows[left], minlength=paths)
        starters = np.bincount(rows[~left], minlength=paths)
        headcount += starters - leavers
        in_post_fte += (np.bincount(rows[~left], weights=fte[cols[~left]], minlength=paths)
                        - np.bincount(rows[left], weights=fte[cols[left]], minlength=paths))
        record["in_post_headcount"][:, month] = headcount
        record["in_post_fte"][:, month] = in_post_fte
        record["leavers"][:, month] = leavers
        record["starters"][:, month] = starters
    return record


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
