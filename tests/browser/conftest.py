"""A real `python -m dashboard.serve` server on the demo authority, and Debian's chromium via Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the dashboard server did not become healthy in time")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from pipelines.demo import write_demo
    from pipelines.ingest import ingest

    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder / "extracts")
    db = folder / "demo.duckdb"
    ingest(folder / "extracts", db, key_path=folder / "demo.key")
    dfe = sorted((ROOT / "data" / "dfe").glob("*.csv"))  # shipped with the product (data/dfe/README.md)
    if dfe:  # as `make run` does: DfE's published figures and the demo's own return, for the Benchmarks page
        from pipelines.benchmarks.importer import import_files
        from pipelines.cli import write_demo_return

        write_demo_return(db, folder / "published_return.csv")
        import_files([*dfe, folder / "published_return.csv"], db)
    return db


@pytest.fixture(scope="session")
def server(demo_db):
    """Base URL of a fresh server whose very first request is a test's deep link."""
    port = _free_port()
    env = {**os.environ, "WFS_DB": str(demo_db), "WFS_AUDIT_LOG": str(demo_db.parent / "audit.sqlite")}
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.serve", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Until the script run has finished: a heading is shown and Streamlit's running indicator is gone."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


# Sign-in on: a local OpenID Connect provider and servers whose secrets point at it (tests/browser/signed_in.py).
from tests.browser.signed_in import (  # noqa: E402, F401
    oidc_provider,
    signed_in_app,
    signed_in_audit_log,
    start_signed_in_app,
)
