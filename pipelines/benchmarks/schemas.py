"""Pandera models for DfE's three published files, checked over the text cells as read.

Every indicator cell must be a number or one of DfE's symbols; the importer turns a symbol into a
missing value and keeps the symbol beside it (`<column>_symbol`), so "suppressed" never becomes 0.
Lazy validation lists every bad cell, with its row as a spreadsheet shows it.
"""

import pandera.pandas as pa
from pandera.typing import Series

from pipelines.benchmarks import SYMBOLS

NUMBER = r"-?\d+(?:\.\d+)?"
NUMBER_OR_SYMBOL = rf"^(?:{NUMBER}|{'|'.join(SYMBOLS)}|)$"  # an empty cell is missing, with no symbol
YEAR = r"^\d{4}$"
LA_NUMBER = r"^\d{3}$"
CLOSENESS = ("Extremely Close", "Very Close", "Close", "Somewhat close", "Not Close")

# The indicators file: identifying columns, then the measures (all numbers or symbols).
INDICATOR_ID_COLUMNS = ("time_period", "time_identifier", "geographic_level", "country_code", "country_name",
                        "region_code", "region_name", "old_la_code", "new_la_code", "la_name")
INDICATOR_MEASURES = (
    "inpost_fte", "inpost_headcount", "starters_fte", "starters_headcount", "leavers_fte", "leavers_headcount",
    "turnover_rate_fte", "turnover_rate_headcount", "agency_fte", "agency_headcount", "agency_rate_fte",
    "agency_rate_headcount", "agency_cover_fte", "agency_cover_rate_fte", "vacancy_fte", "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte", "case_holders_fte", "cases", "caseload_fte", "working_days_lost_fte",
    "absence_rate_fte",
)
# Without these the benchmarks page has nothing to compare; the rest may come and go between releases.
REQUIRED_MEASURES = ("inpost_fte", "leavers_fte", "turnover_rate_fte", "agency_fte", "agency_rate_fte",
                     "vacancy_fte", "vacancy_rate_fte", "vacancy_agency_cover_rate_fte", "case_holders_fte",
                     "cases", "caseload_fte")

CLA_ID_COLUMNS = ("time_period", "time_identifier", "geographic_level", "country_code", "country_name",
                  "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "cla_group", "sw_stability")
CLA_MEASURES = ("number", "percentage")

NEIGHBOURS = 10


def _measure(required: bool = True):
    return pa.Field(str_matches=NUMBER_OR_SYMBOL, nullable=False, required=required)


def _text(required: bool = True, **checks):
    return pa.Field(nullable=False, required=required, **checks)


class DfEIndicators(pa.DataFrameModel):
    """csww_indicators: one row per reporting year and area (England, region or local authority)."""

    time_period: Series[str] = _text(str_matches=YEAR)
    time_identifier: Series[str] = _text(required=False)
    geographic_level: Series[str] = _text(str_length={"min_value": 1})
    country_code: Series[str] = _text(required=False)
    country_name: Series[str] = _text(required=False)
    region_code: Series[str] = _text()
    region_name: Series[str] = _text()
    old_la_code: Series[str] = _text()
    new_la_code: Series[str] = _text()
    la_name: Series[str] = _text()
    inpost_fte: Series[str] = _measure()
    inpost_headcount: Series[str] = _measure(False)
    starters_fte: Series[str] = _measure(False)
    starters_headcount: Series[str] = _measure(False)
    leavers_fte: Series[str] = _measure()
    leavers_headcount: Series[str] = _measure(False)
    turnover_rate_fte: Series[str] = _measure()
    turnover_rate_headcount: Series[str] = _measure(False)
    agency_fte: Series[str] = _measure()
    agency_headcount: Series[str] = _measure(False)
    agency_rate_fte: Series[str] = _measure()
    agency_rate_headcount: Series[str] = _measure(False)
    agency_cover_fte: Series[str] = _measure(False)
    agency_cover_rate_fte: Series[str] = _measure(False)
    vacancy_fte: Series[str] = _measure()
    vacancy_rate_fte: Series[str] = _measure()
    vacancy_agency_cover_rate_fte: Series[str] = _measure()
    case_holders_fte: Series[str] = _measure()
    cases: Series[str] = _measure()
    caseload_fte: Series[str] = _measure()
    working_days_lost_fte: Series[str] = _measure(False)
    absence_rate_fte: Series[str] = _measure(False)

    class Config:
        strict = False  # later releases may add columns; they are reported and left out


class DfEStatisticalNeighbours(pa.DataFrameModel):
    """The groupings file after its repeated 'SNP' headers are numbered: one row per authority."""

    la_number: Series[str] = _text(str_matches=LA_NUMBER)
    la_name: Series[str] = _text(str_length={"min_value": 1})
    region: Series[str] = _text()
    sn1: Series[str] = _text(str_matches=LA_NUMBER)
    sn2: Series[str] = _text(str_matches=LA_NUMBER)
    sn3: Series[str] = _text(str_matches=LA_NUMBER)
    sn4: Series[str] = _text(str_matches=LA_NUMBER)
    sn5: Series[str] = _text(str_matches=LA_NUMBER)
    sn6: Series[str] = _text(str_matches=LA_NUMBER)
    sn7: Series[str] = _text(str_matches=LA_NUMBER)
    sn8: Series[str] = _text(str_matches=LA_NUMBER)
    sn9: Series[str] = _text(str_matches=LA_NUMBER)
    sn10: Series[str] = _text(str_matches=LA_NUMBER)
    snp1: Series[str] = _text(isin=CLOSENESS)
    snp2: Series[str] = _text(isin=CLOSENESS)
    snp3: Series[str] = _text(isin=CLOSENESS)
    snp4: Series[str] = _text(isin=CLOSENESS)
    snp5: Series[str] = _text(isin=CLOSENESS)
    snp6: Series[str] = _text(isin=CLOSENESS)
    snp7: Series[str] = _text(isin=CLOSENESS)
    snp8: Series[str] = _text(isin=CLOSENESS)
    snp9: Series[str] = _text(isin=CLOSENESS)
    snp10: Series[str] = _text(isin=CLOSENESS)

    class Config:
        strict = False


class DfECLASocialWorkerCount(pa.DataFrameModel):
    """la_cla_swcount: children looked after by how many social workers they had in the year."""

    time_period: Series[str] = _text(str_matches=YEAR)
    geographic_level: Series[str] = _text(str_length={"min_value": 1})
    region_code: Series[str] = _text()
    region_name: Series[str] = _text()
    old_la_code: Series[str] = _text()
    new_la_code: Series[str] = _text()
    la_name: Series[str] = _text()
    cla_group: Series[str] = _text()
    sw_stability: Series[str] = _text(str_length={"min_value": 1})
    number: Series[str] = _measure()
    percentage: Series[str] = _measure()

    class Config:
        strict = False


MODELS = {"indicators": DfEIndicators, "neighbours": DfEStatisticalNeighbours, "cla_sw_count": DfECLASocialWorkerCount}
