"""The shared filters: drawn by app.py in the sidebar on every run, kept in the URL's query
parameters (so a copied link reopens the same view), and read by pages through current()."""

import streamlit as st

from dashboard import data
from pipelines.contract import TIERS
from pipelines.views import tree_order
from reporting.filters import PERIOD_CHOICES, TIER_LABELS, WHOLE_SERVICE, Filters, default_as_at, unit_labels


def current() -> Filters:
    """The filters in force; defaults when a page runs on its own (as in AppTest)."""
    state = st.session_state
    unit = state.get("unit") or None
    return Filters(
        unit=unit,
        as_at=state.get("as_at") or default_as_at(data.source()),
        months=int(state.get("months") or 12),
        tiers=tuple(t for t in TIERS if t in (state.get("tiers") or [])),
        social_work_only=bool(state.get("sw", False)),
    )


def drill_to(unit: str | None) -> None:
    """Callback: move the whole view to another unit (drill down, or back up via the breadcrumb)."""
    st.session_state["unit"] = unit or WHOLE_SERVICE


def render_sidebar() -> Filters:
    src = data.source()
    coverage = src.coverage()
    first, last = coverage["coverage_start"], coverage["data_end"]
    fallback = default_as_at(src)
    with st.sidebar:
        st.header("Filters")
        as_at = st.date_input("As at", value=fallback, min_value=first, max_value=max(last, fallback),
                              key="as_at", bind="query-params", format="DD/MM/YYYY",
                              help="The reference date. Counts are as at this day; periods end on it.")
        st.selectbox("Period", PERIOD_CHOICES, index=PERIOD_CHOICES.index(12), key="months", bind="query-params",
                     format_func=lambda m: f"{m} months to the as-at date",
                     help="Turnover, stability, vacancies filled and structural changes are counted over this period.")
        tree = src.view("org_tree", day=as_at)
        names = unit_labels(src, as_at)
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
