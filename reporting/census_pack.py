"""The census section of the Word scrutiny pack, and a whole pack for a database holding census returns
only (no HR extracts, so no HR filters, coverage or load history to describe)."""

from contextlib import nullcontext
from datetime import date

from reporting import census as vm
from reporting.chart_spec import ChartSpec, spec_file
from reporting.filters import Filters
from reporting.scrutiny_pack import Pack, PackContext, Section, build_pack
from reporting.source import DataSource, publishing
from reporting.suppression import PUBLICATION, SUPPRESSED, is_small

HEADING = "The DfE workforce census returns"
EMPTY = ("No DfE workforce census return has been loaded into this database (python -m pipelines census import), "
         "so there are no census figures.")


def pack_specs(src: DataSource, current: Filters | None, mode: str) -> list[ChartSpec]:
    """Every year's figures, the latest year's leavers by destination, and year-on-year retention."""
    if not vm.has_returns(src):
        return []
    loaded = vm.years(src)
    year = max([y for y in loaded if current is None or date(y, 9, 30) <= current.as_at] or loaded)
    figures = vm.figures_spec(src)
    figures.summary = _figures_summary(figures.published_table(mode))  # small numbers stay hidden in words too
    specs = [figures]
    leavers = vm.leavers_by(src, year, "destination")
    if len(leavers):
        spec = vm.count_spec(f"census-leavers-destination-{year}", f"Leavers by where they went, year to 30 "
                                                                   f"September {year} (census return)",
                             leavers, "Leavers")
        to_agency, total = vm.leavers_to_agency(src, year), int(leavers["Leavers"].sum())
        if mode != PUBLICATION or not (is_small(to_agency) or is_small(total) or is_small(total - to_agency)):
            spec.summary = (f"{to_agency} of the {total} leavers in the year to 30 September {year} went to "
                            "agency or consultancy social work.")
        specs.append(spec)
    retention = vm.retention_spec(src)
    if len(retention.table):
        specs.append(retention)
    return specs


def _figures_summary(published) -> str:
    """The latest year's turnover and agency rate, as published (a hidden figure is said to be hidden)."""
    if published.empty:
        return ""
    latest = published.iloc[-1]

    def said(column: str) -> str:
        value = latest[column]
        return "not shown (fewer than 5 people)" if value == SUPPRESSED or value is None else f"{value}%"

    return (f"In the year to 30 September {latest['Year to 30 Sep']}, turnover was {said('Turnover (FTE, %)')} and "
            f"the agency rate {said('Agency rate (FTE, %)')} (FTE), from the census return.")


def census_pack(src: DataSource, mode: str) -> Pack:
    """The pack for a census-only database: the census section and the statements about the data."""
    from reporting.pack_builder import authority_words  # it imports the catalog, which imports this module

    mode = src.access.allowed_mode(mode)  # internal packs only where the user's access rule allows them
    loaded = vm.years(src)
    latest = date(max(loaded), 9, 30)
    returns = vm.returns_loaded(src)
    held = int(returns["Held back"].sum()) if len(returns) else 0
    context = PackContext(
        authority=authority_words(src), unit_path="the whole authority",
        period=f"the census years to 30 September {min(loaded)} to {max(loaded)}", as_at=latest,
        filters_text="Whole authority, every census year loaded", source=f"{vm.SOURCE_WORDS}",
        coverage=f"The census returns loaded cover the years to 30 September {', '.join(map(str, loaded))}.",
        quality=[f"{held:,} worker record(s) were held back on import because they broke a rule of the return "
                 "(the HR analytics team keeps the list, with the reason for each).",
                 "SWE numbers are stored only as keyed pseudonyms; birth dates, gender, ethnicity and "
                 "qualification institutions are never stored.",
                 "No HR extracts are loaded, so there are no figures by team or post."],
        mode=mode)
    with publishing() if mode == PUBLICATION else nullcontext():  # a viewer's pack is publication-only
        return build_pack([Section("census", HEADING, pack_specs(src, None, mode))], context)


def census_charts(src: DataSource, mode: str) -> dict[str, ChartSpec]:
    """The census section's charts by name (`export chart` on a database of census returns)."""
    return {spec.name: spec for spec in pack_specs(src, None, mode) if spec.draw is not None}


def census_chart_file(src: DataSource, name: str, fmt: str, mode: str) -> bytes:
    """One census chart as PNG, SVG, CSV or XLSX, stamped like every export: whole authority, the returns."""
    from pipelines.errors import UsageError
    from reporting import exports

    mode = src.access.allowed_mode(mode)
    with publishing() if mode == PUBLICATION else nullcontext():
        charts = census_charts(src, mode)
    if name not in charts:
        raise UsageError(f"Unknown chart '{name}'. Census charts: {', '.join(sorted(charts))}.")
    spec = charts[name]
    stamp = exports.Stamp(title=spec.title, filters="Whole authority, every census year loaded",
                          source=vm.SOURCE_WORDS, definition="DfE's definitions (docs/CENSUS.md)", mode=mode)
    return spec_file(spec, stamp, fmt, mode)
