"""Read one extract file (CSV or XLSX) into a frame of stripped text cells with source row numbers.

Cells stay text here: parsing and validation happen later, so that a bad cell becomes a
quarantined row with its reason rather than a failed read.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from pipelines.contract import KINDS, OPTIONAL_COLUMNS, normalise_column_name
from pipelines.errors import LoadRefused

ROW = "_row"  # the source row number, header = row 1, as Excel shows it
READABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
DELIMITED_SUFFIXES = (".csv", ".txt", ".tsv")  # Excel's "Unicode text" is a tab-separated .txt
# Excel writes comma-, semicolon- (European settings) and tab-separated text; the header line decides.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_QUOTED = re.compile(r'"[^"]*"')
HEADING_SEARCH_ROWS = 10  # a report's title block (name, date run, filters) is a few rows at most
SWALLOWED_LINES = ("a cell of this row runs over several lines, usually because a double quote is not closed, "
                   "which joins the rows after it into this one; the whole row is held back")


@dataclass
class RawFile:
    path: Path
    kind: str
    file_format: str  # 'csv (utf-8)', 'csv (windows-1252)', 'xlsx (sheet X)'
    frame: pd.DataFrame  # original header names plus ROW
    short_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, reason) found while reading
    # Rows of a person file whose cell count is not the header's: they load if they break no rule, but if
    # they do, their cells may have moved (an employee number under another column), so the whole row is
    # held back under this reason and none of its values is repeated or kept.
    misshapen_rows: dict[int, str] = field(default_factory=dict)
    header_row: int = 1  # the row the headings were taken from (a title block may sit above them)
    sheet: str = ""  # the sheet read, for a workbook


def _save_again(path: Path, problem: str) -> LoadRefused:
    return LoadRefused([f"{path.name}: {problem}. Save it again from the HR system or Excel as 'CSV UTF-8'."])


def decode_csv_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding): UTF-16 with its marker (Excel's "Unicode text"), UTF-8 with or without
    BOM, else Windows-1252; never guessed silently."""
    for marker, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(marker):
            try:
                text = data[2:].decode(codec)
            except UnicodeDecodeError:
                raise _save_again(path, "starts with a UTF-16 marker (Excel's 'Unicode text') "
                                        "but is not valid UTF-16 text") from None
            if "\x00" in text:  # UTF-32 also starts with FF FE; it is not UTF-16 text
                raise _save_again(path, "starts with a UTF-16 marker but holds NUL characters, "
                                        "so it is not UTF-16 text")
            return text, "utf-16"
    if b"\x00" in data:
        # Plain text never holds NUL bytes; UTF-16 without its marker does, and would read as garbage.
        raise _save_again(path, "holds NUL bytes, so it is not plain text: it may be UTF-16 without the "
                                "marker Excel writes at its start, or not a text file at all")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8 with BOM"
        except UnicodeDecodeError as exc:
            raise LoadRefused(
                [f"{path.name}: starts with a UTF-8 marker but byte {exc.start + 3} is not valid UTF-8. "
                 "Save it again from the HR system or Excel as 'CSV UTF-8'."]
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise LoadRefused(
            [
                f"{path.name}: could not be read as text (byte {exc.start} is neither UTF-8 nor "
                "Windows-1252). Save it again from the HR system or Excel as 'CSV UTF-8'."
            ]
        ) from None


def sniff_delimiter(text: str) -> str:
    """The separator used most often in the header line, outside quotes; a comma when none is. A title
    line above the headings with no separator at all is passed over (HEADING_SEARCH_ROWS lines at most)."""
    for line in text.split("\n", HEADING_SEARCH_ROWS)[:HEADING_SEARCH_ROWS]:
        header = _QUOTED.sub("", line)
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.__getitem__)  # ties go to the comma, listed first
        if counts[best]:
            return best
    return ","


CHUNK_ROWS = 50_000  # rows gathered as Python lists before they become compact text columns


def _text_chunk(rows: list[list[str]], numbers: list[int], width: int) -> pd.DataFrame:
    # positional column labels: a header may name '' twice, and concat needs unique labels
    chunk = pd.DataFrame(rows, columns=range(width), dtype="str") if rows else \
        pd.DataFrame(columns=range(width), dtype="str")
    chunk[width] = pd.Series(numbers, dtype="int64")
    return chunk


def _heading_score(cells: list[str], kind: str, headings: dict[str, str]) -> tuple[int, bool]:
    """(how many of the kind's columns the row names, whether it names every required one); a
    column is looked for under the mapping's name for it, else its own, as the column plan does."""
    found = {normalise_column_name(cell) for cell in cells if cell.strip()}
    named = {c for c in KINDS[kind].columns if normalise_column_name(headings.get(c, c)) in found}
    return len(named), set(KINDS[kind].columns) - OPTIONAL_COLUMNS[kind] <= named


def find_heading_row(first_rows: list[list[str]], kind: str, headings: dict[str, str]) -> int:
    """Index of the headings among the first rows: the first row naming every required column, else
    the row naming most columns (so a refusal can say where the headings seem to be), else row 1."""
    scores = [_heading_score(row, kind, headings) for row in first_rows]
    complete = [at for at, (_, full) in enumerate(scores) if full]
    if complete:
        return complete[0]
    best = max(range(len(scores)), key=lambda at: (scores[at][0], -at), default=0)
    return best if scores and scores[best][0] else 0


def _frame_from_records(records: Iterable[list[str]], path: Path, kind: str, fmt: str,
                        delimiter: str | None = None, headings: dict[str, str] | None = None) -> RawFile:
    """Records one by one, kept as text columns every CHUNK_ROWS rows: a million-row file never
    exists as a million Python lists, which would take several times the file's size."""
    records = iter(records)
    first_rows = list(islice(records, HEADING_SEARCH_ROWS))
    at = find_heading_row(first_rows, kind, headings or {})
    records = chain(first_rows[at + 1:], records)  # rows above the headings are a title block: not data
    first = first_rows[at] if first_rows else None
    if first is None or not any(cell.strip() for cell in first):
        raise LoadRefused([f"{path.name}: the first row should hold the column names, but it is empty."])
    header = [cell.strip().lstrip("\ufeff") for cell in first]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise LoadRefused(
            [f"{path.name}: the column name(s) {', '.join(duplicates)} appear more than once in the header row."]
        )
    width = len(header)
    # Only delimited text can have an unclosed quote or a missing separator; in a person file such a
    # row may carry an employee number in any cell, so it is held back whole without its values.
    person_file = delimiter is not None and "person_id" in KINDS[kind].columns
    chunks, rows, numbers, short_rows, misshapen, reasons = [], [], [], [], {}, {}
    for offset, record in enumerate(records):
        row_number = offset + at + 2  # one record is one Excel row, even when a quoted cell holds a line break
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue  # a blank line; Excel still counts it, so the numbering goes on
        if delimiter is not None and ("\n" in (joined := "".join(record)) or "\r" in joined) \
                and _swallowed_lines(cells, delimiter, person_file):  # the join: one cheap test per row
            short_rows.append((row_number, SWALLOWED_LINES))
            continue
        if len(cells) > width:
            if any(cells[width:]):
                short_rows.append(
                    (row_number, f"the row has {len(cells)} cells but the header names only {width} columns")
                )
                continue
            cells = cells[:width]
        if person_file and len(record) != width:
            if len(record) not in reasons:  # one text per cell count, shared by every such row
                reasons[len(record)] = (
                    f"the row has {len(record)} cells but the header names {width} columns, and it breaks a "
                    "rule, so its cells may have moved; the whole row is held back (look for a missing or "
                    "extra separator)"
                )
            misshapen[row_number] = reasons[len(record)]
        cells += [""] * (width - len(cells))
        rows.append(cells)
        numbers.append(row_number)
        if len(rows) == CHUNK_ROWS:
            chunks.append(_text_chunk(rows, numbers, width))
            rows, numbers = [], []
    if rows or not chunks:
        chunks.append(_text_chunk(rows, numbers, width))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame.columns = [*header, ROW]
    return RawFile(path, kind, fmt, frame, short_rows, misshapen, header_row=at + 1)


def _swallowed_lines(cells: list[str], delimiter: str, person_file: bool) -> bool:
    """A cell with a line break: legitimate in a post title typed with Alt+Enter, but in a person
    file (ids, codes, dates, numbers) or next to a separator it is an unclosed quote's swallowed rows."""
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            if person_file or delimiter in cell:
                return True
    return False


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _lines(text: str) -> Iterator[str]:
    """The lines of text with their endings, as a file opened with newline='' gives them, without
    io.StringIO's copy of the whole text (three times its size for a plain ASCII file)."""
    for match in _LINE.finditer(text):
        if match.end() == match.start():
            return
        yield match.group()


def _csv_records(text: str, path: Path, delimiter: str = ",") -> Iterator[list[str]]:
    try:
        yield from csv.reader(_lines(text), delimiter=delimiter)
    except csv.Error as exc:
        raise LoadRefused([f"{path.name}: is not a well-formed CSV file ({exc})."]) from None


def read_csv(path: Path, kind: str, headings: dict[str, str] | None = None) -> RawFile:
    text, encoding = decode_csv_bytes(path.read_bytes(), path)
    delimiter = sniff_delimiter(text)
    separated = "" if delimiter == "," else f", {DELIMITERS[delimiter]}-separated"
    return _frame_from_records(_csv_records(text, path, delimiter), path, kind, f"csv ({encoding}{separated})",
                               delimiter, headings)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return ""  # a time-only cell carries no date; treated as empty
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(path: Path, kind: str, headings: dict[str, str] | None = None) -> RawFile:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        sheet_name = next((n for n in names if n.strip().lower() == kind), names[0])
        values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except LoadRefused:
        raise
    except Exception as exc:  # calamine raises several types for damaged or non-Excel files
        raise LoadRefused(
            [f"{path.name}: could not be read as an Excel .xlsx workbook ({type(exc).__name__}). "
             "Open it in Excel and save it again as .xlsx or CSV."]
        ) from None
    records = [[_cell_text(v) for v in row] for row in values]
    raw = _frame_from_records(records, path, kind, f"xlsx (sheet '{sheet_name}')", headings=headings)
    raw.sheet = sheet_name
    return raw


def read_file(path: Path, kind: str, headings: dict[str, str] | None = None) -> RawFile:
    """headings: the mapping's names for the kind's columns, used to find the heading row."""
    suffix = path.suffix.lower()
    if suffix in DELIMITED_SUFFIXES:
        return read_csv(path, kind, headings)
    if suffix == ".xlsx":
        return read_xlsx(path, kind, headings)
    raise LoadRefused(
        [f"{path.name}: looks like a {kind} file but is a '{suffix or 'no extension'}' file; "
         "expected .csv, .txt or .xlsx (save older .xls workbooks as .xlsx)."]
    )
