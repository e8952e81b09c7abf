"""One writer at a time: every command that replaces a database file holds an exclusive lock beside it.

The lock is fcntl.flock on `<database>.lock`, so the operating system releases it however the writer
ends (finished, refused, crashed, killed). The file stays between loads: deleting it would let a
writer that opened the old file and one that creates a new file both hold "the" lock. While a load runs
it holds the writer's process id and start time, so that a second writer can say who it waited for. Readers never take it:
writers swap in a complete new file, so readers are never blocked.
"""

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pipelines.errors import UsageError

POLL_SECONDS = 0.1
WAIT_HELP = ("if another load or import is writing this database, wait up to SECONDS for it "
             "(default: lock_wait_seconds in data/settings.toml)")


class AnotherLoadRunning(UsageError):
    """The lock stayed taken for the whole wait."""


def wait_seconds(text: str) -> float:
    """--wait SECONDS on the command line: a number, 0 or more."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds (0 or more)")
    return value


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def default_wait_seconds() -> float:
    from pipelines.settings import load_settings

    return load_settings().lock_wait_seconds


def _holder(descriptor: int) -> str:
    """'started HH:MM by PID n' from the lock file, or less when the holder has not written it yet."""
    os.lseek(descriptor, 0, os.SEEK_SET)
    parts = os.read(descriptor, 200).decode("ascii", "replace").split()
    if len(parts) >= 2 and parts[0].isdigit():
        return f"started {parts[1]} by PID {parts[0]}"
    return "started moments ago"


def _open(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise UsageError(f"Cannot create the lock file {path} beside the database "
                         f"({error.strerror or 'not allowed'}). Check that this account may write in "
                         f"{path.parent}.") from None


@contextmanager
def writer_lock(db_path: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the database's writer lock for the block; wait up to wait_seconds (default: the
    [database] lock_wait_seconds setting) for another writer, then raise AnotherLoadRunning."""
    wait = default_wait_seconds() if wait_seconds is None else max(0.0, float(wait_seconds))
    path = lock_path(Path(db_path))
    descriptor = _open(path)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise AnotherLoadRunning(
                        f"another load is running ({_holder(descriptor)}) on {db_path}; waited {wait:g} s. "
                        "Nothing was changed: run this again when it has finished, or wait longer with "
                        "--wait SECONDS.") from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, f"{os.getpid()} {datetime.now():%H:%M} {datetime.now().isoformat(timespec='seconds')}\n"
                 .encode("ascii"))
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
