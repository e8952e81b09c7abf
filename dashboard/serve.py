"""`python -m dashboard.serve [streamlit options]`: `streamlit run app.py`, minus one wart.

Streamlit decides once per process, before app.py first runs, whether a folder named pages/ means
its legacy page mode. If the very first request is a deep link (/vacancies), that early guess shows
"Page not found" over the right page. app.py always calls st.navigation, so the answer is known:
say so before the server starts.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> int:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
