"""One writer at a time: real `ingest` and `benchmarks import` processes started together on one
database. With time to wait, both finish and neither write is lost; with none, the second says who
holds the database and exits 2, changing nothing."""

import os
import re
import subprocess
import sys

import duckdb
import pytest

from pipelines.writelock import AnotherLoadRunning, lock_path, writer_lock
from tests.test_load import FIRST, SECOND, extract
from tests.test_workforce_db import write_neighbours

BUSY = re.compile(r"another load is running \(started \d\d:\d\d by PID (\d+)\)")


def start(*args):
    return subprocess.Popen([sys.executable, "-m", "pipelines", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process):
    out, err = process.communicate(timeout=300)
    assert "Traceback" not in out + err
    return process.returncode, err


def query(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "w.duckdb"
    code, err = finish(start("ingest", extract(tmp_path / "one", FIRST), "--db", db, "--key", tmp_path / "k.key"))
    assert code == 0, err
    return db


def test_two_loads_started_together_both_land_in_the_history(tmp_path, loaded):
    key = tmp_path / "k.key"
    two, three = extract(tmp_path / "two", SECOND), extract(tmp_path / "three", SECOND[1:])
    first = start("ingest", two, "--db", loaded, "--key", key, "--wait", 120)
    second = start("ingest", three, "--db", loaded, "--key", key, "--wait", 120)
    assert finish(first)[0] == 0 and finish(second)[0] == 0
    # 1 load before + 2 now = 3 history rows, the two new ones from two and three (in either order)
    sources = [row[0] for row in query(loaded, "select source_folder from loads order by load_id")]
    assert len(sources) == 3 and sorted(sources[1:]) == sorted([str(two), str(three)])
    assert query(loaded, "select count(distinct load_id) from load_files") == [(3,)]


def test_a_load_and_a_dfe_import_started_together_both_keep_their_data(tmp_path, loaded):
    load = start("ingest", extract(tmp_path / "two", SECOND), "--db", loaded, "--key", tmp_path / "k.key",
                 "--wait", 120)
    imports = start("benchmarks", "import", write_neighbours(tmp_path / "sn.csv"), "--db", loaded, "--wait", 120)
    assert finish(load)[0] == 0 and finish(imports)[0] == 0
    assert query(loaded, "select count(*) from loads") == [(2,)]
    # the import's 10 neighbour rows survive whichever wrote last: a load carries the DfE tables over
    assert query(loaded, "select count(*) from dfe_statistical_neighbours") == [(10,)]


@pytest.mark.parametrize("command", ["ingest", "benchmarks import"])
def test_a_writer_that_cannot_wait_long_enough_says_who_holds_the_database_and_changes_nothing(
        tmp_path, loaded, command):
    before = loaded.read_bytes()
    args = (["ingest", extract(tmp_path / "two", SECOND), "--key", tmp_path / "k.key"] if command == "ingest"
            else ["benchmarks", "import", write_neighbours(tmp_path / "sn.csv")])
    with writer_lock(loaded, wait_seconds=0):  # this test process is the load that is running
        started = lock_path(loaded).read_text().split()[1]  # HH:MM, as the lock file records it
        code, err = finish(start(*args, "--db", loaded, "--wait", 0.3))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("Error: another load is running")
    assert f"(started {started} by PID {os.getpid()})" in err and re.fullmatch(r"\d\d:\d\d", started)
    assert loaded.read_bytes() == before


def test_two_writers_started_together_with_no_wait_one_loads_and_the_other_is_told_or_waits_its_turn(
        tmp_path, loaded):
    """Neither outcome of the race loses a write: a refused writer changed nothing and said so."""
    key = tmp_path / "k.key"
    two, three = extract(tmp_path / "two", SECOND), extract(tmp_path / "three", SECOND[1:])
    results = [finish(p) for p in [start("ingest", folder, "--db", loaded, "--key", key, "--wait", 0)
                                   for folder in (two, three)]]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2])
    assert all(BUSY.search(err) for code, err in results if code == 2)
    assert query(loaded, "select count(*) from loads") == [(1 + codes.count(0),)]


def test_the_lock_is_released_when_the_block_fails_and_the_file_keeps_no_holder(tmp_path):
    db = tmp_path / "w.duckdb"
    with pytest.raises(RuntimeError), writer_lock(db, wait_seconds=0):
        assert lock_path(db).read_text().split()[0] == str(os.getpid())
        raise RuntimeError("a load failing part way")
    with writer_lock(db, wait_seconds=0):  # taken again at once: the failure released it
        pass
    assert lock_path(db).read_text() == ""


def test_a_second_lock_in_another_process_waits_then_refuses(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = ("import sys, time; from pathlib import Path; from pipelines.writelock import writer_lock\n"
              "with writer_lock(Path(sys.argv[1]), 0):\n    print('held', flush=True); time.sleep(30)")
    process = subprocess.Popen([sys.executable, "-c", holder, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "held"
        with pytest.raises(AnotherLoadRunning, match=f"by PID {process.pid}\\)"), writer_lock(db, wait_seconds=0.2):
            pass
    finally:
        process.kill()
        process.wait()
    with writer_lock(db, wait_seconds=5):  # a killed holder's lock is released by the operating system
        pass
