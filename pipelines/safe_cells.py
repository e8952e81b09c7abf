"""Spreadsheet formula injection: text that a spreadsheet would run as a formula is made inert.

A cell that starts with =, +, -, @, a tab or a carriage return can be read by Excel, LibreOffice or
Google Sheets as a formula (OWASP "CSV injection"). Unit names, grades and reasons come from HR
systems that anyone may have typed into, so every CSV and XLSX the product writes goes through here:
- CSV: such text gets a leading apostrophe, which spreadsheets show as text and never evaluate;
- XLSX: every text cell is written as a string with Excel's own quote prefix (what typing 'text
  does), so its value is exactly the HR system's text and it is never a formula.
Numbers stay numbers: only text is touched, so a negative change is still a number."""

import csv
import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value):
    """The value a CSV may carry safely: risky text prefixed with an apostrophe, anything else unchanged."""
    return "'" + value if is_risky(value) else value


def neutralise_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of table whose text cells and column headings are safe in a CSV; numbers untouched."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.map(is_risky).any():
                out[column] = values.map(neutralise).astype(object)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_text(table: pd.DataFrame) -> str:
    return neutralise_frame(table).to_csv(index=False, lineterminator="\n")


def write_csv_rows(handle, fieldnames: list[str], rows) -> None:
    """csv.DictWriter with every text cell neutralised (for commands that stream rows)."""
    writer = csv.DictWriter(handle, fieldnames=[neutralise(f) for f in fieldnames], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({neutralise(k): neutralise(v) for k, v in row.items()})


def harden_worksheet(sheet) -> None:
    """Make every text cell of an openpyxl worksheet a plain string with Excel's quote prefix."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or is_risky(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def rows_as_csv_bytes(fieldnames: list[str], rows) -> bytes:
    buffer = io.StringIO()
    write_csv_rows(buffer, fieldnames, rows)
    return buffer.getvalue().encode("utf-8")
