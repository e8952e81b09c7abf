"""Accessible colours, and friendly states instead of tracebacks."""

from pathlib import Path

import pytest

from reporting.charts import KEY_DATE_COLOURS, PALETTE, TEXT, contrast_ratio

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("colour", PALETTE + list(KEY_DATE_COLOURS.values()))
def test_every_chart_colour_reaches_wcag_aa_contrast_for_graphics_on_white(colour):
    assert contrast_ratio(colour) >= 3.0


def test_chart_text_reaches_wcag_aa_contrast_for_text():
    assert contrast_ratio(TEXT) >= 4.5


def test_the_palette_has_no_two_colours_alike():
    assert len(set(PALETTE)) == len(PALETTE)


def test_the_app_without_a_database_explains_how_to_get_one(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WFS_DB", str(tmp_path / "nothing-here.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)  # after the open-mode banner
    assert "There is no workforce database yet" in warnings
    assert "make run" in warnings


def test_the_app_starts_on_the_fixture_database(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Overview"
