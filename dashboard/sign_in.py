"""Signing in (issue 10): Streamlit's own OpenID Connect sign-in (st.login, st.user, st.logout).

Two modes, decided by Streamlit's secrets (docs/DEPLOYING.md, "Signing in"):
- sign-in on: the secrets have an [auth] section. Nobody sees a figure before signing in: `gate()` draws a
  plain sign-in screen and stops the script. A signed-in user gets their e-mail and a Sign out button in
  the sidebar.
- open local mode: no [auth] section. Every page carries a banner saying so. With `require_sign_in = true`
  in data/settings.toml the app shows a refusal and no figures instead (and `python -m dashboard.serve`
  does not start at all: `check_before_starting`).

What a user may see once signed in (roles, units) is decided elsewhere from `user_claims()`.
"""

import time
import tomllib
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from pipelines.access_rules import user_email
from pipelines.errors import UsageError
from pipelines.settings import load_settings, settings_path

PRODUCT = "Workforce Stability"
OPEN_BANNER = "Sign-in is off: anyone who can open this address sees everything"
# Streamlit's additions to the identity token's claims in st.user: not claims, and tokens are credentials.
NOT_CLAIMS = frozenset({"is_logged_in", "origin", "tokens"})
SIGN_IN_RECORDED_KEY = "sign_in_recorded"
SHARED_KEYS = ("redirect_uri", "cookie_secret")  # under [auth], for every provider
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")  # under [auth] or [auth.NAME]
MIN_COOKIE_SECRET_LENGTH = 32


def _auth_section() -> Mapping | None:
    """The [auth] section of Streamlit's secrets, or None. Reads `st.secrets` at call time (AppTest swaps
    it); Streamlit treats a missing or unreadable secrets file as no secrets, and so do we here."""
    secrets = st.secrets
    if not secrets.load_if_toml_exists():
        return None
    auth = secrets.get("auth")
    return auth if isinstance(auth, Mapping) and auth else None


def mode() -> str:
    """Returns "sign_in" when Streamlit's secrets have an [auth] section, else "open"."""
    return "sign_in" if _auth_section() is not None else "open"


def providers(auth: Mapping) -> list[str | None]:
    """The sign-in providers the secrets name: None for the unnamed one (client_id directly under [auth]),
    and the name of each [auth.NAME] section, for st.login(NAME)."""
    named = [key for key, value in auth.items() if isinstance(value, Mapping) and key != "client_kwargs"]
    return ([None] if "client_id" in auth or not named else []) + named


def user_claims() -> dict | None:
    """The signed-in user's claims (email, sub, name, groups, roles ... as the provider sent them in the
    identity token; `provider` is the [auth.NAME] used), or None in open mode or before signing in."""
    if mode() != "sign_in":
        return None
    info = st.user.to_dict()
    if not info.get("is_logged_in") or _expired(info):
        return None
    return {key: value for key, value in info.items() if key not in NOT_CLAIMS}


def _expired(info: dict) -> bool:
    """Streamlit keeps a sign-in for 30 days and never looks at the identity token's times; we hold it for
    sign_in_max_hours from the token's issue time (iat). Without an iat there is nothing to count from."""
    issued = info.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        return False
    return time.time() - issued > load_settings().sign_in_max_hours * 3600


def email_of(claims: dict) -> str:
    """The address to show and record. Entra ID sends `email` only when the account has a mailbox and the
    optional claim is set; `preferred_username` (the sign-in name, usually the address) is the fallback."""
    return user_email(claims) or str(claims.get("sub", "unknown"))


def gate(pages) -> None:
    """Called by app.py before anything else is drawn, with the pages it will route (st.navigation's
    argument). Returns when the page may be drawn; otherwise draws the sign-in screen or a refusal and stops
    the script run."""
    try:
        required = load_settings().require_sign_in
    except UsageError as problem:
        _stop_with(pages, str(problem))
    if mode() == "open":
        if required:
            _stop_with(pages, f"Sign-in is required on this server (require_sign_in = true in {settings_path()}), but "
                       "it is not set up: Streamlit's secrets have no [auth] section. Nothing is shown until it "
                       'is; see docs/DEPLOYING.md, "Signing in".')
        st.warning(OPEN_BANNER, icon=":material/lock_open:")
        return
    problems = auth_problems(_auth_section())
    if problems:  # st.login would fail with a programmer's error message; say what to fix instead
        _stop_with(pages, f"Sign-in is not set up correctly on this server: {'; '.join(problems)}. Please tell "
                          'whoever runs the dashboard (docs/DEPLOYING.md, "Signing in", says how to fix it).')
    claims = user_claims()
    if claims is None:
        _sign_in_screen(pages)
    _signed_in_sidebar(claims)


def stop_unless_signed_in() -> None:
    """The second door, for the doors to the data (dashboard.data.source, the audit log's entries): stop the
    script run unless `gate` would have let it through. A server started with `streamlit run app.py` rather
    than dashboard.serve treats pages/ as Streamlit's legacy page folder until app.py first reaches
    st.navigation, and runs pages/turnover_page.py directly for the address /turnover_page, without app.py
    and without the gate: the page then stops here, before its first figure."""
    try:
        refused = load_settings().require_sign_in and mode() == "open"
    except UsageError:
        refused = True
    if mode() == "sign_in":
        refused = bool(auth_problems(_auth_section())) or user_claims() is None
    if refused:
        st.info("Please open the dashboard from its home page and sign in.", icon=":material/lock:")
        st.stop()


def _route_nowhere(pages) -> None:
    """Route the address (so a deep link is no "page not found") without drawing a menu or running a page.
    It also tells Streamlit, for the whole process, that pages/ is not its legacy page folder: a server
    started with `streamlit run app.py` rather than dashboard.serve would otherwise run a page's script
    directly for /turnover_page-style addresses, never passing through app.py and this gate."""
    st.navigation(pages, position="hidden")


def _stop_with(pages, message: str) -> None:
    _route_nowhere(pages)
    st.title(PRODUCT)
    st.error(message, icon=":material/lock:")
    st.stop()


def _sign_in_screen(pages) -> None:
    _route_nowhere(pages)
    st.title(PRODUCT)
    st.write("Workforce analytics for children's services. Sign in with your council account to see the "
             "figures you are allowed to see.")
    if st.user.to_dict().get("is_logged_in"):  # signed in, but longer ago than sign_in_max_hours
        st.info(f"Your sign-in has expired after {load_settings().sign_in_max_hours:g} hours: please sign in "
                "again.", icon=":material/schedule:")
    choices = providers(_auth_section())
    for provider in choices:
        label = "Sign in" if provider is None or len(choices) == 1 else f"Sign in with {provider}"
        if st.button(label, type="primary", icon=":material/login:", key=f"sign_in_{provider or 'default'}"):
            st.login(provider)
    st.stop()


def _signed_in_sidebar(claims: dict) -> None:
    from dashboard import audit_trail  # audit_trail asks this module who is signed in

    if not st.session_state.get(SIGN_IN_RECORDED_KEY):
        st.session_state[SIGN_IN_RECORDED_KEY] = True
        audit_trail.signed_in(claims)
    with st.sidebar:
        st.caption(f"Signed in as {_plain(email_of(claims))}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            audit_trail.signed_out()
            st.logout()
            st.stop()


def _plain(text: str) -> str:
    """Text shown as it is, not as Markdown (an address with underscores is not italics)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~" else ch for ch in text)


def auth_problems(auth: Mapping) -> list[str]:
    """What is missing or wrong in an [auth] section, naming keys, never their values."""
    problems = [f"[auth] has no {key}" for key in SHARED_KEYS if not auth.get(key)]
    redirect = str(auth.get("redirect_uri") or "")
    if redirect and not (redirect.startswith(("https://", "http://")) and redirect.endswith("/oauth2callback")):
        problems.append("[auth] redirect_uri must be the dashboard's full address followed by /oauth2callback")
    secret = str(auth.get("cookie_secret") or "")
    if secret and len(secret) < MIN_COOKIE_SECRET_LENGTH:  # it signs every identity cookie: guessable is fatal
        problems.append(f"[auth] cookie_secret is too short: use a random value of at least "
                        f"{MIN_COOKIE_SECRET_LENGTH} characters")
    for provider in providers(auth):
        section, name = (auth, "[auth]") if provider is None else (auth[provider], f"[auth.{provider}]")
        if provider is not None and "_" in provider:
            problems.append(f"{name}: a provider's name may not contain _")
        problems += [f"{name} has no {key}" for key in PROVIDER_KEYS if not section.get(key)]
    return problems


def auth_in_secret_files(paths: list[str]) -> dict | None:
    """The [auth] section Streamlit will see in the secrets files or folders it reads (its `secrets.files`
    option; a later file's [auth] replaces an earlier one's, as in Streamlit), or None. An unreadable
    secrets file is a mistake to fix, not "no sign-in": Streamlit would quietly run without sign-in, so we
    refuse instead."""
    found = None
    for name in paths:
        path = Path(name)
        if name.endswith(".toml"):
            if not path.is_file():
                continue
            try:
                found = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", found)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:  # says where, never what
                raise UsageError(f"{path}: not a readable secrets file ({error}); fix it (docs/DEPLOYING.md, "
                                 '"Signing in").') from None
        elif (path / "auth").is_dir():  # Kubernetes-style secrets: one folder per section, one file per key
            found = {key.name: key.read_text(encoding="utf-8").strip() for key in (path / "auth").iterdir()
                     if key.is_file()}
    return found if isinstance(found, dict) else None


def check_before_starting() -> None:
    """For `python -m dashboard.serve`, once Streamlit has read its configuration: raise UsageError when the
    secrets' [auth] section cannot work, or when data/settings.toml says require_sign_in = true and there is
    no [auth] section."""
    from streamlit import config

    paths = list(config.get_option("secrets.files"))
    auth = auth_in_secret_files(paths)
    if auth is not None and auth_problems(auth):
        raise UsageError(f"The dashboard will not start: sign-in is set up in Streamlit's secrets but cannot "
                         f"work: {'; '.join(auth_problems(auth))} (docs/DEPLOYING.md, \"Signing in\").")
    if load_settings().require_sign_in and auth is None:
        raise UsageError(f"The dashboard will not start: require_sign_in = true in {settings_path()}, but no "
                         f"[auth] section was found in Streamlit's secrets (looked in {', '.join(paths)}). Set "
                         'up sign-in (docs/DEPLOYING.md, "Signing in") or, on a single analyst\'s laptop, set '
                         "require_sign_in = false.")
