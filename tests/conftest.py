from pathlib import Path

import pytest

from pipelines.ingest import ingest


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
