"""Audit log: who opened which page with which filters, and who downloaded what."""

import streamlit as st

from dashboard import audit_trail, components, sign_in
from reporting import exports

SHOWN = 5000  # rows listed on the page; the download has every entry that matches

EVENT_WORDS = {"sign_in": "Sign-in", "sign_out": "Sign-out", "page_view": "Page view", "download": "Download",
               "word_pack": "Word pack"}

st.title("Audit log")
st.markdown("*Who looked at what, and who took what away?*")
if sign_in.mode() == "open":
    st.info("Sign-in is off: everyone is the same local user; with sign-in on, only admins see this page.",
            icon=":material/lock_open:")
st.caption("Every page view (with its filters), download and Word pack is added to the audit log, a file of its "
           "own beside the workforce data that loads never replace. Entries say who, when (UTC), what and with "
           "which filters; never a figure. Entries older than the retention period are removed by "
           "`python -m pipelines audit prune`. The sidebar filters do not apply to this page.")

problem = audit_trail.log_problem()
if problem:
    st.warning(f"{problem} New page views and downloads are not being recorded.",
               icon=":material/history_toggle_off:")

with st.container(horizontal=True, gap="medium"):
    user = st.selectbox("User", [None, *audit_trail.audit_users()], key="audit_user",
                        format_func=lambda u: "Everyone" if u is None else u)
    date_from = st.date_input("From (UTC)", value=None, key="audit_from", format="DD/MM/YYYY")
    date_to = st.date_input("To (UTC)", value=None, key="audit_to", format="DD/MM/YYYY")
    event = st.selectbox("Event", [None, *audit_trail.EVENTS], key="audit_event",
                         format_func=lambda e: "Every event" if e is None else EVENT_WORDS[e])

if date_from and date_to and date_from > date_to:
    st.warning("The 'From' day is after the 'To' day, so nothing can match: swap them.",
               icon=":material/event_busy:")
    st.stop()

entries = audit_trail.audit_entries(user, date_from, date_to, event)
if entries.empty:
    components.empty_state("No audit entries match these filters." if any((user, date_from, date_to, event))
                           else "Nothing has been recorded in the audit log yet.")
    st.stop()

st.dataframe(entries.head(SHOWN), hide_index=True,
             column_config={"Details": st.column_config.TextColumn(width="large")})
st.caption(f"{len(entries):,} {'entry' if len(entries) == 1 else 'entries'}, newest first"
           + (f"; the newest {SHOWN:,} are listed here, and the download has them all." if len(entries) > SHOWN
              else "."))
st.download_button("Download entries (CSV)",
                   audit_trail.recorded(lambda: exports.csv_bytes(entries), table="audit-log", format="csv",
                                        file_name="audit-log.csv"),
                   file_name="audit-log.csv", mime="text/csv", key="csv_audit_log", icon=":material/download:",
                   on_click="ignore")
