"""A chart as the product exports it: the table it plots, how to draw it from that table, what it
means, and which of its numbers are small-number sensitive. Pages, image exports, the Word
scrutiny pack and `python -m pipelines export chart` all use the same spec."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from reporting.suppression import PUBLICATION, SuppressionRules, suppress


@dataclass
class ChartSpec:
    name: str  # short file-safe name, e.g. 'interim-ratio-by-tier'
    title: str  # states the subject and the period
    table: pd.DataFrame  # exactly what is plotted
    draw: Callable[[pd.DataFrame], go.Figure] | None  # builds the figure from a (possibly suppressed) table;
    # None for a table that has no picture
    metric: str = ""  # the METRICS.md metric behind it, for the definition footnote
    summary: str = ""  # one or two factual sentences generated from the numbers
    rules: SuppressionRules = field(default_factory=SuppressionRules)
    alt_text: str = ""
    # For paper, a shorter table than the one plotted (e.g. one row per post instead of one per appointment);
    # the downloads keep the full plotted table.
    print_table: pd.DataFrame | None = None

    def figure(self) -> go.Figure | None:
        return None if self.draw is None else self.draw(self.table)

    def published_table(self, mode: str = PUBLICATION) -> pd.DataFrame:
        return suppress(self.table, self.rules, mode)

    def published_print_table(self, mode: str = PUBLICATION) -> pd.DataFrame:
        if self.print_table is None:
            return self.published_table(mode)
        return suppress(self.print_table, self.rules, mode)

    def published_figure(self, mode: str = PUBLICATION) -> go.Figure:
        """Suppressed cells are left out of the picture (drawn as gaps), never drawn at their value."""
        if self.draw is None:
            return None
        shown = self.published_table(mode)
        numeric = shown.map(lambda v: None if isinstance(v, str) and v == "c" else v)
        return only_what_is_drawn(self.draw(numeric.infer_objects()))


def _values(trace) -> list:
    """The values a trace draws: y for lines and vertical bars, x for horizontal bars, z for heat maps."""
    if getattr(trace, "z", None) is not None:
        return [v for row in trace.z for v in (row if isinstance(row, (list, tuple)) else [row])]
    axis = "x" if getattr(trace, "orientation", None) == "h" else "y"
    values = getattr(trace, axis, None)
    return [] if values is None else list(values)


def _drawn(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def only_what_is_drawn(fig: go.Figure) -> go.Figure:
    """A legend that lists only what is drawn: a series whose every value is hidden (small numbers) leaves
    the legend, and a line under the chart says which series are hidden and why."""
    hidden = []
    for trace in fig.data:
        values = _values(trace)
        if values and trace.showlegend is not False and trace.name and not any(map(_drawn, values)):
            trace.showlegend = False
            trace.visible = False
            hidden.append(str(trace.name))
    if hidden:
        # Said inside the legend itself, so it can never sit on top of the chart's other labels.
        names = ", ".join(dict.fromkeys(hidden))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker={"opacity": 0}, hoverinfo="skip",
                                 name=f"Not shown: {names} (fewer than 5 people)", showlegend=True))
    return fig


def spec_file(spec: ChartSpec, stamp, fmt: str, mode: str) -> bytes:
    """A chart as PNG, SVG, CSV or XLSX, stamped, with small numbers suppressed in publication mode."""
    from pipelines.errors import UsageError
    from reporting import exports  # exports knows nothing of specs; the one door from a spec to a file is here

    if fmt == "csv":
        return exports.csv_bytes(spec.published_table(mode))
    if fmt == "xlsx":
        return exports.xlsx_bytes(spec.published_table(mode), stamp)
    try:
        return exports.image_bytes(exports.stamped(spec.published_figure(mode), stamp), fmt)
    except exports.ExportUnavailable as unavailable:
        raise UsageError(str(unavailable)) from None
