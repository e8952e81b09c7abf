"""The Word scrutiny pack, read back with python-docx, and the export command line."""

import subprocess
import sys
from datetime import date

import docx
import docx.table
import docx.text.paragraph
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
                                      "3. Who has led the service", "4. Turnover and stability", "5. Vacancies",
                                      "6. Posts vacant for more than 180 days", "7. Structure changes",
                                      "8. Front-line teams", "9. Agency staff: DfE's rules and the cost of cover",
                                      "10. Benchmarks against DfE's published figures",
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


def _section(document, heading: str) -> list:
    """The paragraphs and tables of one Heading 1 section, in order."""
    body, found, inside = document.element.body, [], False
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if paragraph.style.name == "Heading 1":
                inside = paragraph.text.endswith(heading)
                continue
            if inside:
                found.append(paragraph.text)
        elif child.tag == qn("w:tbl") and inside:
            table = docx.table.Table(child, document)
            found.append([[cell.text for cell in row.cells] for row in table.rows])
    return found


def test_the_pack_says_who_held_each_senior_post_and_on_what_basis(packs):
    content = _section(packs["publication"], "Who has led the service")
    # DIR: permanent D0 to 30 Jun 2024, then interim I1 from 1 Jul 2024 -> 2 holders, 2 appointments, 1 cover;
    # HOS-A: permanent H1 throughout -> 1, 1, 0. Holders are numbered, never named.
    table = next(part for part in content if isinstance(part, list))
    assert table[0] == ["Post", "Tier", "Different holders", "Appointments", "Cover appointments",
                        "Held on 31 Dec 2024"]
    assert table[1] == ["Director of Children's Services", "Director", "2", "2", "1",
                        "Holder 2 (interim, since 01 Jul 2024)"]
    assert table[2] == ["Head of Safeguarding", "Head of service", "1", "1", "0",
                        "Holder 1 (permanent, since 01 Jan 2022)"]
    # 1 cover appointment of 3 -> 33.3%
    assert any("33.3% of the appointments shown were cover arrangements" in p for p in content if isinstance(p, str))


def test_the_pack_lists_posts_vacant_for_more_than_180_days_by_unit_grade_and_age(packs):
    content = _section(packs["publication"], "Posts vacant for more than 180 days")
    table = next(part for part in content if isinstance(part, list))
    # On 31 Dec 2024: DIR has only an interim since 1 Jul 2024 (184 days, inclusive), SW3 empty since
    # 1 Jan 2024 (366 days, 2024 is a leap year), SW2 covered by agency since 1 Apr 2024 (275 days).
    assert [row[:5] for row in table[1:]] == [
        ["Children's Services", "Hay A", "Director of Children's Services", "2024-07-01", "184"],
        ["Team A", "Band 10", "Senior social worker", "2024-01-01", "366"],
        ["Team A", "Band 9", "Social worker", "2024-04-01", "275"]]
    assert any(p.startswith("On 31 December 2024, 3 posts had been fully vacant for more than 180 days; 2 of them "
                            "were covered") for p in content if isinstance(p, str))


def test_long_series_print_one_row_a_year_in_both_modes_and_never_point_to_the_dashboard(packs):
    for mode, document in packs.items():
        text = " ".join(p.text for p in document.paragraphs)
        assert "rows are shown" not in text, mode
        assert "on the dashboard" not in text, mode
        interim = _section(document, "Leadership and interims")
        assert "The table shows December of each year; the chart above shows every month." in interim, mode


def test_a_quiet_structure_period_says_when_the_last_change_was(fixture_db, tmp_path):
    document = _pack(fixture_db, tmp_path, "publication", "--sections", "structure", "--from", "2024-10-01",
                     "--to", "2024-12-31")
    content = _section(document, "Structure changes")
    summary = next(p for p in content if isinstance(p, str) and p.startswith("No structural changes"))
    assert "The last change was on 01 Sep 2024: 2 changes touching 1 unit." in summary
    assert "The chart shows every change from 01 Jan 2022, when the data begin, to 31 Dec 2024." in summary


def test_counts_in_the_headline_table_have_no_decimals(packs):
    table = next(part for part in _section(packs["internal"], "Headline measures") if isinstance(part, list))
    header = table[0]
    changes = next(row for row in table[1:] if row[0] == "Structure changes")
    # the fixture's one restructure day: Team B moved and renamed on 1 Sep 2024 -> 2 events
    assert changes[header.index("Value")] == "2"
    assert changes[header.index("Unit")] == "events"
