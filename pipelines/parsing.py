"""Cell parsers shared by the pandera checks and the conversion to typed values.

Every parser works on a Series of stripped strings and parses each distinct value once:
HR extracts repeat the same few thousand dates and codes across hundreds of thousands of rows.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd

OPEN_END_YEARS = (4712, 9999)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
FTE_PLACES = Decimal("0.00000001")
# What the database can hold or a council can mean: dates outside these are typing slips (1023 for
# 2023), and the open-end sentinels are allowed only where an end may be open.
EARLIEST_DATE, LATEST_DATE = "1900-01-01", "2100-12-31"
LARGEST_WHOLE_NUMBER = 2_147_483_647  # DuckDB's integer, the type open_cases is stored as


def _map_unique(values: pd.Series, fn) -> pd.Series:
    uniques = values.drop_duplicates()
    table = {value: fn(value) for value in uniques}
    return values.map(table)


def parse_date(text: str) -> date | None:
    """ISO or UK day-first; None when the text is not a real date in either form."""
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso_or_bad(text: str) -> str | None:
    if text == "":
        return ""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else None


def iso_dates(values: pd.Series) -> pd.Series:
    """ISO text per cell: '' for an empty cell, None (missing) for a cell that is not a date."""
    return _map_unique(values, _iso_or_bad)


OPEN_END_DATES = tuple(f"{year}-12-31" for year in OPEN_END_YEARS)


def is_open_end(iso: pd.Series) -> pd.Series:
    return (iso == "") | iso.isin(OPEN_END_DATES)


def iso_in_range(iso: pd.Series) -> pd.Series:
    """Per ISO date text: inside EARLIEST_DATE..LATEST_DATE (ISO text sorts as dates)."""
    return (iso >= EARLIEST_DATE) & (iso <= LATEST_DATE)


def _date_ok(text: str, open_end: bool) -> bool:
    if text == "":
        return True
    iso = _iso_or_bad(text)
    return iso is not None and (EARLIEST_DATE <= iso <= LATEST_DATE or (open_end and iso in OPEN_END_DATES))


def dates_ok(values: pd.Series, open_end: bool) -> pd.Series:
    """Empty, or a date in range (or, where an end may be open, a sentinel): one pass per distinct text."""
    return _map_unique(values, lambda text: _date_ok(text, open_end)).astype(bool)


def _number_ok(text: str, low, high) -> bool:
    number = _decimal(text)
    # quantize as the database stores it: a positive FTE below 0.000000005 would be stored as 0
    return number is not None and low < number <= high and number.quantize(FTE_PLACES) != 0


def numbers_ok(values: pd.Series, low, high) -> pd.Series:
    return _map_unique(values, lambda text: _number_ok(text, low, high)).astype(bool)


def _whole_ok(text: str, low, high) -> bool:
    number = _decimal(text)  # never int(): '1e999999999' would be a billion-digit integer
    return number is not None and number == number.to_integral_value() and low <= number <= high


def whole_numbers_ok(values: pd.Series, low, high) -> pd.Series:
    return _map_unique(values, lambda text: _whole_ok(text, low, high)).astype(bool)


def _bool_text(text: str) -> str | None:
    lowered = text.lower()
    if lowered in _TRUE:
        return "true"
    if lowered in _FALSE:
        return "false"
    return None


def booleans(values: pd.Series) -> pd.Series:
    """'true'/'false' per cell, None where the spelling is not one the contract allows."""
    return _map_unique(values, _bool_text)


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)  # '0,5' is refused, never read as 5
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


parse_decimal = _decimal  # one cell, for the words of a reason


def decimals(values: pd.Series) -> pd.Series:
    return _map_unique(values, _decimal)


def decimal_text(values: pd.Series) -> pd.Series:
    """Numbers as plain decimal text rounded to 8 places: DuckDB stores FTE as DECIMAL(18,8),
    so sums are exact and do not depend on the order rows are added in."""
    return decimals(values).map(
        lambda d: None if d is None else format(d.quantize(FTE_PLACES), "f")
    )


def _integer(text: str) -> int | None:
    number = _decimal(text)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def integers(values: pd.Series) -> pd.Series:
    return _map_unique(values, _integer)


def integer_text(values: pd.Series) -> pd.Series:
    """Whole numbers as text, None where empty: straight to text, because a column of numbers with
    an empty cell would turn 4 into the float 4.0."""
    return _map_unique(values, lambda text: None if (number := _integer(text)) is None else str(number))


def enum_text(text: str) -> str:
    """Lower case with spaces and dashes as underscores: 'Fixed term' reads as 'fixed_term'."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def enums(values: pd.Series) -> pd.Series:
    return _map_unique(values, enum_text)
