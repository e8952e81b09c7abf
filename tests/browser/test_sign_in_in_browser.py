"""Signing in and out in a real browser, through a real OpenID Connect provider on loopback
(oidc-provider-mock: tests/browser/signed_in.py)."""

import uuid
from collections import Counter

import pytest

from pipelines import audit
from tests.browser.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.browser

HEADING = "[data-testid='stMain'] h1"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Everything the main area says, words only ("login" is the button's icon).
SIGN_IN_SCREEN = ("Workforce Stability Workforce analytics for children's services. Sign in with your council account "
                  "to see the figures you are allowed to see. login Sign in")


def _shows_the_sign_in_screen_only(page) -> None:
    page.get_by_role("button", name="Sign in").wait_for()
    wait_for_app(page)
    assert " ".join(page.inner_text("[data-testid='stMain']").split()) == SIGN_IN_SCREEN  # nothing else: no figure
    assert page.query_selector("[data-testid='stSidebar']") is None  # no menu, no filters
    assert "Page not found" not in page.inner_text("body")


def _shows_figures(page) -> None:
    page.locator("[data-testid='stMain']").get_by_text("Agency rate", exact=True).first.wait_for(timeout=30_000)


def test_signing_in_and_out_in_a_browser_is_recorded_once_each_under_the_users_email(
        signed_in_app, page, signed_in_audit_log):
    base_url, sign_in = signed_in_app
    email, subject = "head.of.service@council.example", "entra-object-id-0001"

    page.goto(f"{base_url}/turnover")  # a deep link before signing in shows no figures
    _shows_the_sign_in_screen_only(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sign-in.png"))

    sign_in(page, {"sub": subject, "email": email, "name": "Head of Service", "groups": ["g-children"],
                   "roles": ["manager"]})
    assert page.inner_text(HEADING) == "Overview"
    _shows_figures(page)
    sidebar = page.inner_text("[data-testid='stSidebar']")
    assert f"Signed in as {email}" in sidebar and "Sign out" in sidebar

    page.get_by_role("link", name="Vacancies").click()
    wait_for_app(page)
    assert page.inner_text(HEADING) == "Vacancies"
    page.reload()  # a new session of the same signed-in browser: no second sign_in
    wait_for_app(page)
    assert page.inner_text(HEADING) == "Vacancies"

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's own sign-out page
    _shows_the_sign_in_screen_only(page)
    page.goto(f"{base_url}/vacancies")  # signed out: the cookie is gone
    _shows_the_sign_in_screen_only(page)

    entries = audit.read(user=email, path=signed_in_audit_log)
    events = Counter(entry.event for entry in entries)
    # Overview, Vacancies, Vacancies again after the reload (a new session records its page view).
    assert events == {"sign_in": 1, "page_view": 3, "sign_out": 1}, events
    assert {entry.user_subject for entry in entries} == {subject}
    newest_first = [entry.event for entry in entries]
    assert newest_first[0] == "sign_out" and newest_first[-1] == "sign_in"
    assert {entry.details.get("page") for entry in entries if entry.event == "page_view"} == {"Overview", "Vacancies"}


def test_a_user_with_200_group_claims_gets_the_dashboard(signed_in_app, page):
    """Entra sends at most 200 groups in a token. Random ids do not compress: the identity cookies come to
    about 16 KB, over the 8 KB WebSocket header line websockets accepts by default (measured: with the
    default, 100 groups already left a blank page), so dashboard.serve raises the limits."""
    base_url, sign_in = signed_in_app
    groups = [str(uuid.uuid4()) for _ in range(200)]
    sign_in(page, {"sub": "many-groups-0001", "email": "many.groups@council.example", "groups": groups})
    assert page.inner_text(HEADING) == "Overview"
    _shows_figures(page)
    cookie_header = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(base_url))
    assert len(cookie_header) > 8192  # over the default WebSocket limit: the case the limits are raised for


def test_a_manager_signs_in_sees_only_their_service_is_refused_elsewhere_and_every_step_is_audited(
        signed_in_app, page, signed_in_audit_log):
    base_url, sign_in = signed_in_app
    email = "ad.cin@council.example"
    sign_in(page, {"sub": "entra-object-id-ad-cin", "email": email, "roles": ["some-other-role"]})
    assert page.inner_text(HEADING) == "Overview"
    _shows_figures(page)
    breadcrumb = page.inner_text("[data-testid='stMain']")
    assert "Children in Need & Protection" in breadcrumb and "Whole service" not in breadcrumb
    assert page.url.endswith("?unit=CS-CIN")  # the view starts at their unit (the picker's list: AppTest)
    assert "Data quality" not in page.inner_text("[data-testid='stSidebar']")  # admins only

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download table (CSV)").click()
    assert download_info.value.suggested_filename.startswith("headline-measures-")

    page.goto(f"{base_url}/vacancies?unit=CS-FDA")  # a deep link into another service
    wait_for_app(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "That part of the service is outside your access, so no figures are shown for it." in main
    assert "Front Door" not in main and page.query_selector("[data-testid='stMetric']") is None

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()
    _shows_the_sign_in_screen_only(page)

    entries = audit.read(user=email, path=signed_in_audit_log)
    events = Counter(entry.event for entry in entries)
    assert events["sign_in"] == 1 and events["download"] == 1 and events["sign_out"] == 1, events
    refused = [e for e in entries if e.event == "page_view" and e.details.get("refused")]
    assert [(e.details["page"], e.details["unit"]) for e in refused] == [("Vacancies", "CS-FDA")]
    assert {(e.role, e.scope) for e in entries} == {("manager", "CS-CIN and the units below")}
