"""Keeping employee numbers out of everything stored about held-back rows, and warning about ids that
differ only in letter case.

The database must never hold a raw person_id. The person_id column itself is pseudonymised, but a
row that is out of shape (a missing separator, an unclosed quote) can carry an employee number in any
cell, and a reason that quotes a cell would repeat it. So: a misshapen row that breaks a rule is held
back whole with no values; and any other cell of a held-back row that equals an employee number seen
anywhere in the extracts is masked, in the stored values and in the reason.
"""

from decimal import Decimal, InvalidOperation

import pandas as pd

from pipelines.parsing import parse_date
from pipelines.readers import ROW
from pipelines.validate import Problem

WHOLE_ROW = "(whole row)"
HIDDEN = "(an employee number, not shown)"
FILE = "_file"
PERSON = "person_id"
ROWS_LISTED = 10


def hold_back_misshapen(problems: list[Problem], misshapen: dict[int, str]) -> list[Problem]:
    """A misshapen row with any problem becomes one whole-row problem: its cells cannot be trusted to be
    in their columns, so no reason may quote them."""
    if not misshapen:
        return problems
    kept, whole = [], {}
    for problem in problems:
        if problem.row in misshapen:
            whole.setdefault(problem.row, Problem(problem.kind, problem.file, problem.row, WHOLE_ROW,
                                                  misshapen[problem.row]))
        else:
            kept.append(problem)
    return kept + list(whole.values())


def person_ids(frames: list[pd.DataFrame]) -> set[str]:
    """Every employee number in the person_id column of any file, loaded or not."""
    ids: set[str] = set()
    for frame in frames:
        if PERSON in frame:
            ids.update(frame[PERSON].unique().tolist())
    ids.discard("")
    return ids


def hide_ids_in_values(values: dict, ids: set[str]) -> dict:
    """A held-back row's cells with every employee number outside person_id masked (person_id itself is
    pseudonymised by the caller)."""
    return {column: HIDDEN if column != PERSON and value in ids else value for column, value in values.items()}


def hide_ids_in_reason(reason: str, values: dict, ids: set[str]) -> str:
    """Reasons quote a cell as 'value' or name it as 'column value'; mask those forms of any cell that is
    an employee number."""
    for column, value in values.items():
        if column != PERSON and value in ids:
            reason = reason.replace(f"'{value}'", f"'{HIDDEN}'").replace(f"{column} {value}", f"{column} {HIDDEN}")
    return reason


def looks_like_data(header: list[str]) -> bool:
    """A header row with a date or a number in it is a data row: the file has no header (so the message
    must not list the 'names', which would repeat an employee number)."""
    for name in header:
        if parse_date(name):
            return True
        try:
            Decimal(name)
        except InvalidOperation:
            continue
        return True
    return False


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_LISTED])
    more = len(rows) - ROWS_LISTED
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "") if len(rows) > 1 else f"row {shown}"


def case_only_warnings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """One warning per file whose loaded rows hold employee numbers that differ from another only in
    letter case ('E1', 'e1'). They are kept apart, as the contract compares ids exactly; the warning names
    the file, the rows and how many ids, never the ids."""
    parts = [table[[PERSON, FILE, ROW]].assign(kind=kind) for kind, table in tables.items()
             if PERSON in table and len(table)]
    if not parts:
        return []
    rows = pd.concat(parts, ignore_index=True)
    distinct = pd.Series(rows[PERSON].unique())
    folded = distinct.str.casefold()
    clashing = set(distinct[folded.duplicated(keep=False)])
    involved = rows[rows[PERSON].isin(clashing)]
    warnings = []
    for (kind, file_name), group in involved.groupby(["kind", FILE], sort=True):
        count = group[PERSON].nunique()
        warnings.append({
            "kind": kind, "subject": file_name, "day": None,
            "message": f"{count} employee number(s) in {file_name} ({_rows_text(sorted(group[ROW].tolist()))}) "
                       "differ from another employee number only in letter case; they are counted as "
                       "different people. Check which spelling is right in the HR system",
        })
    return warnings
