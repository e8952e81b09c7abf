"""Building blocks every page uses: header with breadcrumb, chart with its table and downloads,
definitions one click away, and friendly empty states."""

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import audit_trail, data, filters
from reporting import census, definitions, exports
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters, describe, unit_path
from reporting.pack_builder import stamp
from reporting.suppression import MODE_NOTES

# Plotly's own camera button would save an unstamped screen-size picture; the PNG/SVG buttons under
# each chart are the way to export.
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]}


# Each page's question (by its address), in one place: the page and a viewer's published view ask the same.
QUESTIONS = {
    "overview": "How stable is the workforce, from the director down to the front line?",
    "leadership": "Who has led the service, and on what basis?",
    "turnover": "Who is leaving, and who stays?",
    "vacancies": "How many posts are empty, for how long, and who is covering them?",
    "structure": "How often has the structure been changed under staff's feet?",
    "teams": "Where is the pressure on the front line?",
    "agency": "Do our agency social workers meet DfE's rules, and what does agency cover cost us over employing our own?",
    "forecast": "If nothing changes, where will we be in a year, and what if we act?",
    "benchmarks": "How do we compare with England, our region and similar authorities, and does what we published to DfE match our HR data?",
    "scrutiny-pack": "What should the committee see, in a paper it can publish?",
    "census": "What do our DfE children's social work workforce census returns say, year by year and by role?",
}


def page_header(title: str, question: str, current: Filters) -> None:
    st.title(title)
    st.markdown(f"*{question}*")
    breadcrumb(current)
    src = data.source()
    st.caption(describe(src, current))
    if census.has_returns(src):  # both sources loaded: say which one this page's figures come from
        st.caption("Source: the HR extracts (day by day). The authority's DfE census returns are loaded too; their "
                   "figures, as at each 30 September, are on the Census returns page.")


def breadcrumb(current: Filters) -> None:
    """Whole service › service › team: each step is a button that moves the view back up."""
    src = data.source()
    path = unit_path(src, current.unit, current.as_at)  # cut to the user's units when their access is partial
    steps = ([("", "Whole service")] if src.access.whole_service else []) + path
    row = st.container(horizontal=True, gap="small")
    for index, (unit, name) in enumerate(steps):
        last = index == len(steps) - 1
        row.button(("› " if index else "") + name, key=f"crumb_{index}_{unit}", type="tertiary",
                      disabled=last, on_click=filters.drill_to, args=(unit,),
                      help=None if last else f"Go back up to {name}")


def definition(metric: str, label: str = "Definition") -> None:
    with st.popover(label, icon=":material/info:"):
        st.markdown(definitions.full(metric))


def stamp_for(title: str, metric: str, mode: str) -> exports.Stamp:
    return stamp(data.source(), filters.current(), title, metric, mode)


def _plain_title(fig: go.Figure) -> str:
    return re.sub(r"<[^>]+>", "", str(fig.layout.title.text or "")).strip()


def export_buttons(spec: ChartSpec, stamp: exports.Stamp | None = None) -> None:
    """PNG and SVG stamped with title, filters, source and definition, made only when clicked; the data as
    CSV and XLSX. In publication mode small numbers are suppressed in every one of them. `stamp`: for
    figures that are not under the sidebar's filters (the census returns); by default, the filters."""
    mode = filters.export_mode()
    stamp = stamp or stamp_for(spec.title, spec.metric, mode)
    table = spec.published_table(mode)
    row = st.container(horizontal=True, gap="small")
    images_ok = exports.images_available()
    for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")) if spec.draw is not None else ():
        row.download_button(
            fmt.upper(), audit_trail.recorded(
                lambda fmt=fmt: exports.image_bytes(exports.stamped(spec.published_figure(mode), stamp), fmt),
                chart=spec.name, format=fmt, mode=mode, file_name=f"{spec.name}.{fmt}"),
            file_name=f"{spec.name}.{fmt}", mime=mime, key=f"{fmt}_{spec.name}", on_click="ignore",
            icon=":material/image:", disabled=not images_ok,
            help=None if images_ok else exports.IMAGES_UNAVAILABLE)
    row.download_button("CSV", audit_trail.recorded(lambda: exports.csv_bytes(table), chart=spec.name, format="csv",
                                                    mode=mode, file_name=f"{spec.name}.csv"), file_name=f"{spec.name}.csv", mime="text/csv",
                        key=f"csv_{spec.name}", on_click="ignore", icon=":material/download:")
    row.download_button("Excel", audit_trail.recorded(lambda: exports.xlsx_bytes(table, stamp), chart=spec.name,
                                                      format="xlsx", mode=mode, file_name=f"{spec.name}.xlsx"),
                        file_name=f"{spec.name}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"xlsx_{spec.name}", on_click="ignore", icon=":material/table:")
    st.caption(MODE_NOTES[mode])


def chart_block(fig: go.Figure | ChartSpec, table: pd.DataFrame | None = None, *, name: str | None = None,
                note: str = "", on_select=None, key: str | None = None, metric: str = "",
                stamp: exports.Stamp | None = None) -> None:
    """The chart, the same numbers as a table, and downloads of exactly what is plotted."""
    if isinstance(fig, ChartSpec):
        spec = fig
        fig, table, name = spec.figure(), spec.table, spec.name
    else:
        spec = ChartSpec(name=name, title=_plain_title(fig), table=table, draw=lambda _t, f=fig: f, metric=metric)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        if fig is None:
            pass  # a table with no picture: the note and the Table tab say it all
        elif on_select is not None:
            st.plotly_chart(fig, key=key or f"chart_{name}", on_select=on_select, selection_mode="points",
                            config=PLOTLY_CONFIG)
        else:
            st.plotly_chart(fig, key=key or f"chart_{name}", config=PLOTLY_CONFIG)
        if note:
            st.caption(note)
    with table_tab:
        st.dataframe(exports.dates_without_times(table), hide_index=True)
    export_buttons(spec, stamp)


def table_block(table: pd.DataFrame, *, name: str, label: str = "Download table (CSV)",
                row_level: bool = False) -> None:
    """A table and its CSV, exactly as shown. `row_level`: one row per engagement or case, for internal
    follow-up only: its download is offered only to users whose access allows internal exports, and is
    recorded as internal (the table is never suppressed)."""
    st.dataframe(exports.dates_without_times(table), hide_index=True)
    if row_level and not data.source().access.may_export_internal:
        st.caption("Your access allows downloads for publication only, so this list (one row per engagement or "
                   "case) is shown here but not offered as a download.")
        return
    mode = "internal" if row_level else filters.export_mode()
    made = audit_trail.recorded(lambda: exports.csv_bytes(table), table=name, format="csv", mode=mode,
                                file_name=f"{name}.csv")
    st.download_button(label, made, file_name=f"{name}.csv", mime="text/csv",
                       key=f"csv_{name}", icon=":material/download:", on_click="ignore")


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def selected_point_value(event, field: str = "customdata"):
    """The first selected point's customdata (a unit id for drill-down), or None."""
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", [])
    if not points:
        return None
    value = points[0].get(field)
    return value[0] if isinstance(value, list) else value


def drill_from_table(key: str, unit_ids: list[str]) -> None:
    """Callback for a table whose rows are units (or posts in units): selecting a row moves the view there."""
    selection = st.session_state.get(key)
    rows = selection.selection.rows if selection is not None else []
    if rows and rows[0] < len(unit_ids):
        filters.drill_to(unit_ids[rows[0]])
