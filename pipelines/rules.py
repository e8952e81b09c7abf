"""Rules across rows: repeated keys, overlapping validity intervals, unknown references.

They run on normalised rows (ISO dates), after the row rules, file by file in name order. Every rule
works on whole columns at once (duplicated, sorts, joins, searchsorted): a load of 100,000 rows with
thousands of clashing keys costs about what a clean one does. Python only writes the reasons, once
per row held back.
"""

import numpy as np
import pandas as pd

from pipelines.contract import KINDS
from pipelines.readers import ROW
from pipelines.validate import Problem

FILE = "_file"


def _key_text(kind: str, rows: pd.DataFrame) -> pd.Series:
    """The key in words, per row; a person_id is never repeated back (reasons are stored and shown)."""
    parts = [
        pd.Series(f"{column} (the same person)", index=rows.index, dtype="object") if column == "person_id"
        else f"{column} " + rows[column].astype("str")
        for column in KINDS[kind].key
    ]
    text = parts[0]
    for part in parts[1:]:
        text = text + ", " + part
    return text


def _problems(kind: str, rows: pd.DataFrame, column: str, reasons: pd.Series) -> list[Problem]:
    return [Problem(kind, file, int(row), column, reason)  # whole columns as lists: cell by cell is slow
            for file, row, reason in zip(rows[FILE].tolist(), rows[ROW].tolist(), reasons.tolist(), strict=True)]


def _others_in_group(rows: pd.DataFrame, group: np.ndarray) -> pd.Series:
    """For each row, the row numbers of the other rows of its group, in file order: 'r1, r2'."""
    pairs = pd.DataFrame({"group": group, "at": np.arange(len(rows)), "row": rows[ROW].to_numpy()})
    pairs = pairs.merge(pairs, on="group", suffixes=("", "_other"))
    pairs = pairs[pairs["at"] != pairs["at_other"]].sort_values(["at", "at_other"])
    listed = pairs.groupby("at", sort=True)["row_other"].agg(lambda rows: ", ".join(map(str, rows)))
    return pd.Series(listed.to_numpy(), index=rows.index)


def _clashes_in_file(kind: str, frame: pd.DataFrame, key: list[str], columns: list[str]):
    """(rows kept, problems) for one file: an identical repeat loads once; two different rows with
    one key are both held back, each naming the other rows of its key."""
    distinct = frame.drop_duplicates(subset=columns)
    clashing = distinct.duplicated(subset=key, keep=False)
    if not clashing.any():
        return distinct, []
    clash = distinct[clashing]
    group = clash.groupby(key, sort=False, dropna=False).ngroup().to_numpy()
    reasons = (_key_text(kind, clash) + " appears again in this file with different values (row "
               + _others_in_group(clash, group) + "); both rows are held back until the file says which is right")
    return distinct[~clashing], _problems(kind, clash, key[0], reasons)


def combine_files(kind: str, frames: list[pd.DataFrame],
                  counts: dict[str, int] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """One frame per kind. Inside one file, two different rows with one key are both quarantined and
    an identical repeat loads once; a row in a later file replaces an earlier file's row with its key.
    counts, if given, receives how many rows were 'repeated' (identical to a row loaded, or to a row of
    the same file) and 'replaced' (by a different later row with the key), so the load report can
    account for every row read."""
    key = list(KINDS[kind].key)
    columns = list(KINDS[kind].columns)
    problems, kept, repeated = [], [], 0
    for frame in frames:
        if frame.empty:
            continue
        rows, found = _clashes_in_file(kind, frame, key, columns)
        repeated += len(frame) - len(rows) - len(found)  # each clashing row is one problem
        problems += found
        kept.append(rows)
    if not kept:
        if counts is not None:
            counts.update(repeated=repeated, replaced=0)
        return pd.DataFrame(columns=columns + [ROW, FILE]), problems
    combined = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0].reset_index(drop=True)
    later = combined.duplicated(subset=key, keep="last")
    result = combined[~later].reset_index(drop=True)
    if counts is not None:
        # a row dropped for a later one with its key: a repeat when identical to the row that stands
        same = combined[later][columns].merge(result[columns], on=columns, how="inner")
        counts.update(repeated=repeated + len(same), replaced=int(later.sum()) - len(same))
    return result, problems


_FIRST_DAY = -719_162  # 0001-01-01 as days since 1970: the earliest date the parsers accept
_SPAN = 3_700_000  # more days than from 0001-01-01 to 9999-12-31; the last one stands for an open end


def _days(values: pd.Series) -> np.ndarray:
    """ISO date text as day numbers from 0 upwards; None (an open end) as later than every date."""
    text = values.fillna("9999-12-31").to_numpy(dtype="object")
    days = np.asarray(text, dtype="datetime64[D]").astype("int64") - _FIRST_DAY
    return np.where(values.isna().to_numpy(), _SPAN - 1, days)


def _kept_chain(ids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Rows sorted by (id, start), ids as dense ranks. Walking one id's rows, a row is kept when it
    starts after the end of the last row kept (the first row always is). Each row's successor in that
    walk is the first row of its id starting after its end (one searchsorted for all rows); the kept
    rows are the chains of successors from each id's first row, followed for every id at once."""
    count = len(ids)
    if count == 0:
        return np.zeros(0, dtype=bool)
    position = ids * _SPAN + starts  # sorted, since rows are sorted by (id, start)
    following = np.searchsorted(position, ids * _SPAN + ends, side="right")
    inside = following < count
    inside[inside] = ids[following[inside]] == ids[inside]
    following = np.where(inside, following, -1)
    kept = np.zeros(count, dtype=bool)
    frontier = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    while len(frontier):  # one step per kept row of the busiest id, all ids at once
        kept[frontier] = True
        frontier = following[frontier]
        frontier = frontier[frontier >= 0]
    return kept


def drop_overlaps(kind: str, frame: pd.DataFrame, id_column: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of one id must not overlap: walking each id's rows by valid_from, a row that starts on or
    before the end of the last row kept is quarantined (the earlier row stands)."""
    if frame.empty:
        return frame.reset_index(drop=True), []
    ordered = frame.sort_values([id_column, "valid_from"], kind="stable")
    # ids numbered in the order they appear once sorted, so (id, start) ascends row by row
    names = ordered[id_column].to_numpy(dtype="object")
    ids = np.cumsum(np.r_[True, names[1:] != names[:-1]]) - 1
    kept = _kept_chain(ids, _days(ordered["valid_from"]), _days(ordered["valid_to"]))
    # the last kept row at or before each row: an id's first row is always kept, so this never
    # reaches back into the previous id
    last_kept = np.maximum.accumulate(np.where(kept, np.arange(len(ordered)), -1))
    dropped = ordered[~kept]
    stands = ordered.iloc[last_kept[~kept]]
    reasons = (f"{id_column} " + dropped[id_column].astype("str") + " from " + dropped["valid_from"].astype("str")
               + " overlaps its row from " + stands["valid_from"].astype("str").to_numpy() + " to "
               + stands["valid_to"].fillna("open-ended").astype("str").to_numpy() + " ("
               + stands[FILE].astype("str").to_numpy() + " row " + stands[ROW].astype("str").to_numpy() + ")")
    survivors = ordered.index[kept].sort_values()
    return frame.loc[survivors].reset_index(drop=True), _problems(kind, dropped, "valid_from", reasons)


def drop_unknown_references(
    kind: str, frame: pd.DataFrame, column: str, known: set[str], target_kind: str
) -> tuple[pd.DataFrame, list[Problem]]:
    unknown = ~frame[column].isin(known)
    rows = frame[unknown]
    reasons = (f"{column} '" + rows[column].astype("str") + f"' is not in {target_kind} "
               "(or all its rows were quarantined)")
    return frame[~unknown].reset_index(drop=True), _problems(kind, rows, column, reasons)


def drop_engagements_of_unknown_cover(frame: pd.DataFrame, assignments: pd.DataFrame,
                                      agency_arrangements: tuple[str, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """An agency engagement fills an agency-family cover assignment: one that is not in assignments,
    or is there with another arrangement (a permanent post, say), is quarantined with which it is."""
    arrangement = dict(zip(assignments["assignment_id"].tolist(), assignments["arrangement"].tolist(), strict=True))
    found = frame["assignment_id"].map(arrangement)
    unknown = found.isna()
    other = ~unknown & ~found.isin(agency_arrangements)
    kinds = " or ".join(agency_arrangements)
    reasons = pd.concat([
        "assignment_id '" + frame.loc[unknown, "assignment_id"].astype("str")
        + "' is not in assignments (or all its rows were quarantined)",
        "assignment_id '" + frame.loc[other, "assignment_id"].astype("str") + "' is a "
        + found[other].astype("str") + f" assignment; an agency engagement must fill an {kinds} assignment",
    ]).sort_index()
    rows = frame[unknown | other]
    return frame[~(unknown | other)].reset_index(drop=True), _problems("agency_engagements", rows, "assignment_id",
                                                                      reasons.loc[rows.index])
