"""Benchmarks view model: our figures beside England, our region and our statistical neighbours from
DfE's published statistics, where we rank, and whether our own published return matches our HR data.

DfE compares whole authorities, so every HR figure here is the whole service, social-work posts only,
for DfE reporting years (1 October to 30 September); only the as-at date of the shared filters applies
(it sets the latest year shown)."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from pipelines.authority import set_command_words
from pipelines.benchmarks import BY_KEY, INDICATORS, Identity, benchmark_settings, import_command
from pipelines.benchmarks.comparable import COLUMNS as COMPARABLE_COLUMNS
from pipelines.benchmarks.comparable import comparable_figures, reporting_years
from pipelines.benchmarks.reconcile import COMMON_REASON, OUR_COLUMN, Comparison, as_table, reconcile
from pipelines.settings import load_settings
from reporting import charts
from reporting.access import OutOfScope
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource, derived_frame
from reporting.suppression import PUBLICATION, SuppressionRules

YEAR = "Year to 30 September"
NEIGHBOUR_COLOUR = "#9A9A9A"  # context lines: drawn thin and grey so our own lines stand out
HR_DENOMINATOR = {"caseload": ("case_holders", "Case holders, HR data (people)")}
IN_POST = ("headcount_in_post", "Social workers in post, HR data (people)")


@dataclass
class Status:
    ready: bool
    message: str = ""  # markdown: why the page cannot show benchmarks yet, and what to do
    warnings: list[str] = field(default_factory=list)
    releases: pd.DataFrame | None = None


def status(src: DataSource, who: Identity) -> Status:
    if not who.complete:
        return Status(False, "Which authority these data belong to has not been set, so nothing can be compared "
                             "with published figures yet. From the project folder, give the authority's LA code "
                             "(its name, region and statistical neighbours come from DfE's files):\n\n"
                             f"```\n{set_command_words(src.path)}\n```\n\n"
                             "with your own authority's code in place of E06000035. Then reload this page.")
    tables = _filled_tables(src)
    if "dfe_indicators" not in tables:
        return Status(False, "DfE's published figures have not been imported into this database yet. DfE's files "
                             "ship with the product in `data/dfe/`; from the project folder, import them:\n\n"
                             f"```\n{import_command(src.path)}\n```\n\n"
                             "or fetch the latest release from DfE: "
                             f"`python -m pipelines benchmarks download --db {src.path}`. "
                             "Then reload this page. See docs/BENCHMARKS.md.")
    warnings = []
    if "dfe_statistical_neighbours" not in tables:
        warnings.append("The statistical neighbour groupings have not been imported, so there are no neighbour "
                        "lines or neighbour median. Import New_Statistical_Neighbour_Groupings_April_2021.csv.")
    releases = src.view("benchmark_releases") if "dfe_releases" in tables else None
    return Status(True, warnings=warnings, releases=releases)


def _filled_tables(src: DataSource) -> set[str]:
    """The dfe_* tables that hold rows (an import creates them all, empty until their file comes)."""
    tables = src.view("benchmark_tables")
    return set(tables.loc[tables["row_count"] > 0, "table_name"])


def published(src: DataSource, who: Identity) -> pd.DataFrame:
    """DfE's figures for us, England, our region and each neighbour (view benchmark_series)."""
    return src.view("benchmark_series", la_code=who.la_code, la_number=who.la_number, region=who.region)


def latest_year(series: pd.DataFrame, as_at: date) -> int | None:
    """The latest DfE reporting year that had ended by the as-at date."""
    years = [int(y) for y in series["time_period"].unique() if date(int(y), 9, 30) <= as_at]
    return max(years) if years else None


@derived_frame("dfe_comparable_figures")
def _ours(con, years: tuple, threshold: float) -> pd.DataFrame:
    return comparable_figures(con, list(years), threshold=threshold)


def ours(src: DataSource, as_at: date) -> pd.DataFrame:
    """Our DfE-comparable HR figures for every reporting year the data covers, up to the as-at date."""
    coverage = src.coverage()
    years = reporting_years(coverage["coverage_start"], min(as_at, coverage["data_end"]))
    try:
        return src.derived("dfe_comparable_figures", tuple(years), load_settings().caseload_threshold)
    except OutOfScope:  # authority-wide HR figures: only for users whose access covers the whole service
        return pd.DataFrame(columns=COMPARABLE_COLUMNS)


def _unit_words(key: str) -> str:
    return "%" if BY_KEY[key].unit == "%" else "cases per FTE"


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(values.median()) if len(values) else None


# Time series per indicator --------------------------------------------------------------------------------

def series_table(key: str, series: pd.DataFrame, mine: pd.DataFrame, last_year: int, who: Identity) -> pd.DataFrame:
    """One row per reporting year: our HR figure and its headcount, our published figure, England, region,
    neighbour median and each neighbour (exactly what the chart plots)."""
    unit = _unit_words(key)
    rows = series[(series["indicator"] == key) & (series["time_period"] <= last_year)]
    years = sorted(set(rows["time_period"].astype(int)) | {y for y in mine["time_period"] if y <= last_year})
    table = pd.DataFrame({YEAR: years})

    def pick(role: str) -> pd.Series:
        part = rows[rows["role"] == role].set_index("time_period")["value"]
        return table[YEAR].map(part).astype(float)

    own = mine.set_index("time_period")
    count_field, count_label = HR_DENOMINATOR.get(key, IN_POST)
    table[f"Our HR data ({unit})"] = table[YEAR].map(own[OUR_COLUMN[key]]).astype(float).round(1)
    table[count_label] = table[YEAR].map(own[count_field]).astype("Int64")
    table[f"Our published figure ({unit})"] = pick("authority")
    table[f"England ({unit})"] = pick("england")
    table[f"{who.region} ({unit})"] = pick("region")
    neighbours = rows[rows["role"] == "neighbour"]
    wide = neighbours.pivot_table(index="time_period", columns="area_name", values="value", aggfunc="first")
    order = neighbours.sort_values("neighbour_rank").drop_duplicates("area_name")["area_name"]
    table[f"Statistical neighbour median ({unit})"] = [
        _median(wide.loc[y]) if y in wide.index else None for y in table[YEAR]]
    for name in order:
        table[f"{name} ({unit})"] = table[YEAR].map(wide[name]).astype(float)
    return table


def series_rules(key: str, table: pd.DataFrame) -> SuppressionRules:
    """Our HR rate rests on a headcount: hidden in publication mode when fewer than 5 people."""
    count_label = HR_DENOMINATOR.get(key, IN_POST)[1]
    return SuppressionRules(counts=(count_label,), rates={table.columns[1]: count_label})


def series_spec(src: DataSource, key: str, table: pd.DataFrame, who: Identity, as_at: date) -> ChartSpec:
    indicator = BY_KEY[key]
    first, last = int(table[YEAR].min()), int(table[YEAR].max())
    title = (f"{indicator.label}, years to 30 September {first} to {last}: {who.name} against England, "
             f"{who.region} and statistical neighbours")
    heading = (f"{indicator.label}: {who.name} against England, {who.region} and statistical neighbours"
               f"<br><sup>Years to 30 September {first} to {last}</sup>")
    count_label = HR_DENOMINATOR.get(key, IN_POST)[1]
    dates = src.view("key_dates", date_from=date(first - 1, 10, 1), date_to=date(last, 9, 30))

    def draw(shown: pd.DataFrame) -> go.Figure:
        return _figure(shown.drop(columns=[count_label]), heading, indicator.unit, dates)

    return ChartSpec(name=f"benchmark-{key.replace('_', '-')}-{last}", title=title, table=table, draw=draw,
                     metric=indicator.metric, rules=series_rules(key, table),
                     alt_text=f"Line chart of {indicator.label.lower()} by year for {who.name}, England, "
                              f"{who.region} and its statistical neighbours.")


def _figure(table: pd.DataFrame, title: str, unit: str, key_dates: pd.DataFrame) -> go.Figure:
    years = [int(y) for y in table[YEAR]]
    x = pd.to_datetime([f"{y}-09-30" for y in years])
    suffix = "%" if unit == "%" else " cases"
    fig = go.Figure()
    columns = list(table.columns[1:])
    ours_hr, ours_published, england, region, median, *neighbours = columns
    for index, column in enumerate(neighbours):
        fig.add_trace(go.Scatter(
            x=x, y=table[column], mode="lines", name="Each statistical neighbour", legendgroup="neighbours",
            showlegend=index == 0, line={"color": NEIGHBOUR_COLOUR, "width": 1},
            hovertemplate=f"{column.rsplit(' (', 1)[0]}, year to 30 Sep %{{x|%Y}}: %{{y:.1f}}{suffix}<extra></extra>"))
    styles = [(median, charts.PALETTE[2], "dash", "diamond", 2.5), (region, charts.PALETTE[3], "dot", "triangle-up", 2.5),
              (england, charts.PALETTE[4], "dashdot", "square", 2.5),
              (ours_published, charts.PALETTE[1], "solid", "circle-open", 2.5),
              (ours_hr, charts.PALETTE[0], "solid", "circle", 3.5)]
    for column, colour, dash, marker, width in styles:
        name = column.rsplit(" (", 1)[0]
        fig.add_trace(go.Scatter(
            x=x, y=table[column], mode="lines+markers", name=name, connectgaps=False,
            line={"color": colour, "dash": dash, "width": width}, marker={"symbol": marker, "size": 8},
            hovertemplate=f"{name}, year to 30 Sep %{{x|%Y}}: %{{y:.1f}}{suffix}<extra></extra>"))
    charts.base_layout(fig, title, y_title="Per cent" if unit == "%" else "Cases per case-holding FTE", height=540)
    # Points sit on 30 September, so each tick is labelled with the DfE year it ends, not a calendar year.
    fig.update_xaxes(tickvals=x, ticktext=[str(y) for y in years], title="Year to 30 September",
                     range=[x.min() - pd.Timedelta(days=120), x.max() + pd.Timedelta(days=120)])
    peak = pd.to_numeric(table[columns].stack(), errors="coerce").max()
    # Headroom above the lines keeps the key-date labels clear of the data.
    fig.update_yaxes(range=[0, max(10.0, 1.45 * (0 if pd.isna(peak) else peak))],
                     ticksuffix="%" if unit == "%" else "")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
                      margin={"t": 90, "b": 120})
    return charts.add_key_dates(fig, key_dates)


# The latest year: values, rank and quartile ---------------------------------------------------------------

def _position(value: float | None, others: pd.Series) -> tuple[int, int] | None:
    """(rank, out of): 1 is the lowest value; ties share the better rank."""
    if value is None or pd.isna(value) or not len(others):
        return None
    return int((others < round(value, 1)).sum()) + 1, len(others)


QUARTILE_WORDS = {1: "lowest quarter", 2: "second quarter", 3: "third quarter", 4: "highest quarter"}


def _is_us(rows: pd.DataFrame, who: Identity) -> pd.Series:
    """Rows that are our own return (joint returns such as '940 / 941' list both codes)."""
    def has(codes, wanted):
        return wanted is not None and isinstance(codes, str) and wanted in codes.split(" / ")
    return rows["new_la_code"].map(lambda c: has(c, who.la_code)) | rows["old_la_code"].map(
        lambda c: has(c, who.la_number))


def quartile(rank: int, total: int) -> int:
    return 1 + (4 * (rank - 1)) // total


def latest_table(src: DataSource, series: pd.DataFrame, mine: pd.DataFrame, year: int, who: Identity) -> pd.DataFrame:
    """One row per indicator for the latest year: every comparator, our rank and quartile."""
    everyone = src.view("benchmark_year_values", time_period=year)
    own = mine.set_index("time_period")
    rows = []
    for indicator in INDICATORS:
        part = series[(series["indicator"] == indicator.key) & (series["time_period"] == year)]
        by_role = {role: part.loc[part["role"] == role, "value"] for role in ("authority", "england", "region")}
        published_value = by_role["authority"].iloc[0] if len(by_role["authority"]) else None
        hr_value = own[OUR_COLUMN[indicator.key]].get(year) if year in own.index else None
        values = everyone.loc[everyone["indicator"] == indicator.key]
        place = _position(published_value, values["value"])
        hr_place = _position(hr_value, values.loc[~_is_us(values, who), "value"])
        rows.append({
            "Measure": indicator.label,
            "Unit": _unit_words(indicator.key),
            "Our HR data": _round(hr_value),
            "Our published figure": _round(published_value),
            "England": _round(by_role["england"].iloc[0] if len(by_role["england"]) else None),
            who.region: _round(by_role["region"].iloc[0] if len(by_role["region"]) else None),
            "Statistical neighbour median": _round(_median(part.loc[part["role"] == "neighbour", "value"])),
            "Rank of published figure (1 = lowest)": f"{place[0]} of {place[1]}" if place else "—",
            "Quartile": f"{quartile(*place)} ({QUARTILE_WORDS[quartile(*place)]})" if place else "—",
            "Where our HR figure would rank": f"{hr_place[0]} of {hr_place[1]}" if hr_place else "—",
        })
    return pd.DataFrame(rows)


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def latest_spec(table: pd.DataFrame, year: int, who: Identity) -> ChartSpec:
    return ChartSpec(name=f"benchmarks-latest-{year}", draw=None, table=table,
                     title=f"{who.name} against England, {who.region} and statistical neighbours, year to "
                           f"30 September {year}")


# Reconciliation --------------------------------------------------------------------------------------------

def reconciliation(series: pd.DataFrame, mine: pd.DataFrame, last_year: int) -> list[Comparison]:
    ours_rows = mine[mine["time_period"] <= last_year]
    return reconcile(ours_rows, series[series["role"] == "authority"], benchmark_settings())


def reconciliation_table(comparisons: list[Comparison]) -> pd.DataFrame:
    return as_table(comparisons)


def neighbours(src: DataSource, who: Identity) -> pd.DataFrame:
    found = src.view("benchmark_neighbour_list", la_number=who.la_number)
    return pd.DataFrame({"Rank": found["neighbour_rank"], "LA number": found["neighbour_number"],
                         "Authority": found["neighbour_name"], "How close": found["closeness"]})


def looked_after_context(src: DataSource, who: Identity) -> tuple[pd.DataFrame, int | None]:
    """Share of children looked after who had 3 or more social workers in the year (DfE), if imported."""
    if "dfe_cla_sw_count" not in _filled_tables(src):
        return pd.DataFrame(), None
    rows = src.view("benchmark_cla_social_workers", la_code=who.la_code, la_number=who.la_number,
                     region=who.region)
    if rows.empty:
        return pd.DataFrame(), None
    pick = {role: rows.loc[rows["role"] == role, "percentage"] for role in ("authority", "england", "region")}
    table = pd.DataFrame([
        {"Area": who.name, "Children with 3 or more social workers (%)": _first(pick["authority"])},
        {"Area": "England", "Children with 3 or more social workers (%)": _first(pick["england"])},
        {"Area": who.region, "Children with 3 or more social workers (%)": _first(pick["region"])},
        {"Area": "Statistical neighbour median", "Children with 3 or more social workers (%)":
            _round(_median(rows.loc[rows["role"] == "neighbour", "percentage"]))},
    ])
    return table, int(rows["time_period"].max())


def _first(values: pd.Series) -> float | None:
    return _round(values.iloc[0]) if len(values) else None


def pack_specs(src: DataSource, current: Filters, mode: str = PUBLICATION) -> list[ChartSpec]:
    """The benchmarks section of the scrutiny pack: the latest-year table (with reconciliation flags in its
    summary) and one chart per indicator; empty when nothing has been imported."""
    who = src.identity()
    if not status(src, who).ready:
        return []
    series = published(src, who)
    year = latest_year(series, current.as_at)
    if year is None:
        return []
    mine = ours(src, current.as_at)
    latest = latest_spec(latest_table(src, series, mine, year, who), year, who)
    flags = [c for c in reconciliation(series, mine, year) if c.flagged and c.time_period == year]
    if mine.empty:  # our figures are authority-wide: only for whole-service access, so nothing to reconcile here
        latest.summary = (f"DfE's published figures for the year to 30 September {year}. Our own HR figures cover the "
                          "whole authority and are in packs made by users whose access covers the whole service.")
    else:
        latest.summary = (" ".join(c.sentence(who.name) for c in flags) + f" Check: {COMMON_REASON}" if flags else
                          f"Our HR-data figures for the year to 30 September {year} match the published return "
                          "within the tolerance set in data/settings.toml.")
    specs = [latest]
    for indicator, row in zip(INDICATORS, latest.table.to_dict("records")):
        table = series_table(indicator.key, series, mine, year, who)
        if len(table):
            spec = series_spec(src, indicator.key, table, who, current.as_at)
            unit = indicator.unit
            spec.summary = (f"In the year to 30 September {year}, our HR data give {_words(row['Our HR data'], unit)} "
                            f"and DfE published {_words(row['Our published figure'], unit)} for {who.name}, against "
                            f"{_words(row['England'], unit)} for England, {_words(row[who.region], unit)} for "
                            f"{who.region} and a statistical neighbour median of "
                            f"{_words(row['Statistical neighbour median'], unit)}.")
            specs.append(spec)
    return specs


# Small helpers so the page stays presentation only --------------------------------------------------------

def has_own_rows(series: pd.DataFrame) -> bool:
    return bool((series["role"] == "authority").any())


def flags_for_year(comparisons: list[Comparison], year: int) -> list[Comparison]:
    return [c for c in comparisons if c.flagged and c.time_period == year]


def flag_count(comparisons: list[Comparison]) -> tuple[int, int]:
    """(flagged, compared): comparisons with both figures, and those outside the tolerance."""
    compared = [c for c in comparisons if c.difference is not None]
    return sum(c.flagged for c in compared), len(compared)


def first_year(series: pd.DataFrame) -> int | None:
    return int(series["time_period"].min()) if len(series) else None


def release_words(releases: pd.DataFrame | None) -> str:
    if releases is None or releases.empty:
        return ""
    latest = releases.drop_duplicates("kind")
    return "DfE files imported: " + "; ".join(
        f"{r.file_name} (latest {r.latest_time_period}, imported {r.imported_at:%d %b %Y})"
        for r in latest.itertuples()) + "."


def fmt(value, unit: str) -> str:
    """One decimal place with its unit ('%' or ' cases'), or a dash when there is no figure."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:.1f}{'%' if unit == '%' else ''}"


def _words(value, unit: str) -> str:
    shown = fmt(value, unit)
    return "no figure" if shown == "—" else shown + ("" if unit == "%" else " cases per FTE")
