"""The export code stands apart from the dashboard: it runs with Streamlit unimportable, and without
chromium it says (on stderr and in the pack itself) that charts were left out, instead of silently
dropping them."""

import os
import subprocess
import sys
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]


def _without_streamlit(tmp_path) -> dict:
    """An environment in which `import streamlit` fails, as on a server with only the export tools."""
    blocker = tmp_path / "blocker" / "streamlit"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('streamlit must not be needed to export')\n")
    return {**os.environ, "PYTHONPATH": str(blocker.parent)}


def _export(args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", "export", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)


def test_the_blocker_really_blocks_streamlit(tmp_path):
    result = subprocess.run([sys.executable, "-c", "import streamlit"], capture_output=True, text=True,
                            env=_without_streamlit(tmp_path))
    assert result.returncode != 0 and "must not be needed" in result.stderr


def test_export_pack_and_chart_run_with_streamlit_unimportable(fixture_db, tmp_path):
    env = _without_streamlit(tmp_path)
    pack = _export(["pack", "--db", str(fixture_db), "--sections", "turnover", "teams", "--out",
                    str(tmp_path / "pack.docx")], env)
    assert pack.returncode == 0, pack.stderr
    assert "Turnover and stability" in " ".join(p.text for p in docx.Document(tmp_path / "pack.docx").paragraphs)
    chart = _export(["chart", "turnover-by-grade", "--db", str(fixture_db), "--out", str(tmp_path / "t.csv")], env)
    assert chart.returncode == 0, chart.stderr
    listing = _export(["chart", "--db", str(fixture_db)], env)
    assert listing.returncode == 0 and "turnover-by-grade" in listing.stdout


def test_no_module_of_the_export_layer_or_the_engine_imports_streamlit():
    for folder in ("reporting", "pipelines"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import streamlit" not in text and "from streamlit" not in text, path
            assert "from dashboard" not in text and "import dashboard" not in text, path
    for path in (ROOT / "pipelines").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "export_cli.py":  # the command line's one door to the export code
            assert "from reporting" not in text and "import reporting" not in text, path


def test_without_chromium_the_pack_says_charts_were_left_out_on_stderr_and_in_its_data_statement(fixture_db,
                                                                                                   tmp_path):
    # A PATH holding only this Python: no chromium to be found.
    only_python = tmp_path / "bin"
    only_python.mkdir()
    (only_python / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(only_python)}
    out = tmp_path / "no-images.docx"
    result = _export(["pack", "--db", str(fixture_db), "--sections", "turnover", "--out", str(out)], env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "chart(s) were left out of the pack" in result.stderr
    assert "Chromium" in result.stderr
    text = [p.text for p in docx.Document(out).paragraphs]
    statement = text[text.index("Appendix B. About the data"):]
    # the fixture's turnover section has two charts (turnover by grade, stability by grade)
    assert any(line.startswith("2 charts were left out of this pack because chart images could not be made")
               for line in statement), statement
    assert any(line.startswith("[Chart not included:") for line in text)
