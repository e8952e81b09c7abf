"""`python -m dashboard.serve [streamlit options]`: `streamlit run app.py`, minus two warts, plus one check.

1. Streamlit decides once per process, before app.py first runs, whether a folder named pages/ means
   its legacy page mode. If the very first request is a deep link (/vacancies), that early guess shows
   "Page not found" over the right page. app.py always calls st.navigation, so the answer is known:
   say so before the server starts.
2. With `require_sign_in = true` in data/settings.toml and no [auth] section in Streamlit's secrets, or
   with an [auth] section that cannot work (a key missing, a short cookie secret), the server does not
   start: one line saying why, exit status 2. The check runs once Streamlit has read its
   own configuration (config.toml files, STREAMLIT_* variables, --secrets.files), so it looks exactly
   where Streamlit will look for secrets.
3. Signed-in users carry their identity in cookies, and an identity with many group claims makes them
   long (docs/DEPLOYING.md, "Many group claims"). The WebSocket handshake, which carries every cookie,
   refuses a header line longer than WEBSOCKETS_MAX_LINE_LENGTH (8,192 bytes by default) and the page
   itself a request head over 16 KB, so sign-in would end in a blank page. Both are raised here to
   HEADER_LIMIT_BYTES unless set.
"""

import os
import sys
from pathlib import Path

HEADER_LIMIT_BYTES = 65_536
# Read by the websockets package when it is first imported: before Streamlit (and uvicorn) import it.
os.environ.setdefault("WEBSOCKETS_MAX_LINE_LENGTH", str(HEADER_LIMIT_BYTES))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.web import bootstrap, cli  # noqa: E402
from streamlit.web.server.starlette import starlette_server  # noqa: E402

from dashboard.sign_in import check_before_starting  # noqa: E402
from pipelines.errors import UsageError  # noqa: E402

APP = Path(__file__).resolve().parent.parent / "app.py"


def _check_after_config_is_read() -> None:
    """Run the sign-in check right after Streamlit's first reading of its configuration, before it starts
    anything; later readings (a config file edited while running) pass straight through."""
    read_config = bootstrap.load_config_options

    def read_then_check(flag_options):
        read_config(flag_options)
        bootstrap.load_config_options = read_config
        check_before_starting()

    bootstrap.load_config_options = read_then_check


def _raise_request_head_limit() -> None:
    """uvicorn's HTTP parser refuses a request head (request line and headers) over 16 KB unless told
    otherwise; Streamlit builds uvicorn's settings in one function, so add the limit there."""
    build = starlette_server._get_uvicorn_config_kwargs

    def with_limit():
        return {"h11_max_incomplete_event_size": HEADER_LIMIT_BYTES, **build()}

    starlette_server._get_uvicorn_config_kwargs = with_limit


def main() -> int:
    PagesManager.uses_pages_directory = False
    _check_after_config_is_read()
    _raise_request_head_limit()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    try:
        return cli.main()
    except UsageError as problem:
        print(problem, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
