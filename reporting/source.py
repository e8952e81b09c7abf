"""The one door to a workforce database for everything that builds a chart, table, summary or pack.

A DataSource is a read-only connection plus a cache. The dashboard gives one whose cache is
Streamlit's (dashboard/data.py); the command line gives one with a small in-process cache. Either
way, every query the product runs for a reader passes through here, which is why access rules
(which units a user may see) belong in this class and nowhere else."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import views
from pipelines.metric_specs import METRICS
from pipelines.metrics import run_metric, series
from pipelines.settings import load_settings


class NoDatabase(Exception):
    """The database file is not there (yet)."""


Scope = tuple  # (unit id or None, tiers tuple, social_work_only)


class MemoryCache:
    """A least-recently-used cache of query results for one process (the command line)."""

    def __init__(self, max_entries: int = 2048):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if key in self._entries:
            self._entries.move_to_end(key)
        else:
            self._entries[key] = compute()
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        # A copy (cheap under copy-on-write), so a caller adding a column never changes the cached frame.
        return self._entries[key].copy()


DERIVED: dict[str, Callable[..., pd.DataFrame]] = {}


def derived_frame(name: str):
    """Register a function (connection, *hashable args) -> frame that DataSource.derived may cache."""
    def register(function):
        DERIVED[name] = function
        return function
    return register


@derived_frame("authority_identity")
def _identity_frame(con) -> pd.DataFrame:
    from pipelines.authority import read_identity

    who = read_identity(con)
    return pd.DataFrame([[who.name, who.la_code, who.la_number, who.region]], dtype=object,
                        columns=["name", "la_code", "la_number", "region"])


class DataSource:
    """Aggregated frames from one database file: named views, metrics and metric series."""

    def __init__(self, path: Path, cache: MemoryCache | None = None):
        self.path = Path(path)
        self.cache = cache or MemoryCache()
        self._con: duckdb.DuckDBPyConnection | None = None

    # -- the database -----------------------------------------------------------------------------
    def version(self) -> int:
        """Changes when a load swaps in a new file, so caches and the connection follow it."""
        if not self.path.exists():
            raise NoDatabase(str(self.path))
        stat = self.path.stat()
        return stat.st_mtime_ns ^ stat.st_ino

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            from pipelines.metrics import connect

            self._con = connect(self.path, census_ok=True)  # census-only: the Census page still opens
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _cached(self, request: tuple) -> pd.DataFrame:
        """Every question is a hashable request tuple; the cache is keyed by it and the file's version."""
        return self.cache.get((str(self.path), self.version(), request), lambda: self.compute(request))

    # -- what callers ask for ---------------------------------------------------------------------
    def view(self, name: str, **params) -> pd.DataFrame:
        """A named query in sql/views/ with bound parameters."""
        return self._cached(("view", name, tuple(sorted(params.items()))))

    def metric(self, name: str, scope: Scope, by: str = "none", **when) -> pd.DataFrame:
        """One metric as a frame (one row per group). scope = (unit, tiers tuple, social_work_only)."""
        return self._cached(("metric", name, tuple(scope), by, tuple(sorted(when.items()))))

    def metric_series(self, name: str, scope: Scope, days: list[date], by: str = "none") -> pd.DataFrame:
        """An as-of metric on each day (one row per day and group)."""
        return self._cached(("series", name, tuple(scope), by, tuple(days)))

    def derived(self, name: str, *args) -> pd.DataFrame:
        """A frame computed by a registered function of (connection, *args), e.g. DfE-comparable figures."""
        return self._cached(("derived", name, *args))

    def identity(self):
        """Whose data these are (pipelines/authority.py): an Identity named 'authority not set' until set."""
        from pipelines.benchmarks import Identity

        row = self.derived("authority_identity").iloc[0]
        return Identity(*(None if value is None or value != value else value for value in row))

    def coverage(self) -> dict:
        frame = self.view("data_coverage")
        return frame.iloc[0].to_dict() if len(frame) else {}

    # -- uncached work (the dashboard's Streamlit cache calls compute) ----------------------------
    def compute(self, request: tuple) -> pd.DataFrame:
        kind, name, *rest = request
        if kind == "view":
            return self.compute_view(name, *rest)
        if kind == "metric":
            return self.compute_metric(name, *rest)
        if kind == "series":
            return self.compute_series(name, *rest)
        return DERIVED[name](self.connection(), *rest)

    def compute_view(self, name: str, params: tuple) -> pd.DataFrame:
        return views.run_view(self.connection(), name, dict(params))

    def compute_metric(self, name: str, scope: Scope, by: str, when: tuple) -> pd.DataFrame:
        unit, tiers, social_work_only = scope
        rows = run_metric(self.connection(), name, by=by, unit=unit, tiers=list(tiers) or None,
                          social_work_only=social_work_only, threshold=load_settings().caseload_threshold,
                          **dict(when))
        return pd.DataFrame(rows, columns=["group", *METRICS[name].field_names])

    def compute_series(self, name: str, scope: Scope, by: str, days: tuple) -> pd.DataFrame:
        unit, tiers, social_work_only = scope
        by_day = series(self.connection(), name, list(days), by=by, unit=unit, tiers=list(tiers) or None,
                        social_work_only=social_work_only, threshold=load_settings().caseload_threshold)
        rows = [{"day": day, **row} for day, day_rows in by_day.items() for row in day_rows]
        return pd.DataFrame(rows, columns=["day", "group", *METRICS[name].field_names])
