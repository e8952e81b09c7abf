"""Small-number suppression for anything that leaves the building (DfE's convention).

In publication mode:
- primary: a count from 1 to 4 becomes "c";
- a rate whose headcount denominator is below 5 becomes "c" (and so does any figure that is that
  denominator's companion, e.g. the FTE beside a suppressed headcount, when the table says so);
- secondary: where a column's rows add up to a total that is shown (an "All" row or a known total),
  a lone suppressed cell could be worked out by subtraction, so the next smallest cell in that column
  is suppressed too.
Internal mode shows everything, and every output says so.
"""

from dataclasses import dataclass, field

import pandas as pd

PUBLICATION, INTERNAL = "publication", "internal"
SUPPRESSED = "c"
SMALLEST_SHOWN = 5
MODE_NOTES = {
    PUBLICATION: "Publication mode: counts of 1 to 4, and rates based on fewer than 5 people, are shown as c "
                 "(with a second cell where needed so a total cannot reveal them).",
    INTERNAL: "INTERNAL — NOT FOR PUBLICATION: small numbers are not suppressed.",
}


@dataclass(frozen=True)
class SuppressionRules:
    """Which columns of a table are counts of people, and which rates rest on which headcount."""

    counts: tuple[str, ...] = ()
    rates: dict[str, str] = field(default_factory=dict)  # rate column -> its headcount denominator column
    companions: dict[str, str] = field(default_factory=dict)  # e.g. 'leaver FTE' -> 'leavers'
    total_row: tuple[str, str] | None = None  # (column, value) that marks the total row, e.g. ('Group', 'All')


def _is_small(value) -> bool:
    return isinstance(value, (int, float)) and not pd.isna(value) and 1 <= value <= SMALLEST_SHOWN - 1


def suppress(table: pd.DataFrame, rules: SuppressionRules, mode: str = PUBLICATION) -> pd.DataFrame:
    """A copy of table with small numbers replaced by 'c' (publication mode), or unchanged (internal)."""
    if mode == INTERNAL or table.empty:
        return table.copy()
    numbers = table.copy()
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    for column in rules.counts:
        if column in table:
            hidden[column] = table[column].map(_is_small)
    for rate, denominator in rules.rates.items():
        if rate in table and denominator in table:
            small_base = table[denominator].map(lambda v: isinstance(v, (int, float)) and not pd.isna(v) and v < SMALLEST_SHOWN)
            hidden[rate] = hidden[rate] | small_base
    hidden = _secondary(table, hidden, rules)
    for column, source in rules.companions.items():
        if column in table and source in table:
            hidden[column] = hidden[column] | hidden[source]
    out = numbers.astype("object")
    out[hidden] = SUPPRESSED
    return out


def _secondary(table: pd.DataFrame, hidden: pd.DataFrame, rules: SuppressionRules) -> pd.DataFrame:
    if rules.total_row is None or rules.total_row[0] not in table:
        return hidden
    marker_column, marker = rules.total_row
    is_total = table[marker_column] == marker
    if not is_total.any():
        return hidden
    for column in rules.counts:
        if column not in table or hidden.loc[is_total, column].any():
            continue
        parts = ~is_total
        lone = hidden.loc[parts, column]
        if lone.sum() == 1:
            candidates = table.loc[parts & ~hidden[column] & (table[column] > 0), column]
            if len(candidates):
                hidden.loc[candidates.astype(float).idxmin(), column] = True
    return hidden
