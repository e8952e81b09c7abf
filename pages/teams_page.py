"""Teams: the front-line pressures (vacancies, cover, turnover, caseloads) team by team."""

import streamlit as st

from dashboard import audit_trail, components, data, filters
from reporting import exports
from reporting.suppression import MODE_NOTES
from reporting.teams import (
    TURNOVER_MONTHS,
    chart_points,
    download_table,
    headline,
    over_column,
    pressure_spec,
    styled,
    teams_view,
    threshold_words,
)

src = data.source()
current = filters.current()
components.page_header("Teams", components.QUESTIONS["teams"], current)

view = teams_view(src, current)
as_at = f"{current.as_at:%d %b %Y}"
snapshot = f"{view.snapshot:%d %b %Y}" if view.snapshot else None

if view.table.empty:
    components.empty_state(
        f"There are no teams or pods with posts in this selection on {as_at}. Choose a unit higher up the "
        "structure, or widen the tier and social-work filters in the sidebar.")
    st.stop()

with st.container(horizontal=True, gap="medium"):
    for label, value in headline(view).items():
        st.metric(label, value, border=True)
st.caption(
    f"As at {as_at}. Turnover counts leavers over the {TURNOVER_MONTHS} months {view.period_from:%d %b %Y} to "
    f"{as_at}. " + (f"Caseloads are from the snapshot of {snapshot}, the latest on or before the as-at date. "
                    if snapshot else "There is no caseload snapshot on or before the as-at date. ")
    + "Thresholds (set in data/settings.toml): " + threshold_words() + ".")

with st.container(horizontal=True, gap="small"):
    components.definition("vacancy_rate", "Vacancy rate")
    components.definition("interim_ratio", "Interim ratio")
    components.definition("turnover", "Turnover")
    components.definition("caseload", "Caseload")

chart_key = f"teams_chart_{current.unit or 'all'}"
table_key = f"teams_table_{current.unit or 'all'}"
points = chart_points(view)


def _drill_from_chart() -> None:
    unit = components.selected_point_value(st.session_state.get(chart_key))
    if unit:
        filters.drill_to(unit)


def _drill_from_table() -> None:
    state = st.session_state.get(table_key)
    rows = state.selection.rows if state is not None else []
    if rows:
        filters.drill_to(view.unit_ids[rows[0]])


st.subheader("Caseloads and vacancies, team by team")
if points.table.empty:
    components.empty_state(
        "No team here has both a vacancy rate and a caseload to plot"
        + (f" on {snapshot}." if snapshot else " (there is no caseload snapshot yet).")
        + " The table below still shows every team's other figures.")
else:
    title = (f"Caseload per FTE against vacancy rate by team, as at {as_at}"
             + (f" (caseloads {snapshot})" if snapshot != as_at else ""))
    note = ("Each marker is a team or pod, sized by its FTE in post; teams above a threshold are named (hover for "
            "the others). Dashed lines: amber thresholds; dotted lines: red thresholds. Marker shape and colour "
            "show the team's worst status on any of the four measures. Click a marker to move the whole "
            "dashboard to that team.")
    if points.unplotted:
        note += f" {points.unplotted} team(s) or pod(s) with no caseload or no vacancy rate are not plotted."
    components.chart_block(pressure_spec(points, title, f"team-pressure-{current.as_at:%Y-%m-%d}"), note=note,
                           on_select=_drill_from_chart, key=chart_key)

st.subheader("Every team and pod")
st.caption("Worst first: teams above red thresholds, then amber, then the rest. Shaded cells breach a threshold "
           "(darker: red; lighter: amber) and the Status column says which. Select a row to move the dashboard "
           "to that team. A team's figures count the posts in the team itself; its pods have their own rows.")
rate = {"format": "%.1f%%", "width": "small"}
fte = {"format": "%.1f FTE", "width": "small"}
whole = {"format": "%d", "width": "small"}
st.dataframe(
    styled(view), hide_index=True, key=table_key, on_select=_drill_from_table, selection_mode="single-row",
    height=min(38 + 35 * len(view.table), 640),
    column_config={
        "Team or pod": st.column_config.TextColumn(pinned=True, width=260),
        "Status": st.column_config.TextColumn(width=330, help="Which measures are above their thresholds"),
        "Headcount": st.column_config.NumberColumn(**whole, help="People in post, including cover"),
        "FTE in post": st.column_config.NumberColumn(**fte),
        "Vacancy rate (%)": st.column_config.NumberColumn(**rate, help="Vacant FTE of establishment FTE"),
        "Vacant FTE": st.column_config.NumberColumn(**fte),
        "Establishment FTE": st.column_config.NumberColumn(**fte),
        "Interim ratio (%)": st.column_config.NumberColumn(**rate, help="Cover FTE of FTE in post"),
        "Cover FTE": st.column_config.NumberColumn(**fte),
        "Turnover, 12 months (%)": st.column_config.NumberColumn(**rate, help="Leavers over average headcount"),
        "Leavers, 12 months": st.column_config.NumberColumn(**whole),
        "Average headcount": st.column_config.NumberColumn(format="%.1f", width="small"),
        "Caseload per FTE": st.column_config.NumberColumn(format="%.1f cases", width="small",
                                                          help="Open cases per case-holding FTE"),
        "Open cases": st.column_config.NumberColumn(**whole),
        "Case-holding FTE": st.column_config.NumberColumn(**fte),
        "Case holders": st.column_config.NumberColumn(**whole),
        over_column(): st.column_config.NumberColumn(**whole, help="Case holders with more open cases than this"),
        "Level": st.column_config.TextColumn(width="small"),
        "Parent": st.column_config.TextColumn(width="medium"),
    },
)
mode = filters.export_mode()
teams_file = f"teams-{current.as_at:%Y-%m-%d}.csv"
st.download_button("Download table (CSV)",
                   audit_trail.recorded(lambda: exports.csv_bytes(download_table(view, mode)), table="teams",
                                        format="csv", mode=mode, file_name=teams_file),
                   file_name=teams_file, mime="text/csv", key="csv_teams",
                   icon=":material/download:", on_click="ignore")
st.caption(MODE_NOTES[mode])
breaching = view.table[[level != "green" for level in view.levels]]
if len(breaching):
    with st.expander(f"What each of the {len(breaching)} teams above a threshold breaches, in full",
                     icon=":material/list:"):
        # The grid cuts long status words; here they wrap.
        st.table(breaching[["Team or pod", "Status"]], hide_index=True)
if view.without_posts:
    st.caption("No posts in this selection, so not listed: " + ", ".join(view.without_posts) + ".")
