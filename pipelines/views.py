"""Named queries in sql/views/ that the dashboard and the exports share (bound parameters only)."""

from datetime import date, timedelta

import pandas as pd

from pipelines.sqlfiles import sql_text


def run_view(con, name: str, params: dict | None = None) -> pd.DataFrame:
    """A view's rows as a frame; DATE columns stay datetime.date (pandas would make them Timestamps)."""
    cursor = con.cursor()
    try:
        result = cursor.execute(sql_text("views", name), params or {})
        columns = [d[0] for d in result.description]
        frame = pd.DataFrame(result.fetchall(), columns=columns, dtype="object")
    finally:
        cursor.close()
    return frame.infer_objects() if len(frame) else frame


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def last_complete_month_end(data_end: date, today: date) -> date:
    """The last day of the latest month that is over both in the data and in the calendar."""
    latest = min(data_end, today)
    end = month_end(latest)
    return end if end == latest else latest.replace(day=1) - timedelta(days=1)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; a month end maps to a month end (2025-02-28 -> 2024-02-29)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = month_end(date(year, month + 1, 1))
    return last if day == month_end(day) else last.replace(day=min(day.day, last.day))


def period_start(reference: date, months: int) -> date:
    """First day of the `months`-month period ending on reference."""
    return months_before(reference, months) + timedelta(days=1)


def month_ends_between(first: date, last: date) -> list[date]:
    days, day = [], month_end(first)
    while day <= last:
        days.append(day)
        day = month_end(day + timedelta(days=1))
    return days


def tree_order(units: pd.DataFrame) -> list[tuple[str, int]]:
    """(unit_id, depth) in depth-first order, children by name, for an indented picker. Every unit is
    listed once: a unit whose parent is not in the frame, or whose parent links run in a loop (X under Y
    under X), is placed at the top, so a data error never hides a unit from the picker."""
    children: dict[str | None, list] = {}
    known = set(units["unit_id"])
    by_name = list(units.sort_values(["unit_name", "unit_id"]).itertuples())
    for row in by_name:
        parent = row.parent_unit_id if row.parent_unit_id in known else None
        children.setdefault(parent, []).append(row.unit_id)
    ordered, placed = [], set()
    # roots first; then, in name order, any unit still unplaced (only units in or under a loop are)
    for top in children.get(None, []) + [row.unit_id for row in by_name]:
        stack = [(top, 0)]
        while stack:
            unit, depth = stack.pop()
            if unit in placed:
                continue
            placed.add(unit)
            ordered.append((unit, depth))
            stack += [(c, depth + 1) for c in reversed(children.get(unit, []))]
    return ordered
