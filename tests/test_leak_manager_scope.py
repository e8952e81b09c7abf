"""The leak test: a manager whose access is one service of the demo authority (Children in Need & Protection,
CS-CIN) opens every page, every table, every chart, every download's content and the Word pack, and nothing
names a unit of another service, shows the id of a post that never sat in their service, or lists a holder
row of such a post (those rows carry the post id).

"Another service" is every unit that was never at or below CS-CIN and is not above it (the directorate's own
name, Children's Services, is the breadcrumb's root context and the authority's name is on every paper)."""

import json
import re
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from pipelines.access_rules import MANAGER, Access
from reporting import catalog, exports
from reporting.access import WHOLE_SERVICE_ONLY
from reporting.filters import Filters, default_as_at
from reporting.pack_builder import make_pack
from reporting.source import DataSource
from reporting.suppression import INTERNAL, PUBLICATION
from tests.apptest_helpers import SIGN_IN_SECRETS

ROOT = Path(__file__).resolve().parent.parent
SERVICE = "CS-CIN"
RULES = f"""
ask = "HR analytics"

[[rule]]
name = "AD, Children in Need & Protection"
access = "manager"
units = ["{SERVICE}"]
internal_exports = true
emails = ["ad.cin@example.gov.uk"]
"""
USER = {"is_logged_in": True, "email": "ad.cin@example.gov.uk", "sub": "u-ad-cin"}
PAGES = ["pages/overview_page.py", "pages/leadership_page.py", "pages/turnover_page.py", "pages/vacancies_page.py",
         "pages/structure_page.py", "pages/teams_page.py", "pages/agency_page.py",
         "pages/forecast_page.py", "pages/benchmarks_page.py", "pages/scrutiny_pack_page.py"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo authority with DfE's shipped figures and its own published return, as `make run` builds it."""
    from pipelines.authority import DEMO, set_identity
    from pipelines.benchmarks.importer import import_files
    from pipelines.census.importer import import_returns
    from pipelines.cli import write_demo_census, write_demo_return
    from pipelines.demo import write_demo
    from pipelines.ingest import ingest

    folder = tmp_path_factory.mktemp("leak")
    write_demo(folder / "extracts")
    db = folder / "demo.duckdb"
    ingest(folder / "extracts", db, key_path=folder / "demo.key")
    set_identity(db, DEMO, demo=True)  # the demo authority's name and DfE codes, as `pipelines demo --db` sets
    write_demo_return(db, folder / "published_return.csv")
    import_files([*sorted((ROOT / "data" / "dfe").glob("*.csv")), folder / "published_return.csv"], db)
    write_demo_census(db, folder / "census")  # the demo's census returns, as `make run` imports them
    import_returns(sorted((folder / "census").glob("*.xml")), db, key_path=folder / "demo.key")
    return db


@pytest.fixture(scope="module")
def forbidden(demo) -> list[re.Pattern]:
    """Names and ids of units of other services, and ids of posts that never sat at or below CS-CIN."""
    con = duckdb.connect(str(demo), read_only=True)
    try:
        mine = {r[0] for r in con.execute("select distinct descendant_id from unit_ancestry where ancestor_id = $s",
                                          {"s": SERVICE}).fetchall()}
        above = {r[0] for r in con.execute("select distinct ancestor_id from unit_ancestry where descendant_id = $s",
                                           {"s": SERVICE}).fetchall()}
        units = con.execute("select unit_id, unit_name from unit_rows").fetchall()
        posts = con.execute("select post_id, unit_id from post_rows").fetchall()
    finally:
        con.close()
    other_units = {(u, n) for u, n in units if u not in mine | above}
    ours = {n for u, n in units if u in mine | above}
    other_posts = {p for p, _ in posts} - {p for p, u in posts if u in mine}
    assert len(other_units) > 40 and len(other_posts) > 200  # the demo's two other services and the QS teams
    words = {n for _, n in other_units if n not in ours} | {u for u, _ in other_units} | other_posts
    return [re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])") for w in sorted(words)]


def _leaks(text: str, forbidden: list[re.Pattern]) -> list[str]:
    return [p.pattern for p in forbidden if p.search(text)]


def _everything_shown(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "error", "warning", "success", "title", "header",
                                  "subheader") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [json.dumps(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]
    parts += [" ".join(map(str, box.options)) for box in at.sidebar.selectbox] + [b.label for b in at.button]
    return "\n".join(parts)


def test_a_manager_of_one_service_never_sees_another_services_units_posts_or_holders(demo, forbidden, tmp_path,
                                                                                     monkeypatch):
    rules = tmp_path / "access.toml"
    rules.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("WFS_DB", str(demo))
    monkeypatch.setenv("WFS_ACCESS", str(rules))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = SIGN_IN_SECRETS
    at.user = USER
    at.run()
    seen = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        text = _everything_shown(at)
        assert "Children in Need" in text, page  # the page really shows the manager's service
        seen.append((page, _leaks(text, forbidden)))
    assert [(page, found) for page, found in seen if found] == []
    # The census returns cover the whole authority: the page refuses, rather than show another service's staff.
    at.switch_page("pages/census_page.py").run()
    assert [e.value for e in at.error] == [WHOLE_SERVICE_ONLY] and not at.metric and not at.dataframe


def test_every_download_and_the_word_pack_for_that_manager_stay_inside_their_service(demo, forbidden):
    mode = INTERNAL  # internal use shows every number and row, so it holds everything publication could
    src = DataSource(demo, access=Access(MANAGER, (SERVICE,), True, "AD"))
    current = Filters(unit=SERVICE, as_at=default_as_at(src), months=12, tiers=(), social_work_only=False)
    files = []
    for section in catalog.build_sections(src, current, catalog.DEFAULT_SECTIONS, mode):
        for spec in section.charts:
            table = spec.published_table(mode)
            files.append((spec.name, exports.csv_bytes(table).decode("utf-8-sig") + spec.title + spec.summary))
            if spec.draw is not None:
                files.append((spec.name + " figure", spec.published_figure(mode).to_json()))
    pack = Document(BytesIO(make_pack(src, current, catalog.DEFAULT_SECTIONS, mode).content))
    words = [p.text for p in pack.paragraphs] + [c.text for t in pack.tables for row in t.rows for c in row.cells]
    files.append(("Word pack", "\n".join(words)))
    assert any("Children in Need" in text for _, text in files)
    assert [(name, _leaks(text, forbidden)) for name, text in files if _leaks(text, forbidden)] == []


def test_a_managers_pack_never_claims_our_hr_figures_match_the_published_return(demo):
    src = DataSource(demo, access=Access(MANAGER, (SERVICE,), True, "AD"))
    current = Filters(unit=SERVICE, as_at=default_as_at(src), months=12, tiers=(), social_work_only=False)
    [section] = catalog.build_sections(src, current, ("benchmarks",), PUBLICATION)
    assert "Our own HR figures cover the whole authority" in section.charts[0].summary
    assert "match the published return" not in section.charts[0].summary
