"""Small helpers for AppTest page tests."""


def open_page(app, path: str):
    """Run the app, switch to one page (AppTest runs one page at a time) and check nothing failed."""
    at = app.run()
    at.switch_page(path).run()
    assert not at.exception
    return at


def page_text(at) -> str:
    """Everything a reader sees as text: markdown, captions and information boxes."""
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


# An [auth] section for AppTest (at.secrets["auth"] = ...): sign-in on, pointing nowhere (AppTest fakes the user
# with at.user, so the provider is never asked).
SIGN_IN_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback",
                   "cookie_secret": "a-test-cookie-secret-32-chars-long", "client_id": "workforce-stability",
                   "client_secret": "not-a-secret",
                   "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}
