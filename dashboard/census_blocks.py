"""Chart, table and downloads for census figures. Like components.chart_block, but stamped with the census
year and role instead of the HR filters (which a census-only database does not have). Streamlit glue only."""

import streamlit as st

from dashboard import audit_trail, filters
from dashboard.components import PLOTLY_CONFIG
from reporting import exports
from reporting.census import SOURCE_WORDS
from reporting.chart_spec import ChartSpec
from reporting.suppression import MODE_NOTES


def stamp(spec: ChartSpec, scope: str, mode: str) -> exports.Stamp:
    return exports.Stamp(title=spec.title, filters=scope, source=SOURCE_WORDS + ".",
                         definition="DfE's definitions (docs/CENSUS.md); rates rounded half up to one decimal place.",
                         mode=mode)


def chart_block(spec: ChartSpec, scope: str, note: str = "") -> None:
    """scope: the year and role in words, e.g. 'Whole authority, year to 30 September 2024, all roles'."""
    mode = filters.export_mode()
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        figure = spec.figure()
        if figure is not None:
            st.plotly_chart(figure, key=f"chart_{spec.name}", config=PLOTLY_CONFIG)
        st.caption(" ".join(part for part in (note, f"{SOURCE_WORDS}. {scope}.") if part))
    with table_tab:
        st.dataframe(exports.dates_without_times(spec.table), hide_index=True)
    table = spec.published_table(mode)
    stamped = stamp(spec, scope, mode)
    row = st.container(horizontal=True, gap="small")
    row.download_button("CSV", audit_trail.recorded(lambda: exports.csv_bytes(table), chart=spec.name, format="csv",
                                                    mode=mode, file_name=f"{spec.name}.csv"),
                        file_name=f"{spec.name}.csv", mime="text/csv", key=f"csv_{spec.name}", on_click="ignore",
                        icon=":material/download:")
    row.download_button("Excel", audit_trail.recorded(lambda: exports.xlsx_bytes(table, stamped), chart=spec.name,
                                                      format="xlsx", mode=mode, file_name=f"{spec.name}.xlsx"),
                        file_name=f"{spec.name}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"xlsx_{spec.name}", on_click="ignore", icon=":material/table:")
    images_ok = exports.images_available()
    if spec.draw is not None:
        row.download_button(
            "PNG", audit_trail.recorded(
                lambda: exports.image_bytes(exports.stamped(spec.published_figure(mode), stamped), "png"),
                chart=spec.name, format="png", mode=mode, file_name=f"{spec.name}.png"),
            file_name=f"{spec.name}.png", mime="image/png", key=f"png_{spec.name}", on_click="ignore",
            icon=":material/image:", disabled=not images_ok, help=None if images_ok else exports.IMAGES_UNAVAILABLE)
    st.caption(MODE_NOTES[mode])
