"""What each role sees in the dashboard (AppTest, sign-in on, a signed-in user faked with at.user), on the
fixture authority (tests/fixture_db.py): CS > S-A Safeguarding > T-A Team A; CS > S-B Children in Care >
T-B Team B (North) > P-B1 (Team B moved from S-A to S-B on 1 Sep 2024). The rules are tests/.. RULES below."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import audit
from tests.apptest_helpers import SIGN_IN_SECRETS

ROOT = Path(__file__).resolve().parent.parent
RULES = """
ask = "HR analytics (hr@example.gov.uk)"

[[rule]]
name = "HR analytics"
access = "admin"
roles = ["WFS.Admin"]

[[rule]]
name = "Safeguarding manager"
access = "manager"
units = ["S-A"]
emails = ["m@example.gov.uk"]

[[rule]]
name = "Scrutiny"
access = "viewer"
units = "all"
roles = ["WFS.Scrutiny"]
"""
ADMIN = {"is_logged_in": True, "email": "hr@example.gov.uk", "sub": "u-admin", "roles": ["WFS.Admin"]}
MANAGER = {"is_logged_in": True, "email": "m@example.gov.uk", "sub": "u-manager"}
VIEWER = {"is_logged_in": True, "email": "cllr@example.gov.uk", "sub": "u-viewer", "roles": ["WFS.Scrutiny"]}
NOBODY = {"is_logged_in": True, "email": "new.starter@example.gov.uk", "sub": "u-nobody"}
SERVICE_PAGES = ["pages/overview_page.py", "pages/leadership_page.py", "pages/turnover_page.py",
                 "pages/vacancies_page.py", "pages/structure_page.py", "pages/teams_page.py", "pages/agency_page.py",
                 "pages/forecast_page.py", "pages/benchmarks_page.py", "pages/scrutiny_pack_page.py"]


@pytest.fixture
def signed_in(fixture_db, tmp_path, monkeypatch):
    """An AppTest of app.py with sign-in on, the rules above, and `user` signed in; query: the address."""
    rules = tmp_path / "access.toml"
    rules.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("WFS_DB", str(fixture_db))
    monkeypatch.setenv("WFS_ACCESS", str(rules))

    def _app(user: dict, **query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = SIGN_IN_SECRETS
        at.user = user
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return _app


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                    + [e.value for e in at.error] + [w.value for w in at.warning] + [t.value for t in at.title]
                    + [h.value for h in at.subheader] + [h.value for h in at.header])


def _unit_picker(at):
    return next(box for box in at.sidebar.selectbox if box.label == "Organisation unit")


def test_an_admin_sees_every_page_and_the_whole_service(signed_in):
    at = signed_in(ADMIN)
    assert not at.exception
    assert _unit_picker(at).options[:2] == ["Whole service", "Children's Services"]
    for page in ("pages/data_quality_page.py", "pages/audit_page.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error


def test_a_manager_picks_only_among_their_unit_and_the_units_below_it(signed_in):
    at = signed_in(MANAGER)
    assert not at.exception
    assert [o.strip() for o in _unit_picker(at).options] == ["Safeguarding", "Team A"]
    assert "Whole service" not in [b.label for b in at.button]  # the breadcrumb starts at their unit
    assert at.metric, "the manager's own service has figures"


def test_a_manager_has_no_data_quality_or_audit_page(signed_in):
    at = signed_in(MANAGER)
    for page in ("pages/data_quality_page.py", "pages/audit_page.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("unit", ["S-B", "CS", "T-B", "NO-SUCH-UNIT"])
def test_a_deep_link_outside_a_managers_units_shows_a_refusal_and_no_figures(signed_in, unit):
    at = signed_in(MANAGER, unit=unit)
    assert not at.exception
    assert [e.value for e in at.error] == ["That part of the service is outside your access, so no figures are "
                                           "shown for it. Choose one of your units in the sidebar, or ask whoever "
                                           "looks after access to Workforce Stability."]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    entry = audit.read(event="page_view")[0]
    assert entry.user_email == "m@example.gov.uk" and entry.details["refused"] == "unit outside access"


def test_every_page_opens_for_a_manager_inside_their_scope(signed_in):
    at = signed_in(MANAGER, unit="T-A")
    for page in SERVICE_PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert not at.error, (page, [e.value for e in at.error])


def test_a_manager_without_internal_exports_gets_publication_downloads_only(signed_in):
    at = signed_in(MANAGER, export_mode="internal")
    assert not [r for r in at.sidebar.radio if r.label == "Downloads and packs are for"]
    assert "your access allows downloads for publication only" in _text(at)
    at.switch_page("pages/scrutiny_pack_page.py").run()
    assert not [r for r in at.radio if r.label == "For"]
    offered = at.multiselect(key="pack_sections").options  # headings, as the page shows them
    assert "The DfE workforce census returns" not in offered and "Headline measures" in offered  # authority-wide


def test_a_viewer_sees_the_publication_figures_with_small_numbers_hidden_on_screen(signed_in):
    at = signed_in(VIEWER)
    assert not at.exception
    assert "You are seeing the figures as they would be published" in _text(at)
    headline = at.dataframe[0].value.set_index("Measure")
    # The interim ratio rests on 3 management posts (fixture), fewer than 5 people: 'c', never 33.3.
    assert headline.loc["Interim ratio (managers)", "Value"] == "c"
    assert "Interim ratio (managers): c;" in _text(at) and "33.3%" not in _text(at)  # the summary line too
    at.switch_page("pages/turnover_page.py").run()
    assert not at.exception
    by_grade = at.dataframe[0].value.set_index("Grade")
    # Band 9: 1 leaver (W2) among 3 people: both counts and the rate from them are hidden on screen.
    assert list(by_grade.loc["Band 9", ["Turnover, headcount (%)", "Leavers", "Average headcount"]]) == ["c"] * 3
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    drawn = [y for chart in charts for trace in chart["data"] for y in (trace.get("y") or []) if y is not None]
    assert "c" not in drawn  # suppressed points are gaps in the picture, never drawn at their value


def test_a_viewer_has_no_internal_mode_anywhere(signed_in):
    at = signed_in(VIEWER, export_mode="internal")
    assert not [r for r in at.sidebar.radio if r.label == "Downloads and packs are for"]
    at.switch_page("pages/scrutiny_pack_page.py").run()
    assert not at.exception and not [r for r in at.radio if r.label == "For"]


def test_a_signed_in_user_no_rule_names_sees_who_to_ask_and_nothing_else(signed_in):
    at = signed_in(NOBODY)
    assert not at.exception
    assert "You are signed in as new.starter@example.gov.uk, but you have not been given access" in _text(at)
    assert "HR analytics (hr@example.gov.uk)" in _text(at)
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox


def test_a_broken_rules_file_shows_no_figures_to_anyone(signed_in, tmp_path):
    (tmp_path / "access.toml").write_text('[[rule]]\naccess = "boss"\nroles = ["WFS.Admin"]\n', encoding="utf-8")
    at = signed_in(ADMIN)
    assert "`access` must be one of admin, manager, viewer" in _text(at)
    assert "nobody sees any figures" in _text(at)
    assert not at.metric and not at.dataframe


def test_page_views_are_recorded_with_the_users_role_and_scope(signed_in):
    signed_in(MANAGER)
    entry = audit.read(event="page_view")[0]
    assert (entry.user_email, entry.user_subject, entry.role, entry.scope) == (
        "m@example.gov.uk", "u-manager", "manager", "S-A and the units below")
