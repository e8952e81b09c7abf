"""The Word scrutiny pack: title page, contents, one section per chosen topic (heading, chart with
alt text, factual summary, table), then definitions and a data-quality statement.

Word's own heading styles are used throughout, so a committee template's styles apply when the
pack is pasted into it or attached to it. Small numbers are suppressed in publication mode (the
default); internal mode says so in every page's footer."""

import io
from dataclasses import dataclass, field
from datetime import date

import docx
import pandas as pd
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reporting import definitions
from reporting.chart_spec import ChartSpec
from reporting.exports import ExportUnavailable, Stamp, image_bytes, stamped
from reporting.suppression import INTERNAL, MODE_NOTES, PUBLICATION


@dataclass
class Section:
    key: str
    heading: str
    charts: list[ChartSpec] = field(default_factory=list)
    intro: str = ""


@dataclass
class PackContext:
    authority: str
    unit_path: str
    period: str
    as_at: date
    filters_text: str
    source: str
    coverage: str
    quality: list[str]  # sentences for the data-quality statement
    mode: str = PUBLICATION


MOST_ROWS = 40


def _dated_column(table: pd.DataFrame) -> str | None:
    """The first column holding dates, whatever its dtype (suppression can leave a frame of objects)."""
    for column in table.columns:
        values = table[column].dropna()
        if pd.api.types.is_datetime64_any_dtype(table[column]) or (
                len(values) and values.map(lambda v: isinstance(v, (date, pd.Timestamp))).all()):
            return column
    return None


def for_print(table: pd.DataFrame, as_at: date) -> tuple[pd.DataFrame, str]:
    """A long monthly series is cut to one row a year (the as-at month) for paper, in every mode, and the note
    says so; any other table is printed whole. The note never sends a reader to the dashboard: a committee
    member reading the paper may not be able to open it."""
    if len(table) <= MOST_ROWS:
        return table, ""
    dated = _dated_column(table)
    if dated is not None:
        months = pd.to_datetime(table[dated]).dt.month
        yearly = table[months == as_at.month]
        if 0 < len(yearly) < len(table):
            return yearly, (f"The table shows {as_at:%B} of each year; the chart above shows every "
                            f"{'month' if months.nunique() > 4 else 'period'}.")
    return table, ""


def _table(document, table: pd.DataFrame) -> None:
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = "Table Grid"
    for cell, name in zip(word_table.rows[0].cells, table.columns):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].bold = True
    for row in table.itertuples(index=False):
        for cell, value in zip(word_table.add_row().cells, row):
            cell.text = _cell(value)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (date, pd.Timestamp)):
        return f"{value:%d %b %Y}"
    return str(value)


def _picture(document, png: bytes, alt_text: str) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(16))
    inline = document.paragraphs[-1].runs[-1]._r.find(".//" + qn("wp:docPr"))
    inline.set("descr", alt_text)
    inline.set("title", alt_text[:120])


def _footer(document, text: str) -> None:
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = text
        paragraph.runs[0].font.size = Pt(8)


def _title_page(document, context: PackContext, sections: list[Section]) -> None:
    document.add_paragraph(context.authority, style="Subtitle")
    document.add_paragraph("Workforce stability in children's services", style="Title")
    document.add_paragraph(f"Scrutiny pack for {context.unit_path}")
    document.add_paragraph(f"Period: {context.period}. Figures as at {context.as_at:%d %B %Y}.")
    document.add_paragraph(f"Produced on {date.today():%d %B %Y} from {context.source.removeprefix('Source: ')}.")
    document.add_paragraph(MODE_NOTES[context.mode])
    document.add_heading("Contents", level=1)
    for number, section in enumerate(sections, start=1):
        document.add_paragraph(f"{number}. {section.heading}")
    document.add_paragraph("Appendix A. Definitions")
    document.add_paragraph("Appendix B. About the data")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


@dataclass(frozen=True)
class Pack:
    content: bytes  # the .docx file
    charts_left_out: int = 0  # charts whose picture could not be made (their tables are still in)
    why_left_out: str = ""


def build_pack(sections: list[Section], context: PackContext) -> Pack:
    document = docx.Document()
    _title_page(document, context, sections)
    images_missing = None
    left_out = 0
    used_metrics: list[str] = []
    for number, section in enumerate(sections, start=1):
        document.add_heading(f"{number}. {section.heading}", level=1)
        if section.intro:
            document.add_paragraph(section.intro)
        for chart in section.charts:
            if len(section.charts) > 1:
                document.add_heading(chart.title, level=2)
            if chart.metric and chart.metric not in used_metrics:
                used_metrics.append(chart.metric)
            stamp = Stamp(chart.title, context.filters_text, context.source,
                          definitions.SHORT.get(chart.metric, ""), context.mode)
            if chart.draw is None:
                pass  # a table with no picture
            elif images_missing is None:
                try:
                    png = image_bytes(stamped(chart.published_figure(context.mode), stamp), "png")
                    _picture(document, png, chart.alt_text or chart.title)
                except ExportUnavailable as unavailable:
                    images_missing = str(unavailable)
            if images_missing and chart.draw is not None:
                left_out += 1
                document.add_paragraph(f"[Chart not included: {images_missing}]")
            if chart.summary:
                document.add_paragraph(chart.summary)
            published, note = for_print(chart.published_print_table(context.mode), context.as_at)
            document.add_paragraph(f"Table: {chart.title}", style="Caption")
            _table(document, published)
            if note:
                document.add_paragraph(note)
    _appendices(document, context, used_metrics, left_out, images_missing or "")
    _footer(document, f"{context.authority} — {context.unit_path} — as at {context.as_at:%d %b %Y}. "
                      + (MODE_NOTES[INTERNAL] if context.mode == INTERNAL else "Small numbers suppressed (c)."))
    buffer = io.BytesIO()
    document.save(buffer)
    return Pack(buffer.getvalue(), left_out, images_missing or "")


def _appendices(document, context: PackContext, metrics: list[str], left_out: int, why: str) -> None:
    document.add_page_break()
    document.add_heading("Appendix A. Definitions", level=1)
    for metric in metrics:
        paragraph = document.add_paragraph()
        paragraph.add_run(metric.replace("_", " ").capitalize() + ": ").bold = True
        paragraph.add_run(definitions.SHORT.get(metric, ""))
    document.add_paragraph("The full definitions, with worked examples, are in the product's guide "
                           "'The nine workforce stability measures' (docs/METRICS.md).")
    if context.mode == PUBLICATION:
        document.add_paragraph(MODE_NOTES[PUBLICATION])
    document.add_heading("Appendix B. About the data", level=1)
    document.add_paragraph(context.coverage)
    for sentence in context.quality:
        document.add_paragraph(sentence, style="List Bullet")
    if left_out:
        document.add_paragraph(
            f"{left_out} chart{' was' if left_out == 1 else 's were'} left out of this pack because chart images "
            f"could not be made on the computer that produced it ({why.rstrip('.')}). Every chart's table is "
            "included in full.", style="List Bullet")
