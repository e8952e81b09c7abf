"""Overview: the director-level picture on one screen."""

import streamlit as st

from dashboard import components, data, filters
from reporting.overview import cards_table, headline_cards

STATUS_WORDS = {"red": ("Red", "red", ":material/error:"), "amber": ("Amber", "orange", ":material/warning:"),
                "green": ("Green", "green", ":material/check_circle:"), "none": ("No status", "gray", None)}

src = data.source()
current = filters.current()
components.page_header("Overview", components.QUESTIONS["overview"], current)

cards = headline_cards(src, current)
for row_start in range(0, len(cards), 4):
    for card, column in zip(cards[row_start:row_start + 4], st.columns(4)):
        with column.container(border=True):
            st.metric(card.label, card.shown_value, delta=card.shown_change,
                      delta_color="inverse" if card.better == "lower" else "normal",
                      chart_data=card.sparkline or None, chart_type="line", border=False,
                      help=components.definitions.SHORT[card.metric])
            word, colour, icon = STATUS_WORDS[card.status]
            st.badge(word, color=colour, icon=icon)
            st.caption(card.note or card.denominator)
            components.definition(card.metric)

st.subheader("The headline measures as a table")
components.table_block(cards_table(cards, current, filters.export_mode()), name=f"headline-measures-{current.as_at:%Y-%m-%d}")
st.caption("Sparklines: the last 24 months (monthly for rates as at a date; every quarter for 12-month measures). "
           "Status thresholds are set in data/settings.toml.")
