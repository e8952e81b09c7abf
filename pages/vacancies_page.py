"""Vacancies: how many posts are empty, for how long, and who is covering them."""

import streamlit as st

from dashboard import audit_trail, components, data, filters
from reporting import exports
from reporting import vacancies as vm
from reporting.vacancies import fmt
from reporting.words import plural

src = data.source()
current = filters.current()
components.page_header("Vacancies", components.QUESTIONS["vacancies"], current)
as_at = f"{current.as_at:%d %b %Y}"
period = f"{current.period_from:%b %Y} to {current.as_at:%b %Y}"
period_words = current.period_phrase

# (a) ----------------------------------------------------------------------------------------------
st.subheader("Vacancy rate and cover over time")
trend = vm.rate_trend(src, current)
if not trend.has_posts:
    components.empty_state(f"There are no budgeted posts in this selection on {as_at}, so there is no vacancy "
                           "rate to show. Try a larger unit, or clear the tier and social-work filters.")
else:
    latest = trend.latest
    left, middle, right = st.columns([1, 1, 2], vertical_alignment="center")
    left.metric(f"Vacancy rate, {as_at}", fmt(latest["vacancy_rate_pct"], "%"),
                delta=trend.change("vacancy_rate_pct"), delta_color="inverse", border=True,
                help=components.definitions.SHORT["vacancy_rate"])
    middle.metric("Vacant FTE with cover", fmt(latest["agency_cover_pct"], "%"),
                  delta=trend.change("agency_cover_pct"), delta_color="off", border=True,
                  help="Share of the vacant budgeted FTE filled for now by acting, interim, agency or seconded staff.")
    with right:
        st.markdown(f"**{trend.denominators}.**")
        st.caption(f"As at {as_at}. Vacant FTE is budgeted FTE not held by permanent or fixed-term staff, "
                   "including the empty part of part-vacant posts.")
        components.definition("vacancy_rate")
    components.chart_block(vm.rate_spec(src, current, trend),
                           note=f"Month ends from the start of the data to the as-at date ({as_at}). "
                                "Vertical lines mark key dates (inspections, leadership changes, restructures).")

# (b) ----------------------------------------------------------------------------------------------
st.subheader(f"How long posts stood empty before they were filled, {period}")
fills = vm.fill_times(src, current)
summary = fills.summary
if fills.filled == 0:
    components.empty_state(f"No vacancies in this selection were filled in {period_words}. "
                           "Try a longer period or a larger unit.")
    components.definition("vacancy_duration")
else:
    numbers, chart = st.columns([1, 3])
    with numbers:
        st.metric("Vacancies filled", f"{summary['filled']:,}", border=True)
        st.metric("Median days to fill", fmt(summary["median_days_to_fill"], " days"), border=True)
        st.metric("Mean days to fill", fmt(summary["mean_days_to_fill"], " days"), border=True)
        components.definition("vacancy_duration")
    with chart:
        censored = summary["left_censored"]
        components.chart_block(
            vm.fill_spec(current, fills),
            note=(f"{plural(summary['filled'], 'vacancy', 'vacancies')} filled in {period_words}: median "
                  f"{fmt(summary['median_days_to_fill'], ' days')}, mean {fmt(summary['mean_days_to_fill'], ' days')}. "
                  "Filled means a permanent or fixed-term holder started the day after the last empty day. "
                  + (f"{plural(censored, 'vacancy', 'vacancies')} that began before the data starts "
                     f"{'is' if censored == 1 else 'are'} left out, because {'its' if censored == 1 else 'their'} "
                     "length is unknown." if censored else "")))

# (c) ----------------------------------------------------------------------------------------------
st.subheader(f"Posts empty on {as_at}")
empty = vm.open_vacancies(src, current)
if empty.count == 0:
    components.empty_state(f"No post in this selection is fully vacant on {as_at}: every budgeted post has at "
                           "least one permanent or fixed-term holder.")
else:
    numbers, chart = st.columns([1, 3])
    with numbers:
        st.metric("Posts fully vacant", f"{empty.count:,}", border=True)
        st.metric("Covered by cover staff", f"{empty.covered:,} of {empty.count:,}", border=True,
                  help="An acting, interim, agency or seconded worker is on the post on the as-at date.")
        st.metric("Vacant over 90 days", f"{summary['open_over_90_days']:,}", border=True,
                  help="Vacancies that began after the data starts and are more than 90 days old.")
        st.metric("Vacant over 180 days", f"{summary['open_over_180_days']:,}", border=True,
                  help="Vacancies that began after the data starts and are more than 180 days old.")
    with chart:
        components.chart_block(
            vm.open_age_spec(current, empty),
            note=(f"As at {as_at}; median age {fmt(summary['median_open_age_days'], ' days')}. " + (
                f"{plural(empty.censored, 'post has', 'posts have')} been vacant since before the data starts, so "
                "the true age is unknown (a band of its own)." if empty.censored else "")))
    st.markdown("**Empty posts, longest vacant first.** Select a row to open that post's team.")
    # One table key per unit, so a row chosen here is not still ticked in the next unit's table.
    table_key = f"open_vacancies_{current.unit or 'all'}"
    st.dataframe(empty.table, hide_index=True, key=table_key, selection_mode="single-row",
                 on_select=lambda: components.drill_from_table(table_key, empty.unit_ids))
    empty_posts_file = f"empty-posts-{current.as_at:%Y-%m-%d}.csv"
    st.download_button("Download empty posts (CSV)",
                       audit_trail.recorded(lambda: exports.csv_bytes(empty.table), table="empty-posts",
                                            format="csv", mode=filters.export_mode(), file_name=empty_posts_file),
                       file_name=empty_posts_file, mime="text/csv",
                       key="csv_empty_posts", icon=":material/download:", on_click="ignore")
    st.caption(f"As at {as_at}. Fully vacant: no permanent or fixed-term holder at all (part-vacant posts count in "
               "the vacancy rate above but not here). Age counts the days vacant up to and including the as-at "
               "date; for posts vacant since before the data starts it counts from the first day of the data, so "
               "the real age is longer.")
