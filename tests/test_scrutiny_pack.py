"""The Word scrutiny pack, read back with python-docx, and the export command line."""

import subprocess
import sys
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn

from reporting.suppression import MODE_NOTES


def _pack(fixture_db, tmp_path, mode: str, *extra) -> docx.Document:
    out = tmp_path / f"pack-{mode}.docx"
    result = subprocess.run([sys.executable, "-m", "pipelines", "export", "pack", "--db", str(fixture_db),
                             "--mode", mode, "--out", str(out), *extra], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return docx.Document(str(out))


@pytest.fixture(scope="module")
def packs(fixture_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    return {mode: _pack(fixture_db, folder, mode) for mode in ("publication", "internal")}


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _alt_texts(document) -> list[str]:
    return [e.get("descr") for e in document.element.body.iter(qn("wp:docPr"))]


def _cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_the_pack_has_a_title_page_contents_sections_and_appendices_in_word_heading_styles(packs):
    document = packs["publication"]
    assert document.paragraphs[1].style.name == "Title"
    assert "as at 31 December 2024" in " ".join(p.text for p in document.paragraphs[:8])
    assert _headings(document, 1) == ["Contents", "1. Headline measures", "2. Leadership and interims",
                                      "3. Turnover and stability", "4. Vacancies", "5. Structure changes",
                                      "6. Front-line teams", "7. Benchmarks against DfE's published figures",
                                      "Appendix A. Definitions", "Appendix B. About the data"]


def test_every_chart_section_has_its_images_with_alt_text_and_a_table_each(packs):
    document = packs["publication"]
    alts = _alt_texts(document)
    assert len(alts) >= 8 and all(alts)
    assert any(a.startswith("Interim ratio by management tier") for a in alts)
    assert len(document.tables) >= len(alts)


def test_summaries_are_generated_from_the_numbers(packs):
    text = "\n".join(p.text for p in packs["internal"].paragraphs)
    # fixture: interim I1 in DIR of 3 management posts on 2024-12-31 -> 33.3%
    assert "The interim ratio in management posts was 33.3% on 31 December 2024" in text


def test_publication_mode_suppresses_small_numbers_and_internal_mode_does_not(packs):
    # the fixture's leadership churn has 3 posts, 1 change and 4 holders: the 1 and the 4 are people, small;
    # posts are not people (the table beside it shows them per tier too), so the 3 stays
    published, internal = packs["publication"], packs["internal"]
    published_text = "\n".join(p.text for p in published.paragraphs)
    assert "3 management posts had fewer than 5 changes of holder and were held by fewer than 5 different" \
        in published_text
    assert "c" in _cells(published)
    assert "c" not in _cells(internal)
    assert "3 management posts had 1 changes of holder" in "\n".join(p.text for p in internal.paragraphs)


def test_internal_mode_says_so_on_every_page(packs):
    for section in packs["internal"].sections:
        assert MODE_NOTES["internal"] in section.footer.paragraphs[0].text
    assert MODE_NOTES["internal"] not in packs["publication"].sections[0].footer.paragraphs[0].text


def test_the_pack_can_be_narrowed_to_chosen_sections_and_a_unit(fixture_db, tmp_path):
    document = _pack(fixture_db, tmp_path, "publication", "--sections", "vacancies", "--unit", "T-A",
                     "--from", "2024-01-01", "--to", "2024-12-31")
    assert _headings(document, 1)[1:2] == ["1. Vacancies"]
    assert "Team A" in " ".join(p.text for p in document.paragraphs[:6])


@pytest.mark.parametrize("args,words", [
    (["--sections", "gossip"], "Unknown section"),
    (["--unit", "NOPE"], "not in the loaded org structure"),
    (["--from", "2024-12-01", "--to", "2024-01-01"], "starts"),
])
def test_a_bad_pack_request_is_a_clear_error_with_exit_status_2(fixture_db, tmp_path, args, words):
    result = subprocess.run([sys.executable, "-m", "pipelines", "export", "pack", "--db", str(fixture_db),
                             "--out", str(tmp_path / "x.docx"), *args], capture_output=True, text=True)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr


def test_the_as_at_default_is_the_last_complete_month_of_the_data(fixture_db, tmp_path):
    document = _pack(fixture_db, tmp_path, "internal", "--sections", "headlines")
    assert f"{date(2024, 12, 31):%d %B %Y}" in " ".join(p.text for p in document.paragraphs[:8])
