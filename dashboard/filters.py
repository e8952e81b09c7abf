"""The shared filters: drawn by app.py in the sidebar on every run, kept in the URL's query
parameters (so a copied link reopens the same view), and read by pages through current()."""

from datetime import date

import streamlit as st

from dashboard import data
from pipelines.contract import TIERS
from pipelines.views import period_start, tree_order
from reporting.filters import (
    CUSTOM,
    PERIOD_CHOICES,
    TIER_LABELS,
    WHOLE_SERVICE,
    Filters,
    default_as_at,
    months_spanned,
    unit_labels,
)
from reporting.suppression import MODE_LABELS


def current() -> Filters:
    """The filters in force; defaults when a page runs on its own (as in AppTest)."""
    state = st.session_state
    src = data.source()
    as_at = state.get("as_at") or default_as_at(src)
    unit = state.get("unit") or home_unit(src, as_at)
    period = state.get("period") or 12
    start = state.get("from") if period == CUSTOM else None
    if start is not None and start > as_at:
        start = None  # a custom start after the as-at date: the sidebar says so, and 12 months are shown
    return Filters(
        unit=unit,
        as_at=as_at,
        months=months_spanned(start, as_at) if start else (12 if period == CUSTOM else int(period)),
        tiers=tuple(t for t in TIERS if t in (state.get("tiers") or [])),
        social_work_only=bool(state.get("sw", False)),
        start=start,
    )


def home_unit(src, as_at: date) -> str | None:
    """Where a user starts: the whole service, or, for a user whose access is part of it, their first unit
    that exists on the as-at date (their first unit at all if none does: the data source then refuses it)."""
    units = src.access.units
    if units is None:
        return None
    tree = src.view("org_tree", day=as_at)
    open_units = [u for u in units if u in set(tree["unit_id"])]
    return (open_units or list(units) or [None])[0]


def export_mode() -> str:
    """Publication or internal, as chosen, but internal only where the user's access rule allows it."""
    return data.source().access.allowed_mode(st.session_state.get("export_mode", "publication"))


def drill_to(unit: str | None) -> None:
    """Callback: move the whole view to another unit (drill down, or back up via the breadcrumb)."""
    st.session_state["unit"] = unit or WHOLE_SERVICE


EXPORT_MODES = ("publication", "internal")
REFUSED_KEY = "unit_refused"  # this run's address asked for a unit outside the user's access
TRUE_WORDS, FALSE_WORDS = {"true", "1", "yes"}, {"false", "0", "no"}


def period_words(months: int | str) -> str:
    return "Custom: from a date of your choice" if months == CUSTOM else f"{months} months to the as-at date"


def _ignore(name: str, words: str, notes: list[str]) -> None:
    # Widgets bound to the address drop a value they cannot use by themselves (and their parameters may not
    # be deleted by hand); only the unit, kept in the address by hand, is removed here.
    if name in ("unit", "period"):
        del st.query_params[name]
    notes.append(words)


def _check_day(name: str, what: str, fallback: str, first: date, last: date, notes: list[str]) -> None:
    """A date in the address must be a date, and inside the data."""
    text = st.query_params.get(name)
    if text is None:
        return
    try:
        day = date.fromisoformat(text)
    except ValueError:
        _ignore(name, f"{what}'{text[:40]}' is not a date (write it as YYYY-MM-DD), {fallback}", notes)
        return
    if not first <= day <= last:
        _ignore(name, f"{what}{day:%d %b %Y} is outside the data ({first:%d %b %Y} to {last:%d %b %Y}), {fallback}",
                notes)


def check_address(src, first, last) -> list[str]:
    """Take out of the address bar any value the view cannot use, so it falls back to the whole service or
    the default, and say in words what was ignored. Runs before the widgets read the address."""
    notes: list[str] = []
    params = st.query_params
    _check_day("as_at", "", "so the as-at date is the latest complete month", first, last, notes)
    unit = params.get("unit")
    try:
        as_at = date.fromisoformat(params["as_at"]) if "as_at" in params else default_as_at(src)
    except ValueError:
        as_at = default_as_at(src)  # not a date: ignored above, so the default as-at date applies
    if unit and not src.access.whole_service and unit not in src.allowed_units(as_at):
        # Outside the user's units (or not a unit at all: the two are not told apart, so a link cannot be used
        # to find out which unit ids exist): a refusal and no figures, never a fallback view.
        del st.query_params["unit"]
        st.session_state.pop("unit", None)
        st.session_state[REFUSED_KEY] = unit[:40]
    elif unit and unit not in unit_labels(src, last):
        _ignore("unit", f"the unit '{unit[:40]}' is not in this authority's structure, so the whole service is "
                        "shown", notes)
        st.session_state.pop("unit", None)
    # The period is kept in the address by hand (?period=24, ?period=custom), like the unit: a bound picker
    # would write its displayed label there and drop a hand-written number.
    period = params.get("period")
    choices = {str(m): m for m in (*PERIOD_CHOICES, CUSTOM)}
    if period is not None and period not in choices:
        _ignore("period", f"a period of '{period[:40]}' months is not one of the choices "
                          f"({', '.join(map(str, PERIOD_CHOICES))}, or custom), so the period is 12 months", notes)
    st.session_state["period"] = choices.get(period, 12)
    _check_day("from", "the period start ", "so the period is 12 months", first, last, notes)
    tiers = params.get_all("tiers")
    known_tiers = set(TIERS) | set(TIER_LABELS.values())
    if tiers and any(t not in known_tiers for t in tiers):
        _ignore("tiers", "the tier(s) " + ", ".join(f"'{t[:40]}'" for t in tiers if t not in known_tiers)
                + " are not tiers this product knows, so every tier is shown", notes)
    sw = params.get("sw")
    if sw is not None and sw.lower() not in TRUE_WORDS | FALSE_WORDS:
        _ignore("sw", f"'{sw[:40]}' is not yes or no for social-work posts only, so all posts are shown", notes)
    mode = params.get("export_mode")
    if mode is not None and mode not in EXPORT_MODES:
        _ignore("export_mode", f"'{mode[:40]}' is not an export mode, so downloads are for publication", notes)
    elif mode is not None and src.access.allowed_mode(mode) != mode:
        _ignore("export_mode", "your access allows downloads for publication only, so small numbers are hidden",
                notes)
    return notes


def render_sidebar() -> Filters:
    src = data.source()
    coverage = src.coverage()
    first, last = coverage["coverage_start"], coverage["data_end"]
    fallback = default_as_at(src)
    # Only the first run of a session reads the address (a pasted link, a bookmark); after that the
    # widgets own it.
    st.session_state.pop(REFUSED_KEY, None)
    notes = [] if st.session_state.get("address_checked") else check_address(src, first, max(last, fallback))
    st.session_state["address_checked"] = True
    if notes:
        st.warning("Part of the address was ignored: " + "; ".join(notes) + ".", icon=":material/link_off:")
    with st.sidebar:
        st.header("Filters")
        as_at = st.date_input("As at", value=fallback, min_value=first, max_value=max(last, fallback),
                              key="as_at", bind="query-params", format="DD/MM/YYYY",
                              help="The reference date. Counts are as at this day; periods end on it.")
        period = st.selectbox(
            "Period", (*PERIOD_CHOICES, CUSTOM), key="period", persist_state="session",
            format_func=period_words,
            help="Turnover, stability, vacancies filled and structural changes are counted over this period.")
        if period == CUSTOM:
            start = st.date_input("Period from", value=max(first, period_start(as_at, 12)), min_value=first,
                                  max_value=max(last, fallback), key="from", bind="query-params",
                                  format="DD/MM/YYYY", help="The first day of the period; it ends on the as-at date.")
            if start > as_at:
                st.warning("The period starts after the as-at date, so the 12 months to the as-at date are shown.",
                           icon=":material/event_busy:")
        tree = src.view("org_tree", day=as_at)  # only the user's units and what is below them
        names = unit_labels(src, as_at)
        ordered = tree_order(tree)
        whole = src.access.whole_service
        options = ([WHOLE_SERVICE] if whole else []) + [u for u, _ in ordered]
        depth = dict(ordered)
        # The unit is kept in the address by hand: a bound selectbox would put the displayed (indented)
        # name in the URL, while a unit id is short, stable and survives renames.
        if "unit" not in st.session_state:
            st.session_state["unit"] = st.query_params.get("unit", WHOLE_SERVICE if whole else
                                                           home_unit(src, as_at) or WHOLE_SERVICE)
        chosen = st.session_state.get("unit")
        if chosen and chosen not in depth and (whole or chosen in names):
            options.append(chosen)  # a unit closed by this date: keep it selectable rather than lose the view
        if not options:
            options = [chosen or WHOLE_SERVICE]  # none of the user's units exists on this date: refused below
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
        if src.access.may_export_internal:
            st.radio("Downloads and packs are for", EXPORT_MODES, key="export_mode", bind="query-params",
                     format_func=MODE_LABELS.get,
                     help="Publication mode shows counts of 1 to 4, and rates based on fewer than 5 people, as c.")
        else:
            st.session_state["export_mode"] = "publication"
            st.caption("Downloads and packs are for publication: small numbers are hidden.")
    if st.session_state.get("period", 12) != 12:
        st.query_params["period"] = str(st.session_state["period"])
    elif "period" in st.query_params:
        del st.query_params["period"]
    if st.session_state.get("unit"):
        st.query_params["unit"] = st.session_state["unit"]
    elif "unit" in st.query_params:
        del st.query_params["unit"]
    return current()
