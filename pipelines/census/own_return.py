"""The authority's workforce return in DfE's indicators file format, worked out from its census returns:
what DfE should publish for it, every measure DfE publishes (headcounts included), one row per year."""

import csv
from pathlib import Path

import pandas as pd

from pipelines.benchmarks import Identity
from pipelines.benchmarks.schemas import INDICATOR_ID_COLUMNS, INDICATOR_MEASURES
from pipelines.census.figures import census_figures, rounded
from pipelines.safe_cells import neutralise

RENAMED = {"working_days_lost": "working_days_lost_fte"}  # our column -> DfE's


def _cell(value) -> str:
    if value is None or pd.isna(value):
        return "x"  # DfE's "not available"
    number = float(value)
    return f"{int(number)}" if number.is_integer() else f"{number:.1f}"


def census_return_rows(con, who: Identity) -> list[dict]:
    figures = rounded(census_figures(con)).rename(columns=RENAMED)
    rows = []
    for figure in figures.to_dict("records"):
        row = {column: "" for column in INDICATOR_ID_COLUMNS}
        row.update(time_period=str(figure["year"]), time_identifier="Reporting year",
                   geographic_level="Local authority", country_code="E92000001", country_name="England",
                   region_name=who.region or "", old_la_code=who.la_number or "", new_la_code=who.la_code or "",
                   la_name=who.name)
        row.update({column: _cell(figure.get(column)) for column in INDICATOR_MEASURES})
        rows.append(row)
    return rows


def write_census_return(con, who: Identity, out: Path) -> int:
    """Write the file; the number of years written."""
    rows = census_return_rows(con, who)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*INDICATOR_ID_COLUMNS, *INDICATOR_MEASURES])
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return len(rows)
