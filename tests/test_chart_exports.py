"""Chart exports: stamped SVG/PNG (kaleido with Debian's chromium), and CSV/XLSX equal to the plotted data."""

import io
import struct
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from reporting import exports


def _export(fixture_db, tmp_path, name, suffix, *extra):
    out = tmp_path / f"{name}.{suffix}"
    result = subprocess.run([sys.executable, "-m", "pipelines", "export", "chart", name, "--db", str(fixture_db),
                             "--out", str(out), *extra], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def spec(fixture_db):
    from reporting import catalog, filters
    from reporting.source import DataSource

    src = DataSource(fixture_db)
    current = filters.Filters(unit=None, as_at=filters.default_as_at(src), months=12, tiers=(), social_work_only=False)
    return catalog.chart_names(src, current)["turnover-by-grade"]


def test_an_svg_carries_its_title_filters_source_and_definition(fixture_db, tmp_path):
    svg = _export(fixture_db, tmp_path, "turnover-by-grade", "svg", "--mode", "internal").decode("utf-8")
    assert "Turnover by grade (headcount), 01 Jan 2024 to 31 Dec 2024" in svg
    assert "Whole service; 12 months to 31 Dec 2024 (as at 31 Dec 2024); all tiers; all posts" in svg
    assert "Source: Northbridge Borough Council (demo) HR extracts, as at 31 Dec 2024" in svg
    assert "Definition: Leavers in the period" in svg
    assert "INTERNAL" in svg


def test_a_png_is_print_quality_at_twice_the_layout_size(fixture_db, tmp_path):
    png = _export(fixture_db, tmp_path, "vacancy-rate", "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (exports.WIDTH * exports.SCALE, exports.HEIGHT * exports.SCALE)


def test_the_csv_equals_the_plotted_table(fixture_db, tmp_path, spec):
    csv = pd.read_csv(io.BytesIO(_export(fixture_db, tmp_path, "turnover-by-grade", "csv", "--mode", "internal")))
    plotted = spec.table
    assert list(csv.columns) == list(plotted.columns)
    assert csv.astype(str).values.tolist() == plotted.astype(str).values.tolist()
    figure = spec.figure()
    assert [str(g) for g in figure.data[0].x] == [str(g) for g in plotted[plotted.columns[0]]]


def test_the_xlsx_holds_the_same_data_and_says_what_it_is(fixture_db, tmp_path, spec):
    book = openpyxl.load_workbook(io.BytesIO(_export(fixture_db, tmp_path, "turnover-by-grade", "xlsx",
                                                     "--mode", "internal")))
    rows = list(book["Data"].values)
    assert list(rows[0]) == list(spec.table.columns)
    assert len(rows) - 1 == len(spec.table)
    about = {r[0]: r[1] for r in book["About"].values}
    assert about["Title"].startswith("Turnover by grade") and "Whole service" in about["Filters"]


def test_publication_mode_hides_small_counts_in_the_downloaded_data(fixture_db, tmp_path):
    csv = pd.read_csv(io.BytesIO(_export(fixture_db, tmp_path, "leadership-churn-by-tier", "csv")), dtype=str)
    internal = pd.read_csv(io.BytesIO(_export(fixture_db, tmp_path, "leadership-churn-by-tier", "csv",
                                              "--mode", "internal")), dtype=str)
    assert "c" in csv.values and "c" not in internal.values


def test_a_missing_browser_is_explained_and_tables_still_export(monkeypatch):
    monkeypatch.setattr(exports, "images_available", lambda: False)
    monkeypatch.setattr(exports, "_server_started", False)
    with pytest.raises(exports.ExportUnavailable) as problem:
        exports.image_bytes(exports.go.Figure(), "png")
    assert "apt-get install -y chromium" in str(problem.value)
    assert exports.csv_bytes(pd.DataFrame({"a": [1]})) == b"a\n1\n"


def test_listing_and_unknown_charts_on_the_command_line(fixture_db):
    listing = subprocess.run([sys.executable, "-m", "pipelines", "export", "chart", "--db", str(fixture_db)],
                             capture_output=True, text=True)
    assert listing.returncode == 0 and "interim-ratio-by-tier" in listing.stdout
    unknown = subprocess.run([sys.executable, "-m", "pipelines", "export", "chart", "pie", "--db", str(fixture_db)],
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "Unknown chart 'pie'" in unknown.stderr
