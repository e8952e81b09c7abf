"""Sign-in on and open local mode, as the app shows them (AppTest), and the server's refusal to start."""

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.sign_in import OPEN_BANNER, auth_in_secret_files, auth_problems, providers
from pipelines import audit
from pipelines.errors import UsageError
from pipelines.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
APP_SOURCE = (ROOT / "app.py").read_text(encoding="utf-8")
PAGES = {file: heading for file, heading in re.findall(r'st\.Page\("(pages/[a-z_]+\.py)", title="([^"]+)"', APP_SOURCE)
         if file != "pages/no_access_page.py"}  # file: heading of every page a signed-in admin can open
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "a-test-cookie-secret-of-32-bytes",
        "client_id": "workforce-stability", "client_secret": "not-real",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}
# The identity token's issue time ("iat", seconds since 1970): the whole hour one to two hours ago, inside
# the default 12 hours a sign-in holds.
ISSUED = int(time.time()) // 3600 * 3600 - 3600
ISSUED_WORDS = datetime.fromtimestamp(ISSUED, UTC).strftime("%Y-%m-%dT%H:00:00Z")
HEAD_OF_SERVICE = {"is_logged_in": True, "email": "head.of_service@council.example", "sub": "oid-0001",
                   "name": "Head of Service", "groups": ["g-1"], "roles": ["manager"], "iat": ISSUED}


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    """Write data/settings.toml's stand-in (WFS_SETTINGS); the settings cache is emptied either side."""
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("WFS_SETTINGS", str(path))
    load_settings.cache_clear()
    yield path
    load_settings.cache_clear()


@pytest.fixture(autouse=True)
def head_of_service_is_an_admin(tmp_path, monkeypatch):
    """Access rules (data/access.toml's stand-in) that make the signed-in user below an admin, so every page
    opens for them; what each role sees is tests/test_roles_in_app.py's subject."""
    rules = tmp_path / "access-rules.toml"
    rules.write_text('[[rule]]\naccess = "admin"\nemails = ["head.of_service@council.example"]\n', encoding="utf-8")
    monkeypatch.setenv("WFS_ACCESS", str(rules))


def _sign_in_on(app, user: dict | None = None):
    app.secrets["auth"] = dict(AUTH)
    if user is not None:
        app.user = dict(user)
    return app


def _figures(at) -> int:
    return len(at.dataframe) + len(at.metric) + len(at.get("plotly_chart")) + len(at.table)


def _shows_only_the_sign_in_screen(at) -> None:
    assert not at.exception
    assert [t.value for t in at.title] == ["Workforce Stability"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert _figures(at) == 0 and len(at.sidebar) == 0
    assert OPEN_BANNER not in [w.value for w in at.warning]


def test_open_mode_shows_the_banner_on_every_page(app):
    at = app.run()
    assert [w.value for w in at.warning][0] == OPEN_BANNER
    assert OPEN_BANNER == "Sign-in is off: anyone who can open this address sees everything"  # the issue's words
    assert len(PAGES) == 13
    for page, heading in PAGES.items():
        at.switch_page(page).run()
        assert not at.exception, page
        assert [w.value for w in at.warning][0] == OPEN_BANNER, page
        assert at.title[0].value == heading


def test_with_sign_in_on_nobody_sees_a_page_before_signing_in(app):
    at = _sign_in_on(app).run()
    _shows_only_the_sign_in_screen(at)
    for page in PAGES:  # a deep link to any page
        at.switch_page(page).run()
        _shows_only_the_sign_in_screen(at)
    assert audit.read() == []  # nobody to record


def test_a_signed_in_user_sees_every_page_with_their_address_and_a_sign_out_button(app):
    at = _sign_in_on(app, HEAD_OF_SERVICE).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert OPEN_BANNER not in [w.value for w in at.warning]
    # Shown as plain text: the underscore in the address is escaped, not Markdown italics.
    assert [c.value for c in at.sidebar.caption][0] == r"Signed in as head\.of\_service@council\.example"
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    for page, heading in PAGES.items():
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.title[0].value == heading
    views = audit.read(event="page_view")
    assert len(views) == len(PAGES)  # Overview (first in the menu: the first run), then each other page
    assert {(e.user_email, e.user_subject) for e in views} == {("head.of_service@council.example", "oid-0001")}


def test_sign_in_is_recorded_once_per_sign_in_and_sign_out_when_the_button_is_pressed(app, fixture_db):
    from streamlit.testing.v1 import AppTest

    at = _sign_in_on(app, HEAD_OF_SERVICE).run()
    at.run()
    # A reload or a second tab is a new session carrying the same identity (same iat): not a new sign-in.
    again = _sign_in_on(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), HEAD_OF_SERVICE).run()
    assert not again.exception
    signed_in = audit.read(event="sign_in")
    assert [(e.user_email, e.user_subject, e.details) for e in signed_in] == [
        ("head.of_service@council.example", "oid-0001", {"signed_in_at": ISSUED_WORDS})]

    # Signing in again half an hour later (a new identity token, iat + 1800 s) is a new sign-in.
    later = _sign_in_on(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60),
                        {**HEAD_OF_SERVICE, "iat": ISSUED + 1800}).run()
    assert [e.details["signed_in_at"] for e in audit.read(event="sign_in")] == [
        ISSUED_WORDS.replace(":00:00Z", ":30:00Z"), ISSUED_WORDS]

    later.sidebar.button(key="sign_out").click().run()
    assert not later.exception
    assert [(e.user_email, e.user_subject) for e in audit.read(event="sign_out")] == [
        ("head.of_service@council.example", "oid-0001")]
    assert later.user == {"is_logged_in": False}
    _shows_only_the_sign_in_screen(later.run())


def test_without_an_email_claim_the_sign_in_name_is_recorded(app):
    """Entra ID sends `email` only for accounts with a mailbox; `preferred_username` is the sign-in name."""
    at = _sign_in_on(app, {"is_logged_in": True, "preferred_username": "a.director@council.example",
                           "sub": "oid-0002"}).run()
    assert not at.exception
    assert [(e.event, e.user_email, e.user_subject, e.details) for e in audit.read(event="sign_in")] == [
        ("sign_in", "a.director@council.example", "oid-0002", {})]  # no iat: once per session, no time


def test_the_provider_named_in_the_secrets_is_the_one_signed_in_with():
    assert providers(AUTH) == [None]
    shared = {key: AUTH[key] for key in ("redirect_uri", "cookie_secret")}
    assert providers({**shared, "microsoft": {"client_id": "x"}}) == ["microsoft"]
    assert providers({**shared, "microsoft": {}, "okta": {}}) == ["microsoft", "okta"]
    assert providers({**AUTH, "client_kwargs": {"prompt": "login"}}) == [None]  # settings, not a provider


def test_require_sign_in_shows_a_refusal_and_no_figures_in_open_mode(app, settings_file):
    settings_file.write_text("require_sign_in = true\n", encoding="utf-8")
    at = app.run()
    assert not at.exception
    assert "Sign-in is required on this server" in at.error[0].value
    assert _figures(at) == 0 and len(at.sidebar) == 0
    at.switch_page("pages/turnover_page.py").run()
    assert "Sign-in is required on this server" in at.error[0].value
    assert _figures(at) == 0


def test_require_sign_in_with_sign_in_set_up_shows_the_sign_in_screen(app, settings_file):
    settings_file.write_text("require_sign_in = true\n", encoding="utf-8")
    _shows_only_the_sign_in_screen(_sign_in_on(app).run())


def test_require_sign_in_must_be_true_or_false(app, settings_file):
    settings_file.write_text('require_sign_in = "yes"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="require_sign_in must be true or false"):
        load_settings()
    at = app.run()
    assert "require_sign_in must be true or false" in at.error[0].value
    assert _figures(at) == 0


def _serve(tmp_path, settings: str, secrets_file: Path) -> subprocess.CompletedProcess:
    (tmp_path / "settings.toml").write_text(settings, encoding="utf-8")
    env = {**os.environ, "WFS_SETTINGS": str(tmp_path / "settings.toml"), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.serve", "--server.headless", "true", "--server.port", "9",
         "--secrets.files", str(secrets_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_server_will_not_start_in_open_mode_when_sign_in_is_required(tmp_path):
    done = _serve(tmp_path, "require_sign_in = true\n", tmp_path / "no-secrets-here.toml")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("The dashboard will not start: require_sign_in = true in ")
    assert "no [auth] section was found" in lines[0] and "docs/DEPLOYING.md" in lines[0]
    assert "You can now view your Streamlit app" not in done.stdout  # the server never started


def test_the_server_will_not_start_on_an_unreadable_secrets_file(tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\ncookie_secret = "an-unfinished-secret\n', encoding="utf-8")
    done = _serve(tmp_path, "require_sign_in = false\n", broken)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{broken}: not a readable secrets file (")
    assert "an-unfinished-secret" not in done.stderr  # says where, never what


def test_secrets_with_sign_in_are_found_in_files_and_kubernetes_style_folders(tmp_path):
    with_auth, without = tmp_path / "a.toml", tmp_path / "b.toml"
    with_auth.write_text('[auth]\nredirect_uri = "x"\n', encoding="utf-8")
    without.write_text('[database]\nurl = "x"\n', encoding="utf-8")
    folder = tmp_path / "mounted"
    (folder / "auth").mkdir(parents=True)
    (folder / "auth" / "client_id").write_text("x", encoding="utf-8")
    assert auth_in_secret_files([str(tmp_path / "missing.toml"), str(without)]) is None
    assert auth_in_secret_files([str(with_auth), str(without)]) == {"redirect_uri": "x"}  # a later file without
    assert auth_in_secret_files([str(folder)]) == {"client_id": "x"}


def test_sign_in_settings_that_cannot_work_are_named_key_by_key_without_their_values():
    assert auth_problems(AUTH) == []
    assert auth_problems({**AUTH, "cookie_secret": "short-secret", "redirect_uri": "https://x.example/"}) == [
        "[auth] redirect_uri must be the dashboard's full address followed by /oauth2callback",
        "[auth] cookie_secret is too short: use a random value of at least 32 characters"]
    shared = {key: AUTH[key] for key in ("redirect_uri", "cookie_secret")}
    assert auth_problems({**shared, "entra_id": {"client_id": "x", "client_secret": "y"}}) == [
        "[auth.entra_id]: a provider's name may not contain _", "[auth.entra_id] has no server_metadata_url"]
    assert auth_problems({"client_id": "x"}) == ["[auth] has no redirect_uri", "[auth] has no cookie_secret",
                                                 "[auth] has no client_secret", "[auth] has no server_metadata_url"]


def test_sign_in_that_cannot_work_is_explained_instead_of_offering_a_button_that_fails(app):
    app.secrets["auth"] = {key: value for key, value in AUTH.items() if key != "client_secret"}
    at = app.run()
    assert not at.exception
    assert at.error[0].value.startswith("Sign-in is not set up correctly on this server: [auth] has no client_secret.")
    assert len(at.button) == 0 and _figures(at) == 0


def test_the_server_will_not_start_when_sign_in_cannot_work(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[auth]\nredirect_uri = "https://workforce.council.example/oauth2callback"\n'
                            'cookie_secret = "guessable"\nclient_id = "abc"\n', encoding="utf-8")
    done = _serve(tmp_path, "", secrets_file)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "The dashboard will not start: sign-in is set up in Streamlit's secrets but cannot work: [auth] "
        "cookie_secret is too short: use a random value of at least 32 characters; [auth] has no client_secret; "
        '[auth] has no server_metadata_url (docs/DEPLOYING.md, "Signing in").')


@pytest.mark.parametrize("page", ["pages/vacancies_page.py", "pages/audit_page.py", "pages/overview_page.py"])
def test_a_page_run_without_app_py_stops_before_its_first_figure_when_nobody_is_signed_in(fixture_db, monkeypatch,
                                                                                            page):
    """As Streamlit's legacy page folder mode does on a server started with `streamlit run app.py` (not
    dashboard.serve), for a first request to /vacancies_page: the page's script runs without app.py."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WFS_DB", str(fixture_db))
    audit.record("page_view", user_email="someone@council.example", user_subject="s", role="r", scope="all units",
                 details={"page": "Overview"})
    at = _sign_in_on(AppTest.from_file(str(ROOT / page), default_timeout=60)).run()
    assert not at.exception
    assert "Please open the dashboard from its home page and sign in." in [i.value for i in at.info]
    assert _figures(at) == 0
    assert "someone@council.example" not in str(at.main)


def test_a_sign_in_older_than_the_default_12_hours_must_be_made_again(app):
    at = _sign_in_on(app, {**HEAD_OF_SERVICE, "iat": int(time.time()) - 13 * 3600}).run()
    _shows_only_the_sign_in_screen(at)
    assert [i.value for i in at.info] == ["Your sign-in has expired after 12 hours: please sign in again."]
    assert audit.read() == []


def test_how_long_a_sign_in_holds_is_a_setting(app, settings_file):
    settings_file.write_text("sign_in_max_hours = 0.5\n", encoding="utf-8")
    an_hour_ago = int(time.time()) - 3600
    at = _sign_in_on(app, {**HEAD_OF_SERVICE, "iat": an_hour_ago}).run()
    _shows_only_the_sign_in_screen(at)
    assert "expired after 0.5 hours" in at.info[0].value
    ten_minutes_ago = int(time.time()) - 600
    at.user = {**HEAD_OF_SERVICE, "iat": ten_minutes_ago}
    assert at.run().title[0].value == "Overview"


@pytest.mark.parametrize("value", ["0", "-1", '"12"', "true"])
def test_sign_in_max_hours_must_be_a_number_of_hours(settings_file, value):
    settings_file.write_text(f"sign_in_max_hours = {value}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="sign_in_max_hours must be a number of hours, more than 0"):
        load_settings()
