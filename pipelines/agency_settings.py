"""The [agency] section of data/settings.toml: rule dates, caps per job type, the permanent comparison.

Read through pipelines.settings.load_settings (so WFS_SETTINGS picks another file); a value the user
got wrong is one plain line (UsageError), never a traceback."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pipelines.contract import CAPPED_JOB_TYPES
from pipelines.errors import UsageError
from pipelines.settings import load_settings

DEFAULT_RULES_START = date(2024, 10, 31)
DEFAULT_LEGACY_DATE = date(2025, 10, 1)
DEFAULT_STANDARD_HOURS = Decimal(37)
DEFAULT_NOTICE_WEEKS = 4
WEEKS_PER_YEAR = Decimal("52.143")


@dataclass(frozen=True)
class Cap:
    job_type: str
    applies_from: date
    hourly: Decimal


@dataclass(frozen=True)
class AgencySettings:
    rules_start: date = DEFAULT_RULES_START
    legacy_date: date = DEFAULT_LEGACY_DATE
    standard_hours: Decimal = DEFAULT_STANDARD_HOURS
    minimum_notice_weeks: int = DEFAULT_NOTICE_WEEKS
    permanent_notice_weeks: int | None = None
    on_cost_pct: Decimal = Decimal(0)
    region: str | None = None
    annual_cost_by_grade: tuple[tuple[str, Decimal], ...] = ()
    caps: tuple[Cap, ...] = ()

    def cap_on(self, job_type: str, day: date) -> Cap | None:
        """The cap for job_type in force on day: the latest entry that applies from on or before it."""
        found = [c for c in self.caps if c.job_type == job_type and c.applies_from <= day]
        return max(found, key=lambda c: c.applies_from) if found else None

    def notice_needed(self) -> int:
        """Weeks of notice rule 5 asks for: the minimum, or the permanent role's notice if shorter."""
        if self.permanent_notice_weeks is None:
            return self.minimum_notice_weeks
        return min(self.minimum_notice_weeks, self.permanent_notice_weeks)

    def permanent_hourly(self, grade: str | None) -> Decimal | None:
        """A permanent post's cost per hour at this grade, on-costs included; None when not set."""
        annual = dict(self.annual_cost_by_grade).get(grade)
        if annual is None:
            return None
        return annual * (1 + self.on_cost_pct / 100) / (WEEKS_PER_YEAR * self.standard_hours)


def _where(key: str) -> str:
    return f"settings [agency] {key}"


def _day(value, key: str) -> date:
    if isinstance(value, date):
        return value
    raise UsageError(f"{_where(key)} must be a date written as YYYY-MM-DD without quotes.")


def _number(value, key: str, positive: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (positive and value == 0):
        raise UsageError(f"{_where(key)} must be a number{' above 0' if positive else ', 0 or more'}.")
    return Decimal(str(value))


def _caps(entries) -> tuple[Cap, ...]:
    if not isinstance(entries, list):
        raise UsageError(f"{_where('caps')}: write each cap as its own [[agency.caps]] entry.")
    caps = []
    for number, entry in enumerate(entries, start=1):
        job_type = entry.get("job_type") if isinstance(entry, dict) else None
        if job_type not in CAPPED_JOB_TYPES:
            raise UsageError(f"{_where('caps')} entry {number}: job_type must be one of {', '.join(CAPPED_JOB_TYPES)}.")
        caps.append(Cap(job_type, _day(entry.get("from"), f"caps entry {number} from"),
                        _number(entry.get("hourly"), f"caps entry {number} hourly", positive=True)))
    return tuple(caps)


def agency_settings(settings_path: str | None = None) -> AgencySettings:
    doc = load_settings(settings_path).raw.get("agency", {})
    costs = doc.get("annual_cost_by_grade", {})
    if not isinstance(costs, dict):
        raise UsageError(f"{_where('annual_cost_by_grade')} must be a table of grade = annual cost.")
    notice = doc.get("permanent_notice_weeks")
    region = doc.get("region")
    return AgencySettings(
        rules_start=_day(doc.get("rules_start", DEFAULT_RULES_START), "rules_start"),
        legacy_date=_day(doc.get("legacy_compliance_date", DEFAULT_LEGACY_DATE), "legacy_compliance_date"),
        standard_hours=_number(doc.get("standard_weekly_hours", 37), "standard_weekly_hours", positive=True),
        minimum_notice_weeks=int(_number(doc.get("minimum_notice_weeks", DEFAULT_NOTICE_WEEKS),
                                         "minimum_notice_weeks")),
        permanent_notice_weeks=None if notice is None else int(_number(notice, "permanent_notice_weeks")),
        on_cost_pct=_number(doc.get("on_cost_pct", 0), "on_cost_pct"),
        region=None if region is None else str(region),
        annual_cost_by_grade=tuple((str(g), _number(v, f"annual_cost_by_grade '{g}'")) for g, v in costs.items()),
        caps=_caps(doc.get("caps", [])),
    )
