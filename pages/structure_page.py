"""Structure changes: how often the structure has been changed under staff's feet."""

import streamlit as st

from dashboard import components, data, filters
from reporting import structure as vm

src = data.source()
current = filters.current()
components.page_header("Structure changes", components.QUESTIONS["structure"], current)
as_at = f"{current.as_at:%d %b %Y}"
period = f"{current.period_from:%b %Y} to {current.as_at:%b %Y}"

if vm.ignores_filters(current):
    st.info("Structural change counts every change to units and posts in the chosen unit, so the tier and "
            "social-work filters do not apply on this page.", icon=":material/filter_alt_off:")

top = vm.headline(src, current)
st.markdown(f"#### {top.sentence(current)}")
if top.events == 0:
    st.markdown(vm.last_change(src, current))
st.caption(f"As at {as_at}. A change is a unit created, closed, renamed or moved, or a post created, deleted, "
           "moved or regraded. Changes to tier, budgeted FTE or title are not counted.")
components.definition("structural_changes")


def _drill_from_chart(key: str) -> None:
    unit = components.selected_point_value(st.session_state.get(key))
    if unit:
        filters.drill_to(unit)


# (a) ----------------------------------------------------------------------------------------------
over_time = vm.events_over_time(src, current)
st.subheader(f"Structural changes over time, by type, {over_time.first_day:%b %Y} to {current.as_at:%b %Y}")
if over_time.total == 0:
    components.empty_state(f"No unit or post in this selection changed between {over_time.first_day:%d %b %Y} "
                           f"and {as_at}.")
else:
    components.chart_block(vm.over_time_spec(src, current, over_time),
                           note=f"{over_time.total:,} changes from the start of the data to {as_at}, one bar per "
                                f"{over_time.step.lower()}: the whole history, not only the chosen period. Dashed "
                                "vertical lines mark key dates.")

# (b) ----------------------------------------------------------------------------------------------
by_unit = vm.changes_by_unit(src, current)
st.subheader(f"Which units were changed most, {period}")
if not len(by_unit.table):
    components.empty_state(f"No unit or post in this selection changed in {current.period_phrase}.")
else:
    shown = by_unit.plotted
    # One chart key per unit, so a bar chosen here is not still selected in the next unit's chart.
    chart_key = f"units_chart_{current.unit or 'all'}"
    components.chart_block(
        vm.by_unit_spec(current, by_unit), on_select=lambda: _drill_from_chart(chart_key), key=chart_key,
        note=("A change counts under each unit it touches (the unit a post or unit left and the one it joined), so "
              "the bars can add up to more than the total. Click a bar to open that unit."
              + ("" if by_unit.all_plotted else f" {len(by_unit.table)} units changed; all are listed below.")))
    if not by_unit.all_plotted:
        with st.expander(f"All {len(by_unit.table)} units changed, {period}"):
            components.table_block(by_unit.table, name=f"structural-changes-all-units-{current.as_at:%Y-%m-%d}")

# (c) ----------------------------------------------------------------------------------------------
st.subheader(f"Busiest restructure days, {period}")
days = vm.busiest_days(src, current)
if not len(days):
    components.empty_state(f"There were no structural changes in this selection in {current.period_phrase}.")
else:
    st.caption(f"Up to 10 days with the most changes in {current.period_phrase}, with the number "
               "of each type of change and the units they touched (as named on the day).")
    components.table_block(days, name=f"busiest-change-days-{current.as_at:%Y-%m-%d}")
