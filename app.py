"""Workforce Stability dashboard: routes the pages and owns the shared sidebar filters."""

import streamlit as st

from dashboard import audit_trail, data, filters, sign_in
from pipelines.database import NotAWorkforceDatabase

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
    ],
    "Compare": [
        st.Page("pages/benchmarks_page.py", title="Benchmarks", icon=":material/leaderboard:",
                url_path="benchmarks"),
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

# Before anything else is drawn: the sign-in screen (sign-in on), the open-mode banner, or a refusal.
sign_in.gate(PAGES)
page = st.navigation(PAGES)
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

current = filters.render_sidebar()
audit_trail.page_view(page, current)  # once per page and filter set, not on every rerun
audit_trail.warn_if_unavailable()
page.run()
