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


def sections_of(page) -> tuple[str, ...]:
    """The pack sections that show `page`'s figures (each section names its page)."""
    return tuple(key for key, section in catalog.SECTIONS.items() if section.page == page.title)


def shown_instead(page) -> bool:
    """True when `page` is one a viewer sees in its published form."""
    return bool(sections_of(page))


def show(page) -> None:
    with publishing():  # the one place a viewer's figures are made: all of them suppressed for publication
        _show(page)


def _show(page) -> None:
    src, current = data.source(), filters.current()
    components.page_header(page.title, components.QUESTIONS[page.url_path or "overview"], current)
    st.info("You are seeing the figures as they would be published: counts of 1 to 4 people, and any figure from "
            "which one could be worked out, are shown as c.", icon=":material/visibility:")
    for section in catalog.build_sections(src, current, sections_of(page), PUBLICATION):
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
