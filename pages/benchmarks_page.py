"""Benchmarks: how we compare with England, our region and our statistical neighbours, and whether
what the authority published to DfE matches its own HR data."""

import streamlit as st

from dashboard import census_mode, components, data, filters
from pipelines.benchmarks import (
    ATTRIBUTION,
    INDICATORS,
    LICENCE_NAME,
    LICENCE_URL,
    SOURCE,
    benchmark_settings,
)
from reporting import benchmarks as vm
from reporting import census as census_vm

src = data.source()
if census_mode.census_only():  # no HR extracts: the census returns against DfE's figures only
    census_mode.benchmarks_page(src)
    st.stop()
current = filters.current()
components.page_header("Benchmarks", components.QUESTIONS["benchmarks"], current)
who = src.identity()
state = vm.status(src, who)
if not state.ready:
    components.empty_state(state.message)
    st.stop()
for warning in state.warnings:
    st.warning(warning, icon=":material/warning:")
st.caption(f"DfE's figures: {SOURCE}, children's social work workforce statistics. {ATTRIBUTION} "
           f"([{LICENCE_NAME}]({LICENCE_URL}))")

series = vm.published(src, who)
if not vm.has_own_rows(series):
    components.empty_state(
        f"DfE's imported file has no figures for {who.name} (LA code {who.la_code}, LA number {who.la_number}). "
        "Check the authority set for this database (python -m pipelines authority show --db PATH), or import "
        "DfE's latest file.")
    st.stop()
year = vm.latest_year(series, current.as_at)
if year is None:
    components.empty_state(f"DfE's figures start with the year to 30 September {vm.first_year(series)}. Choose an "
                           "as-at date after that day to compare.")
    st.stop()
mine = vm.ours(src, current.as_at)  # empty unless the user's access covers the whole service
as_at = f"{current.as_at:%d %b %Y}"
if not src.access.whole_service:
    st.info("DfE's published figures are public and shown in full. Our own HR figures on this page cover the "
            "whole authority, so they are only shown to users whose access covers the whole service.",
            icon=":material/lock:")
st.caption(f"DfE compares whole authorities, so our figures here always cover the whole service and social-work "
           f"posts only, for DfE's reporting years (1 October to 30 September); the unit, tier and social-work "
           f"filters do not change them. The as-at date ({as_at}) sets the latest year shown. "
           + vm.release_words(state.releases))

# --- the latest year at a glance ---------------------------------------------------------------------------
st.subheader(f"Year to 30 September {year} at a glance")
latest = vm.latest_table(src, series, mine, year, who)
for row, indicator, column in zip(latest.to_dict("records"), INDICATORS, st.columns(len(INDICATORS))):
    unit = indicator.unit
    with column.container(border=True, height="stretch"):
        st.metric(indicator.short, vm.fmt(row["Our HR data"], unit), help=f"{indicator.label}. {indicator.definition}")
        st.caption("Our HR data" + ("" if unit == "%" else " (cases per case-holding FTE)"))
        st.markdown(f"Published for us: **{vm.fmt(row['Our published figure'], unit)}**  \n"
                    f"England: {vm.fmt(row['England'], unit)}  \n"
                    f"{who.region}: {vm.fmt(row[who.region], unit)}  \n"
                    f"Neighbour median: {vm.fmt(row['Statistical neighbour median'], unit)}")
        st.caption(f"Published figure ranks {row['Rank of published figure (1 = lowest)']} authorities "
                   f"(1 = lowest); quartile {row['Quartile']}.")
st.markdown("**The same figures as a table**")
components.table_block(latest, name=f"benchmarks-latest-{year}")
st.caption(f"Rank and quartile place the figure DfE published for {who.name} among every local authority with a "
           "figure that year (1 = the lowest value; for turnover, agency, vacancies and caseload lower is usually "
           "better). 'Where our HR figure would rank' places our own figure among the other authorities. "
           f"As at {as_at}.")

# --- each indicator over the years ---------------------------------------------------------------------------
st.subheader("Each measure over the years")
for indicator, tab in zip(INDICATORS, st.tabs([i.short for i in INDICATORS])):
    with tab:
        table = vm.series_table(indicator.key, series, mine, year, who)
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**DfE's definition:** {indicator.definition}")
        with right:
            components.definition(indicator.metric, "Our definition")
        components.chart_block(
            vm.series_spec(src, indicator.key, table, who, current.as_at),
            note="Thick blue line: our HR data; orange: the figure DfE published for us; grey lines: each "
                 "statistical neighbour (hover for its name). Gaps: no figure that year (not yet in our data, "
                 "or DfE suppressed or did not collect it). Vertical lines mark our key dates. "
                 f"As at {as_at}.")

# --- reconciliation ------------------------------------------------------------------------------------------
if not mine.empty:  # our figures: only with whole-service access (and HR data for DfE's years)
    st.subheader("Does our published return match our HR data?")
    comparisons = vm.reconciliation(series, mine, year)
    flagged, compared = vm.flag_count(comparisons)
    settings = benchmark_settings()
    st.markdown(f"**{flagged} of {compared}** year-and-measure comparisons differ by more than the tolerance "
                f"({settings.tolerance_points:g} percentage points for rates, {settings.caseload_tolerance:g} "
                f"{'case' if settings.caseload_tolerance == 1 else 'cases'} per FTE for caseload; set in `data/settings.toml`). If the authority identity in settings borrows "
                "another authority's codes, as the demo does, the published figures are that authority's and large "
                "differences are expected.")
    this_year = vm.flags_for_year(comparisons, year)
    if not this_year:
        st.success(f"For the year to 30 September {year}, our HR-data figures match the published return within "
                   "the tolerance.", icon=":material/check_circle:")
    for item in this_year:
        st.warning(item.sentence(who.name) + "\n\nLikely reasons to check:\n"
                   + "\n".join(f"- {reason}" for reason in item.reasons), icon=":material/rule:")
    if this_year:
        st.caption(f"For every measure, also check: {vm.COMMON_REASON}")
    with st.expander("Every year compared", icon=":material/table:"):
        components.table_block(vm.reconciliation_table(comparisons), name=f"benchmarks-reconciliation-to-{year}")

if census_vm.has_returns(src) and src.access.whole_service:  # authority-wide census figures
    census_mode.reconciliation_block(src, who)

# --- context ---------------------------------------------------------------------------------------------------
with st.expander(f"{who.name}'s statistical neighbours", icon=":material/groups:"):
    components.table_block(vm.neighbours(src, who), name="statistical-neighbours")
    st.caption("DfE's children's services statistical neighbours (April 2021 groupings). Where DfE reports two "
               "authorities jointly, their joint figure appears once.")
context, context_year = vm.looked_after_context(src, who)
if context_year is not None:
    with st.expander(f"Children looked after with 3 or more social workers, year to 31 March {context_year}",
                     icon=":material/child_care:"):
        components.table_block(context, name=f"cla-three-or-more-social-workers-{context_year}")
        st.caption("DfE, children looked after on 31 March who had 3 or more social workers during the year: "
                   "a measure of the stability children feel from workforce churn.")
