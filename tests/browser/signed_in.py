"""Fixtures for browser tests with sign-in on: a local OpenID Connect provider (oidc-provider-mock, in a
thread on 127.0.0.1) and dashboard servers whose secrets point at it.

    def test_something(signed_in_app, page):
        base_url, sign_in = signed_in_app
        sign_in(page, {"sub": "u-1", "email": "ad@council.example", "roles": ["manager"]})
        ...  # the dashboard is open, signed in as that user

`start_signed_in_app(access_rules=Path(...))` starts (once per session and rules file) a server with
WFS_ACCESS set to that file, for tests of what each role sees. Every server of a session appends to one
audit log, `signed_in_audit_log`. One host name, `localhost`, is used throughout: Streamlit checks the
sign-in cookie against the browser's origin, and the provider's issuer against the address it was asked.
"""

import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "localhost"


class Provider(NamedTuple):
    url: str
    set_user: Callable[[str, dict], None]  # (sub, claims): the claims the provider will sign for that user


class SignedInApp(NamedTuple):
    base_url: str
    sign_in: Callable  # sign_in(page, claims): through the provider's form; claims must have "sub"


@pytest.fixture(scope="session")
def oidc_provider():
    import werkzeug.serving
    from oidc_provider_mock import app as provider_app

    # The provider refuses plain http unless told this is a test; it runs in this process.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury a failure
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    url = f"http://{HOST}:{server.server_port}"

    def set_user(sub: str, claims: dict) -> None:
        request = urllib.request.Request(f"{url}/users/{urllib.parse.quote(sub, safe='')}", method="PUT",
                                         data=json.dumps(claims).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204

    try:
        yield Provider(url, set_user)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="session")
def signed_in_audit_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("signed-in-audit") / "audit.sqlite"


def _secrets_file(folder: Path, port: int, provider_url: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://{HOST}:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "workforce-stability-tests"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return path


def sign_in_through_provider(base_url: str, provider: Provider) -> Callable:
    def sign_in(page, claims: dict) -> None:
        from tests.browser.conftest import wait_for_app

        provider.set_user(claims["sub"], {key: value for key, value in claims.items() if key != "sub"})
        # The provider's form asks the internet for a stylesheet; tests run without one.
        page.context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
        page.goto(base_url)
        page.get_by_role("button", name="Sign in").click()
        page.fill("input[name=sub]", claims["sub"])
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{base_url}/**")
        wait_for_app(page)

    return sign_in


@pytest.fixture(scope="session")
def start_signed_in_app(demo_db, oidc_provider, signed_in_audit_log, tmp_path_factory):
    """start(access_rules=None, **env) -> SignedInApp; one server per distinct set of arguments."""
    from tests.browser.conftest import _free_port, _wait_healthy

    started: dict[tuple, tuple[subprocess.Popen, SignedInApp]] = {}

    def start(access_rules: Path | None = None, **env: str) -> SignedInApp:
        key = (str(access_rules), tuple(sorted(env.items())))
        if key in started:
            return started[key][1]
        port = _free_port()
        folder = tmp_path_factory.mktemp("signed-in-server")
        server_env = {**os.environ, "WFS_DB": str(demo_db), "WFS_AUDIT_LOG": str(signed_in_audit_log), **env}
        if access_rules is not None:
            server_env["WFS_ACCESS"] = str(access_rules)  # read by the access rules, passed through here
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.serve", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(_secrets_file(folder, port, oidc_provider.url))],
            cwd=ROOT, env=server_env, stdout=(folder / "server.log").open("wb"), stderr=subprocess.STDOUT)
        base_url = f"http://{HOST}:{port}"
        app = SignedInApp(base_url, sign_in_through_provider(base_url, oidc_provider))
        started[key] = (process, app)
        try:
            _wait_healthy(base_url, process)
        except RuntimeError as problem:
            log = (folder / "server.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"{problem}; its last words:\n{log[-3000:]}") from None
        return app

    try:
        yield start
    finally:
        for process, _ in started.values():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# The browser tests' access rules (data/access.toml's stand-in) for the demo authority.
ACCESS_RULES = """
ask = "the HR analytics team (hr.analytics@council.example)"

[[rule]]
name = "Assistant director, Children in Need & Protection"
access = "manager"
units = ["CS-CIN"]
emails = ["ad.cin@council.example"]

[[rule]]
name = "Sign-in test users"
access = "admin"
emails = ["head.of.service@council.example", "many.groups@council.example"]
"""


@pytest.fixture(scope="session")
def signed_in_app(start_signed_in_app, tmp_path_factory) -> SignedInApp:
    """A dashboard on the demo database with sign-in on and ACCESS_RULES."""
    rules = tmp_path_factory.mktemp("access") / "access.toml"
    rules.write_text(ACCESS_RULES, encoding="utf-8")
    return start_signed_in_app(access_rules=rules)
