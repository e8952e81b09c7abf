"""The dashboard's only door to the database: a read-only connection per database version and
results cached per filter set. Pages get aggregated frames, never raw tables."""

import os
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines import views
from pipelines.metric_specs import METRICS
from pipelines.metrics import run_metric, series
from pipelines.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DB_ENV = "WFS_DB"
DEFAULT_DB = ROOT / "data" / "demo" / "workforce.duckdb"


class NoDatabase(Exception):
    pass


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def db_version() -> int:
    """Changes when a load swaps in a new file, so caches and the connection follow it."""
    path = db_path()
    if not path.exists():
        raise NoDatabase(str(path))
    stat = path.stat()
    return stat.st_mtime_ns ^ stat.st_ino


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, version: int) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(str(db_path()), db_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _view(version: int, name: str, params: tuple) -> pd.DataFrame:
    return views.run_view(connection(), name, dict(params))


def view(name: str, **params) -> pd.DataFrame:
    return _view(db_version(), name, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=4096)
def _metric(version: int, name: str, scope: tuple, by: str, when: tuple) -> pd.DataFrame:
    unit, tiers, social_work_only = scope
    rows = run_metric(connection(), name, by=by, unit=unit, tiers=list(tiers) or None,
                      social_work_only=social_work_only, threshold=load_settings().caseload_threshold, **dict(when))
    return pd.DataFrame(rows, columns=["group", *METRICS[name].field_names])


def metric(name: str, scope: tuple, by: str = "none", **when) -> pd.DataFrame:
    """One metric as a frame (one row per group). scope = (unit, tiers tuple, social_work_only)."""
    return _metric(db_version(), name, scope, by, tuple(sorted(when.items())))


@st.cache_data(show_spinner=False, max_entries=512)
def _series(version: int, name: str, scope: tuple, by: str, days: tuple) -> pd.DataFrame:
    unit, tiers, social_work_only = scope
    by_day = series(connection(), name, list(days), by=by, unit=unit, tiers=list(tiers) or None,
                    social_work_only=social_work_only, threshold=load_settings().caseload_threshold)
    rows = [{"day": day, **row} for day, day_rows in by_day.items() for row in day_rows]
    return pd.DataFrame(rows, columns=["day", "group", *METRICS[name].field_names])


def metric_series(name: str, scope: tuple, days: list[date], by: str = "none") -> pd.DataFrame:
    """An as-of metric on each day (one row per day and group)."""
    return _series(db_version(), name, scope, by, tuple(days))


def coverage() -> dict:
    frame = view("data_coverage")
    return frame.iloc[0].to_dict() if len(frame) else {}
