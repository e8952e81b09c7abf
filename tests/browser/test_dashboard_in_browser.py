"""The dashboard in a real browser: deep links, shared filters across pages, downloads, screenshots."""

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {  # address -> the page's heading
    "": "Overview",
    "leadership": "Leadership and interims",
    "turnover": "Turnover and stability",
    "vacancies": "Vacancies",
    "structure": "Structure changes",
    "teams": "Teams",
    "agency": "Agency staff",
    "data-quality": "Data quality",
    "scrutiny-pack": "Scrutiny pack",
    "benchmarks": "Benchmarks",
    "audit": "Audit log",
    "forecast": "Forecast",
}
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _problems(page) -> list[str]:
    text = page.inner_text("body")
    found = [word for word in ("Page not found", "Traceback", "Error:") if word in text]
    return found + (["exception"] if page.query_selector("[data-testid='stException']") else [])


def test_a_deep_link_as_a_fresh_servers_first_request_opens_the_right_page_cleanly(server, page):
    page.goto(f"{server}/vacancies")
    wait_for_app(page)
    assert page.inner_text("[data-testid='stMain'] h1") == "Vacancies"
    assert _problems(page) == []


@pytest.mark.parametrize("address", list(PAGES))
def test_every_page_opens_by_deep_link_and_is_saved_as_a_screenshot(server, page, address):
    page.goto(f"{server}/{address}")
    wait_for_app(page)
    assert page.inner_text("[data-testid='stMain'] h1") == PAGES[address]
    assert _problems(page) == []
    page.wait_for_timeout(1500)  # let charts finish drawing before the picture
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{address or 'overview'}.png"), full_page=True)


def _choose_unit(page, label: str) -> None:
    combo = page.get_by_role("combobox", name="Organisation unit")
    combo.click()
    page.keyboard.type(label)
    page.get_by_role("option", name=re.compile(rf"^\s*{re.escape(label)}$")).first.click()
    wait_for_app(page)


def test_a_unit_chosen_on_one_page_is_kept_on_another_and_in_the_address(server, page):
    page.goto(f"{server}/vacancies")
    wait_for_app(page)
    _choose_unit(page, "Children in Care & Care Leavers")
    assert "unit=CS-CIC" in page.url
    page.locator("[data-testid='stSidebarNav'] a", has_text="Teams").click()
    wait_for_app(page)
    assert page.inner_text("[data-testid='stMain'] h1") == "Teams"
    assert "unit=CS-CIC" in page.url
    assert "Children in Care" in page.inner_text("[data-testid='stMain']")


def test_a_copied_link_reopens_the_same_view(server, page, browser):
    page.goto(f"{server}/turnover")
    wait_for_app(page)
    _choose_unit(page, "Children in Care & Care Leavers")
    link = page.url
    other = browser.new_context().new_page()
    other.goto(link)
    wait_for_app(other)
    assert "Children in Care" in other.inner_text("[data-testid='stMain']")
    other.context.close()


def test_the_headline_csv_download_holds_exactly_the_table_shown(server, page, demo_db):
    page.goto(server)
    wait_for_app(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download table (CSV)").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["Measure"] for r in rows][:3] == ["Interim ratio (managers)", "Agency rate", "Vacancy rate"]
    from datetime import date

    from pipelines.metrics import run_metric

    as_at = date.fromisoformat(rows[0]["As at"])
    expected = run_metric(demo_db, "vacancy_rate", as_of=as_at)[0]["vacancy_rate_pct"]
    assert float(rows[2]["Value"]) == round(expected, 1)


def test_each_download_in_the_browser_is_one_entry_in_the_audit_log(server, page, demo_db):
    from pipelines import audit

    log = demo_db.parent / "audit.sqlite"  # the server's WFS_AUDIT_LOG (conftest.py)

    def downloads() -> list[dict]:
        return [e.details for e in audit.read(event="download", path=log) if e.details.get("format") == "csv"]

    page.goto(f"{server}/teams")
    wait_for_app(page)
    before = len(downloads())
    for _ in range(2):
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download table (CSV)").click()
        assert download_info.value.suggested_filename.startswith("teams-")
    # two clicks, two entries: the table's name, format, mode and file name, and nothing else
    new = downloads()[: len(downloads()) - before]
    assert [sorted(d) for d in new] == [["file_name", "format", "mode", "table"]] * 2
    assert {d["table"] for d in new} == {"teams"}
    assert "Teams" in [e.details["page"] for e in audit.read(event="page_view", path=log)]


def test_a_chart_downloads_as_a_stamped_print_quality_png(server, page):
    page.goto(f"{server}/vacancies")
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="PNG", exact=True).first.click()  # not plotly's own "png" button
    png = Path(download_info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width >= 2000  # twice the 1,100-pixel layout
    assert re.fullmatch(r"[a-z-]+-\d{4}-\d{2}-\d{2}.*\.png", download_info.value.suggested_filename)


def test_the_word_pack_downloads_from_the_pack_page(server, page):
    import docx

    page.goto(f"{server}/scrutiny-pack")
    wait_for_app(page)
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("button", name="Download the Word pack").click()
    document = docx.Document(download_info.value.path())
    assert any(p.style.name == "Heading 1" and p.text == "1. Headline measures" for p in document.paragraphs)


def test_a_link_with_values_the_view_cannot_use_says_what_was_ignored_and_shows_the_whole_service(server, page):
    page.goto(f"{server}/vacancies?unit=NOPE&as_at=banana&period=999")
    wait_for_app(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "Part of the address was ignored" in main
    assert "the unit 'NOPE' is not in this authority's structure" in main
    assert "'banana' is not a date" in main
    assert "a period of '999' months is not one of the choices" in main
    assert "Whole service; 12 months to" in main
    assert "unit=NOPE" not in page.url
    assert _problems(page) == []


def test_a_period_chosen_in_the_sidebar_travels_in_a_copied_link(server, page, browser):
    page.goto(f"{server}/turnover")
    wait_for_app(page)
    page.get_by_role("combobox", name="Period").click()
    page.get_by_role("option", name="24 months to the as-at date").click()
    wait_for_app(page)
    assert "period=" in page.url
    other = browser.new_context().new_page()
    other.goto(page.url)
    wait_for_app(other)
    main = other.inner_text("[data-testid='stMain']")
    assert "24 months to" in main and "Part of the address was ignored" not in main
    other.context.close()


def test_a_custom_period_link_opens_with_its_own_start_date(server, page):
    page.goto(f"{server}/turnover?period=custom&from=2023-03-15&as_at=2024-12-31")
    wait_for_app(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "15 Mar 2023 to 31 Dec 2024" in main
    assert "Part of the address was ignored" not in main
    assert "period=custom" in page.url and "from=2023-03-15" in page.url


LABEL_BOXES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => {
  const area = plot.querySelector('.nsewdrag');
  const box = area ? area.getBoundingClientRect() : null;
  const labels = Array.from(plot.querySelectorAll('g.annotation')).map(g => {
    const text = g.querySelector('text');
    const r = (g.querySelector('rect.bg') || text).getBoundingClientRect();
    return {text: text ? text.textContent : '', left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }).filter(l => l.text.trim() && l.text !== '●');
  return {left: box ? box.left : null, right: box ? box.right : null, labels};
})"""


@pytest.mark.parametrize("address", ["structure", "leadership", "vacancies", "turnover"])
def test_key_date_labels_never_overlap_and_stay_inside_the_chart(server, page, address):
    page.set_viewport_size({"width": 1280, "height": 1000})  # a laptop with the sidebar open
    page.goto(f"{server}/{address}?as_at=2025-12-31&period=36")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot g.annotation", timeout=60_000)
    page.wait_for_timeout(1000)  # let every chart finish drawing
    charts = page.evaluate(LABEL_BOXES)
    assert charts
    for chart in charts:
        labels = chart["labels"]
        for i, one in enumerate(labels):
            assert one["left"] >= chart["left"] - 2 and one["right"] <= chart["right"] + 2, one["text"]
            for other in labels[i + 1:]:
                apart = (one["right"] <= other["left"] or other["right"] <= one["left"]
                         or one["bottom"] <= other["top"] or other["bottom"] <= one["top"])
                assert apart, (one["text"], other["text"])
