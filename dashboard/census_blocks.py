"""Chart, table and downloads for census figures: components.chart_block, stamped with the census year and
role instead of the HR filters (which a census-only database does not have). Streamlit glue only."""

from dashboard import components, filters
from reporting import exports
from reporting.census import SOURCE_WORDS
from reporting.chart_spec import ChartSpec


def stamp(spec: ChartSpec, scope: str, mode: str) -> exports.Stamp:
    return exports.Stamp(title=spec.title, filters=scope, source=SOURCE_WORDS + ".",
                         definition="DfE's definitions (docs/CENSUS.md); rates rounded half up to one decimal place.",
                         mode=mode)


def chart_block(spec: ChartSpec, scope: str, note: str = "") -> None:
    """scope: the year and role in words, e.g. 'Whole authority, year to 30 September 2024, all roles'."""
    components.chart_block(spec, note=" ".join(part for part in (note, f"{SOURCE_WORDS}. {scope}.") if part),
                           stamp=stamp(spec, scope, filters.export_mode()))
