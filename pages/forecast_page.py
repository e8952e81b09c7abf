"""Forecast: if nothing changes, where will we be, and what if we act? With how wrong it has been before."""

import streamlit as st

from dashboard import components, data, filters
from reporting import forecast as vm

src = data.source()
current = filters.current()
components.page_header("Forecast", components.QUESTIONS["forecast"], current)
as_at = f"{current.as_at:%d %b %Y}"

# The what-if controls sit in a form, so moving a slider does not re-run the simulation: only the button does.
with st.form("what_if"):
    st.markdown("**What if…** (leave everything at 0 and 100% for the baseline alone)")
    left, middle, right = st.columns(3)
    months = left.slider("Months ahead", 6, 24, 12, help="How far past the as-at date to forecast.")
    recruits = left.number_input("Extra permanent recruits a month", 0, 500, 0, step=1,
                                 help="More starters each month, into vacant posts.")
    convert = middle.number_input("Agency/cover FTE made permanent", 0.0, 5000.0, 0.0, step=1.0, format="%.1f",
                                  help="Vacant posts now held by cover staff, filled by permanent staff instead.")
    convert_months = middle.slider("…spread over months", 1, 24, 12)
    retention = middle.slider("Leaving, % of the usual rate", 0, 200, 100, step=5,
                              help="80% means a fifth fewer leavers than the recent rate; 120% a fifth more.")
    establishment = right.number_input("Establishment change (FTE)", -5000.0, 5000.0, 0.0, step=1.0, format="%.1f",
                                       help="Posts added (+) or vacant posts deleted (−) on the as-at date.")
    cases = right.number_input("Change in open cases a month", -100000.0, 100000.0, 0.0, step=1.0, format="%.0f",
                               help="Only where caseloads are loaded.")
    st.form_submit_button("Show the forecast", icon=":material/trending_up:", type="primary")

what_if = vm.WhatIf(extra_recruits_per_month=int(recruits), convert_agency_fte=float(convert),
                 convert_over_months=int(convert_months), leaving_multiplier=retention / 100,
                 establishment_change_fte=float(establishment), caseload_inflow_change=float(cases))
try:
    view = vm.forecast_view(src, current, months, what_if)
except vm.UsageError as refused:  # a what-if the data cannot take, e.g. a cut larger than the vacant FTE
    components.empty_state(f"{refused}")
    st.stop()

if view.refused:
    components.empty_state(f"No forecast for this selection as at {as_at}. {view.refused}")
    st.stop()

st.subheader(f"The next {months} months from {as_at}")
cards = st.columns(3)
CARDS = {"in_post_fte": "FTE in post", "vacancy_rate_pct": "Vacancy rate", "cover_fte": "Cover FTE on vacant posts"}
for column, (figure, label) in zip(cards, CARDS.items()):
    unit = vm.UNITS[figure]
    after = view.value(figure)
    column.metric(f"{label}, {view.frame['month'].iloc[-1]:%b %Y}", vm.fmt(after, unit), border=True,
                  delta=f"{after - view.value(figure, month=0):+,.1f} {'points' if unit == '%' else unit} since {as_at}",
                  delta_color="off",
                  help=f"The middle value if nothing changes; 80% band {vm.fmt(view.value(figure, band='p10'), unit)}"
                       f" to {vm.fmt(view.value(figure, band='p90'), unit)}.")

shown = [f for f in vm.CHARTED if view.has_figure(f)]
figure = st.selectbox("Figure", shown, format_func=lambda f: vm.LABELS[f])
changes = "; ".join(what_if.words())
components.chart_block(
    vm.forecast_spec(view, current, figure),
    note=(f"**{view.backtest_sentence}** " if view.backtest_sentence else "")
    + f"Middle line: the median of {vm.DEFAULT_PATHS:,} simulated futures; shaded: the band 8 in 10 of them fall in. "
      f"Starts from the real figure on {as_at}."
    + (f" What if: {changes}." if view.has_what_if else ""))

st.subheader("How wrong has it been before?")
st.markdown("The same forecast, made as if it were 12 and 24 months ago from the data as they stood then, "
            "compared with what happened. About 8 in 10 outcomes inside the band is what an honest band gives.")
accuracy = vm.backtest_table(view)
notes = [n for n in view.backtest["note"].fillna("") if n] if view.backtest is not None else []
for note in notes:
    st.caption(note)
if len(accuracy):
    components.table_block(accuracy, name=f"forecast-backtest-{current.as_at:%Y-%m-%d}",
                           label="Download the backtest (CSV)")

st.subheader("Every figure, month by month")
components.table_block(vm.all_figures_table(view), name=f"forecast-{current.as_at:%Y-%m-%d}",
                       label="Download the forecast (CSV)")
st.caption(f"As at {as_at}. Counts in people, FTE in full-time equivalents, rates in %. How the forecast works, "
           "what it assumes and what it cannot know: docs/FORECAST.md.")
