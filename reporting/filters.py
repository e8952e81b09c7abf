"""The filters every figure is computed under, and how they read in words (for captions, stamps and
packs). The dashboard keeps them in the address bar; the command line builds them from options."""

from dataclasses import dataclass
from datetime import date

from pipelines.contract import MANAGEMENT_TIERS
from pipelines.views import last_complete_month_end, period_start
from reporting.source import DataSource

PERIOD_CHOICES = (3, 6, 12, 24, 36)
CUSTOM = "custom"  # a period with its own start date, ending on the as-at date
TIER_LABELS = {
    "director": "Director", "assistant_director": "Assistant director", "head_of_service": "Head of service",
    "team_manager": "Team manager", "senior_practitioner": "Senior practitioner", "practitioner": "Practitioner",
    "support": "Support",
}
WHOLE_SERVICE = ""


@dataclass(frozen=True)
class Filters:
    unit: str | None
    as_at: date
    months: int
    tiers: tuple[str, ...]  # empty: every tier
    social_work_only: bool
    start: date | None = None  # an explicit period start (command line --from); else `months` back

    @property
    def period_from(self) -> date:
        return self.start or period_start(self.as_at, self.months)

    @property
    def period_phrase(self) -> str:
        """'the 12 months to 31 Dec 2024', or 'the period 15 Jan 2024 to 31 Dec 2024' for a custom period."""
        if self.start:
            return f"the period {self.start:%d %b %Y} to {self.as_at:%d %b %Y}"
        return f"the {self.months} months to {self.as_at:%d %b %Y}"

    @property
    def scope(self) -> tuple:
        return (self.unit, self.tiers, self.social_work_only)

    def scope_with_tiers(self, wanted: tuple[str, ...]) -> tuple | None:
        """The scope narrowed to `wanted` tiers (e.g. management), None when the tier filter excludes them all."""
        tiers = tuple(t for t in wanted if not self.tiers or t in self.tiers)
        return (self.unit, tiers, self.social_work_only) if tiers else None

    @property
    def management_scope(self) -> tuple | None:
        return self.scope_with_tiers(MANAGEMENT_TIERS)


def months_spanned(start: date, end: date) -> int:
    """Calendar months touched from start to end (1 Jan to 31 Dec is 12), at least 1."""
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


def default_as_at(src: DataSource, today: date | None = None) -> date:
    """The last complete month of the data (and of the calendar)."""
    return last_complete_month_end(src.coverage()["data_end"], today or date.today())


def unit_labels(src: DataSource, as_at: date) -> dict[str, str]:
    names = src.view("unit_names", day=as_at)
    return {r.unit_id: (r.latest_name if isinstance(r.latest_name, str) else r.first_name)
            for r in names.itertuples()}


def unit_path(src: DataSource, unit: str | None, as_at: date) -> list[tuple[str, str]]:
    """[(unit_id, name)] from the top of the tree down to unit, as the tree stood on as_at."""
    if not unit:
        return []
    tree = src.view("org_tree", day=as_at).set_index("unit_id")
    names = unit_labels(src, as_at)
    path, seen = [], set()
    current_unit = unit
    while current_unit and current_unit not in seen:
        seen.add(current_unit)
        path.append((current_unit, names.get(current_unit, current_unit)))
        current_unit = tree["parent_unit_id"].get(current_unit) if current_unit in tree.index else None
        current_unit = current_unit if isinstance(current_unit, str) else None
    return list(reversed(path))


def scope_name(src: DataSource, current: Filters) -> str:
    """'Children's Services › Safeguarding › Team A', or 'Whole service'."""
    return " › ".join(name for _, name in unit_path(src, current.unit, current.as_at)) or "Whole service"


def describe(src: DataSource, filters: Filters) -> str:
    """The filters in words, for captions and for stamping exported charts."""
    tiers = ", ".join(TIER_LABELS[t] for t in filters.tiers) if filters.tiers else "all tiers"
    scope = "social-work posts only" if filters.social_work_only else "all posts"
    period = (f"{filters.period_from:%d %b %Y} to {filters.as_at:%d %b %Y}" if filters.start
              else f"{filters.months} months to {filters.as_at:%d %b %Y}")
    return f"{scope_name(src, filters)}; {period} (as at {filters.as_at:%d %b %Y}); {tiers}; {scope}"
