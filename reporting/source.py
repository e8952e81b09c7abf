"""The one door to a workforce database for everything that builds a chart, table, summary or pack.

A DataSource is a read-only connection plus a cache. The dashboard gives one whose cache is
Streamlit's (dashboard/data.py); the command line gives one with a small in-process cache. Either
way, every query the product runs for a reader passes through here, which is why access rules
(which units a user may see) belong in this class and nowhere else."""

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import views
from pipelines.metrics import metric_frame, series_frame
from pipelines.settings import load_settings
from reporting.access import (
    ADMIN_ONLY,
    DERIVED_ACCESS,
    OPEN_ACCESS,
    OUTSIDE_UNITS,
    PUBLISHED_ONLY,
    VIEW_ACCESS,
    WHOLE_SERVICE_ONLY,
    Access,
    OutOfScope,
)


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


# Viewers get figures only while publication-mode output is being built (the published view of a page, a
# publication pack): everything made inside `publishing()` goes through small-number suppression before anyone
# sees it. Any other question from a viewer (a page script run directly, say) is refused.
_PUBLISHING: ContextVar[bool] = ContextVar("publishing", default=False)


@contextmanager
def publishing() -> Iterator[None]:
    token = _PUBLISHING.set(True)
    try:
        yield
    finally:
        _PUBLISHING.reset(token)


DERIVED: dict[str, Callable[..., pd.DataFrame]] = {}
DERIVED_WHO: dict[str, str] = {}
DERIVED_UNIT_ARGS: dict[str, tuple[int, int]] = {}  # "unit" frames: (index of the unit arg, index of its day arg)


def derived_frame(name: str, who: str = "whole_service", unit_arg: int | None = None, day_arg: int | None = None):
    """Register a function (connection, *hashable args) -> frame that DataSource.derived may cache. `who` may
    ask for it (reporting/access.py DERIVED_ACCESS); authority-wide figures by default. A frame of one unit's
    subtree says who="unit" and which of its arguments are the unit and the day the unit is judged on."""
    if who not in DERIVED_ACCESS:
        raise ValueError(f"derived frame {name}: who must be one of {DERIVED_ACCESS}")
    if (who == "unit") != (unit_arg is not None and day_arg is not None):
        raise ValueError(f"derived frame {name}: a unit frame names its unit_arg and day_arg (and only it does)")

    def register(function):
        DERIVED[name] = function
        DERIVED_WHO[name] = who
        if who == "unit":
            DERIVED_UNIT_ARGS[name] = (unit_arg, day_arg)
        return function
    return register


@derived_frame("authority_identity", who="everyone")
def _identity_frame(con) -> pd.DataFrame:
    from pipelines.authority import read_identity

    who = read_identity(con)
    return pd.DataFrame([[who.name, who.la_code, who.la_number, who.region]], dtype=object,
                        columns=["name", "la_code", "la_number", "region"])


class DataSource:
    """Aggregated frames from one database file: named views, metrics and metric series, each checked
    against the user's Access before it is looked up or computed (OutOfScope, in words, when refused)."""

    def __init__(self, path: Path, cache: MemoryCache | None = None, access: Access = OPEN_ACCESS):
        self.path = Path(path)
        self.cache = cache or MemoryCache()
        self.access = access
        self._con: duckdb.DuckDBPyConnection | None = None
        self._allowed: dict[date, frozenset[str]] = {}

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

    # -- access (reporting/access.py): checked before any cache is consulted -----------------------
    def allowed_units(self, day: date) -> frozenset[str] | None:
        """The user's units and every unit below them as the structure stood on `day`; None: every unit."""
        if self.access.whole_service:
            return None
        if day not in self._allowed:
            self._allowed[day] = subtree(self._cached(("view", "org_tree", (("day", day),))), self.access.units)
        return self._allowed[day]

    def check_unit(self, unit: str | None, day: date | None) -> None:
        """Refuse a question about a unit outside the user's units (or the whole service) on `day`."""
        if self.access.whole_service:
            return
        if not unit:
            raise OutOfScope(WHOLE_SERVICE_ONLY)
        if unit not in self.allowed_units(day or self.coverage_end()):
            raise OutOfScope(OUTSIDE_UNITS)

    def check_admin(self) -> None:
        if not self.access.is_admin:
            raise OutOfScope(ADMIN_ONLY)

    def check_figures(self) -> None:
        """Viewers see figures only as published: inside `publishing()`, never a raw frame elsewhere."""
        if self.access.publication_only and not _PUBLISHING.get():
            raise OutOfScope(PUBLISHED_ONLY)

    def coverage_end(self) -> date:
        return self.coverage()["data_end"]

    # -- what callers ask for ---------------------------------------------------------------------
    def view(self, name: str, **params) -> pd.DataFrame:
        """A named query in sql/views/ with bound parameters, within the user's access."""
        policy = VIEW_ACCESS[name]
        request = ("view", name, tuple(sorted(params.items())))
        if isinstance(policy, tuple) or policy == "whole_service":
            self.check_figures()
        if isinstance(policy, tuple):
            day = params.get(policy[1])
            if isinstance(day, (list, tuple)):  # a query over many days: the structure on the last of them
                day = max(day, default=None)
            self.check_unit(params.get("unit"), day)
        elif policy == "admin":
            self.check_admin()
        elif policy == "whole_service" and not self.access.whole_service:
            raise OutOfScope(WHOLE_SERVICE_ONLY)
        elif policy in ("tree", "names") and not self.access.whole_service:
            # The answer differs by user, so the user's units are part of the question (and the cache key).
            request = ("cut_view", name, request[2], self.access.units)
        return self._cached(request)

    def metric(self, name: str, scope: Scope, by: str = "none", **when) -> pd.DataFrame:
        """One metric as a frame (one row per group). scope = (unit, tiers tuple, social_work_only)."""
        self.check_figures()
        self.check_unit(scope[0], when.get("as_of") or when.get("date_to") or when.get("snapshot"))
        return self._cached(("metric", name, tuple(scope), by, tuple(sorted(when.items()))))

    def metric_series(self, name: str, scope: Scope, days: list[date], by: str = "none") -> pd.DataFrame:
        """An as-of metric on each day (one row per day and group); the unit is checked on the last day."""
        self.check_figures()
        self.check_unit(scope[0], max(days) if days else None)
        return self._cached(("series", name, tuple(scope), by, tuple(days)))

    def derived(self, name: str, *args) -> pd.DataFrame:
        """A frame computed by a registered function of (connection, *args), e.g. DfE-comparable figures."""
        who = DERIVED_WHO[name]
        if who in ("unit", "whole_service"):
            self.check_figures()
        if who == "unit":
            unit_index, day_index = DERIVED_UNIT_ARGS[name]
            self.check_unit(args[unit_index], args[day_index])
        elif who == "admin":
            self.check_admin()
        elif who == "whole_service" and not self.access.whole_service:
            raise OutOfScope(WHOLE_SERVICE_ONLY)
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
        if kind == "cut_view":
            return self.compute_cut_view(name, *rest)
        return DERIVED[name](self.connection(), *rest)

    def compute_cut_view(self, name: str, params: tuple, units: tuple[str, ...]) -> pd.DataFrame:
        """The structure (on a day) or unit names, cut to the given units and what is below them."""
        frame = self.compute_view(name, params)
        if name == "org_tree":
            below = subtree(frame, units)
        else:
            below = set(views.run_view(self.connection(), "units_ever_below", {"units": list(units)})["unit_id"])
        return frame[frame["unit_id"].isin(below)].reset_index(drop=True)


    def compute_view(self, name: str, params: tuple) -> pd.DataFrame:
        return views.run_view(self.connection(), name, dict(params))

    def compute_metric(self, name: str, scope: Scope, by: str, when: tuple) -> pd.DataFrame:
        return metric_frame(self.connection(), name, scope, by, load_settings().caseload_threshold, **dict(when))

    def compute_series(self, name: str, scope: Scope, by: str, days: tuple) -> pd.DataFrame:
        return series_frame(self.connection(), name, scope, list(days), by, load_settings().caseload_threshold)


def subtree(tree: pd.DataFrame, units) -> frozenset[str]:
    """`units` and every unit below them in an org_tree frame (one day's structure); units not in it are left
    out (closed, or not yet open, that day)."""
    children: dict[str, list[str]] = {}
    for unit, parent in zip(tree["unit_id"], tree["parent_unit_id"]):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(unit)
    known = set(tree["unit_id"])
    found, stack = set(), [u for u in units if u in known]
    while stack:
        unit = stack.pop()
        if unit not in found:
            found.add(unit)
            stack += children.get(unit, [])
    return frozenset(found)
