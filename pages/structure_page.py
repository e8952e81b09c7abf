"""Structure changes: how often the structure has been changed under staff's feet."""

from datetime import timedelta

import streamlit as st

from dashboard import charts, components, data, filters
from dashboard import structure as vm

current = filters.current()
components.page_header("Structure changes", "How often has the structure been changed under staff's feet?", current)
as_at = f"{current.as_at:%d %b %Y}"
period = f"{current.period_from:%b %Y} to {current.as_at:%b %Y}"

if vm.ignores_filters(current):
    st.info("Structural change counts every change to units and posts in the chosen unit, so the tier and "
            "social-work filters do not apply on this page.", icon=":material/filter_alt_off:")

top = vm.headline(current)
st.markdown(f"#### {top.sentence(current)}")
st.caption(f"As at {as_at}. A change is a unit created, closed, renamed or moved, or a post created, deleted, "
           "moved or regraded. Changes to tier, budgeted FTE or title are not counted.")
components.definition("structural_changes")


def _colour_by_type(fig) -> None:
    """Each type keeps its colour and pattern whichever types a selection happens to contain."""
    patterns = ["", "/", ".", "x", "-", "\\", "+", "|"]
    labels = list(vm.EVENT_LABELS.values())
    for trace in fig.data:
        index = labels.index(trace.name)
        trace.marker.color = charts.PALETTE[index % len(charts.PALETTE)]
        trace.marker.pattern.shape = patterns[index % len(patterns)]


def _drill_from_chart(key: str) -> None:
    unit = components.selected_point_value(st.session_state.get(key))
    if unit:
        filters.drill_to(unit)


# (a) ----------------------------------------------------------------------------------------------
over_time = vm.events_over_time(current)
st.subheader("Structural changes over time, by type")
if over_time.total == 0:
    components.empty_state(f"No unit or post in this selection changed between {over_time.first_day:%d %b %Y} "
                           f"and {as_at}.")
else:
    fig = charts.bar_chart(over_time.plotted, over_time.x, "Events",
                           f"Structural changes by {over_time.step.lower()} and type, "
                           f"{over_time.first_day:%b %Y} to {current.as_at:%b %Y}", "Changes",
                           color="Type of change", stack=True, text_format="{:.0f}")
    _colour_by_type(fig)
    # A date axis sizes bars from the closest pair of dates: fix the width so sparse years stay readable.
    fig.update_traces(width=(85 if over_time.step == "Quarter" else 28) * 86_400_000, textposition="none",
                      hovertemplate="%{x|%b %Y}: %{y} × %{fullData.name}<extra></extra>")
    # Headroom keeps the key-date labels clear of the bars; the x axis stops at the as-at date.
    fig.update_yaxes(range=[0, max(5, 1.35 * over_time.peak)])
    fig.update_xaxes(range=[over_time.first_day - timedelta(days=60), current.as_at + timedelta(days=60)])
    fig.update_layout(height=480, margin={"t": 120}, legend={"traceorder": "normal"})
    charts.add_key_dates(fig, data.view("key_dates", date_from=over_time.first_day, date_to=current.as_at))
    fig.update_shapes(layer="below")  # key-date lines behind the bars, so thin bars stay visible
    components.chart_block(fig, over_time.plotted, name=f"structural-changes-over-time-{current.as_at:%Y-%m-%d}",
                           metric="structural_changes",
                           note=f"{over_time.total:,} changes from the start of the data to {as_at}, one bar per "
                                f"{over_time.step.lower()}. Dashed vertical lines mark key dates.")

# (b) ----------------------------------------------------------------------------------------------
by_unit = vm.changes_by_unit(current)
st.subheader(f"Which units were changed most, {period}")
if not len(by_unit.table):
    components.empty_state(f"No unit or post in this selection changed in the {current.months} months to {as_at}.")
else:
    shown = by_unit.plotted
    busiest = "" if by_unit.all_plotted else f"the {len(shown)} busiest units"
    fig = charts.bar_chart(shown, "Unit", "Events",
                           f"Structural changes by unit{', ' + busiest if busiest else ''}, {period}",
                           "Changes", horizontal=True, text_format="{:.0f}")
    fig.update_traces(customdata=by_unit.plotted_ids, hovertemplate="%{y}: %{x} changes<extra></extra>",
                      textposition="outside", cliponaxis=False)
    fig.update_layout(height=max(220, 130 + 26 * len(shown)), margin={"l": 240}, bargap=0.35)
    # One chart key per unit, so a bar chosen here is not still selected in the next unit's chart.
    chart_key = f"units_chart_{current.unit or 'all'}"
    components.chart_block(
        fig, shown, name=f"structural-changes-by-unit-{current.as_at:%Y-%m-%d}",
        on_select=lambda: _drill_from_chart(chart_key), key=chart_key, metric="structural_changes",
        note=("A change counts under each unit it touches (the unit a post or unit left and the one it joined), so "
              "the bars can add up to more than the total. Click a bar to open that unit."
              + ("" if by_unit.all_plotted else f" {len(by_unit.table)} units changed; all are listed below.")))
    if not by_unit.all_plotted:
        with st.expander(f"All {len(by_unit.table)} units changed, {period}"):
            components.table_block(by_unit.table, name=f"structural-changes-all-units-{current.as_at:%Y-%m-%d}")

# (c) ----------------------------------------------------------------------------------------------
st.subheader(f"Busiest restructure days, {period}")
days = vm.busiest_days(current)
if not len(days):
    components.empty_state(f"There were no structural changes in this selection in the {current.months} months "
                           f"to {as_at}.")
else:
    st.caption(f"Up to 10 days with the most changes in the {current.months} months to {as_at}, with the number "
               "of each type of change and the units they touched (as named on the day).")
    components.table_block(days, name=f"busiest-change-days-{current.as_at:%Y-%m-%d}")
