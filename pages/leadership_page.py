"""Leadership and interims: who has led the service, and on what basis."""

import streamlit as st

from dashboard import components, data, filters
from reporting import leadership as vm

src = data.source()
current = filters.current()
components.page_header("Leadership and interims", components.QUESTIONS["leadership"], current)

scope = current.management_scope
if scope is None:
    components.empty_state("The tier filter leaves out every management tier (director, assistant director, "
                           "head of service, team manager). Add one of them to see leadership figures.")
    st.stop()

coverage = src.coverage()
first_day, as_at = coverage["coverage_start"], current.as_at
series = vm.interim_series(src, scope, first_day, as_at)
if series.empty:
    components.empty_state("There are no management posts with anyone in them in this part of the service "
                           "between the start of the data and the as-at date. Choose a larger unit to see "
                           "who has led it.")
    st.stop()

# --- (a) interim ratio ---------------------------------------------------------------------------------
st.subheader("How much of the leadership is cover?")
headline = vm.interim_headline(src, scope, as_at)
left, right = st.columns([1.4, 3], vertical_alignment="center")
with left.container(border=True):
    st.metric(f"Interim ratio, {as_at:%d %b %Y}",
              "—" if headline.ratio_pct is None else f"{headline.ratio_pct:.1f}%",
              help=components.definitions.SHORT["interim_ratio"])
    st.caption(headline.denominator)
    components.definition("interim_ratio")
right.markdown(
    "Cover means acting, interim, agency or seconded managers, as opposed to permanent or fixed-term "
    "appointments. A high share of cover at the top is a known risk to the stability of practice: the "
    "chart shows how it has moved since the data begins, with inspections, leadership changes and "
    "restructures marked.")

title = f"Interim ratio by management tier, {series['Month end'].min():%b %Y} to {as_at:%b %Y}"
components.chart_block(
    vm.interim_spec(series, title, vm.key_dates(src, first_day, as_at), f"interim-ratio-by-tier-{as_at:%Y-%m-%d}"),
    note=vm.interim_note(series, as_at))

# --- (b) timeline ------------------------------------------------------------------------------------------
st.subheader("Who held each post")
include_team_managers = True
if vm.timeline_is_large(src, scope, as_at):
    include_team_managers = st.toggle(
        "Include team manager posts", value=False, key="leadership_team_managers",
        help="Off by default for a large part of the service, so the senior posts stay readable.")
rows = vm.timeline_rows(src, scope, as_at, include_team_managers)
if rows.empty:
    components.empty_state("No management post in this part of the service had anyone in it up to the as-at date."
                           if include_team_managers else
                           "No director, assistant director or head of service post was held in this part of the "
                           "service. Switch on team manager posts to see them.")
else:
    timeline = vm.timeline_table(rows)
    st.markdown(vm.timeline_summary(timeline))
    shown = "Management posts" if include_team_managers else "Director, assistant director and head of service posts"
    title = f"{shown}: who held them and on what basis, {timeline['From'].min():%b %Y} to {as_at:%b %Y}"
    components.chart_block(
        vm.timeline_spec(timeline, title, vm.key_dates(src, first_day, as_at), f"leadership-timeline-{as_at:%Y-%m-%d}"),
        note="One row per post, one bar per appointment; colour and pattern show the arrangement. Holders are "
             "numbered per post in order of first start (Holder 1 is the earliest in the data), so someone who "
             f"returns keeps their number. Bars starting {first_day:%d %b %Y} began before the data did. "
             f"As at {as_at:%d %b %Y}.")

# --- (c) churn -----------------------------------------------------------------------------------------------
st.subheader(f"Changes of leader in {current.period_phrase}")
table, overall = vm.churn(src, scope, current.period_from, as_at)
if table.empty:
    components.empty_state(f"No management post in this part of the service had anyone in it between "
                           f"{current.period_from:%d %b %Y} and {as_at:%d %b %Y}.")
else:
    st.markdown(vm.churn_sentence(overall, current.period_phrase))
    components.definition("leadership_churn")
    title = f"Leadership churn by tier, {current.period_from:%d %b %Y} to {as_at:%d %b %Y}"
    components.chart_block(
        vm.churn_spec(table, title, f"leadership-churn-by-tier-{as_at:%Y-%m-%d}"),
        note="Management posts: posts with someone in them during the period. A change of holder is an "
             "appointment of someone who was not already in the post the day before (any appointment to an "
             f"empty post counts). Appointments starting {first_day:%d %b %Y}, the first day of the data, are "
             "never counted: the data cannot show who held the post before. Posts are grouped by their tier "
             f"as at {as_at:%d %b %Y}.")
