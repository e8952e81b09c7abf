"""Turnover and stability: who is leaving, and who stays."""

import streamlit as st

from dashboard import components, data, filters
from reporting import turnover as vm

src = data.source()
current = filters.current()
components.page_header("Turnover and stability", components.QUESTIONS["turnover"], current)

scope, start, as_at = current.scope, current.period_from, current.as_at
period_words = f"{start:%d %b %Y} to {as_at:%d %b %Y}"
top = vm.headline(src, scope, start, as_at)
if not top.has_staff:
    components.empty_state("Nobody held a permanent or fixed-term post in this part of the service during the "
                           "period, so there is no turnover to show. Choose a larger unit, or widen the tier "
                           "and social-work filters.")
    st.stop()


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


# --- headline --------------------------------------------------------------------------------------------
st.subheader(current.period_phrase[0].upper() + current.period_phrase[1:])
cards = [("Turnover (headcount)", top.turnover_pct, top.turnover_words, "turnover"),
         ("DfE FTE turnover", top.dfe_pct, top.dfe_words, "turnover"),
         ("Stability index", top.stability_pct, top.stability_short, "stability"),
         ("Chose to leave", top.voluntary_pct, top.voluntary_words, "turnover")]
for (label, value, words, metric), column in zip(cards, st.columns(4)):
    with column.container(border=True, height="stretch"):
        st.metric(label, _pct(value), help=components.definitions.SHORT[metric])
        st.caption(words)
st.markdown(f"**{top.stability_words}.**")
with st.expander("Why two turnover rates?", icon=":material/help:"):
    st.markdown(vm.MEASURE_NOTE)

# --- (a) turnover by grade ---------------------------------------------------------------------------------
st.subheader("Turnover by grade")
components.definition("turnover")
by_grade = vm.turnover_by_grade(src, scope, start, as_at)
if by_grade.empty:
    components.empty_state("No grade in this part of the service had staff in post during the period.")
else:
    components.chart_block(
        vm.turnover_spec(by_grade, f"Turnover by grade (headcount), {period_words}",
                         f"turnover-by-grade-{as_at:%Y-%m-%d}"),
        note=f"Bars: leavers over average headcount for each grade. The table also gives the DfE FTE rate. "
             f"Grades with few staff swing widely: read the rate with its leavers and headcount. As at "
             f"{as_at:%d %b %Y}.")

# --- (b) and (c) over the years ------------------------------------------------------------------------------
coverage = src.coverage()
ends = vm.year_ends(as_at, coverage["coverage_start"])
years = vm.yearly(src, scope, ends) if ends else None
st.subheader("Turnover over the years")
if years is None or years.empty:
    components.empty_state("The data does not yet cover a full 12-month period before the as-at date, so there "
                           "is no year-by-year picture.")
else:
    basis = vm.year_basis(as_at)
    span = f"{years['Period'].iloc[0]} to {years['Period'].iloc[-1]}"
    components.chart_block(
        vm.heatmap_spec(vm.heatmap_table(years), f"Turnover rate by grade, {basis}, {span} (headcount, %)",
                        f"turnover-grade-by-year-{as_at:%Y-%m-%d}"),
        note="Darker cells mean more of the grade left that year; the colours stop at the top of the scale (marked "
             "+) so that a grade of two or three people cannot wash out the rest. Blank cells: nobody in that "
             "grade then. "
             f"Each period is 12 months ending on the as-at date's day. As at {as_at:%d %b %Y}.")
    leavers = vm.leavers_by_year(years)
    components.chart_block(
        vm.leavers_spec(leavers, f"Voluntary and other leavers, {basis}, {span}", vm.key_dates(src, ends), ends,
                        f"leavers-voluntary-by-year-{as_at:%Y-%m-%d}"),
        note="Voluntary: resignation, retirement or voluntary redundancy. Other: end of contract, dismissal, "
             "compulsory redundancy, death in service, other, unknown or not recorded. Lines mark inspections, "
             f"leadership changes and restructures. As at {as_at:%d %b %Y}.")

# --- (d) leaving reasons ---------------------------------------------------------------------------------
st.subheader("Why people left")
reasons = vm.leaving_reasons(src, scope, start, as_at)
if reasons.empty:
    components.empty_state(f"Nobody left this part of the service between {start:%d %b %Y} and {as_at:%d %b %Y}.")
else:
    components.chart_block(
        vm.reasons_spec(reasons, f"Leavers by reason, {period_words}", f"leaving-reasons-{as_at:%Y-%m-%d}"),
        note="The reason recorded on the leaver's main post. 'Not recorded' means the HR system had no reason. "
             f"As at {as_at:%d %b %Y}.")

# --- (e) stability by grade ---------------------------------------------------------------------------------
st.subheader("Who stays: stability by grade")
components.definition("stability")
stability = vm.stability_by_grade(src, scope, start, as_at)
if stability.empty:
    components.empty_state(f"Nobody was in post in this part of the service on {start:%d %b %Y}.")
else:
    components.chart_block(
        vm.stability_spec(stability, f"Stability index by grade, {period_words}",
                          f"stability-by-grade-{as_at:%Y-%m-%d}"),
        note=f"Of the staff in post on {start:%d %b %Y} (grouped by their main post that day), the share still "
             f"employed on {as_at:%d %b %Y} without leaving in between. Moving grade or team does not count "
             "as leaving.")
