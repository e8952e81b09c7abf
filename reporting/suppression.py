"""Small-number suppression for anything that leaves the building (DfE's convention), made so that a hidden
count cannot be worked back out of what is shown in the same table or sentence.

Each table declares what its columns mean (SuppressionRules). In publication mode:
- primary: a count of people from 1 to 4 (an average headcount above 0 and below 5) becomes "c";
- pairs: where a row shows a part and its whole (still employed of those in post), a difference of 1 to 4
  is itself a count of people, so the part is hidden;
- rates: a rate is hidden when its numerator or its headcount denominator is hidden, or rests on fewer
  than 5 people (rate x denominator gives the numerator back; numerator / rate the denominator);
- companions: a figure that measures the same people as a count (its FTE, its share) follows that count;
- secondary: where the cells of a column add up to a total that is shown (a total row, a total stated in
  the summary, or one implied by shares), a single hidden cell could be found by subtraction, so the next
  smallest cell is hidden too;
and these are repeated until nothing changes. A number is only ever hidden, never altered.
Internal mode shows everything, and every output says so.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PUBLICATION, INTERNAL = "publication", "internal"
SUPPRESSED = "c"
SMALLEST_SHOWN = 5
MODE_NOTES = {
    PUBLICATION: "Publication mode: counts of 1 to 4 people, and any rate, FTE or total from which one could be "
                 "worked out, are shown as c (with further cells where needed so no sum or difference reveals them).",
    INTERNAL: "INTERNAL — NOT FOR PUBLICATION: small numbers are not suppressed.",
}
MODE_LABELS = {PUBLICATION: "Publication (small numbers hidden)", INTERNAL: "Internal use only (all numbers)"}


@dataclass(frozen=True)
class SuppressionRules:
    """What the columns of a table mean, so that suppression can follow every way a count could leak."""

    counts: tuple[str, ...] = ()  # counts of people (average headcounts too)
    rates: dict[str, str] = field(default_factory=dict)  # rate column -> its headcount denominator column
    numerators: dict[str, str] = field(default_factory=dict)  # rate column -> the column it is a rate of
    companions: dict[str, str] = field(default_factory=dict)  # e.g. 'Leaver FTE' -> 'Leavers'
    parts: tuple[tuple[str, str], ...] = ()  # (part, whole) in one row, e.g. (still employed, in post)
    total_row: tuple[str, str] | None = None  # (column, value) that marks the total row, e.g. ('Group', 'All')
    group_by: str | None = None  # column whose values each have their own total row (e.g. the month)
    column_totals: tuple[str, ...] = ()  # count columns whose total is published elsewhere (summary, shares)


def _number(value) -> float | None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) or pd.isna(value):
        return None
    return float(value)


def is_small(value) -> bool:
    """1 to 4 people (an average headcount between 0 and 5); zero is shown."""
    number = _number(value)
    return number is not None and 0 < number < SMALLEST_SHOWN


def suppress(table: pd.DataFrame, rules: SuppressionRules, mode: str = PUBLICATION) -> pd.DataFrame:
    """A copy of table with small numbers replaced by 'c' (publication mode), or unchanged (internal)."""
    if mode == INTERNAL or table.empty:
        return table.copy()
    hidden = hidden_cells(table, rules)
    out = table.copy().astype("object")
    out[hidden] = SUPPRESSED
    return out


def hidden_cells(table: pd.DataFrame, rules: SuppressionRules) -> pd.DataFrame:
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    for column in rules.counts:
        if column in table:
            hidden[column] = table[column].map(is_small)
    for rate, denominator in rules.rates.items():
        if rate in table and denominator in table:
            base = [_number(v) for v in table[denominator]]
            hidden[rate] = hidden[rate] | pd.Series([v is not None and v < SMALLEST_SHOWN for v in base],
                                                    index=table.index)
    while True:
        before = hidden.to_numpy().copy()
        _pairs(table, hidden, rules)
        _secondary(table, hidden, rules)
        _follow(table, hidden, rules)
        if (hidden.to_numpy() == before).all():
            return hidden


def _present(table: pd.DataFrame, *columns: str) -> bool:
    return all(c in table for c in columns)


def _pairs(table: pd.DataFrame, hidden: pd.DataFrame, rules: SuppressionRules) -> None:
    for part, whole in rules.parts:
        if not _present(table, part, whole):
            continue
        for i in table.index:
            p, w = _number(table.at[i, part]), _number(table.at[i, whole])
            if p is not None and w is not None and not hidden.at[i, part] and not hidden.at[i, whole] \
                    and is_small(w - p):
                hidden.at[i, part] = True


def _follow(table: pd.DataFrame, hidden: pd.DataFrame, rules: SuppressionRules) -> None:
    """Rates and companions follow the counts they rest on."""
    for column, source in rules.companions.items():
        if _present(table, column, source):
            hidden[column] = hidden[column] | hidden[source]
    for rate, denominator in rules.rates.items():
        if _present(table, rate, denominator):
            hidden[rate] = hidden[rate] | hidden[denominator]
    for rate, numerator in rules.numerators.items():
        if _present(table, rate, numerator):
            hidden[rate] = hidden[rate] | hidden[numerator]


def _groups(table: pd.DataFrame, rules: SuppressionRules):
    """(rows that add up, index of their total row or None when the total is published elsewhere)."""
    if rules.total_row is not None and rules.total_row[0] in table:
        marker_column, marker = rules.total_row
        keys = table[rules.group_by] if rules.group_by in table else pd.Series(0, index=table.index)
        for _, members in table.groupby(keys, sort=False):
            totals = members.index[members[marker_column] == marker]
            if len(totals):
                yield [i for i in members.index if i not in totals], totals[0], None
    for column in rules.column_totals:
        if column in table:
            yield list(table.index), None, column


def _secondary(table: pd.DataFrame, hidden: pd.DataFrame, rules: SuppressionRules) -> None:
    for parts, total, only in _groups(table, rules):
        for column in (only,) if only else rules.counts:
            if column not in table or (total is not None and hidden.at[total, column]):
                continue
            lone = [i for i in parts if hidden.at[i, column]]
            if len(lone) != 1:
                continue
            shown = [i for i in parts if not hidden.at[i, column] and _number(table.at[i, column]) is not None]
            # The next smallest non-zero cell; failing that a zero; failing that the total itself.
            ranked = sorted(shown, key=lambda i: (_number(table.at[i, column]) == 0, _number(table.at[i, column])))
            if ranked:
                hidden.at[ranked[0], column] = True
            elif total is not None:
                hidden.at[total, column] = True


def shown_total(table: pd.DataFrame, rules: SuppressionRules, column: str, total, mode: str = PUBLICATION) -> str:
    """A column's total, as a sentence published beside the table may state it: 'fewer than 5' when it is 1 to
    4, and no number at all when stating it would let a lone hidden cell be worked out."""
    total = _number(total) or 0.0
    if mode == INTERNAL:
        return f"{total:,.0f}"
    if is_small(total):
        return "fewer than 5"
    hidden = hidden_cells(table, rules)
    if column in hidden and hidden[column].sum() == 1:
        return "a number (not published, to protect small numbers)"
    return f"{total:,.0f}"
