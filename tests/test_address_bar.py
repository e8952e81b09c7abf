"""Values typed or pasted into the address bar that the view cannot use: a short notice says what was
ignored, and the view falls back to the whole service and the defaults (AppTest on the fixture)."""

import pytest

from dashboard.sign_in import OPEN_BANNER


def _notice(at) -> str:
    return " ".join(w.value for w in at.warning if w.value != OPEN_BANNER)  # not the open-mode banner


def _header(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_an_unknown_unit_is_ignored_with_a_notice_and_the_whole_service_is_shown(app):
    app.query_params["unit"] = "NOPE"
    at = app.run()
    assert not at.exception
    assert "the unit 'NOPE' is not in this authority's structure, so the whole service is shown" in _notice(at)
    assert "Whole service; 12 months to 31 Dec 2024" in _header(at)
    assert at.session_state["unit"] == ""
    assert "unit" not in at.query_params
    assert not any("NOPE" in b.label for b in at.button)  # no breadcrumb to a service that does not exist


@pytest.mark.parametrize("name, value, words, fallback", [
    ("as_at", "banana", "'banana' is not a date (write it as YYYY-MM-DD)", "12 months to 31 Dec 2024"),
    ("as_at", "1850-01-01", "01 Jan 1850 is outside the data", "12 months to 31 Dec 2024"),
    ("period", "999", "a period of '999' months is not one of the choices (3, 6, 12, 24, 36, or custom)",
     "12 months to 31 Dec 2024"),
    ("tiers", "boss", "the tier(s) 'boss' are not tiers this product knows", "all tiers"),
    ("sw", "maybe", "'maybe' is not yes or no for social-work posts only", "all posts"),
    ("export_mode", "everything", "'everything' is not an export mode", "12 months to 31 Dec 2024"),
])
def test_a_value_the_view_cannot_use_falls_back_to_the_default_with_a_notice(app, name, value, words, fallback):
    app.query_params[name] = value
    at = app.run()
    assert not at.exception
    assert words in _notice(at)
    assert _notice(at).startswith("Part of the address was ignored")
    assert fallback in _header(at)


def test_good_values_in_the_address_are_used_without_a_notice(app):
    app.query_params.update({"unit": "T-A", "period": "24", "as_at": "2024-06-30", "sw": "true"})
    at = app.run()
    assert not at.exception
    assert _notice(at) == ""
    assert "Team A; 24 months to 30 Jun 2024" in _header(at)
    assert "social-work posts only" in _header(at)


def test_a_custom_period_runs_from_the_chosen_date_to_the_as_at_date(app):
    from datetime import date

    at = app.run()
    at.selectbox(key="period").set_value("custom").run()
    at.date_input(key="from").set_value(date(2024, 3, 15)).run()
    assert not at.exception
    assert "Whole service; 15 Mar 2024 to 31 Dec 2024 (as at 31 Dec 2024)" in _header(at)


def test_a_period_in_the_address_is_used(app):
    app.query_params["period"] = "24"
    at = app.run()
    assert not at.exception and _notice(at) == ""
    assert "Whole service; 24 months to 31 Dec 2024" in _header(at)


def test_a_custom_period_in_the_address_is_used(app):
    app.query_params.update({"period": "custom", "from": "2024-03-15"})
    at = app.run()
    assert not at.exception and _notice(at) == ""
    assert "15 Mar 2024 to 31 Dec 2024" in _header(at)


def test_a_custom_start_that_is_not_a_date_falls_back_to_twelve_months(app):
    app.query_params.update({"period": "custom", "from": "soon"})
    at = app.run()
    assert "the period start 'soon' is not a date" in _notice(at)
    assert "12 months to 31 Dec 2024" in _header(at) or "01 Jan 2024 to 31 Dec 2024" in _header(at)


def test_a_custom_start_after_the_as_at_date_shows_twelve_months_and_says_why(app):
    from datetime import date

    at = app.run()
    at.selectbox(key="period").set_value("custom").run()
    at.date_input(key="from").set_value(date(2024, 12, 1)).run()
    at.date_input(key="as_at").set_value(date(2024, 6, 30)).run()
    assert not at.exception
    assert any("The period starts after the as-at date" in w.value for w in at.warning)
    assert "12 months to 30 Jun 2024" in _header(at)
