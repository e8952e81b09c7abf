"""`python -m dashboard.ui_bench`: time every page in a real browser on the demo authority.

Starts `python -m dashboard.serve` on a free port, opens each page by deep link in Debian's chromium
(Playwright), and times (a) the first render of each page in a new browser tab, (b) a repeat visit,
and (c) a change of the organisation-unit filter. A benchmark for docs/PERFORMANCE.md, not a test.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, _free_port, _wait_healthy, wait_for_app

PAGES = ["", "leadership", "turnover", "vacancies", "structure", "teams", "data-quality", "scrutiny-pack"]
UNIT_LABEL = "Children in Care & Care Leavers"


def _timed(action, page) -> float:
    started = time.perf_counter()
    action()
    wait_for_app(page)
    return time.perf_counter() - started - 0.3  # wait_for_app's settling pause is not render time


def _open_unit_picker(page):
    """Type into the picker first: the time that counts starts when the user picks the unit."""
    page.get_by_role("combobox", name="Organisation unit").click()
    page.keyboard.type(UNIT_LABEL)
    option = page.get_by_role("option", name=UNIT_LABEL).first
    option.wait_for()
    return option


def main() -> int:
    from pipelines.demo import write_demo
    from pipelines.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="wfs-ui-bench-") as folder:
        root = Path(folder)
        write_demo(root / "extracts")
        ingest(root / "extracts", root / "demo.duckdb", key_path=root / "demo.key")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard.serve", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**os.environ, "WFS_DB": str(root / "demo.duckdb")},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        results = []
        try:
            _wait_healthy(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for address in PAGES:
                    first, repeats, changes = None, [], []
                    for attempt in range(3):
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = context.new_page()
                        seconds = _timed(lambda: page.goto(f"{url}/{address}"), page)  # noqa: B023
                        first = seconds if attempt == 0 else first
                        repeats += [seconds] if attempt else []
                        option = _open_unit_picker(page)
                        changes.append(_timed(option.click, page))
                        context.close()
                    results.append({"page": f"/{address}", "first_render_s": round(first, 2),
                                    "repeat_render_s": round(statistics.median(repeats), 2),
                                    "unit_filter_change_s": round(statistics.median(changes), 2)})
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'page':<16}{'first render':>14}{'repeat':>10}{'unit change':>14}")
    for row in results:
        print(f"{row['page']:<16}{row['first_render_s']:>13.2f}s{row['repeat_render_s']:>9.2f}s"
              f"{row['unit_filter_change_s']:>13.2f}s")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
