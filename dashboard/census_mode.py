"""The dashboard on a database that holds census returns but no HR extracts: the pages that need HR data
are replaced by a plain note of what only HR extracts give (no empty charts), the Census page opens first,
and the sidebar filters (dates and units of the HR data) are not drawn. Streamlit glue only."""

from datetime import date

import streamlit as st

from dashboard import data
from reporting import census as vm
from reporting.filters import Filters
from reporting.suppression import MODE_LABELS

# url_path of each page that needs HR extracts -> the key of what only they give (reporting.census.HR_ONLY)
HR_PAGES = {"overview": "overview", "leadership": "leadership", "turnover": "turnover", "vacancies": "vacancies",
            "structure": "structure", "teams": "teams"}
CENSUS_PAGE = "census"


def census_only() -> bool:
    """True for a database with census returns and no HR extracts; False otherwise, and on any problem
    opening it (app.py then says what is wrong as before)."""
    try:
        src = data.source()
        return vm.has_returns(src) and not vm.has_hr(src)
    except Exception:  # noqa: BLE001 - app.py opens the database next and reports the problem in words
        return False


def _hr_only_page(title: str, what: str):
    def page() -> None:
        st.title(title)
        st.info(vm.hr_only_words(what), icon=":material/info:")
        st.page_link("pages/census_page.py", label="Go to the Census page", icon=":material/assignment:")
    page.__name__ = f"hr_only_{what}"
    return page


def navigation(pages: dict) -> dict:
    """The same sections and addresses, the HR-only pages replaced by their note; the Census page first."""
    shown = {}
    for section, items in pages.items():
        shown[section] = []
        for item in items:
            path = "overview" if getattr(item, "_default", False) else item.url_path  # a default page's is ''
            if path in HR_PAGES:
                shown[section].append(st.Page(_hr_only_page(item.title, HR_PAGES[path]), title=item.title,
                                              icon=item.icon, url_path=path))
            elif path == "scrutiny-pack":
                shown[section].append(st.Page(scrutiny_pack_page, title=item.title, icon=item.icon, url_path=path))
            elif path == CENSUS_PAGE:
                shown[section].insert(0, st.Page("pages/census_page.py", title=item.title, icon=item.icon,
                                                 url_path=path, default=True))
            else:
                shown[section].append(item)
    return shown


def filters() -> Filters:
    """What the audit log records for a census-only view: the whole authority, today."""
    return Filters(unit=None, as_at=date.today(), months=12, tiers=(), social_work_only=False)


def render_sidebar() -> Filters:
    """The census-only sidebar: no dates or units to choose (the Census page picks its year and role),
    only what downloads and packs are for."""
    src = data.source()
    loaded = vm.years(src)
    with st.sidebar:
        st.header("Census returns")
        st.caption(f"Returns loaded for the years to 30 September {', '.join(str(y) for y in loaded)}. "
                   "No HR extracts are loaded.")
        if src.access.may_export_internal:
            st.radio("Downloads and packs are for", ("publication", "internal"), key="export_mode",
                     bind="query-params", format_func=MODE_LABELS.get,
                     help="Publication mode shows counts of 1 to 4, and rates based on fewer than 5 people, as c.")
        else:
            st.session_state["export_mode"] = "publication"
            st.caption("Downloads and packs are for publication: small numbers are hidden.")
    return filters()


def reconciliation_block(src, who) -> None:
    """The three columns: census return, HR data (where loaded) and DfE's published figure."""
    from dashboard import components

    table = vm.reconciliation(src, who)
    st.subheader("Census return, HR data and DfE's published figure")
    if table.empty:
        components.empty_state("No census return is loaded: import the returns your authority sent DfE "
                               "(python -m pipelines census import FILE.xml --db PATH) to compare them here.")
        return
    checks = table[table["Status"].str.startswith("Check")]
    st.markdown(f"**{len(checks)} of {len(table)}** year-and-measure comparisons need checking. Each figure names "
                "its source: the census return as loaded here, the HR data (where HR extracts are loaded) and the "
                "figure DfE published for the authority.")
    for item in checks.to_dict("records"):
        st.warning(f"{item['Measure']}, year to 30 September {item['Year to 30 Sep']}: census return "
                   f"{_value(item['Census return'])}, HR data {_value(item['HR data'])}, published "
                   f"{_value(item['Published (DfE)'])} ({item['Unit']}). {item['Status']}.\n\nLikely reasons: "
                   f"{item['Likely reasons']}", icon=":material/rule:")
    components.table_block(table, name="census-three-way-reconciliation")


def _value(number) -> str:
    return "—" if number is None or number != number else f"{number:g}"


def benchmarks_page(src) -> None:
    """Benchmarks on a census-only database: the reconciliation with DfE's published figures."""
    from reporting import benchmarks as bvm

    st.title("Benchmarks")
    st.markdown("*Does what DfE published for us match our census returns?*")
    who = src.identity()
    state = bvm.status(src, who)
    if not state.ready:
        st.info(state.message, icon=":material/info:")
        return
    st.info("Only HR extracts give our own month-by-month figures beside England, the region and our neighbours. "
            "Here: the census returns against DfE's published figures.", icon=":material/info:")
    reconciliation_block(src, who)


def scrutiny_pack_page() -> None:
    """The Word pack on a census-only database: the census section, whole authority."""
    from dashboard import audit_trail
    from reporting.census_pack import census_pack
    from reporting.suppression import MODE_NOTES

    src = data.source()
    st.title("Scrutiny pack")
    st.markdown("*What should the committee see, in a paper it can publish?*")
    st.info("This database holds census returns only, so the pack has the census section (every year's figures, "
            "where leavers went, year-on-year retention). Only HR extracts give the sections by team and post.",
            icon=":material/info:")
    mode = st.radio("For", ("publication", "internal"), key="pack_mode", horizontal=True,
                    format_func=MODE_LABELS.get) \
        if src.access.may_export_internal else "publication"  # the user's access rule decides
    st.caption(MODE_NOTES[mode])
    name = f"scrutiny-pack-census-{max(vm.years(src))}-{mode}.docx"
    st.download_button("Download the Word pack", audit_trail.recorded(
        lambda: census_pack(src, mode).content, "word_pack", sections=["census"], mode=mode, format="docx",
        file_name=name), file_name=name, type="primary", icon=":material/description:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="pack_download")
