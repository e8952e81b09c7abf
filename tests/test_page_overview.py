"""Overview page (AppTest) on the fixture database with known values (see tests/fixture_db.py)."""


def _metric(at, label_start):
    return next(m for m in at.metric if m.label.startswith(label_start))


def test_overview_shows_the_headline_figures_as_at_the_last_complete_month(app):
    at = app.run()
    assert not at.exception
    assert "as at 31 Dec 2024" in " ".join(c.value for c in at.caption)
    # management tiers on 2024-12-31: interim I1 (1.0 FTE) of DIR 1.0 + HOS-A 1.0 + TM-B 1.0 -> 1 / 3
    assert _metric(at, "Interim ratio").value == "33.3%"
    # vacancy: establishment 9.0 FTE; vacant SW2 1.0 + SW3 1.0 + SW4 0.5 + DIR 1.0 = 3.5 -> 38.9%
    assert _metric(at, "Vacancy rate").value == "38.9%"


def test_changing_the_unit_filter_changes_the_figures(app):
    at = app.run()
    at.selectbox(key="unit").set_value("T-A").run()
    assert not at.exception
    # Team A: establishment SW1..SW4 + SUP1 = 5.0; vacant 1 + 1 + 0.5 = 2.5 -> 50%
    assert _metric(at, "Vacancy rate").value == "50.0%"
    assert any("Team A" in b.label for b in at.button)


def test_a_tier_filter_without_management_tiers_explains_the_empty_interim_card(app):
    at = app.run()
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not at.exception
    assert any("leaves out every management tier" in c.value for c in at.caption)
