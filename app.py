"""Workforce Stability dashboard: routes the pages and owns the shared sidebar filters."""

import streamlit as st

from dashboard import access_control, audit_trail, census_mode, data, filters, published_view, sign_in
from pipelines.database import NotAWorkforceDatabase
from pipelines.errors import UsageError
from reporting.access import OUTSIDE_UNITS, OutOfScope

st.set_page_config(page_title="Workforce Stability", page_icon=":material/groups:", layout="wide")

# url_path differs from every file stem: Streamlit must not mistake pages/ for its legacy page folder.
PAGES = {
    "Service picture": [
        st.Page("pages/overview_page.py", title="Overview", icon=":material/dashboard:", url_path="overview",
                default=True),
        st.Page("pages/leadership_page.py", title="Leadership and interims", icon=":material/badge:",
                url_path="leadership"),
        st.Page("pages/turnover_page.py", title="Turnover and stability", icon=":material/sync_alt:",
                url_path="turnover"),
        st.Page("pages/vacancies_page.py", title="Vacancies", icon=":material/person_search:", url_path="vacancies"),
        st.Page("pages/structure_page.py", title="Structure changes", icon=":material/account_tree:",
                url_path="structure"),
        st.Page("pages/teams_page.py", title="Teams", icon=":material/diversity_3:", url_path="teams"),
        st.Page("pages/agency_page.py", title="Agency staff", icon=":material/work_history:", url_path="agency"),
        st.Page("pages/census_page.py", title="Census returns", icon=":material/assignment:", url_path="census"),
    ],
    "Compare": [
        st.Page("pages/benchmarks_page.py", title="Benchmarks", icon=":material/leaderboard:",
                url_path="benchmarks"),
    ],
    "Look ahead": [
        st.Page("pages/forecast_page.py", title="Forecast", icon=":material/trending_up:", url_path="forecast"),
    ],
    "For committees": [
        st.Page("pages/scrutiny_pack_page.py", title="Scrutiny pack", icon=":material/description:",
                url_path="scrutiny-pack"),
    ],
    "About the data": [
        st.Page("pages/data_quality_page.py", title="Data quality", icon=":material/fact_check:",
                url_path="data-quality"),
        st.Page("pages/audit_page.py", title="Audit log", icon=":material/history:", url_path="audit"),
    ],
}
ADMIN_ONLY_PAGES = {"data-quality", "audit"}  # held-back rows, load history and the audit log


def pages_for(access) -> dict:
    """The pages this user's role may open; a page left out cannot be reached by its address either."""
    if access.is_admin:
        return PAGES
    return {group: shown for group, pages in PAGES.items()
            if (shown := [p for p in pages if p.url_path not in ADMIN_ONLY_PAGES])}


# Before anything else is drawn: the sign-in screen (sign-in on), the open-mode banner, or a refusal.
sign_in.gate(PAGES)
try:
    access = access_control.current_access()
except UsageError as wrong:
    st.title("Workforce Stability")
    st.error(f"{wrong} Until it is put right, nobody sees any figures.", icon=":material/gpp_bad:")
    st.stop()
if access is None:  # signed in, but no access rule names this user
    st.navigation([st.Page("pages/no_access_page.py", title="No access yet", url_path="no-access")]).run()
    st.stop()

# A database with census returns but no HR extracts: HR-only pages say what only HR extracts give.
census_only = census_mode.census_only()
page = st.navigation(census_mode.navigation(pages_for(access)) if census_only else pages_for(access))
try:
    data.source().connection()
except NotAWorkforceDatabase as wrong:
    st.title("Workforce Stability")
    st.error(f"The dashboard cannot open this database: {wrong} Set WFS_DB to the database your loads "
             "write (python -m pipelines ingest FOLDER --db PATH).", icon=":material/database:")
    st.stop()
except data.NoDatabase as missing:
    st.title("Workforce Stability")
    st.warning(
        f"There is no workforce database yet (looked for {missing}). To try the product on the demo authority, "
        "run `make run` from the project folder; to load your own extracts, run "
        "`python -m pipelines ingest FOLDER --db data/workforce.duckdb` and start the dashboard with "
        "`WFS_DB=data/workforce.duckdb`.",
        icon=":material/database:",
    )
    st.stop()

current = census_mode.render_sidebar() if census_only else filters.render_sidebar()
if st.session_state.get(filters.REFUSED_KEY):  # a link or hand-edited address outside the user's units
    audit_trail.refused(page)
    st.title(page.title)
    st.error(OUTSIDE_UNITS, icon=":material/block:")
    st.stop()
audit_trail.page_view(page, current)  # once per page and filter set, not on every rerun
audit_trail.warn_if_unavailable()
try:
    if access.publication_only and published_view.shown_instead(page):
        published_view.show(page)  # viewers: the publication figures, small numbers suppressed on screen too
    else:
        page.run()
except OutOfScope as refusal:  # the data source refused a question outside the user's access
    st.error(str(refusal), icon=":material/block:")
