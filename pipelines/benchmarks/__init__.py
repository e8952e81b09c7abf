"""DfE benchmarks: import DfE's published children's social work workforce statistics, compute the
same figures from our HR data, and reconcile the two (docs/BENCHMARKS.md).

This module holds what the importer, the comparison and the dashboard share: the authority's
identity, the benchmark settings and the five comparable indicators."""

from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import Settings, load_settings

# DfE's published files ship with the product (data/dfe/README.md), so the benchmarks work on a fresh
# copy with no download. Their licence asks that this statement go wherever the figures are shown.
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SOURCE = "Department for Education, Explore Education Statistics"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DIR = PROJECT_ROOT / "data" / "dfe"
# Import order matters only for messages; the importer recognises each file by its columns.
SHIPPED_FILES = ("csww_indicators_2017_to_2025.csv", "New_Statistical_Neighbour_Groupings_April_2021.csv",
                 "la_cla_swcount.csv")

# DfE's symbols (Explore Education Statistics conventions) and what each means.
SYMBOLS = {
    "c": "suppressed to protect confidential information",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero, but is not zero",
}
TABLES = ("dfe_indicators", "dfe_statistical_neighbours", "dfe_cla_sw_count", "dfe_releases", "dfe_symbols")


@dataclass(frozen=True)
class Indicator:
    key: str  # our name, also the reconciliation key
    label: str  # as a reader sees it
    dfe_column: str  # the column of DfE's indicators file
    unit: str  # '%' (compared in percentage points) or ' cases'
    metric: str  # the METRICS.md metric behind our figure, for the definition popover
    definition: str  # DfE's formula in words
    short: str = ""  # for narrow places (cards, tabs)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("turnover", "Turnover (FTE)", "turnover_rate_fte", "%", "turnover",
              "Leavers' FTE in the year to 30 September over FTE in post on 30 September.", "Turnover"),
    Indicator("agency_rate", "Agency rate (FTE)", "agency_rate_fte", "%", "agency_rate",
              "Agency FTE over agency plus in-post FTE on 30 September.", "Agency rate"),
    Indicator("vacancy_rate", "Vacancy rate (FTE)", "vacancy_rate_fte", "%", "vacancy_rate",
              "Vacancy FTE over vacancy plus in-post FTE on 30 September.", "Vacancy rate"),
    Indicator("agency_cover", "Vacancies covered by agency (FTE)", "vacancy_agency_cover_rate_fte", "%",
              "vacancy_rate", "Vacancy FTE covered by agency workers over vacancy FTE on 30 September.", "Agency cover"),
    Indicator("caseload", "Caseload per case-holding FTE", "caseload_fte", " cases", "caseload",
              "Cases held on 30 September over the FTE of the social workers holding them.", "Caseload"),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@dataclass(frozen=True)
class Identity:
    """How DfE's files name our authority: new LA code, old three-digit number and region."""

    name: str
    la_code: str | None
    la_number: str | None
    region: str | None

    @property
    def complete(self) -> bool:
        return bool((self.la_code or self.la_number) and self.region)


@dataclass(frozen=True)
class BenchmarkSettings:
    indicators_url: str
    neighbours_url: str
    cla_sw_count_url: str
    timeout_seconds: float
    tolerance_points: float  # rates: percentage points
    caseload_tolerance: float  # caseload: cases per FTE

    @property
    def urls(self) -> dict[str, str]:
        """File kind -> URL, for the kinds that have one."""
        given = {"indicators": self.indicators_url, "neighbours": self.neighbours_url,
                 "cla_sw_count": self.cla_sw_count_url}
        return {kind: url for kind, url in given.items() if url}

    def tolerance(self, indicator: str) -> float:
        return self.caseload_tolerance if indicator == "caseload" else self.tolerance_points


def shipped_files() -> list[Path]:
    """The DfE files that ship with the product, in import order (absolute paths)."""
    return [SHIPPED_DIR / name for name in SHIPPED_FILES]


def import_command(db: Path | str) -> str:
    """The command, run from the project folder, that imports the shipped DfE files into db: the
    relative paths are the project's own, so the instruction works on any copy of the product."""
    files = " ".join(f"data/dfe/{name}" for name in SHIPPED_FILES)
    return f"python -m pipelines benchmarks import {files} --db {db}"


def benchmark_settings(settings: Settings | None = None) -> BenchmarkSettings:
    raw = (settings or load_settings()).raw.get("benchmarks", {})
    return BenchmarkSettings(
        indicators_url=str(raw.get("indicators_url", "")).strip(),
        neighbours_url=str(raw.get("neighbours_url", "")).strip(),
        cla_sw_count_url=str(raw.get("cla_sw_count_url", "")).strip(),
        timeout_seconds=float(raw.get("timeout_seconds", 30)),
        tolerance_points=float(raw.get("tolerance_points", 2.0)),
        caseload_tolerance=float(raw.get("caseload_tolerance", 1.0)),
    )
