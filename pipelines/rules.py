"""Rules across rows: repeated keys, overlapping validity intervals, unknown references.

They run on normalised rows (ISO dates), after the row rules, file by file in name order.
"""

import pandas as pd

from pipelines.contract import KINDS
from pipelines.readers import ROW
from pipelines.validate import Problem

FILE = "_file"


def _key_text(kind: str, row) -> str:
    """The key in words; a person_id is never repeated back (reasons are stored and shown)."""
    return ", ".join(f"{column} {'(the same person)' if column == 'person_id' else row[column]}"
                     for column in KINDS[kind].key)


def combine_files(kind: str, frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """One frame per kind. Inside one file, two different rows with one key are both quarantined and
    an identical repeat loads once; a row in a later file replaces an earlier file's row with its key."""
    key = list(KINDS[kind].key)
    columns = list(KINDS[kind].columns)
    problems, kept = [], []
    for frame in frames:
        if frame.empty:
            continue
        distinct = frame.drop_duplicates(subset=columns)
        clashing = distinct.duplicated(subset=key, keep=False)
        for _, row in distinct[clashing].iterrows():
            others = distinct[clashing & (distinct[key] == row[key]).all(axis=1)][ROW]
            rows = ", ".join(str(r) for r in others if r != row[ROW])
            problems.append(
                Problem(kind, row[FILE], int(row[ROW]), key[0],
                        f"{_key_text(kind, row)} appears again in this file with different values (row {rows}); "
                        "both rows are held back until the file says which is right")
            )
        kept.append(distinct[~clashing])
    if not kept:
        return pd.DataFrame(columns=columns + [ROW, FILE]), problems
    combined = pd.concat(kept, ignore_index=True)
    return combined.drop_duplicates(subset=key, keep="last").reset_index(drop=True), problems


def drop_overlaps(kind: str, frame: pd.DataFrame, id_column: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of one id must not overlap: walking each id's rows by valid_from, a row that starts on or
    before the end of the last row kept is quarantined (the earlier row stands)."""
    problems, keep = [], []
    ordered = frame.sort_values([id_column, "valid_from"], kind="stable")
    last_id, last_end, last_row = None, None, None
    for index, row in ordered.iterrows():
        if row[id_column] != last_id:
            last_id, last_end, last_row = row[id_column], None, None
        elif last_end is None or row["valid_from"] <= last_end:
            until = last_row["valid_to"] or "open-ended"
            problems.append(
                Problem(kind, row[FILE], int(row[ROW]), "valid_from",
                        f"{id_column} {row[id_column]} from {row['valid_from']} overlaps its row from "
                        f"{last_row['valid_from']} to {until} ({last_row[FILE]} row {last_row[ROW]})")
            )
            continue
        keep.append(index)
        last_end, last_row = row["valid_to"], row
    return frame.loc[sorted(keep)].reset_index(drop=True), problems


def drop_unknown_references(
    kind: str, frame: pd.DataFrame, column: str, known: set[str], target_kind: str
) -> tuple[pd.DataFrame, list[Problem]]:
    unknown = ~frame[column].isin(known)
    problems = [
        Problem(kind, row[FILE], int(row[ROW]), column,
                f"{column} '{row[column]}' is not in {target_kind} (or all its rows were quarantined)")
        for _, row in frame[unknown].iterrows()
    ]
    return frame[~unknown].reset_index(drop=True), problems
