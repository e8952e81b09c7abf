"""Exports for scrutiny papers: chart images stamped with what, where, when and from what data, and
the data behind them as CSV and XLSX. No Streamlit here: the command line uses it too.

Images come from kaleido 1.x driving Debian's chromium, through one long-lived export server per
process (started on the first image, so the dashboard pays nothing until someone asks)."""

import atexit
import copy
import io
import shutil
import threading
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from pipelines.safe_cells import csv_text, harden_worksheet
from reporting.suppression import INTERNAL, MODE_NOTES

WIDTH, HEIGHT, SCALE = 1100, 620, 2
_server_lock = threading.Lock()
_server_started = False


IMAGES_UNAVAILABLE = ("Chart images need the Chromium browser, which is not installed on this computer. "
                      "Ask your IT team to run: sudo apt-get install -y chromium. "
                      "The data downloads (CSV, Excel) and the Word pack's tables still work.")


def images_available() -> bool:
    return bool(shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"))


class ExportUnavailable(Exception):
    """Images cannot be made here (no chromium or kaleido); tables and Word tables still can."""


@dataclass(frozen=True)
class Stamp:
    title: str
    filters: str  # the unit path, period, tiers and social-work-only, in words
    source: str  # 'Source: <authority> HR extracts, as at <date>'
    definition: str  # one line
    mode: str = INTERNAL


def stamped(fig: go.Figure, stamp: Stamp, height: int = HEIGHT) -> go.Figure:
    """A copy of fig that makes sense on its own in print: title, filters, source, definition, mode."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    top, bottom = 110, 120
    out.update_layout(
        title={"text": f"<b>{stamp.title}</b>", "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "subtitle": {"text": stamp.filters}},
        margin={"t": top, "b": bottom, "l": 70, "r": 30}, width=WIDTH, height=height,
        legend={"y": 1.0, "yanchor": "bottom"},
    )
    plot_height = height - top - bottom
    lines = [stamp.source, f"Definition: {stamp.definition}"]
    if stamp.mode == INTERNAL:
        lines.append(MODE_NOTES[INTERNAL])
    for index, text in enumerate(lines):
        out.add_annotation(text=text, xref="paper", yref="paper", x=0, xanchor="left",
                           y=-(46 + 20 * index) / plot_height, yanchor="top", showarrow=False,
                           font={"size": 11, "color": "#1F1F1F"}, align="left")
    return out


def _start_server() -> None:
    global _server_started
    with _server_lock:
        if _server_started:
            return
        if not images_available():
            raise ExportUnavailable(IMAGES_UNAVAILABLE)
        try:
            import kaleido
        except ImportError:
            raise ExportUnavailable(
                "Chart images need the kaleido package: pip install -r requirements.txt. "
                "The data downloads (CSV, Excel) still work.") from None
        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _server_started = True


def image_bytes(fig: go.Figure, fmt: str) -> bytes:
    """PNG (at twice the pixel size, for print) or SVG of an already stamped figure."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown image format {fmt}")
    _start_server()
    import kaleido

    options = {"format": fmt, "width": fig.layout.width or WIDTH, "height": fig.layout.height or HEIGHT}
    if fmt == "png":
        options["scale"] = SCALE
    try:
        return kaleido.calc_fig_sync(fig, opts=options)
    except Exception as exc:  # the browser failed to start or render
        raise ExportUnavailable(
            f"The chart image could not be made ({type(exc).__name__}). Check that chromium runs on this "
            "computer (sudo apt-get install -y chromium). The data downloads still work.") from None


def dates_without_times(table: pd.DataFrame) -> pd.DataFrame:
    """Date columns as plain dates (2022-10-31, not 2022-10-31 00:00:00) wherever every time is midnight:
    the product's dates are days, and a time of day on them only puzzles a reader."""
    out = table
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            stamps = values.dropna()
            if (stamps == stamps.dt.normalize()).all():
                out = out if out is not table else table.copy()
                out[column] = values.dt.date.astype(object).where(values.notna(), None)
        elif values.dtype == object and len(values) and values.map(lambda v: isinstance(v, pd.Timestamp)).any():
            out = out if out is not table else table.copy()
            out[column] = values.map(lambda v: v.date() if isinstance(v, pd.Timestamp) and v == v.normalize() else v)
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV: dates without times, and text a spreadsheet could run as a formula made inert."""
    return csv_text(dates_without_times(table)).encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, stamp: Stamp) -> bytes:
    """The table on sheet 'Data' exactly as plotted, and what it is on sheet 'About'."""
    buffer = io.BytesIO()
    table = dates_without_times(table)
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD") as writer:
        table.to_excel(writer, sheet_name="Data", index=False)
        about = pd.DataFrame({"": ["Title", "Filters", "Source", "Definition", "Mode"],
                              " ": [stamp.title, stamp.filters, stamp.source, stamp.definition,
                                    MODE_NOTES[stamp.mode]]})
        about.to_excel(writer, sheet_name="About", index=False, header=False)
        for written in writer.sheets.values():
            harden_worksheet(written)  # unit names and grades come from HR systems: never a formula
        sheet = writer.sheets["Data"]
        for column_cells in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column_cells)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()
