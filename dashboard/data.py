"""The dashboard's door to the database: a read-only connection per database version (shared by every
session) and results cached per question through Streamlit's cache. Pages get aggregated frames,
never raw tables. The work itself is reporting.source.DataSource's; this module only adds Streamlit's
caches around it."""

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard import sign_in
from dashboard.access_control import access_or_nothing
from reporting.source import DataSource, NoDatabase

ROOT = Path(__file__).resolve().parent.parent
DB_ENV = "WFS_DB"
DEFAULT_DB = ROOT / "data" / "demo" / "workforce.duckdb"

__all__ = ["NoDatabase", "db_path", "source"]


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@st.cache_resource(max_entries=2, show_spinner=False)
def _shared_source(path: str, version: int) -> DataSource:
    """One uncached source (one read-only connection) per database file version, for all sessions."""
    return DataSource(Path(path))


@st.cache_data(show_spinner=False, max_entries=8192)
def _answer(path: str, version: int, request: tuple) -> pd.DataFrame:
    return _shared_source(path, version).compute(request)


class StreamlitSource(DataSource):
    """A DataSource whose answers live in Streamlit's data cache, keyed by file version and question."""

    def connection(self) -> duckdb.DuckDBPyConnection:
        return _shared_source(str(self.path), self.version()).connection()

    def _cached(self, request: tuple) -> pd.DataFrame:
        return _answer(str(self.path), self.version(), request)


def source() -> StreamlitSource:
    """The data source for this run, within the signed-in user's access (reporting/access.py); raises
    NoDatabase when there is no database file. Stops the run when nobody is signed in and sign-in is on or
    required (sign_in.stop_unless_signed_in says why)."""
    sign_in.stop_unless_signed_in()
    found = StreamlitSource(db_path(), access=access_or_nothing())
    found.version()
    return found
