"""The pseudonym key file: a new one is private (mode 600); an unusable or shared one is refused in plain
words, exit status 2, with nothing loaded and the key's text never repeated."""

import subprocess
import sys

import pytest

from pipelines.ingest import ingest
from pipelines.pseudonym import BadKeyFile, load_or_create_key
from tests.test_load import FIRST, extract

GOOD_KEY = "ab" * 32  # 64 hexadecimal characters = 32 bytes, the shortest key allowed


def key_file(tmp_path, content: bytes, mode: int = 0o600):
    path = tmp_path / "pseudonym.key"
    path.write_bytes(content)
    path.chmod(mode)
    return path


def test_a_new_key_is_32_random_bytes_in_a_file_only_its_owner_can_read(tmp_path):
    path = tmp_path / "new" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="ascii") == key.hex() + "\n"
    assert load_or_create_key(path) == key  # the second load reads the same key back


def test_a_key_of_exactly_32_bytes_with_surrounding_blank_lines_is_accepted(tmp_path):
    assert load_or_create_key(key_file(tmp_path, f"\n{GOOD_KEY}\n\n".encode())) == bytes.fromhex(GOOD_KEY)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"\n  \n", "is empty"),
    (("ab" * 31).encode(), "holds a key of 31 bytes; a key must be at least 32 bytes"),  # 62 hex chars = 31 bytes
    (b"this is not hexadecimal at all, it is a sentence", "is not a key file"),
    (("ab" * 31 + "\u00e9\u00e9").encode("utf-8"), "is not a key file"),  # not ASCII text
    (b"\xff\xfe" + GOOD_KEY.encode("utf-16-le"), "is not a key file"),  # a UTF-16 copy of a good key
    (GOOD_KEY[:-1].encode(), "is not a key file"),  # 63 characters: half a byte missing
])
def test_an_unusable_key_file_is_refused_saying_why(tmp_path, content, words):
    with pytest.raises(BadKeyFile, match=words):
        load_or_create_key(key_file(tmp_path, content))


def test_a_key_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(BadKeyFile, match="is a folder"):
        load_or_create_key(tmp_path)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660, 0o620])
def test_a_key_other_accounts_can_read_or_change_is_refused_with_the_chmod_that_fixes_it(tmp_path, mode):
    path = key_file(tmp_path, GOOD_KEY.encode(), mode)
    with pytest.raises(BadKeyFile, match=f"chmod 600 {path}") as refused:
        load_or_create_key(path)
    assert GOOD_KEY not in str(refused.value)
    path.chmod(0o600)  # the fix the message gives
    assert load_or_create_key(path) == bytes.fromhex(GOOD_KEY)


def test_the_command_line_refuses_a_bad_key_with_exit_2_one_line_and_nothing_loaded(tmp_path):
    folder = extract(tmp_path / "one", FIRST)
    secret = "cd" * 40  # a long enough key, but shared with the group
    key = key_file(tmp_path, secret.encode(), 0o640)
    db = tmp_path / "w.duckdb"
    result = subprocess.run([sys.executable, "-m", "pipelines", "ingest", str(folder), "--db", str(db),
                             "--key", str(key)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "chmod 600" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and secret not in result.stderr
    assert not db.exists()


def test_a_refused_key_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest(extract(tmp_path / "one", FIRST), db, key_path=tmp_path / "good.key")
    before = db.read_bytes()
    with pytest.raises(BadKeyFile):
        ingest(extract(tmp_path / "one", FIRST), db, key_path=key_file(tmp_path, b""))
    assert db.read_bytes() == before
