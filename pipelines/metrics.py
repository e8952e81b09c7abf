"""The metric engine: one Python API over the SQL in sql/metrics/, used by the command line and the app.

Results are lists of dicts, one per group, sorted by group in code-point order, with exactly the
fields METRICS.md names: counts as int, FTE and rates as float (rates unrounded), None where undefined.
"""

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.contract import TIERS
from pipelines.database import NotAWorkforceDatabase, has_census_returns, has_hr_data, open_workforce_db
from pipelines.errors import UsageError
from pipelines.metric_specs import AS_OF, COUNT, FTE, METRICS, NUMBER, PERIOD, SNAPSHOT, MetricSpec
from pipelines.sqlfiles import sql_text


def connect(db_path: Path, census_ok: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a workforce database holding HR data (or, with census_ok, census returns
    only: the dashboard's Census page); NotAWorkforceDatabase (a UsageError, in plain words) for anything
    else, from a missing path to another application's file."""
    con = open_workforce_db(Path(db_path))
    if not has_hr_data(con) and not (census_ok and has_census_returns(con)):
        holds = "census returns" if has_census_returns(con) else "DfE figures"
        con.close()
        raise NotAWorkforceDatabase(f"{db_path} holds {holds} only: no HR extracts loaded yet. Load extracts "
                                    f"first: python -m pipelines ingest FOLDER --db {db_path}")
    return con


def check_request(name: str, by: str, tiers: Iterable[str] | None) -> MetricSpec:
    if name not in METRICS:
        raise UsageError(f"Unknown metric '{name}'. Metrics: {', '.join(METRICS)}.")
    spec = METRICS[name]
    if by not in spec.groupings:
        raise UsageError(f"{name} cannot be grouped by '{by}'. Choose one of: {', '.join(spec.groupings)}.")
    unknown = sorted(set(tiers or ()) - set(TIERS))
    if unknown:
        raise UsageError(f"Unknown tier(s) {', '.join(unknown)}. Tiers: {', '.join(TIERS)}.")
    return spec


def _value(value, kind: str):
    if value is None:
        return None
    if kind == COUNT:
        return int(value)
    return float(value)


def _empty_row(spec: MetricSpec, group: str) -> dict:
    row = {"group": group}
    for field, kind in spec.fields:
        row[field] = 0 if kind == COUNT else (0.0 if kind in (FTE, NUMBER) else None)
    return row


def _query(con, spec: MetricSpec, params: dict) -> list[dict]:
    cursor = con.cursor()
    try:
        result = cursor.execute(sql_text("metrics", spec.name), params)
        columns = [d[0] for d in result.description]
        rows = result.fetchall()
    finally:
        cursor.close()
    kinds = dict(spec.fields)
    return [
        {c: (v if c in ("day", "group") else _value(v, kinds[c])) for c, v in zip(columns, row)}
        for row in rows
    ]


def _shape(spec: MetricSpec, rows: list[dict], by: str) -> list[dict]:
    if by == "none" and not rows:
        rows = [_empty_row(spec, "all")]
    ordered = sorted(rows, key=lambda r: r["group"])
    return [{"group": r["group"], **{f: r[f] for f in spec.field_names}} for r in ordered]


def _scope_params(spec, unit, tiers, social_work_only, by, threshold) -> dict:
    params = {"by": by, "unit": unit}
    if spec.name != "structural_changes":
        params["tiers"] = sorted(set(tiers)) if tiers else None
        params["social_work_only"] = bool(social_work_only)
    if spec.name == "caseload":
        params["threshold"] = float(threshold)
    return params


def _with_connection(db, fn):
    if isinstance(db, duckdb.DuckDBPyConnection):
        return fn(db)
    con = connect(db)
    try:
        return fn(con)
    finally:
        con.close()


def run_metric(db, name: str, *, as_of: date | None = None, date_from: date | None = None,
               date_to: date | None = None, snapshot: date | None = None, by: str = "none",
               unit: str | None = None, tiers: Iterable[str] | None = None, social_work_only: bool = False,
               threshold: float = 20.0) -> list[dict]:
    """One metric for one reference day or period. db: a database path or an open connection."""
    spec = check_request(name, by, tiers)
    params = _scope_params(spec, unit, tiers, social_work_only, by, threshold)
    if spec.reference == PERIOD:
        if date_from is None or date_to is None:
            raise UsageError(f"{name} needs a period: --from A --to B.")
        if date_from > date_to:
            raise UsageError(f"The period starts ({date_from}) after it ends ({date_to}).")
        params.update(date_from=date_from, date_to=date_to)
        return _with_connection(db, lambda con: _shape(spec, _query(con, spec, params), by))
    day = as_of if spec.reference == AS_OF else snapshot
    if day is None:
        raise UsageError(f"{name} needs {'--as-of D' if spec.reference == AS_OF else '--snapshot S'}.")
    return series(db, name, [day], by=by, unit=unit, tiers=tiers, social_work_only=social_work_only,
                  threshold=threshold)[day]


def series(db, name: str, days: list[date], *, by: str = "none", unit: str | None = None,
           tiers: Iterable[str] | None = None, social_work_only: bool = False,
           threshold: float = 20.0) -> dict[date, list[dict]]:
    """An as-of or snapshot metric on many days at once (e.g. every month end for ten years)."""
    spec = check_request(name, by, tiers)
    if spec.reference not in (AS_OF, SNAPSHOT):
        raise UsageError(f"{name} is measured over a period, not on a day; call run_metric per period.")
    params = _scope_params(spec, unit, tiers, social_work_only, by, threshold)
    params["days"] = sorted(set(days))
    rows = _with_connection(db, lambda con: _query(con, spec, params))
    by_day: dict[date, list[dict]] = {day: [] for day in params["days"]}
    for row in rows:
        by_day[row["day"]].append(row)
    return {day: _shape(spec, day_rows, by) for day, day_rows in by_day.items()}


def known_unit(con, unit_id: str) -> bool:
    cursor = con.cursor()
    try:
        return bool(cursor.execute("select count(*) from unit_rows where unit_id = $u", {"u": unit_id}).fetchall()[0][0])
    finally:
        cursor.close()


def metric_frame(con, name: str, scope: tuple, by: str = "none", threshold: float = 20.0, **when):
    """run_metric as a frame (one row per group), for scope = (unit, tiers tuple, social_work_only)."""
    unit, tiers, social_work_only = scope
    rows = run_metric(con, name, by=by, unit=unit, tiers=list(tiers) or None, social_work_only=social_work_only,
                      threshold=threshold, **when)
    return pd.DataFrame(rows, columns=["group", *METRICS[name].field_names])


def series_frame(con, name: str, scope: tuple, days: list[date], by: str = "none", threshold: float = 20.0):
    """series as a frame (one row per day and group), for scope = (unit, tiers tuple, social_work_only)."""
    unit, tiers, social_work_only = scope
    by_day = series(con, name, list(days), by=by, unit=unit, tiers=list(tiers) or None,
                    social_work_only=social_work_only, threshold=threshold)
    rows = [{"day": day, **row} for day, day_rows in by_day.items() for row in day_rows]
    return pd.DataFrame(rows, columns=["day", "group", *METRICS[name].field_names])
