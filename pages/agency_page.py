"""Agency staff: do our agency social workers meet DfE's rules, and what does agency cover cost us?"""

import streamlit as st

from dashboard import audit_trail, components, data, filters
from reporting import agency as vm
from reporting import agency_specs as specs
from reporting import exports
from reporting.suppression import MODE_NOTES

src = data.source()
current = filters.current()
components.page_header("Agency staff", components.QUESTIONS["agency"], current)
as_at = f"{current.as_at:%d %b %Y}"
period = current.period_phrase
mode = filters.export_mode()  # publication unless the user's access allows internal exports
if current.tiers or current.social_work_only:
    st.caption("The tier and social-work filters do not narrow this page: agency engagements are judged and costed "
               "by their own job type. The unit filter and the dates apply.")

# The sentence a committee asks for ---------------------------------------------------------------------
sentence = vm.committee_sentence(src, current)
st.markdown(f"**{sentence.text()}**")
st.caption(f"Agency cost is hours × the agency's charge rate as it stood each day; the same hours from our own "
           f"staff are priced at the post grade's annual cost with on-costs (data/settings.toml, [agency]). "
           f"Period {sentence.first_day:%d %b %Y} to {sentence.last_day:%d %b %Y}, whatever period is chosen.")

# (a) compliance now ------------------------------------------------------------------------------------
st.subheader(f"DfE's rules on agency social workers, as at {as_at}")
judged = vm.compliance_on(src, current)
if judged.empty:
    components.empty_state(f"No agency engagement in this selection is active on {as_at}. Agency engagements come "
                           "from the optional agency_engagements extract (docs/PREPARING_EXTRACTS.md).")
else:
    numbers, chart = st.columns([1, 3])
    with numbers:
        st.metric(f"Engagements active, {as_at}", f"{len(judged):,}", border=True)
        st.metric("With at least one breach", f"{int(judged['any_breach'].sum()):,}", border=True)
        st.metric("With evidence missing", f"{vm.missing_evidence(judged):,}",
                  border=True, help="At least one rule could not be judged because the extract leaves its column empty.")
    with chart:
        components.chart_block(specs.rule_counts_spec(current, vm.rule_counts(judged)),
                               note=f"As at {as_at}. Engagements that started before {vm.rules_start():%d %b %Y} are "
                                    "exempt until the legacy date in settings. Why each engagement breaches a rule is "
                                    "in the list below.")
    breaches = vm.breach_list(judged)
    st.markdown(f"**Engagements with a breach on {as_at}** (by engagement id, unit and job type; never a name)")
    if breaches.empty:
        st.caption("None: every active engagement passes, lacks evidence or is exempt.")
    else:
        components.table_block(breaches, name=f"agency-breaches-{current.as_at:%Y-%m-%d}",
                               label="Download engagements with a breach (CSV)", row_level=True)
        st.caption("For internal follow-up: this list is not in the Word pack, because an id with its unit and job "
                   "type can point at one worker.")

# (b) by quarter since the rules began ------------------------------------------------------------------
st.subheader("Breaches at each quarter end since the rules began")
by_quarter = vm.breaches_by_quarter(src, current)
if by_quarter.empty or by_quarter["Engagements active"].sum() == 0:
    components.empty_state(f"No agency engagement was active at a quarter end between {vm.rules_start():%d %b %Y} "
                           f"and {as_at}.")
else:
    components.chart_block(specs.quarterly_breaches_spec(current, by_quarter),
                           note="Engagements active on each quarter's last day (and on the as-at date), counted once "
                                "per rule they breach.")

# (c) the cost of cover ---------------------------------------------------------------------------------
st.subheader(f"The cost of agency cover, {period}")
months = vm.cost_by_month(src, current)
if months.empty or months["Engagements"].sum() == 0:
    components.empty_state(f"No agency engagement in this selection was active in {period}.")
else:
    components.chart_block(specs.cost_month_spec(current, months),
                           note="Engagements counts those active in each month. Premium = agency cost − permanent "
                                "equivalent, over the hours in grades that have an annual cost in settings.")
    components.chart_block(specs.cost_group_spec(current, vm.cost_by(src, current, "unit"), "unit"),
                           note="By the unit of the post each engagement covered.")
    components.chart_block(specs.cost_group_spec(current, vm.cost_by(src, current, "tier"), "tier"),
                           note="By the tier of the post each engagement covered.")

# (d) cooling-off cases ---------------------------------------------------------------------------------
st.subheader(f"Cooling-off cases, {period}")
cases = vm.cooling_off_cases(src, current)
if cases.empty:
    st.caption(f"No engagement running at a month end in {period} breaches either cooling-off rule.")
else:
    st.markdown("Workers engaged through an agency less than 3 months after leaving a permanent post here "
                "(from the HR data) or in this region (from the agency's evidence).")
    components.table_block(cases, name=f"agency-cooling-off-{current.as_at:%Y-%m-%d}",
                           label="Download cooling-off cases (CSV)", row_level=True)

# (e) the quarterly summary -----------------------------------------------------------------------------
quarter_end = vm.latest_quarter_end(current)
st.subheader(f"Quarterly summary for DfE, quarter ending {quarter_end:%d %b %Y}")
shown = vm.quarterly_table(src, current, quarter_end, mode)
st.dataframe(vm.quarterly_for_screen(shown), hide_index=True)
summary_file = f"agency-quarterly-{quarter_end:%Y-%m-%d}.csv"
st.download_button("Download the quarterly summary (CSV)",
                   audit_trail.recorded(lambda: exports.csv_bytes(shown), table="agency-quarterly", format="csv",
                                        mode=mode, file_name=summary_file),
                   file_name=summary_file, mime="text/csv", key="csv_agency_quarterly", icon=":material/download:",
                   on_click="ignore")
st.caption("Engagements, FTE, hours and spend over the quarter; breaches among engagements active on its last day. "
           "DfE has not published the return's field list: the download keeps the field names described in "
           "docs/AGENCY.md. " + MODE_NOTES[mode])
