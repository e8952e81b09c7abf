"""data/settings.toml: the authority's identity, the caseload threshold and red/amber/green thresholds."""

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.errors import UsageError

SETTINGS_ENV = "WFS_SETTINGS"
DEFAULT_SETTINGS = Path(__file__).resolve().parent.parent / "data" / "settings.toml"

DEFAULT_THRESHOLDS = {
    "interim_ratio": (10, 25, "lower"),
    "agency_rate": (10, 20, "lower"),
    "vacancy_rate": (10, 20, "lower"),
    "turnover": (15, 20, "lower"),
    "stability": (85, 75, "higher"),
    "median_days_to_fill": (90, 180, "lower"),
    "structural_changes": (12, 24, "lower"),
    "caseload": (18, 22, "lower"),
}

DEFAULT_LOCK_WAIT_SECONDS = 60.0
DEFAULT_SIGN_IN_MAX_HOURS = 12.0  # a working day


@dataclass(frozen=True)
class Threshold:
    amber: float
    red: float
    better: str  # 'lower' or 'higher'

    def status(self, value: float | None) -> str:
        """'red', 'amber', 'green', or 'none' when there is no value to judge."""
        if value is None:
            return "none"
        if self.better == "lower":
            return "red" if value > self.red else "amber" if value > self.amber else "green"
        return "red" if value < self.red else "amber" if value < self.amber else "green"


@dataclass(frozen=True)
class Settings:
    caseload_threshold: float
    thresholds: dict[str, Threshold]
    raw: dict
    # How long a load or DfE import waits for another one on the same database before giving up.
    lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
    # A server for others: the dashboard refuses to start without sign-in (docs/DEPLOYING.md).
    require_sign_in: bool = False
    # How long a sign-in holds before the dashboard asks for it again (docs/DEPLOYING.md).
    sign_in_max_hours: float = DEFAULT_SIGN_IN_MAX_HOURS


def settings_path(path: str | None = None) -> Path:
    """The settings file in use: `path`, else WFS_SETTINGS, else data/settings.toml."""
    return Path(path or os.environ.get(SETTINGS_ENV) or DEFAULT_SETTINGS)


@cache
def load_settings(path: str | None = None) -> Settings:
    source = settings_path(path)
    try:
        doc = tomllib.loads(source.read_text(encoding="utf-8")) if source.exists() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{source}: not a readable settings file ({error}).") from None
    given = doc.get("thresholds", {})
    thresholds = {}
    for name, (amber, red, better) in DEFAULT_THRESHOLDS.items():
        entry = given.get(name, {})
        thresholds[name] = Threshold(float(entry.get("amber", amber)), float(entry.get("red", red)),
                                     str(entry.get("better", better)))
    return Settings(
        caseload_threshold=float(doc.get("caseload", {}).get("threshold", 20)),
        thresholds=thresholds,
        raw=doc,
        lock_wait_seconds=_seconds(doc.get("database", {}).get("lock_wait_seconds", DEFAULT_LOCK_WAIT_SECONDS),
                                   source),
        require_sign_in=_yes_or_no(doc.get("require_sign_in", False), "require_sign_in", source),
        sign_in_max_hours=_hours(doc.get("sign_in_max_hours", DEFAULT_SIGN_IN_MAX_HOURS), source),
    )


def _hours(value, source: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise UsageError(f"{source}: sign_in_max_hours must be a number of hours, more than 0.")
    return float(value)


def _yes_or_no(value, key: str, source: Path) -> bool:
    if not isinstance(value, bool):  # "yes", 1 or "false" would be guesses; a server's safety is no place for one
        raise UsageError(f"{source}: {key} must be true or false (without quotes).")
    return value


def _seconds(value, source: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise UsageError(f"{source}: [database] lock_wait_seconds must be a number of seconds, 0 or more.")
    return float(value)
