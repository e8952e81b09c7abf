"""Assemble a scrutiny pack or a single chart file from filters (used by the page and the command line)."""

from contextlib import nullcontext

from pipelines.authority import NOT_SET, is_set
from pipelines.errors import UsageError
from reporting import catalog, definitions, exports, filters
from reporting.chart_spec import spec_file
from reporting.filters import Filters
from reporting.scrutiny_pack import Pack, PackContext, build_pack
from reporting.source import DataSource, publishing
from reporting.suppression import PUBLICATION
from reporting.words import plural


def pack_context(src: DataSource, current: Filters, mode: str) -> PackContext:
    coverage = src.coverage()
    latest = src.view("load_latest")
    counts = src.view("load_kind_counts")
    warnings = src.view("data_quality_warning_counts")
    quality = []
    if len(counts):
        held = int(counts["rows_quarantined"].sum()) if "rows_quarantined" in counts else 0
        loaded = int(counts["rows_loaded"].sum()) if "rows_loaded" in counts else 0
        quality.append(f"{plural(loaded, 'row was', 'rows were')} loaded from the HR extracts and {held:,} "
                       f"{'was' if held == 1 else 'were'} held back because they broke a rule of the data contract "
                       "(the HR analytics team keeps the list, with the reason for each).")
    if len(warnings):
        total = int(warnings["warnings"].sum())
        quality.append(f"{plural(total, 'data-quality warning was', 'data-quality warnings were')} recorded "
                       "(rows loaded but worth checking).")
    if len(latest) and "loaded_at" in latest:
        quality.append(f"The data were last loaded on {latest['loaded_at'].iloc[0]:%d %B %Y}.")
    quality.append("Employee numbers are stored only as keyed pseudonyms; names and other personal details are "
                   "never stored.")
    start, end = coverage.get("coverage_start"), coverage.get("data_end")
    return PackContext(
        authority=authority_words(src),
        unit_path=filters.scope_name(src, current),
        period=f"{current.period_from:%d %B %Y} to {current.as_at:%d %B %Y}",
        as_at=current.as_at,
        filters_text=filters.describe(src, current),
        source=source_line(src, current),
        coverage=(f"The HR data cover {start:%d %B %Y} to {end:%d %B %Y}." if start and end else ""),
        quality=quality,
        mode=mode,
    )


def make_pack(src: DataSource, current: Filters, keys: tuple[str, ...] | None, mode: str) -> Pack:
    keys = keys or catalog.DEFAULT_SECTIONS
    mode = src.access.allowed_mode(mode)  # internal packs only where the user's access rule allows them
    unknown = [k for k in keys if k not in catalog.SECTIONS]
    if unknown:
        raise UsageError(f"Unknown section(s) {', '.join(unknown)}. Sections: {', '.join(catalog.SECTIONS)}.")
    with publishing() if mode == PUBLICATION else nullcontext():  # a viewer's pack is publication-only
        return build_pack(catalog.build_sections(src, current, keys, mode), pack_context(src, current, mode))


def authority_words(src: DataSource) -> str:
    """The authority's name, or 'Authority not set' until `python -m pipelines authority set` is run."""
    who = src.identity()
    return who.name if is_set(who) else NOT_SET.capitalize()


def source_line(src: DataSource, current: Filters) -> str:
    who = src.identity()
    whose = f"{who.name} HR extracts" if is_set(who) else f"HR extracts ({NOT_SET})"
    return f"Source: {whose}, as at {current.as_at:%d %b %Y}"


def stamp(src: DataSource, current: Filters, title: str, metric: str, mode: str) -> exports.Stamp:
    """What every exported image and workbook carries: title, filters, source, definition and mode."""
    return exports.Stamp(title=title, filters=filters.describe(src, current), source=source_line(src, current),
                         definition=definitions.SHORT.get(metric, ""), mode=mode)


def chart_file(src: DataSource, current: Filters, name: str, fmt: str, mode: str) -> bytes:
    charts = catalog.chart_names(src, current)
    if name not in charts:
        raise UsageError(f"Unknown chart '{name}'. Charts: {', '.join(sorted(charts))}." if charts else
                         f"There is no chart '{name}' for these filters: nothing to draw for this part of the "
                         "service and period (python -m pipelines export chart --db PATH lists what there is).")
    spec = charts[name]
    return spec_file(spec, stamp(src, current, spec.title, spec.metric, mode), fmt, mode)
