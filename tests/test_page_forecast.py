"""Forecast page (AppTest): it refuses the small fixture authority in words; on the synthetic authority
(tests/forecast_synthetic.py: 300 posts, 4 years of history) it shows the forecast, the backtest sentence,
the tables and downloads, and a what-if submitted through the form appears beside the baseline."""

from pathlib import Path

import pytest

from tests.apptest_helpers import open_page, page_text
from tests.forecast_synthetic import build_synthetic_db

PAGE = "pages/forecast_page.py"


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    return build_synthetic_db(tmp_path_factory.mktemp("forecast_page"))


@pytest.fixture
def synthetic_app(synthetic_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WFS_DB", str(synthetic_db))
    return AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90)


def test_a_selection_under_20_people_gets_the_reason_instead_of_a_line(app):
    at = open_page(app, PAGE)
    text = page_text(at)
    assert "No forecast for this selection as at 31 Dec 2024. Fewer than 20 people are in post" in text
    assert not at.get("plotly_chart")


def test_the_forecast_shows_its_backtest_under_the_chart_and_the_what_if_beside_the_baseline(synthetic_app):
    at = open_page(synthetic_app, PAGE)
    # the synthetic data run to 31 Dec 2024 (one fixed-term contract's end), the sidebar's default as-at date
    text = page_text(at)
    assert "Made a year ago (on 31 Dec 2023), this forecast's FTE in post was" in text
    assert [m.label for m in at.metric][:2] == ["FTE in post, Dec 2025", "Vacancy rate, Dec 2025"]
    assert at.get("plotly_chart")
    downloads = [d.proto.label for d in at.get("download_button")]
    assert {"PNG", "CSV", "Excel", "Download the backtest (CSV)", "Download the forecast (CSV)"} <= set(downloads)
    # the chart's table: the baseline only until a what-if is asked for
    columns = list(at.dataframe[0].value.columns)
    assert columns[:2] == ["Month end", "If nothing changes: middle (FTE)"] and not any("What if" in c for c in columns)

    # moving a slider in the form changes nothing until the form's button is pressed
    next(s for s in at.slider if s.label == "Leaving, % of the usual rate").set_value(50)
    next(b for b in at.button if b.label == "Show the forecast").click().run()
    assert not at.exception
    columns = list(at.dataframe[0].value.columns)
    assert "What if: middle (FTE)" in columns
    assert "What if: leaving chances x 0.5." in page_text(at)

    # a cut larger than the vacant FTE is refused in words, not drawn
    next(n for n in at.number_input if n.label == "Establishment change (FTE)").set_value(-4000.0)
    next(b for b in at.button if b.label == "Show the forecast").click().run()
    assert not at.exception
    assert "An establishment cut of 4000 FTE is more than the" in page_text(at)
    assert "the forecast only deletes vacant posts" in page_text(at)


def test_the_word_pack_forecast_section_has_both_charts_and_the_backtest_sentence(synthetic_db):
    import io
    from datetime import date

    import docx

    from reporting.filters import Filters
    from reporting.pack_builder import make_pack
    from reporting.source import DataSource

    src = DataSource(synthetic_db)
    current = Filters(unit=None, as_at=date(2024, 12, 31), months=12, tiers=(), social_work_only=False)
    try:
        document = docx.Document(io.BytesIO(make_pack(src, current, ("forecast",), "publication").content))
    finally:
        src.close()
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1] == "1. Workforce forecast: the next 12 months"
    text = " ".join(p.text for p in document.paragraphs)
    assert "FTE in post on 31 Dec 2024:" in text and "Vacancy rate on 31 Dec 2024:" in text
    assert "Made a year ago (on 31 Dec 2023), this forecast's FTE in post was" in text
    assert len(document.tables) >= 2  # each chart's numbers as a table
