from pathlib import Path

import pytest

from pipelines.ingest import ingest


@pytest.fixture(autouse=True)
def audit_log(tmp_path, monkeypatch) -> Path:
    """Every test's audit log is its own file in tmp_path (WFS_AUDIT_LOG), never the project's."""
    path = tmp_path / "audit" / "audit.sqlite"
    monkeypatch.setenv("WFS_AUDIT_LOG", str(path))
    return path


@pytest.fixture
def key_file(tmp_path) -> Path:
    return tmp_path / "secrets" / "pseudonym.key"


@pytest.fixture
def load(tmp_path, key_file):
    """Ingest a folder into a fresh database in tmp_path; returns (db_path, report)."""

    def _load(folder: Path, db_name: str = "test.duckdb"):
        db = tmp_path / db_name
        return db, ingest(folder, db, key_path=key_file)

    return _load


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    from tests.fixture_db import build_fixture_db

    return build_fixture_db(tmp_path_factory.mktemp("fixture"))


@pytest.fixture
def app(fixture_db, monkeypatch):
    """An AppTest of app.py on the fixture database; switch pages with app.switch_page(path).run()."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WFS_DB", str(fixture_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    return at


@pytest.fixture
def build(load, tmp_path):
    """Write an extract from rows and load it; fails the test if any row is held back."""
    from itertools import count

    from tests.extract_builder import ORG, write_extract

    numbers = count()

    def _build(*, posts, assignments, org=ORG, caseloads=None):
        n = next(numbers)
        folder = write_extract(tmp_path / f"src{n}", org_units=org, posts=posts, assignments=assignments,
                               caseloads=caseloads)
        db, report = load(folder, db_name=f"db{n}.duckdb")
        assert report.status == "loaded", report.summary()
        assert not report.quarantined, report.quarantined
        return db

    return _build
