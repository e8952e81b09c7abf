"""Building blocks every page uses: header with breadcrumb, chart with its table and downloads,
definitions one click away, and friendly empty states."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import definitions, filters
from dashboard.filters import Filters


def page_header(title: str, question: str, current: Filters) -> None:
    st.title(title)
    st.markdown(f"*{question}*")
    breadcrumb(current)
    st.caption(filters.describe(current))


def breadcrumb(current: Filters) -> None:
    """Whole service › service › team: each step is a button that moves the view back up."""
    path = filters.unit_path(current.unit, current.as_at)
    steps = [("", "Whole service")] + path
    row = st.container(horizontal=True, gap="small")
    for index, (unit, name) in enumerate(steps):
        last = index == len(steps) - 1
        row.button(("› " if index else "") + name, key=f"crumb_{index}_{unit}", type="tertiary",
                      disabled=last, on_click=filters.drill_to, args=(unit,),
                      help=None if last else f"Go back up to {name}")


def definition(metric: str, label: str = "Definition") -> None:
    with st.popover(label, icon=":material/info:"):
        st.markdown(definitions.full(metric))


def chart_block(fig: go.Figure, table: pd.DataFrame, *, name: str, note: str = "",
                on_select=None, key: str | None = None) -> None:
    """The chart, the same numbers as a table, and a CSV of exactly what is plotted."""
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        if on_select is not None:
            st.plotly_chart(fig, key=key or f"chart_{name}", on_select=on_select, selection_mode="points",
                            config={"displaylogo": False})
        else:
            st.plotly_chart(fig, key=key or f"chart_{name}", config={"displaylogo": False})
        if note:
            st.caption(note)
    with table_tab:
        st.dataframe(table, hide_index=True)
    st.download_button("Download data (CSV)", table.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"csv_{name}", icon=":material/download:", on_click="ignore")


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
