"""Warning when a date column looks month-first (US order).

Dates are read day first and US order is never guessed (../shared/spec/DATA_CONTRACT.md): `07/15/2024`
is not a date in UK order, so its row is held back. But a column holding such a date was probably
written month-first throughout, so its other slash dates that are real dates either way (`01/06/2025`)
loaded silently with day and month swapped. The warning names the file, the column, row numbers and
counts; never a value.
"""

import re
from datetime import date

import pandas as pd

from pipelines.contract import KINDS
from pipelines.readers import ROW
from pipelines.validate import DATE_COLUMNS

FILE = "_file"
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")  # the UK form parsing.py reads
ROWS_LISTED = 10
US_ONLY, EITHER_WAY = "us only", "either way"


def _real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _order(text: str) -> str:
    """US_ONLY: a real date only month first; EITHER_WAY: real both ways and different if swapped."""
    match = _SLASHED.match(text)
    if not match:
        return ""
    first, second, year = (int(g) for g in match.groups())
    day_first, month_first = _real(year, second, first), _real(year, first, second)
    if month_first and not day_first:
        return US_ONLY
    if month_first and day_first and first != second:
        return EITHER_WAY
    return ""


def rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_LISTED])
    more = len(rows) - ROWS_LISTED
    return (f"rows {shown}" + (f" and {more} more" if more > 0 else "")) if len(rows) > 1 else f"row {shown}"


def _column_warning(kind: str, file_name: str, column: str, frame: pd.DataFrame) -> dict | None:
    values = frame[column]
    uniques = values.drop_duplicates()
    orders = values.map({value: _order(value) for value in uniques})
    us_rows = sorted(frame.loc[orders == US_ONLY, ROW].tolist())
    if not us_rows:
        return None
    swapped = sorted(frame.loc[orders == EITHER_WAY, ROW].tolist())
    others = (f"its {len(swapped)} other date(s) written with slashes that are real dates either way "
              f"({rows_text(swapped)}) were read day first and may have day and month swapped"
              if swapped else "none of its other dates could be read either way, so none was swapped")
    return {
        "kind": kind, "subject": file_name, "day": None,
        "message": f"{file_name} column {column} holds {len(us_rows)} date(s) that are real dates only in "
                   f"month-first US order ({rows_text(us_rows)}, held back); the column was probably written "
                   f"month first, and {others}. Set the report's date format to DD/MM/YYYY or YYYY-MM-DD",
    }


def us_order_warnings(frames: dict[str, list[pd.DataFrame]]) -> list[dict]:
    """One warning per file and date column holding a date valid only in US order."""
    warnings = []
    for kind, files in frames.items():
        columns = [c for c in KINDS[kind].columns if c in DATE_COLUMNS]
        for frame in files:
            if frame.empty:
                continue
            for column in columns:
                warning = _column_warning(kind, frame[FILE].iloc[0], column, frame)
                if warning:
                    warnings.append(warning)
    return warnings
