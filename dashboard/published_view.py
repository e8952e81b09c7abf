"""What a viewer (councillors, scrutiny officers) sees instead of a page: the same sections the publication-mode
Word pack holds for it, on screen. Their charts, tables, summaries and downloads all come from
reporting.catalog in publication mode, so small numbers are suppressed on screen exactly as on paper
(reporting/suppression.py), and no figure reaches a viewer any other way."""

import streamlit as st

from dashboard import audit_trail, components, data, filters
from reporting import catalog, exports
from reporting.chart_spec import ChartSpec
from reporting.source import publishing
from reporting.suppression import MODE_NOTES, PUBLICATION

# The dashboard page (its url_path) -> the pack sections that show its figures.
SECTIONS_BY_PAGE = {
    "overview": ("headlines",),
    "leadership": ("leadership", "senior_posts"),
    "turnover": ("turnover",),
    "vacancies": ("vacancies", "long_vacancies"),
    "structure": ("structure",),
    "teams": ("teams",),
    "agency": ("agency",),
    "forecast": ("forecast",),
    "census": ("census",),
    "benchmarks": ("benchmarks",),
}
QUESTIONS = {
    "overview": "How stable is the workforce, from the director down to the front line?",
    "leadership": "Who has led the service, and for how long were leadership posts held by interims?",
    "turnover": "Who is leaving, and who stays?",
    "vacancies": "Which posts are empty, for how long, and who is covering them?",
    "structure": "How often has the structure changed, and where?",
    "teams": "Which front-line teams are under most strain?",
    "agency": "Do our agency social workers meet DfE's rules, and what does agency cover cost us?",
    "forecast": "If nothing changes, where will the workforce be in a year, and what if we act?",
    "census": "What do our DfE children's social work workforce census returns say, year by year and by role?",
    "benchmarks": "How do we compare with England, our region and our statistical neighbours?",
}


def shown_instead(page) -> bool:
    """True when `page` is one a viewer sees in its published form."""
    return (page.url_path or "overview") in SECTIONS_BY_PAGE


def show(page) -> None:
    with publishing():  # the one place a viewer's figures are made: all of them suppressed for publication
        _show(page)


def _show(page) -> None:
    key = page.url_path or "overview"
    src, current = data.source(), filters.current()
    components.page_header(page.title, QUESTIONS[key], current)
    st.info("You are seeing the figures as they would be published: counts of 1 to 4 people, and any figure from "
            "which one could be worked out, are shown as c.", icon=":material/visibility:")
    for section in catalog.build_sections(src, current, SECTIONS_BY_PAGE[key], PUBLICATION):
        st.header(section.heading)
        if section.intro:
            components.empty_state(section.intro)
        for spec in section.charts:
            _chart(spec)


def _chart(spec: ChartSpec) -> None:
    st.subheader(spec.title)
    if spec.summary:
        st.markdown(spec.summary)
    table = exports.dates_without_times(spec.published_table(PUBLICATION))
    if spec.draw is None:
        st.dataframe(table, hide_index=True)
        data_file = audit_trail.recorded(lambda: exports.csv_bytes(spec.published_table(PUBLICATION)),
                                         table=spec.name, format="csv", mode=PUBLICATION,
                                         file_name=f"{spec.name}.csv")
        st.download_button("Download table (CSV)", data_file, file_name=f"{spec.name}.csv", mime="text/csv",
                           key=f"csv_{spec.name}", icon=":material/download:", on_click="ignore")
        st.caption(MODE_NOTES[PUBLICATION])
        return
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        st.plotly_chart(spec.published_figure(PUBLICATION), key=f"chart_{spec.name}", config=components.PLOTLY_CONFIG)
    with table_tab:
        st.dataframe(table, hide_index=True)
    components.export_buttons(spec)
    if spec.metric:
        components.definition(spec.metric)
