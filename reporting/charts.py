"""Plotly figures with an accessible look: a colour-blind-safe palette whose colours all reach
3:1 contrast on white (WCAG AA for graphics), markers and dashes so no meaning rests on colour
alone, and key dates drawn as labelled markers on every time chart."""

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito hues, darkened where needed to reach 3:1 on white.
PALETTE = ["#0072B2", "#D55E00", "#007A5E", "#A6427C", "#5C5C5C", "#8A6100", "#3B3B98", "#B8336A"]
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
TEXT = "#1F1F1F"
KEY_DATE_COLOURS = {"inspection": "#B8336A", "leadership": "#3B3B98", "restructure": "#8A6100", "other": "#5C5C5C"}
KEY_DATE_DASH = {"inspection": "dash", "leadership": "dot", "restructure": "dashdot", "other": "longdash"}
FONT = "Arial, Helvetica, sans-serif"


def base_layout(fig: go.Figure, title: str, *, y_title: str = "", x_title: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16, "color": TEXT}},
        font={"family": FONT, "size": 13, "color": TEXT},
        paper_bgcolor="white", plot_bgcolor="white", height=height,
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        colorway=PALETTE, hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title=x_title, showgrid=False, linecolor="#5C5C5C", ticks="outside")
    fig.update_yaxes(title=y_title, gridcolor="#E0E0E0", linecolor="#5C5C5C", zeroline=False, rangemode="tozero")
    return fig


def line_chart(frame: pd.DataFrame, x: str, y: str, series: str | None, title: str, y_title: str,
               key_dates: pd.DataFrame | None = None, hover_suffix: str = "") -> go.Figure:
    fig = go.Figure()
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=True))
    for index, (name, part) in enumerate(groups):
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=str(name) if name is not None else y_title, mode="lines+markers",
            line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)], "width": 2.5},
            marker={"symbol": MARKERS[index % len(MARKERS)], "size": 6},
            hovertemplate=f"%{{x|%b %Y}}: %{{y:.1f}}{hover_suffix}<extra>{name or ''}</extra>",
        ))
    base_layout(fig, title, y_title=y_title)
    if key_dates is not None:
        add_key_dates(fig, key_dates)
    return fig


def bar_chart(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, *, color: str | None = None,
              text_format: str = "{:.1f}", horizontal: bool = False, stack: bool = False) -> go.Figure:
    fig = go.Figure()
    groups = [(None, frame)] if color is None else list(frame.groupby(color, sort=False))
    patterns = ["", "/", ".", "x", "-", "\\", "+", "|"]
    for index, (name, part) in enumerate(groups):
        labels = [("" if pd.isna(v) else text_format.format(v)) for v in part[y]]
        bar = go.Bar(
            x=part[y] if horizontal else part[x], y=part[x] if horizontal else part[y],
            orientation="h" if horizontal else "v", name=str(name) if name is not None else y_title,
            text=labels, textposition="auto", marker={"color": PALETTE[index % len(PALETTE)],
                                                      "pattern": {"shape": patterns[index % len(patterns)]}},
        )
        fig.add_trace(bar)
    base_layout(fig, title, y_title="" if horizontal else y_title, x_title=y_title if horizontal else "")
    fig.update_layout(barmode="stack" if stack else "group", showlegend=color is not None)
    if horizontal:
        fig.update_yaxes(autorange="reversed", rangemode=None)
    return fig


def heatmap(frame: pd.DataFrame, x: str, y: str, z: str, title: str, z_title: str) -> go.Figure:
    table = frame.pivot(index=y, columns=x, values=z)
    fig = go.Figure(go.Heatmap(
        z=table.values, x=[str(c) for c in table.columns], y=[str(i) for i in table.index],
        colorscale=[[0, "#F7FBFF"], [0.5, "#6BAED6"], [1, "#08306B"]], colorbar={"title": z_title},
        text=[["" if pd.isna(v) else f"{v:.1f}" for v in row] for row in table.values], texttemplate="%{text}",
        hovertemplate=f"%{{y}}, %{{x}}: %{{z:.1f}} {z_title}<extra></extra>",
    ))
    base_layout(fig, title)
    fig.update_yaxes(rangemode=None, type="category")
    fig.update_xaxes(type="category")
    return fig


# Label widths are estimated, not measured, so the estimate errs wide: 11 px text averages under 7 px a
# character, and the narrowest plot area a reader sees (a laptop, the sidebar open) is about 700 px.
PX_PER_CHAR, PLOT_PX = 7.0, 700


def _x_bounds(fig: go.Figure, days: list[pd.Timestamp]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The date axis's first and last day as drawn: its fixed range if it has one, else the data's."""
    fixed = fig.layout.xaxis.range
    if fixed:
        return pd.Timestamp(fixed[0]), pd.Timestamp(fixed[1])
    values = [x for trace in fig.data if getattr(trace, "x", None) is not None for x in trace.x]
    dates = pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce").dropna()
    first, last = (dates.min(), dates.max()) if len(dates) else (min(days), max(days))
    first, last = min(first, min(days)), max(last, max(days))
    return first, max(last, first + pd.Timedelta(days=365))


def add_key_dates(fig: go.Figure, key_dates: pd.DataFrame, label_rows: int = 3,
                  plot_px: int = PLOT_PX) -> go.Figure:
    """Each key date as a vertical line styled by category (colour and dash), labelled in one of a few
    rows at the top. A label runs right from its line, or left where it would pass the chart's right
    edge; it takes the first row where it overlaps no other label, and where there is none the date
    keeps its line and a marker whose label shows on hover. plot_px: the narrowest width the plot area
    is drawn at (less where long axis labels take room). Added in one layout update: shape by shape is
    slow for ten years of dates."""
    if key_dates is None or key_dates.empty:
        return fig
    rows = key_dates.sort_values("event_date")
    if fig.layout.xaxis.range:  # a fixed axis: dates outside it would be drawn beside the chart
        low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
        stamps = pd.to_datetime(rows["event_date"])
        rows = rows[(stamps >= low) & (stamps <= high)]
        if rows.empty:
            return fig
    days = [pd.Timestamp(d) for d in rows["event_date"]]
    first, last = _x_bounds(fig, days)
    day_per_px = (last - first) / plot_px
    taken: list[list[tuple[pd.Timestamp, pd.Timestamp]]] = [[] for _ in range(label_rows)]
    shapes, notes = [], []
    for day, row in zip(days, rows.itertuples()):
        category = row.category if row.category in KEY_DATE_COLOURS else "other"
        colour = KEY_DATE_COLOURS[category]
        shapes.append({"type": "line", "x0": day, "x1": day, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": colour, "dash": KEY_DATE_DASH[category], "width": 1.5}})
        note = {"x": day, "yref": "paper", "showarrow": False, "font": {"size": 11, "color": colour},
                "hovertext": f"{day:%d %b %Y}: {row.label}"}
        width = day_per_px * (len(row.label) * PX_PER_CHAR + 12)
        rightward = day + width <= last
        span = (day, day + width) if rightward else (day - width, day)
        free = next((i for i, spans in enumerate(taken)
                     if span[0] >= first and all(span[1] < a or span[0] > b for a, b in spans)), None)
        if free is None:
            notes.append({**note, "y": 1.0, "yanchor": "bottom", "text": "●", "xanchor": "center"})
        else:
            taken[free].append(span)
            notes.append({**note, "y": 1 - 0.07 * free, "yanchor": "top", "text": row.label,
                          "xanchor": "left" if rightward else "right", "bgcolor": "rgba(255,255,255,0.85)"})
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])
    return fig


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
