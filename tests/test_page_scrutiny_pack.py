"""The scrutiny pack page (AppTest)."""


def test_the_pack_page_offers_every_section_and_both_modes(app):
    at = app.run()
    at.switch_page("pages/scrutiny_pack_page.py").run()
    assert not at.exception
    assert at.multiselect(key="pack_sections").value == ["headlines", "leadership", "senior_posts", "turnover",
                                                         "vacancies", "long_vacancies",
                                                         "structure", "teams", "agency", "benchmarks"]
    assert at.radio(key="pack_mode").value == "publication"
    assert any("31 Dec 2024" in c.value for c in at.caption)


def test_choosing_no_section_explains_what_to_do(app):
    at = app.run()
    at.switch_page("pages/scrutiny_pack_page.py").run()
    at.multiselect(key="pack_sections").set_value([]).run()
    assert not at.exception
    assert any("at least one section" in i.value for i in at.info)
