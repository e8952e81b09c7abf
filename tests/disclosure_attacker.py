"""An attacker for published tables, written apart from reporting/suppression.py on purpose: it knows only
what each column means (declared here, per table) and tries the arithmetic a reader could do to work a
hidden count of people back out. Anything it derives between 1 and 4 people is a finding.

Derivations tried, within one row or one column of one table (and the sentence published with it):
- a shown count of people from 1 to 4;
- rate x denominator (the numerator) and numerator / rate (the denominator);
- an FTE shown beside its hidden headcount when that FTE is below 5;
- whole minus part for declared pairs (in post minus still employed = leavers);
- a shown (or stated, or implied by shares) total minus the other shown cells when one cell is hidden;
- a share of a total: share x the total implied by any row whose count and share are both shown.
The sum of two shown counts cannot fall in 1..4 once no shown count does, so it needs no separate try.
Differences of unrelated counts (Band 9 leavers minus Band 10 leavers) count nobody and are not tried.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HIDDEN = "c"


@dataclass(frozen=True)
class Meaning:
    counts: tuple[str, ...] = ()  # counts of people (average headcounts too)
    rates: dict[str, tuple[str, str]] = field(default_factory=dict)  # rate % -> (numerator, denominator)
    fte_of: dict[str, str] = field(default_factory=dict)  # FTE column -> the count of people it measures
    parts: tuple[tuple[str, str], ...] = ()  # (part, whole) in a row; whole - part counts people
    total_row: tuple[str, str, str | None] | None = None  # (label column, label, group column or None)
    stated_totals: dict[str, float | str] = field(default_factory=dict)  # column -> its total stated in words
    shares: dict[str, str] = field(default_factory=dict)  # share % column -> the count column it shares out
    not_people: tuple[str, ...] = ()  # numeric columns that count posts, events, cases or days

    def declared(self) -> set[str]:
        cols = set(self.counts) | set(self.rates) | set(self.fte_of) | set(self.shares) | set(self.not_people)
        for numerator, denominator in self.rates.values():
            cols |= {numerator, denominator}
        return cols


def _shown(value) -> bool:
    return not (isinstance(value, str) and value == HIDDEN) and value is not None and not pd.isna(value)


def _small(value: float) -> bool:
    # Rates and FTE are rounded to one decimal, so a derived count is only known to within about half a person.
    return 0.5 <= value <= 4.5


def _small_fte(value: float) -> bool:
    return 0.05 <= value < 4.95


def undeclared_numbers(table: pd.DataFrame, meaning: Meaning) -> list[str]:
    """Numeric columns the attacker was told nothing about (so could not attack): a test must fail on them."""
    def number(v) -> bool:
        return isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and not pd.isna(v)

    return [c for c in table.columns if c not in meaning.declared() and table[c].map(number).any()]


def attack(table: pd.DataFrame, meaning: Meaning, where: str = "") -> list[str]:
    found = []

    def reveal(column, value, row, how):
        fte_col = column in meaning.fte_of
        if (fte_col and _small_fte(value)) or (not fte_col and _small(value)):
            found.append(f"{where}: row {row}, {column} = {value:.2f} from {how}")

    cells = table.reset_index(drop=True)
    for i, row in cells.iterrows():
        for column in meaning.counts:
            if column in row and _shown(row[column]) and _small(float(row[column])) and column not in meaning.fte_of:
                found.append(f"{where}: row {i}, {column} shows {row[column]}")
        for rate, (numerator, denominator) in meaning.rates.items():
            if rate not in row or not _shown(row[rate]):
                continue
            r = float(row[rate])
            # A numerator the table does not show at all is as unknown as a hidden one.
            if denominator in row and _shown(row[denominator]) and (numerator not in row or not _shown(row[numerator])):
                reveal(numerator, r * float(row[denominator]) / 100, i, f"{rate} x {denominator}")
            if numerator in row and _shown(row[numerator]) and denominator in row and not _shown(row[denominator]) \
                    and r > 0:
                reveal(denominator, float(row[numerator]) / r * 100, i, f"{numerator} / {rate}")
        for fte, count in meaning.fte_of.items():
            if fte in row and count in row and _shown(row[fte]) and not _shown(row[count]) and \
                    _small_fte(float(row[fte])):
                found.append(f"{where}: row {i}, {fte} = {row[fte]} beside hidden {count}")
        for part, whole in meaning.parts:
            if part in row and whole in row and _shown(row[part]) and _shown(row[whole]):
                difference = float(row[whole]) - float(row[part])
                if _small(difference):
                    found.append(f"{where}: row {i}, {whole} - {part} = {difference:g}")
    found += _attack_totals(cells, meaning, where)
    return found


def _groups(cells: pd.DataFrame, meaning: Meaning):
    """(rows that add up, the total row's index or None) for every group of rows with a known total."""
    if meaning.total_row is None:
        yield list(cells.index), None
        return
    label_column, label, group_column = meaning.total_row
    keys = cells[group_column] if group_column else pd.Series(0, index=cells.index)
    for _, members in cells.groupby(keys, sort=False):
        totals = members.index[members[label_column] == label]
        parts = [i for i in members.index if i not in totals]
        yield parts, (totals[0] if len(totals) else None)


def _attack_totals(cells: pd.DataFrame, meaning: Meaning, where: str) -> list[str]:
    found = []
    implied = {}
    for share, count in meaning.shares.items():
        if share not in cells or count not in cells:
            continue
        for _, row in cells.iterrows():
            if _shown(row[share]) and _shown(row[count]) and float(row[share]) > 0:
                implied[count] = float(row[count]) / float(row[share]) * 100
                break
        if count in implied:
            for i, row in cells.iterrows():
                if _shown(row[share]) and not _shown(row[count]):
                    value = float(row[share]) * implied[count] / 100
                    if _small(value):
                        found.append(f"{where}: row {i}, {count} = {value:.2f} from {share} of the implied total")
    for column in [*meaning.counts, *meaning.fte_of]:
        if column not in cells:
            continue
        for parts, total_index in _groups(cells, meaning):
            if total_index is not None:
                total = cells.loc[total_index, column]
            else:
                total = meaning.stated_totals.get(column, implied.get(column))
            if total is None or not _shown(total):
                continue
            hidden = [i for i in parts if not _shown(cells.loc[i, column])]
            if len(hidden) == 1:
                rest = sum(float(cells.loc[i, column]) for i in parts if i != hidden[0])
                value = float(total) - rest
                small = _small_fte(value) if column in meaning.fte_of else _small(value)
                if small:
                    found.append(f"{where}: row {hidden[0]}, {column} = {value:g} from the total minus the rest")
    return found
