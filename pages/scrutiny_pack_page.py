"""Scrutiny pack: a Word document for a committee, built from the current filters."""

import streamlit as st

from dashboard import audit_trail, components, data, filters
from reporting import catalog, exports
from reporting.filters import describe
from reporting.pack_builder import make_pack
from reporting.suppression import MODE_LABELS, MODE_NOTES

src = data.source()
current = filters.current()
components.page_header("Scrutiny pack", components.QUESTIONS["scrutiny-pack"], current)

st.markdown(
    "The pack is a Word document: a title page, contents, then for each section its charts (with alt text for "
    "screen readers), a short factual summary written from the numbers, and the tables; then the definitions "
    "and a statement about the data. It uses Word's heading styles, so your committee template's styles apply.")
offered = catalog.sections_for(src.access)  # the census returns cover the whole authority: whole-service access
sections = st.multiselect("Sections", offered, default=[k for k in catalog.DEFAULT_SECTIONS if k in offered],
                          format_func=lambda key: catalog.SECTIONS[key].heading, key="pack_sections")
if src.access.may_export_internal:
    mode = st.radio("For", ("publication", "internal"), key="pack_mode", horizontal=True,
                    format_func=MODE_LABELS.get)
else:
    mode = "publication"  # the user's access rule allows packs for publication only
st.caption(MODE_NOTES[mode])
if not exports.images_available():
    st.warning(exports.IMAGES_UNAVAILABLE, icon=":material/image_not_supported:")
if not sections:
    components.empty_state("Choose at least one section for the pack.")
else:
    pack_file = f"scrutiny-pack-{current.unit or 'whole-service'}-{current.as_at:%Y-%m-%d}-{mode}.docx"
    st.download_button(
        "Download the Word pack",
        audit_trail.recorded(lambda: make_pack(src, current, tuple(sections), mode).content, "word_pack",
                             sections=list(sections), mode=mode, format="docx", file_name=pack_file,
                             **audit_trail.filter_details(current)),
        file_name=pack_file,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", type="primary",
        icon=":material/description:", on_click="ignore", key="pack_download",
        help="Built when you click, from the filters in the sidebar; it takes a few seconds.")
    st.caption(f"Covers {describe(src, current)}.")
