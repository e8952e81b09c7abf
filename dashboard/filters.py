"""The shared filters: drawn by app.py in the sidebar on every run, kept in the URL's query
parameters (so a copied link reopens the same view), and read by pages through current()."""

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard import data
from pipelines.contract import MANAGEMENT_TIERS, TIERS
from pipelines.views import last_complete_month_end, period_start, tree_order

PERIOD_CHOICES = (3, 6, 12, 24, 36)
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
    def scope(self) -> tuple:
        return (self.unit, self.tiers, self.social_work_only)

    def scope_with_tiers(self, wanted: tuple[str, ...]) -> tuple | None:
        """The scope narrowed to `wanted` tiers (e.g. management), None when the tier filter excludes them all."""
        tiers = tuple(t for t in wanted if not self.tiers or t in self.tiers)
        return (self.unit, tiers, self.social_work_only) if tiers else None

    @property
    def management_scope(self) -> tuple | None:
        return self.scope_with_tiers(MANAGEMENT_TIERS)


def default_as_at() -> date:
    coverage = data.coverage()
    return last_complete_month_end(coverage["data_end"], date.today())


def current() -> Filters:
    """The filters in force; defaults when a page runs on its own (as in AppTest)."""
    state = st.session_state
    unit = state.get("unit") or None
    return Filters(
        unit=unit,
        as_at=state.get("as_at") or default_as_at(),
        months=int(state.get("months") or 12),
        tiers=tuple(t for t in TIERS if t in (state.get("tiers") or [])),
        social_work_only=bool(state.get("sw", False)),
    )


def unit_labels(as_at: date) -> dict[str, str]:
    names = data.view("unit_names", day=as_at)
    return {r.unit_id: (r.latest_name if isinstance(r.latest_name, str) else r.first_name)
            for r in names.itertuples()}


def unit_path(unit: str | None, as_at: date) -> list[tuple[str, str]]:
    """[(unit_id, name)] from the top of the tree down to unit, as the tree stood on as_at."""
    if not unit:
        return []
    tree = data.view("org_tree", day=as_at).set_index("unit_id")
    names = unit_labels(as_at)
    path, seen = [], set()
    current_unit = unit
    while current_unit and current_unit not in seen:
        seen.add(current_unit)
        path.append((current_unit, names.get(current_unit, current_unit)))
        current_unit = tree["parent_unit_id"].get(current_unit) if current_unit in tree.index else None
        current_unit = current_unit if isinstance(current_unit, str) else None
    return list(reversed(path))


def describe(filters: Filters) -> str:
    """The filters in words, for captions and for stamping exported charts."""
    path = " › ".join(name for _, name in unit_path(filters.unit, filters.as_at)) or "Whole service"
    tiers = ", ".join(TIER_LABELS[t] for t in filters.tiers) if filters.tiers else "all tiers"
    scope = "social-work posts only" if filters.social_work_only else "all posts"
    period = (f"{filters.period_from:%d %b %Y} to {filters.as_at:%d %b %Y}" if filters.start
              else f"{filters.months} months to {filters.as_at:%d %b %Y}")
    return f"{path}; {period} (as at {filters.as_at:%d %b %Y}); {tiers}; {scope}"


def drill_to(unit: str | None) -> None:
    """Callback: move the whole view to another unit (drill down, or back up via the breadcrumb)."""
    st.session_state["unit"] = unit or WHOLE_SERVICE


def render_sidebar() -> Filters:
    coverage = data.coverage()
    first, last = coverage["coverage_start"], coverage["data_end"]
    fallback = default_as_at()
    with st.sidebar:
        st.header("Filters")
        as_at = st.date_input("As at", value=fallback, min_value=first, max_value=max(last, fallback),
                              key="as_at", bind="query-params", format="DD/MM/YYYY",
                              help="The reference date. Counts are as at this day; periods end on it.")
        st.selectbox("Period", PERIOD_CHOICES, index=PERIOD_CHOICES.index(12), key="months", bind="query-params",
                     format_func=lambda m: f"{m} months to the as-at date",
                     help="Turnover, stability, vacancies filled and structural changes are counted over this period.")
        tree = data.view("org_tree", day=as_at)
        names = unit_labels(as_at)
        ordered = tree_order(tree)
        options = [WHOLE_SERVICE] + [u for u, _ in ordered]
        depth = dict(ordered)
        # The unit is kept in the address by hand: a bound selectbox would put the displayed (indented)
        # name in the URL, while a unit id is short, stable and survives renames.
        if "unit" not in st.session_state:
            st.session_state["unit"] = st.query_params.get("unit", WHOLE_SERVICE)
        chosen = st.session_state.get("unit")
        if chosen and chosen not in depth:
            options.append(chosen)  # a unit closed by this date: keep it selectable rather than lose the view
        st.selectbox(
            "Organisation unit", options, key="unit", persist_state="session",
            format_func=lambda u: "Whole service" if u == WHOLE_SERVICE else
            ("\u2003" * depth[u] + names.get(u, u) if u in depth else f"{names.get(u, u)} (not active on this date)"),
            help="Directorate › service › area › team › pod. Figures include every unit below the one chosen.",
        )
        st.multiselect("Tiers", TIERS, key="tiers", bind="query-params", format_func=TIER_LABELS.get,
                       placeholder="All tiers", help="Leave empty for every tier.")
        st.toggle("Social-work posts only", key="sw", bind="query-params",
                  help="Only posts that need Social Work England registration.")
        st.caption(f"Data from {first:%d %b %Y} to {last:%d %b %Y}.")
        st.radio("Downloads and packs are for", ("publication", "internal"), key="export_mode", bind="query-params",
                 format_func={"publication": "Publication (small numbers hidden)",
                              "internal": "Internal use only (all numbers)"}.get,
                 help="Publication mode shows counts of 1 to 4, and rates based on fewer than 5 people, as c.")
    if st.session_state.get("unit"):
        st.query_params["unit"] = st.session_state["unit"]
    elif "unit" in st.query_params:
        del st.query_params["unit"]
    return current()
