"""Assemble a scrutiny pack or a single chart file from filters (used by the page and the command line)."""

from dashboard import catalog, data, definitions, exports, filters
from dashboard.filters import Filters
from dashboard.scrutiny_pack import PackContext, build_pack
from pipelines.errors import UsageError
from pipelines.settings import load_settings


def pack_context(current: Filters, mode: str) -> PackContext:
    coverage = data.coverage()
    latest = data.view("load_latest")
    counts = data.view("load_kind_counts")
    warnings = data.view("data_quality_warning_counts")
    quality = []
    if len(counts):
        held = int(counts["rows_quarantined"].sum()) if "rows_quarantined" in counts else 0
        loaded = int(counts["rows_loaded"].sum()) if "rows_loaded" in counts else 0
        quality.append(f"{loaded:,} rows were loaded from the HR extracts and {held:,} were held back because they "
                       "broke a rule of the data contract (each is listed on the dashboard's Data quality page).")
    if len(warnings):
        total = int(warnings["warnings"].sum())
        quality.append(f"{total:,} data-quality warnings were recorded (rows loaded but worth checking).")
    if len(latest) and "loaded_at" in latest:
        quality.append(f"The data were last loaded on {latest['loaded_at'].iloc[0]:%d %B %Y}.")
    quality.append("Employee numbers are stored only as keyed pseudonyms; names and other personal details are "
                   "never stored.")
    start, end = coverage.get("coverage_start"), coverage.get("data_end")
    return PackContext(
        authority=load_settings().authority_name,
        unit_path=catalog.describe_scope(current),
        period=f"{current.period_from:%d %B %Y} to {current.as_at:%d %B %Y}",
        as_at=current.as_at,
        filters_text=filters.describe(current),
        source=f"Source: {load_settings().authority_name} HR extracts, as at {current.as_at:%d %b %Y}",
        coverage=(f"The HR data cover {start:%d %B %Y} to {end:%d %B %Y}." if start and end else ""),
        quality=quality,
        mode=mode,
    )


def make_pack(current: Filters, keys: tuple[str, ...] | None, mode: str) -> bytes:
    keys = keys or catalog.DEFAULT_SECTIONS
    unknown = [k for k in keys if k not in catalog.SECTIONS]
    if unknown:
        raise UsageError(f"Unknown section(s) {', '.join(unknown)}. Sections: {', '.join(catalog.SECTIONS)}.")
    return build_pack(catalog.build_sections(current, keys, mode), pack_context(current, mode))


def chart_file(current: Filters, name: str, fmt: str, mode: str) -> bytes:
    charts = catalog.chart_names(current)
    if name not in charts:
        raise UsageError(f"Unknown chart '{name}'. Charts: {', '.join(sorted(charts))}.")
    spec = charts[name]
    stamp = exports.Stamp(spec.title, filters.describe(current), pack_context(current, mode).source,
                          definitions.SHORT.get(spec.metric, ""), mode)
    if fmt == "csv":
        return exports.csv_bytes(spec.published_table(mode))
    if fmt == "xlsx":
        return exports.xlsx_bytes(spec.published_table(mode), stamp)
    try:
        return exports.image_bytes(exports.stamped(spec.published_figure(mode), stamp), fmt)
    except exports.ExportUnavailable as unavailable:
        raise UsageError(str(unavailable)) from None
