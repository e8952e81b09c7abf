"""DfE benchmark files: import (every row, spot values, neighbours, symbols, releases, atomic swap),
carrying the tables over a reload, and download from a loopback server. The DfE files are the copies
that ship with the product in data/dfe/ (tests/test_dfe_shipped.py checks they are DfE's, unchanged)."""

import argparse
import csv
import functools
import hashlib
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from pipelines.benchmarks import cli
from pipelines.benchmarks.download import DownloadFailed, download
from pipelines.benchmarks.importer import copy_benchmark_tables, import_files
from pipelines.errors import LoadRefused
from pipelines.settings import load_settings

DFE = Path(__file__).resolve().parents[1] / "data" / "dfe"
INDICATORS = DFE / "csww_indicators_2017_to_2025.csv"
NEIGHBOURS = DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"
CLA = DFE / "la_cla_swcount.csv"


@pytest.fixture
def db(fixture_db, tmp_path) -> Path:
    """A private copy of the fixture workforce database (imports replace the file)."""
    copy = tmp_path / "workforce.duckdb"
    shutil.copyfile(fixture_db, copy)
    return copy


def query(db: Path, sql: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


HEADER = csv_rows(INDICATORS)[0].keys()


def write_indicators(path: Path, rows: list[dict]) -> Path:
    """A small file in DfE's layout; unspecified cells are 'x' (not available)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HEADER))
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "x") for name in HEADER})
    return path


# ------------------------------------------------------------------------------------------- import

def test_the_importer_reads_every_row_of_the_indicators_file(db):
    import_files([INDICATORS], db)
    assert query(db, "select count(*) from dfe_indicators")[0][0] == len(csv_rows(INDICATORS)) == 1463


def test_england_2025_turnover_is_11_8_and_vacancy_rate_14_2(db):
    import_files([INDICATORS], db)
    turnover, vacancy, in_post = query(
        db, "select turnover_rate_fte, vacancy_rate_fte, inpost_fte from dfe_indicators "
            "where geographic_level = 'National' and time_period = 2025")[0]
    assert (turnover, vacancy, in_post) == (11.8, 14.2, 36186.3)


def test_medway_887_has_the_ten_neighbours_of_the_groupings_file(db):
    import_files([NEIGHBOURS], db)
    rows = query(db, "select neighbour_rank, neighbour_number, closeness from dfe_statistical_neighbours "
                     "where la_number = '887' and not superseded order by neighbour_rank")
    assert [r[1] for r in rows] == ["866", "894", "332", "882", "886", "883", "941", "372", "311", "940"]
    assert [r[0] for r in rows] == list(range(1, 11))
    assert {r[2] for r in rows} == {"Very Close"}
    with duckdb.connect(str(db), read_only=True) as con:
        from pipelines.views import run_view

        names = run_view(con, "benchmark_neighbour_list", {"la_number": "887"})["neighbour_name"].tolist()
    assert names[:4] == ["Swindon", "Telford and Wrekin", "Dudley", "Southend-on-Sea"]


def test_authorities_after_the_old_sns_line_are_kept_but_marked_superseded(db):
    import_files([NEIGHBOURS], db)
    assert query(db, "select distinct la_name from dfe_statistical_neighbours where superseded order by 1") == [
        ("Bournemouth (Pre LG)",), ("Dorset (Pre LG)",), ("Northamptonshire",), ("Poole (Pre LG)",)]


def test_a_c_cell_becomes_missing_with_its_symbol_kept(db):
    import_files([INDICATORS], db)
    original = next(r for r in csv_rows(INDICATORS) if r["absence_rate_fte"] == "c")
    value, symbol = query(db, "select absence_rate_fte, absence_rate_fte_symbol from dfe_indicators "
                              "where time_period = $y and la_name = $n",
                          {"y": int(original["time_period"]), "n": original["la_name"]})[0]
    assert value is None and symbol == "c"


@pytest.mark.parametrize("cell, value, symbol", [
    ("c", None, "c"), ("x", None, "x"), ("z", None, "z"), ("u", None, "u"), ("low", None, "low"),
    ("12.5", 12.5, None), ("0", 0.0, None), ("", None, None)])
def test_every_dfe_symbol_becomes_a_missing_value_and_keeps_its_meaning(db, tmp_path, cell, value, symbol):
    row = {"time_period": "2025", "geographic_level": "National", "country_code": "E92000001",
           "country_name": "England", "region_code": "", "region_name": "", "old_la_code": "", "new_la_code": "",
           "la_name": "", "agency_rate_fte": cell}
    import_files([write_indicators(tmp_path / "one.csv", [row])], db)
    assert query(db, "select agency_rate_fte, agency_rate_fte_symbol from dfe_indicators") == [(value, symbol)]
    if symbol:
        meaning = query(db, "select meaning from dfe_symbols where symbol = $s", {"s": symbol})[0][0]
        assert meaning


def test_a_cell_that_is_neither_number_nor_symbol_is_refused_with_its_row_and_column(db, tmp_path):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    rows = [{"time_period": "2025", "geographic_level": "National", "turnover_rate_fte": "11.8"},
            {"time_period": "2025", "geographic_level": "Regional", "turnover_rate_fte": "twelve"}]
    with pytest.raises(LoadRefused) as refused:
        import_files([write_indicators(tmp_path / "bad.csv", rows)], db)
    assert any("row 3, column turnover_rate_fte: 'twelve'" in p for p in refused.value.problems)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # the database is untouched


def test_a_file_of_another_kind_is_refused_with_what_is_expected(db, tmp_path):
    other = tmp_path / "staff.csv"
    other.write_text("name,grade\nA,Band 9\n", encoding="utf-8")
    with pytest.raises(LoadRefused, match="not a DfE file this command knows"):
        import_files([other], db)


def test_a_newer_release_replaces_the_older_and_both_are_recorded(db, tmp_path):
    older = write_indicators(tmp_path / "csww_2017_to_2024.csv",
                             [r for r in csv_rows(INDICATORS) if r["time_period"] != "2025"])
    import_files([older], db)
    assert query(db, "select max(time_period) from dfe_indicators")[0][0] == 2024
    import_files([INDICATORS], db)
    assert query(db, "select max(time_period), count(*) from dfe_indicators")[0] == (2025, 1463)
    releases = query(db, "select file_name, latest_time_period, row_count, sha256 from dfe_releases "
                         "where kind = 'indicators' order by imported_at, file_name")
    assert [(r[0], r[1]) for r in releases] == [("csww_2017_to_2024.csv", "2024"),
                                                ("csww_indicators_2017_to_2025.csv", "2025")]
    assert releases[1][2] == 1463
    assert releases[1][3] == hashlib.sha256(INDICATORS.read_bytes()).hexdigest()
    with pytest.raises(LoadRefused, match="older than"):
        import_files([older], db)  # a stray old download cannot quietly replace newer figures
    import_files([older], db, allow_older=True)
    assert query(db, "select max(time_period) from dfe_indicators")[0][0] == 2024


def test_importing_the_same_file_again_changes_nothing(db):
    import_files([INDICATORS, NEIGHBOURS, CLA], db)
    before = db.stat().st_ino, db.stat().st_mtime_ns
    report = import_files([INDICATORS], db)
    assert report.status == "unchanged" and report.unchanged == [INDICATORS.name]
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == before


def test_an_import_swaps_in_a_complete_new_file_and_keeps_the_workforce_tables(db):
    reader = duckdb.connect(str(db), read_only=True)  # like the dashboard's connection
    inode = db.stat().st_ino
    import_files([INDICATORS, NEIGHBOURS, CLA], db)
    assert db.stat().st_ino != inode  # os.replace: a new file, not an edit in place
    assert reader.execute("select count(*) from post_rows").fetchone()[0] > 0  # old readers carry on
    reader.close()
    assert query(db, "select count(*) from post_rows")[0][0] > 0
    assert query(db, "select count(*) from dfe_cla_sw_count")[0][0] == 330
    assert not [p for p in db.parent.iterdir() if p.name.startswith(".")]  # no building files left behind


def test_the_dfe_tables_are_carried_into_a_rebuilt_database(db, tmp_path):
    import_files([INDICATORS, NEIGHBOURS], db)
    with duckdb.connect(str(tmp_path / "rebuilt.duckdb")) as con:
        copied = copy_benchmark_tables(db, con)
        # whose data it is travels with the DfE figures (pipelines/authority.py)
        assert sorted(copied) == ["authority_identity", "dfe_cla_sw_count", "dfe_indicators", "dfe_releases",
                                  "dfe_statistical_neighbours", "dfe_symbols"]
        assert con.execute("select count(*) from dfe_indicators").fetchone()[0] == 1463
        assert con.execute("select count(*) from duckdb_databases() where database_name = 'benchmark_source'"
                           ).fetchone()[0] == 0
    with duckdb.connect(str(tmp_path / "fresh.duckdb")) as con:
        assert copy_benchmark_tables(tmp_path / "missing.duckdb", con) == []


def test_import_needs_an_existing_workforce_database(tmp_path):
    with pytest.raises(LoadRefused, match="Load the HR extracts first"):
        import_files([INDICATORS], tmp_path / "none.duckdb")


# ------------------------------------------------------------------------------------------- download

def _serve(handler):
    """An HTTP server on 127.0.0.1 in a thread; yields its base address, then stops."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def loopback():
    """The shipped DfE folder served on loopback."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(DFE))
    handler.log_message = lambda *args: None
    yield from _serve(handler)


def test_download_fetches_the_files_from_the_publisher(loopback, tmp_path):
    files = download({"indicators": f"{loopback}/{INDICATORS.name}", "neighbours": f"{loopback}/{NEIGHBOURS.name}"},
                     tmp_path / "dfe", timeout=5)
    assert [f.name for f in files] == [INDICATORS.name, NEIGHBOURS.name]
    assert files[0].read_bytes() == INDICATORS.read_bytes()
    assert not list((tmp_path / "dfe").glob("*.part"))


def test_benchmarks_download_command_fetches_and_imports(loopback, db, tmp_path, monkeypatch, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[benchmarks]\nindicators_url = "{loopback}/{INDICATORS.name}"\n'
                        f'neighbours_url = "{loopback}/{NEIGHBOURS.name}"\ntimeout_seconds = 5\n', encoding="utf-8")
    monkeypatch.setenv("WFS_SETTINGS", str(settings))
    load_settings.cache_clear()
    try:
        parser = argparse.ArgumentParser()
        cli.register(parser.add_subparsers(dest="command"))
        args = parser.parse_args(["benchmarks", "download", "--db", str(db), "--out", str(tmp_path / "got")])
        assert cli.run(args) == 0
    finally:
        load_settings.cache_clear()
    assert "Imported csww_indicators_2017_to_2025.csv" in capsys.readouterr().out
    assert query(db, "select count(*) from dfe_indicators")[0][0] == 1463
    assert (tmp_path / "got" / NEIGHBOURS.name).exists()


def test_when_offline_download_says_how_to_get_the_files_by_hand(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{INDICATORS.name}"
    with pytest.raises(DownloadFailed) as failed:
        download({"indicators": url}, tmp_path / "dfe", timeout=2)
    message = str(failed.value)
    assert message.startswith(f"Could not reach {url}")
    assert "download the files by hand from" in message and "benchmarks import FILE" in message
    assert not list((tmp_path / "dfe").glob("*"))


def test_a_missing_file_on_the_server_is_a_clear_error(loopback, tmp_path):
    with pytest.raises(DownloadFailed, match="answered 404"):
        download({"indicators": f"{loopback}/gone.csv"}, tmp_path, timeout=5)


def test_download_insists_on_https_except_on_loopback(tmp_path):
    with pytest.raises(DownloadFailed, match="must start with https://"):
        download({"indicators": "http://example.org/file.csv"}, tmp_path, timeout=2)


class _CatalogueLike(SimpleHTTPRequestHandler):
    """Answers as Explore Education Statistics does: the data catalogue address
    /data-catalogue/data-set/<id>/csv redirects (301) to the content service's
    /api/data-set-files/<id>/download, which sends the CSV named in Content-Disposition.
    /elsewhere redirects to a plain-http address that is not this computer."""

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        parts = self.path.strip("/").split("/")
        if parts[:2] == ["data-catalogue", "data-set"] and parts[-1] == "csv":
            return self._redirect(f"{base}/api/data-set-files/{parts[2]}/download")
        if parts[:2] == ["api", "data-set-files"]:
            body = INDICATORS.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Disposition", f'attachment; filename="{INDICATORS.name}"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        if parts == ["elsewhere"]:
            return self._redirect("http://192.0.2.1/file.csv")  # TEST-NET-1: never reached
        self.send_error(404)
        return None

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def catalogue():
    yield from _serve(_CatalogueLike)


def test_a_data_catalogue_address_is_followed_to_the_file_and_keeps_dfes_file_name(catalogue, tmp_path):
    # The shape of the default indicators_url in data/settings.toml, served from this computer.
    url = f"{catalogue}/data-catalogue/data-set/6d765688-fb18-4f13-8e8e-be816bc63b17/csv"
    [got] = download({"indicators": url}, tmp_path / "got", timeout=5)
    assert got.name == INDICATORS.name
    assert got.read_bytes() == INDICATORS.read_bytes()


def test_a_redirect_to_a_plain_http_address_is_refused_before_connecting(catalogue, tmp_path):
    with pytest.raises(DownloadFailed, match="not https://") as failed:
        download({"indicators": f"{catalogue}/elsewhere"}, tmp_path / "got", timeout=2)
    assert "download the file by hand from https://explore-education-statistics" in str(failed.value).lower()
    assert not list((tmp_path / "got").glob("*"))
