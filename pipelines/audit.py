"""The audit trail: who opened which page with which filters, and who downloaded what (issue 10).

An SQLite file of its own, never the workforce database (every load replaces that file). SQLite rather
than JSON lines because:
- many dashboard sessions (threads) and a command-line prune (another process) touch the log at the same
  time; SQLite's locking makes every entry one atomic transaction, while a prune of a JSON-lines file
  would have to rewrite it under the feet of writers appending to it;
- the Audit page and `audit show` filter by user, date and event, which an index answers directly;
- triggers inside the file make it append-only for anyone using it, not only for this module: an entry
  can never be changed, and only entries more than a day old can be deleted (by `audit prune`).
WAL mode lets readers read while a writer appends. The app only ever INSERTs; `prune` is the one DELETE.

Entries carry time (UTC), user (e-mail and subject id), role, scope, event and details. Details never
carry figures: only the keys in DETAIL_KEYS (page names, filter values, chart names, formats, modes, file
names) are accepted, and none of them holds a number shown on a page.
"""

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pipelines.errors import UsageError

AUDIT_ENV = "WFS_AUDIT_LOG"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = Path("data/audit/audit.sqlite")  # relative paths are relative to the project folder
DEFAULT_RETENTION_DAYS = 400
MIN_PRUNE_DAYS = 1  # the triggers refuse to delete anything younger, whoever asks

EVENTS = ("sign_in", "sign_out", "page_view", "download", "word_pack")
# What details may say. Filter values, names and formats only: never a count, rate or any other figure.
# In the order they are shown to people (the page or file first, then the filters).
DETAIL_ORDER = ("page", "refused", "chart", "table", "format", "mode", "sections", "file_name", "unit", "as_at",
                "period_months", "period_from", "tiers", "social_work_only", "export_mode", "url_path",
                "signed_in_at")
DETAIL_KEYS = frozenset(DETAIL_ORDER)

# Open local mode (sign-in off): everyone is the same local user.
OPEN_MODE = {"user_email": "local user (sign-in off)", "user_subject": "local", "role": "everyone (sign-in off)",
             "scope": "all units"}

APPLICATION_ID = 0x57465341  # "WFSA": marks a file as this product's audit log
SCHEMA = """
create table if not exists audit_log (
    id integer primary key autoincrement,
    at_utc text not null,          -- 2025-04-01T09:30:00.000000Z: sorts and compares as text
    user_email text not null,
    user_subject text not null,
    role text not null,
    scope text not null,
    event text not null,
    details text not null          -- JSON object with keys from DETAIL_KEYS
);
create index if not exists audit_log_at on audit_log (at_utc);
create index if not exists audit_log_user on audit_log (user_email, at_utc);
create trigger if not exists audit_log_no_update before update on audit_log
begin select raise(abort, 'audit entries are never changed'); end;
create trigger if not exists audit_log_old_only before delete on audit_log
when old.at_utc > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 days')
begin select raise(abort, 'only entries more than a day old may be removed'); end;
"""
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
BUSY_MS = 10_000  # how long a writer waits for another (a prune, a burst of sessions) before giving up


class AuditUnavailable(UsageError):
    """The audit log cannot be opened or written; the message says why in plain words."""


@dataclass(frozen=True)
class Entry:
    at_utc: datetime
    user_email: str
    user_subject: str
    role: str
    scope: str
    event: str
    details: dict


def log_path(path: str | Path | None = None) -> Path:
    """The audit log: `path` if given, else WFS_AUDIT_LOG, else settings.toml `[audit] path`; a relative path
    is relative to the project folder (not to wherever the dashboard was started)."""
    if path is None:
        from pipelines.settings import load_settings

        path = os.environ.get(AUDIT_ENV) or load_settings().raw.get("audit", {}).get("path") or DEFAULT_PATH
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path


def retention_days() -> int:
    from pipelines.settings import load_settings

    value = load_settings().raw.get("audit", {}).get("retention_days", DEFAULT_RETENTION_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_PRUNE_DAYS:
        raise UsageError(f"data/settings.toml: [audit] retention_days must be a whole number of days, "
                         f"{MIN_PRUNE_DAYS} or more.")
    return value


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    if path.is_dir():
        raise AuditUnavailable(f"The audit log {path} is a folder; give a file name.")
    if not create and not path.exists():
        raise AuditUnavailable(f"There is no audit log at {path}: nothing has been recorded there.")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():  # entries name people: readable by the dashboard's own account only
                try:
                    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                except FileExistsError:
                    pass  # another session created it a moment ago
        con = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as problem:
        raise AuditUnavailable(f"The audit log {path} cannot be opened ({_words(problem)}).") from None
    try:
        app_id = con.execute("pragma application_id").fetchone()[0]
        has_tables = con.execute("select count(*) from sqlite_schema").fetchone()[0] > 0
        if app_id != APPLICATION_ID and (has_tables or app_id != 0):
            raise AuditUnavailable(f"{path} is not an audit log of this product; give another file.")
        if app_id != APPLICATION_ID:  # a new, empty file: make it an audit log
            con.execute("pragma journal_mode=wal")
            con.executescript(f"begin immediate; {SCHEMA} pragma application_id={APPLICATION_ID}; commit;")
    except sqlite3.DatabaseError as problem:
        con.close()
        if isinstance(problem, sqlite3.OperationalError) and "readonly" in str(problem).replace(" ", ""):
            raise AuditUnavailable(f"The audit log {path} cannot be written (read-only).") from None
        raise AuditUnavailable(f"{path} is not an audit log of this product ({_words(problem)}).") from None
    except AuditUnavailable:
        con.close()
        raise
    return con


def _words(problem: Exception) -> str:
    return getattr(problem, "strerror", None) or str(problem) or type(problem).__name__


def clean_details(details: dict) -> dict:
    unknown = sorted(set(details) - DETAIL_KEYS)
    if unknown:  # a programming mistake, caught by the tests: details are filter values and names only
        raise ValueError(f"audit details may not carry {unknown}; allowed: {sorted(DETAIL_KEYS)}")
    clean = {}
    for key, value in details.items():
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, (list, tuple)):
            value = [str(v)[:200] for v in value]
        elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)
                                          and key != "period_months"):
            raise ValueError(f"audit detail {key!r} is a number; details never carry figures")
        elif value is not None and not isinstance(value, (bool, int)):
            value = str(value)[:200]
        clean[key] = value
    return clean


def record(event: str, *, user_email: str, user_subject: str, role: str, scope: str, details: dict,
           path: str | Path | None = None, at: datetime | None = None) -> None:
    """Append one entry. Raises AuditUnavailable (in words) when the log cannot be written.
    `at` is for tests and imports only; the app always records the current time."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}; events: {', '.join(EVENTS)}")
    when = (at or datetime.now(UTC)).astimezone(UTC).strftime(TIME_FORMAT)
    row = (when, str(user_email), str(user_subject), str(role), str(scope), event,
           json.dumps(clean_details(details), sort_keys=True))
    target = log_path(path)
    con = _connect(target, create=True)
    try:
        con.execute("insert into audit_log (at_utc, user_email, user_subject, role, scope, event, details) "
                    "values (?, ?, ?, ?, ?, ?, ?)", row)
    except sqlite3.Error as problem:
        raise AuditUnavailable(f"The audit log {target} cannot be written ({_words(problem)}).") from None
    finally:
        con.close()


def check_writable(path: str | Path | None = None) -> None:
    """Raise AuditUnavailable if an entry could not be appended now; adds nothing."""
    target = log_path(path)
    con = _connect(target, create=True)
    try:
        con.execute("begin immediate")
        con.execute("rollback")
    except sqlite3.Error as problem:
        raise AuditUnavailable(f"The audit log {target} cannot be written ({_words(problem)}).") from None
    finally:
        con.close()


def read(*, user: str | None = None, date_from: date | None = None, date_to: date | None = None,
         event: str | None = None, path: str | Path | None = None, limit: int | None = None) -> list[Entry]:
    """Entries, newest first. `user` matches the e-mail or the subject id (letter case ignored); the dates are
    whole UTC days, both included. A log that does not exist yet has no entries."""
    target = log_path(path)
    if not target.exists():
        return []
    where, params = ["1 = 1"], []
    if user:
        where.append("(lower(user_email) = lower(?) or lower(user_subject) = lower(?))")
        params += [user.strip(), user.strip()]
    if date_from is not None:
        where.append("at_utc >= ?")
        params.append(_day_start(date_from))
    if date_to is not None:
        where.append("at_utc < ?")
        params.append(_day_start(date_to + timedelta(days=1)))
    if event:
        where.append("event = ?")
        params.append(event)
    sql = ("select at_utc, user_email, user_subject, role, scope, event, details from audit_log where "
           + " and ".join(where) + " order by at_utc desc, id desc")
    if limit is not None:
        sql += " limit ?"
        params.append(int(limit))
    con = _connect(target, create=False)
    try:
        rows = con.execute(sql, params).fetchall()
    except sqlite3.Error as problem:
        raise AuditUnavailable(f"The audit log {target} cannot be read ({_words(problem)}).") from None
    finally:
        con.close()
    return [Entry(datetime.fromisoformat(r[0]), *r[1:6], json.loads(r[6]))
            for r in rows]


def users(path: str | Path | None = None) -> list[str]:
    """Every user e-mail in the log, for the Audit page's picker."""
    target = log_path(path)
    if not target.exists():
        return []
    con = _connect(target, create=False)
    try:
        return [r[0] for r in con.execute("select distinct user_email from audit_log order by 1").fetchall()]
    finally:
        con.close()


def prune(older_than_days: int, *, path: str | Path | None = None, now: datetime | None = None) -> int:
    """Remove the entries recorded more than `older_than_days` days ago; returns how many. The only delete."""
    if isinstance(older_than_days, bool) or not isinstance(older_than_days, int) or older_than_days < MIN_PRUNE_DAYS:
        raise UsageError(f"Entries can be removed only when older than {MIN_PRUNE_DAYS} day or more "
                         f"(a whole number of days), not {older_than_days}.")
    target = log_path(path)
    if not target.exists():
        return 0
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=older_than_days)).astimezone(UTC).strftime(TIME_FORMAT)
    con = _connect(target, create=False)
    try:
        return con.execute("delete from audit_log where at_utc < ?", (cutoff,)).rowcount
    except sqlite3.Error as problem:
        raise AuditUnavailable(f"The audit log {target} cannot be pruned ({_words(problem)}).") from None
    finally:
        con.close()


def _day_start(day: date) -> str:
    return datetime.combine(day, time(0), tzinfo=UTC).strftime(TIME_FORMAT)


def details_words(details: dict) -> str:
    """Details as one line for people: 'page: Overview; unit: U1; tiers: T1, T2'."""
    parts = []
    for key, value in sorted(details.items(), key=lambda item: DETAIL_ORDER.index(item[0])
                             if item[0] in DETAIL_ORDER else len(DETAIL_ORDER)):
        if isinstance(value, list):
            value = ", ".join(value) or "all"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)
