"""A summary sentence never gives back a figure its table hides. Viewers read these sentences on screen
(dashboard/published_view.py) and committees in the publication-mode Word pack.

On the fixture authority (tests/fixture_db.py) as at 31 Dec 2024, whole service: 3 management posts (the
interim ratio rests on 3 people), 1 leaver among about 7 people, 1 FTE of agency cover; with the director tier
alone, one post and one person."""

from datetime import date

import pytest

from reporting import catalog
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import INTERNAL, PUBLICATION

AS_AT = date(2024, 12, 31)
SELECTIONS = {"whole service": Filters(None, AS_AT, 12, (), False),
              "director only": Filters(None, AS_AT, 12, ("director",), False),
              "team A": Filters("T-A", AS_AT, 12, (), False)}


def _hidden_rates(spec, mode) -> set[str]:
    """Each rate the published table hides, written as a summary would write it ('33.3%'), unless the same
    words stand for a figure the table shows."""
    shown, raw = spec.published_table(mode), spec.table
    hidden, visible = set(), set()
    for column in raw.columns:
        for i in raw.index:
            value = raw.at[i, column]
            if isinstance(value, float) and value == value:
                (hidden if str(shown.at[i, column]) == "c" else visible).add(f"{value:.1f}%")
    return hidden - visible


@pytest.mark.parametrize("selection", list(SELECTIONS))
def test_no_publication_summary_states_a_rate_its_table_hides(fixture_db, selection):
    src = DataSource(fixture_db)
    checked = 0
    for section in catalog.build_sections(src, SELECTIONS[selection], catalog.DEFAULT_SECTIONS, PUBLICATION):
        for spec in section.charts:
            for words in _hidden_rates(spec, PUBLICATION):
                assert words not in spec.summary, (spec.name, words, spec.summary)
                checked += 1
    assert checked, "the fixture hides at least one rate, so the test has something to check"


def test_the_interim_turnover_and_cover_sentences_say_not_published_where_they_rest_on_few_people(fixture_db):
    src = DataSource(fixture_db)
    sections = {s.key: s for s in catalog.build_sections(src, SELECTIONS["whole service"],
                                                         ("leadership", "turnover", "vacancies"), PUBLICATION)}
    interim = sections["leadership"].charts[0].summary
    # 1 cover FTE of 3 management posts = 33.3%: three people, so not published
    assert "33.3%" not in interim and "not published" in interim
    turnover = sections["turnover"].charts[0].summary
    assert "Turnover over the period was not published" in turnover  # 1 leaver: a small number
    cover = sections["vacancies"].charts[0].summary
    assert "not published (fewer than 5 FTE of cover)" in cover  # 1 FTE of agency cover in Team A
    internal = catalog.build_sections(src, SELECTIONS["whole service"], ("leadership",), INTERNAL)
    assert "33.3%" in internal[0].charts[0].summary  # internal use: every figure, as before
