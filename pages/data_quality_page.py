"""Data quality: what the latest load read, kept and held back, and what is worth checking."""

import streamlit as st

from dashboard import audit_trail, components, data
from reporting import census, exports
from reporting import data_quality as dq

WHOLE = st.column_config.NumberColumn(format="localized")
DAY = st.column_config.DateColumn(format="D MMM YYYY")


def _table(table, name: str, label: str = "Download table (CSV)", config: dict | None = None,
           download=None) -> None:
    """A table with thousands separators and its CSV (the same rows, or `download` if given)."""
    config = {c: WHOLE for c in table.columns if str(table[c].dtype).startswith(("int", "Int"))} | (config or {})
    st.dataframe(table, hide_index=True, column_config=config)
    rows = table if download is None else download
    st.download_button(label, audit_trail.recorded(lambda: exports.csv_bytes(rows), table=name, format="csv",
                                                   file_name=f"{name}.csv"),
                       file_name=f"{name}.csv", mime="text/csv", key=f"csv_{name}", icon=":material/download:",
                       on_click="ignore")


GROUPS_SHOWN = 50  # reasons listed in full on the page; the download has every row

FIXES = ("How to fix each message: the extract guide, docs/PREPARING_EXTRACTS.md, section 9 "
         "\"Messages and how to fix them\".")

src = data.source()
st.title("Data quality")
st.markdown("*Can these figures be trusted?*")
st.caption("This page is about the whole load, so it ignores the unit, tier and social-work filters in the sidebar.")


def _census_section() -> None:
    """Census returns: what each import read, loaded and held back (docs/CENSUS.md)."""
    st.subheader("Census returns")
    _table(census.returns_loaded(src), "census-returns-loaded")
    held = census.quarantine(src)
    if held.empty:
        st.success("No census worker records were held back.", icon=":material/check_circle:")
    else:
        st.markdown("A census worker record is **held back** when a field breaks the return's rules (a code not in "
                    "DfE's list, an FTE above 1, a start after the census date). It counts nowhere in the census "
                    "figures. Correct it in the HR system's census module and import the return again.")
        _table(held, "census-records-held-back", config={"Reason": st.column_config.TextColumn(width="large")})
    st.caption("Birth date, gender, ethnicity and qualification institution are never read or stored; SWE numbers "
               "are kept only as keyed pseudonyms. Worker records count from 1 in the order of the file.")


if census.has_returns(src) and not census.has_hr(src):
    _census_section()
    st.stop()

load = dq.latest_load(src)
if load is None:
    components.empty_state("No load has been recorded in this database yet, so there is nothing to check.")
    st.stop()

tone, words = load.verdict
(st.success if tone == "success" else st.warning)(
    words, icon=":material/check_circle:" if tone == "success" else ":material/warning:")

st.subheader("The latest load")
st.markdown(load.description)
with st.container(horizontal=True, gap="medium"):
    st.metric("Files read", f"{load.files:,}", border=True)
    st.metric("Rows loaded", f"{load.rows_loaded:,}", border=True)
    st.metric("Rows held back", f"{load.rows_held_back:,}", border=True)
    st.metric("Warnings", f"{load.warnings:,}", border=True)
st.markdown("**Rows by kind of extract**")
_table(dq.kind_counts(src), "rows-by-kind")
st.caption("Rows read counts every row of every file (not blank lines). Rows read = loaded + held back + "
           "repeated or replaced: a row that appears again (say, in yearly assignment files that overlap) loads "
           "once, and where a later file has a different row with the same key, the later file's row is kept.")

st.markdown("**Files read**")
_table(dq.files_table(src), "files-read", "Download files (CSV)", download=dq.files_table(src, full_hash=True))
st.caption("The SHA-256 fingerprint identifies each file exactly: if it matches the fingerprint of a file you "
           "hold, the dashboard was loaded from that very file. The download has the fingerprints in full.")

st.subheader("Dates the data covers")
with st.container(horizontal=True, gap="medium"):
    for label, value in dq.coverage_dates(src).items():
        st.metric(label, value, border=True)
st.caption(dq.coverage_note(src))

st.subheader("Rows held back")
st.markdown("A row is **held back** (quarantined) when the tool cannot read it safely: a date it cannot "
            "understand, an FTE of zero, or two different rows with the same id. A held-back row is not loaded "
            "and counts nowhere in the figures; the rest of its file loads as normal. Correct the row in the HR "
            "system or the extract, then load again. " + FIXES)
kinds = dq.held_back_kinds(src)
if len(kinds) == 1:
    st.success("No rows were held back in the latest load.", icon=":material/check_circle:")
else:
    kind = st.selectbox("Show problems for", kinds, format_func=dq.kind_label, key="dq_held_back_kind")
    grouped = dq.held_back_by_reason(src, kind)
    st.markdown("**Problems, each reason in full**")
    # A static table wraps long reasons; the grid below scrolls and cuts them, so it comes second.
    st.table(grouped.head(GROUPS_SHOWN), hide_index=True)
    if len(grouped) > GROUPS_SHOWN:
        st.caption(f"The {GROUPS_SHOWN} problems affecting most rows; all {len(grouped):,} are in the download "
                   "below.")
    st.markdown("**Every row held back**")
    _table(dq.held_back(src, kind), "rows-held-back", config={
        "Row": st.column_config.NumberColumn(format="%d"),
        "Reason": st.column_config.TextColumn(width="large")})
    st.caption("Each line is one problem, so a row with two problems appears twice. Row numbers count the "
               "header as row 1, as a spreadsheet does. Person ids are never shown here.")

st.subheader("Columns not stored")
dropped = dq.dropped_columns(src)
if dropped.empty:
    st.caption("Every column in the files was part of the data contract; none was dropped.")
else:
    st.markdown("Columns with **personal data** (names, National Insurance numbers, contact details) are dropped "
                "as the files are read and never stored. Other columns the dashboard does not use are not "
                "stored either.")
    _table(dropped, "columns-not-stored", config={"File names": st.column_config.TextColumn(width="large")})

st.subheader("Warnings")
st.markdown("A **warning** means the rows loaded and are counted, but something in them looks odd and is worth "
            "checking: for example a caseload for someone with no assignment that day (counted as unmatched), "
            "or a unit whose parent has no record on the day. The figures may be slightly off until it is "
            "fixed at source. " + FIXES)
counts = dq.warning_counts(src)
if counts.empty:
    st.success("There are no data-quality warnings.", icon=":material/check_circle:")
else:
    _table(counts, "warnings-by-kind", "Download summary (CSV)")
    kind = st.selectbox("Show warnings for", dq.warning_kinds(src), format_func=dq.kind_label, key="dq_warning_kind")
    _table(dq.warnings(src, kind), "warnings", config={"Date": DAY, "Message": st.column_config.TextColumn(width="large")})

st.subheader("Load history")
st.caption("Each load replaces all the data with what was in the folder; this lists every load into this "
           "database, newest first.")
_table(dq.load_history(src), "load-history", config={"By kind": st.column_config.TextColumn(width="large")})

if census.has_returns(src):
    _census_section()
