"""Keyed pseudonyms for person_id (HMAC-SHA256), so the database holds no employee numbers.

The key lives outside the database, in a file created on first use. The same key gives the
same pseudonym for the same person in every load, so histories join up and reloading is idempotent.
"""

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import NoReturn

from pipelines.errors import UsageError

KEY_ENV = "WFS_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_PATH = Path.home() / ".config" / "workforce-stability" / "pseudonym.key"


def key_path(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    return Path(os.environ[KEY_ENV]) if os.environ.get(KEY_ENV) else DEFAULT_KEY_PATH


MIN_KEY_BYTES = 32  # 256 bits, SHA-256's own output size; a new key is exactly this long


class BadKeyFile(UsageError):
    """The key file exists but cannot be used; nothing is loaded (a wrong key would split histories)."""


def _refuse(path: Path, why: str) -> NoReturn:
    raise BadKeyFile(f"The pseudonym key file {path} {why} Nothing was loaded. (Key files: "
                     "docs/PREPARING_EXTRACTS.md, section 5.)")


def read_key(path: Path) -> bytes:
    """The key in `path`, refused in plain words if the file is unusable or readable by other accounts.
    The key's text is never repeated in a message."""
    if path.is_dir():
        _refuse(path, "is a folder. Give the key file itself with --key FILE.")
    try:
        mode = path.stat().st_mode
    except OSError:
        _refuse(path, "cannot be read (a link to a file that is not there?).")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        _refuse(path, f"can be read or changed by other accounts (permissions {stat.filemode(mode)[1:]}). "
                      f"Make it private to this account with: chmod 600 {path}")
    try:
        text = path.read_bytes().decode("ascii").strip()
    except PermissionError:
        _refuse(path, "cannot be read by this account.")
    except UnicodeDecodeError:
        _refuse(path, "is not a key file: a key is one line of hexadecimal text (0-9, a-f).")
    if not text:
        _refuse(path, "is empty. Restore the key from your backup; if it is truly lost, move the empty file "
                      "away and the next load makes a new key (earlier histories will then not join up).")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        _refuse(path, "is not a key file: a key is one line of hexadecimal text (0-9, a-f).")
    if len(key) < MIN_KEY_BYTES:
        _refuse(path, f"holds a key of {len(key)} bytes; a key must be at least {MIN_KEY_BYTES} bytes "
                      f"({2 * MIN_KEY_BYTES} hexadecimal characters). Restore the right key file.")
    return key


def load_or_create_key(path: Path) -> bytes:
    if path.exists() or path.is_symlink():
        return read_key(path)
    if path.parent.exists() and not path.parent.is_dir():
        raise BadKeyFile(f"Cannot create the pseudonym key file {path}: {path.parent} is a file, not a folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadKeyFile(f"Cannot create the pseudonym key file {path} ({error.strerror}).") from None
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise BadKeyFile(f"Cannot create the pseudonym key file {path} ({error.strerror}).") from None
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
