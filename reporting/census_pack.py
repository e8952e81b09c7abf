"""The census section of the Word scrutiny pack, and a whole pack for a database holding census returns
only (no HR extracts, so no HR filters, coverage or load history to describe)."""

from datetime import date

from reporting import census as vm
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.scrutiny_pack import Pack, PackContext, Section, build_pack
from reporting.source import DataSource

HEADING = "The DfE workforce census returns"
EMPTY = ("No DfE workforce census return has been loaded into this database (python -m pipelines census import), "
         "so there are no census figures.")


def pack_specs(src: DataSource, current: Filters | None, mode: str) -> list[ChartSpec]:
    """Every year's figures, the latest year's leavers by destination, and year-on-year retention."""
    if not vm.has_returns(src):
        return []
    loaded = vm.years(src)
    year = max([y for y in loaded if current is None or date(y, 9, 30) <= current.as_at] or loaded)
    specs = [vm.figures_spec(src)]
    leavers = vm.leavers_by(src, year, "destination")
    if len(leavers):
        spec = vm.count_spec(f"census-leavers-destination-{year}", f"Leavers by where they went, year to 30 "
                                                                   f"September {year} (census return)",
                             leavers, "Leavers")
        spec.summary = (f"{vm.leavers_to_agency(src, year)} of the {int(leavers['Leavers'].sum())} leavers in the "
                        f"year to 30 September {year} went to agency or consultancy social work.")
        specs.append(spec)
    retention = vm.retention_spec(src)
    if len(retention.table):
        specs.append(retention)
    return specs


def census_pack(src: DataSource, mode: str) -> Pack:
    """The pack for a census-only database: the census section and the statements about the data."""
    from reporting.pack_builder import authority_words  # it imports the catalog, which imports this module

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
    return build_pack([Section("census", HEADING, pack_specs(src, None, mode))], context)
