"""Keyed pseudonyms for person_id (HMAC-SHA256), so the database holds no employee numbers.

The key lives outside the database, in a file created on first use. The same key gives the
same pseudonym for the same person in every load, so histories join up and reloading is idempotent.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "WFS_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_PATH = Path.home() / ".config" / "workforce-stability" / "pseudonym.key"


def key_path(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    return Path(os.environ[KEY_ENV]) if os.environ.get(KEY_ENV) else DEFAULT_KEY_PATH


def load_or_create_key(path: Path) -> bytes:
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return bytes.fromhex(key)


def pseudonymiser(key: bytes):
    cache: dict[str, str] = {}

    def pseudonym(person_id: str) -> str:
        if person_id not in cache:
            cache[person_id] = hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        return cache[person_id]

    return pseudonym
