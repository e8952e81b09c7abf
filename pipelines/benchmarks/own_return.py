"""An authority's own workforce return in DfE's indicators format, written from its HR data.

Officers use it to see what the HR data say the return should be. The demo authority is fictional,
so DfE has published nothing for it: the demo writes its "published" return this way, with one
figure deliberately misreported, so that the reconciliation has a real discrepancy to catch."""

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.benchmarks import Identity
from pipelines.benchmarks.comparable import figures_for_database
from pipelines.benchmarks.schemas import INDICATOR_ID_COLUMNS, INDICATOR_MEASURES
from pipelines.safe_cells import neutralise

# our comparable figure -> DfE's column (DfE rounds rates and FTE to one decimal place)
FROM_OURS = {
    "turnover_rate_fte": "turnover_pct", "agency_rate_fte": "agency_rate_pct", "vacancy_rate_fte": "vacancy_rate_pct",
    "vacancy_agency_cover_rate_fte": "agency_cover_pct", "caseload_fte": "caseload_per_fte",
    "inpost_fte": "fte_in_post", "agency_fte": "agency_fte", "vacancy_fte": "vacant_fte", "leavers_fte": "leaver_fte",
    "cases": "cases", "case_holders_fte": "case_holding_fte",
}


@dataclass(frozen=True)
class Misreport:
    """One figure reported differently from what the HR data say (the demo's planted discrepancy)."""

    year: int
    column: str  # a DfE column, e.g. 'agency_rate_fte'
    change: float  # added to the true figure


# The demo's planted discrepancy: the 2019 return left agency workers out, understating the agency rate.
DEMO_MISREPORT = Misreport(year=2019, column="agency_rate_fte", change=-8.0)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "x"  # DfE's "not available"
    return f"{float(value):.1f}" if not float(value).is_integer() else f"{int(value)}"


def own_return_rows(con, who: Identity, misreport: Misreport | None = None) -> list[dict]:
    ours = figures_for_database(con)
    region_code = con.execute("select any_value(region_code) from dfe_indicators where region_name = $r",
                              {"r": who.region}).fetchall()[0][0] if _has_dfe(con) else ""
    rows = []
    for figure in ours.itertuples(index=False):
        row = {column: "" for column in INDICATOR_ID_COLUMNS} | {column: "x" for column in INDICATOR_MEASURES}
        row.update(time_period=str(figure.time_period), time_identifier="Reporting year",
                   geographic_level="Local authority", country_code="E92000001", country_name="England",
                   region_code=region_code or "", region_name=who.region or "", old_la_code=who.la_number or "",
                   new_la_code=who.la_code or "", la_name=who.name)
        for column, ours_column in FROM_OURS.items():
            value = getattr(figure, ours_column)
            if misreport and misreport.year == figure.time_period and misreport.column == column and value is not None:
                value = max(0.0, float(value) + misreport.change)
            row[column] = _cell(None if value is None else round(float(value), 1))
        rows.append(row)
    return rows


def _has_dfe(con) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_name = 'dfe_indicators'")
                .fetchall()[0][0])


def write_own_return(con, who: Identity, out: Path, misreport: Misreport | None = None) -> Path:
    rows = own_return_rows(con, who, misreport)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*INDICATOR_ID_COLUMNS, *INDICATOR_MEASURES])
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return out
