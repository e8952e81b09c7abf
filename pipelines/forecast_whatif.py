"""What-if changes to the baseline forecast (docs/FORECAST.md, "What if"), from the page's form or a TOML
file for the command line:

    extra_recruits_per_month = 2        # extra permanent starters into vacant posts, every month
    convert_agency_fte = 10             # agency/cover FTE turned into permanent staff ...
    convert_over_months = 6             # ... spread evenly over this many months
    leaving_multiplier = 0.8            # every leaving chance x this (0.8 = a fifth fewer leavers)
    establishment_change_fte = -5       # budgeted FTE added (+) or vacant FTE deleted (-) on the as-at date
    caseload_inflow_change = 15         # extra open cases per month (negative: fewer)
"""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from pipelines.errors import UsageError

LIMITS = {
    "extra_recruits_per_month": (0, 500),
    "convert_agency_fte": (0, 5000),
    "convert_over_months": (1, 24),
    "leaving_multiplier": (0, 5),
    "establishment_change_fte": (-5000, 5000),
    "caseload_inflow_change": (-100000, 100000),
}
WHOLE_NUMBERS = {"extra_recruits_per_month", "convert_over_months"}


@dataclass(frozen=True)
class WhatIf:
    extra_recruits_per_month: int = 0
    convert_agency_fte: float = 0.0
    convert_over_months: int = 12
    leaving_multiplier: float = 1.0
    establishment_change_fte: float = 0.0
    caseload_inflow_change: float = 0.0

    @property
    def is_baseline(self) -> bool:
        return self == WhatIf(convert_over_months=self.convert_over_months)

    def words(self) -> list[str]:
        """The changes in plain words, for captions and the pack."""
        said = []
        if self.extra_recruits_per_month:
            said.append(f"{self.extra_recruits_per_month} extra permanent recruits a month")
        if self.convert_agency_fte:
            said.append(f"{self.convert_agency_fte:g} agency/cover FTE made permanent over "
                        f"{self.convert_over_months} months")
        if self.leaving_multiplier != 1:
            said.append(f"leaving chances x {self.leaving_multiplier:g}")
        if self.establishment_change_fte:
            said.append(f"establishment {self.establishment_change_fte:+g} FTE")
        if self.caseload_inflow_change:
            said.append(f"{self.caseload_inflow_change:+g} open cases a month")
        return said


def what_if_from_mapping(given: dict, source: str) -> WhatIf:
    known = {f.name for f in fields(WhatIf)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise UsageError(f"{source}: unknown setting(s) {', '.join(unknown)}. Settings: {', '.join(sorted(known))}.")
    values = {}
    for name, value in given.items():
        low, high = LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"{source}: {name} must be a number.")
        if name in WHOLE_NUMBERS and value != int(value):
            raise UsageError(f"{source}: {name} must be a whole number.")
        if not low <= value <= high:
            raise UsageError(f"{source}: {name} must be between {low} and {high}.")
        values[name] = int(value) if name in WHOLE_NUMBERS else float(value)
    return WhatIf(**values)


def read_what_if(path: Path) -> WhatIf:
    """A what-if TOML file; a bad one is one plain line (the CLI exits 2)."""
    if not path.is_file():
        raise UsageError(f"--what-if {path}: no such file.")
    try:
        given = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        raise UsageError(f"--what-if {path}: not a readable TOML file (see docs/FORECAST.md for an example).") from None
    return what_if_from_mapping(given, f"--what-if {path.name}")
