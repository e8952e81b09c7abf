"""Every exportable chart by name, grouped into the scrutiny pack's sections, built from a set of
filters. The Word pack, `python -m pipelines export chart NAME` and `export pack` all come through
here, so a chart in a committee paper is the same chart the dashboard shows."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipelines.forecast_inputs import MIN_HISTORY_MONTHS, MIN_PEOPLE
from reporting import agency_specs, census_pack
from reporting import benchmarks as benchmarks_vm
from reporting import forecast as forecast_vm
from reporting import leadership as leadership_vm
from reporting import structure as structure_vm
from reporting import teams as teams_vm
from reporting import turnover as turnover_vm
from reporting import vacancies as vacancies_vm
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.overview import cards_table, headline_cards
from reporting.overview_publish import part_of_whole_hidden, turnover_hidden
from reporting.scrutiny_pack import Section
from reporting.source import DataSource
from reporting.suppression import PUBLICATION, SUPPRESSED, SuppressionRules, is_small, shown_total
from reporting.words import plural


def _pct(value, hidden: bool = False) -> str:
    """A rate for a summary sentence; in publication mode, never one its table hides (or that rests on 1 to 4
    people): a sentence must not give back what the table suppresses."""
    if hidden or (isinstance(value, str) and value == SUPPRESSED):
        return "not published (it rests on fewer than 5 people)"
    return "not available" if value is None or value != value else f"{value:.1f}%"


def _numeric(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.where(values.astype(str) != SUPPRESSED), errors="coerce").dropna()


def _headline_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    cards = headline_cards(src, current)
    table = cards_table(cards, current, mode).drop(columns=["Based on"])
    hidden = set(table.loc[table["Value"].astype(str) == "c", "Measure"])  # publication: resting on 1 to 4 people
    lines = [f"{c.label}: c" if c.label in hidden else
             f"{c.label}: {c.shown_value}" + (f" ({c.shown_change})" if c.shown_change else "") for c in cards]
    return [ChartSpec(name=f"headline-measures-{current.as_at:%Y-%m-%d}",
                      title=f"Headline measures as at {current.as_at:%d %b %Y}", table=table, draw=None,
                      summary="; ".join(lines) + ".")]


def _leadership_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    scope = current.management_scope
    if scope is None:
        return []
    first, as_at = src.coverage()["coverage_start"], current.as_at
    series = leadership_vm.interim_series(src, scope, first, as_at)
    if series.empty:
        return []
    dates = leadership_vm.key_dates(src, first, as_at)
    interim = leadership_vm.interim_spec(
        series, f"Interim ratio by management tier, {series['Month end'].min():%b %Y} to {as_at:%b %Y}", dates,
        f"interim-ratio-by-tier-{as_at:%Y-%m-%d}")
    shown = interim.published_table(mode)  # in publication mode, as the table publishes it
    overall = shown[shown["Tier"] == leadership_vm.ALL_MANAGEMENT].set_index("Month end")["Interim ratio (%)"]
    if len(overall):
        year_ago = overall[overall.index <= pd.Timestamp(as_at) - pd.DateOffset(years=1)]
        published = _numeric(overall)
        interim.summary = (
            f"The interim ratio in management posts was {_pct(overall.iloc[-1])} on {as_at:%d %B %Y}"
            + (f", against {_pct(year_ago.iloc[-1])} a year earlier" if len(year_ago) else "") + "."
            + (f" Its highest published point in the data was {_pct(published.max())} in "
               f"{published.idxmax():%B %Y}." if len(published) else ""))
    specs = [interim]
    table, totals = leadership_vm.churn(src, scope, current.period_from, as_at)
    if not table.empty:
        churn = leadership_vm.churn_spec(table, f"Leadership churn by tier, {current.period_from:%d %b %Y} to "
                                                f"{as_at:%d %b %Y}", f"leadership-churn-by-tier-{as_at:%Y-%m-%d}")
        # Management posts are posts, not people; the two people counts are stated as the table publishes
        # them, so the sentence cannot give away a hidden tier.
        changes, holders = (shown_total(table, churn.rules, column, totals[field], mode) for column, field in
                            (("Changes of holder", "holder_changes"), ("Different holders", "distinct_holders")))
        churn.summary = (f"Between {current.period_from:%d %B %Y} and {as_at:%d %B %Y}, "
                         f"{int(totals['posts']):,} management posts had {changes} changes of holder and were held "
                         f"by {holders} different people.")
        specs.append(churn)
    return specs


def _turnover_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    start, as_at, scope = current.period_from, current.as_at, current.scope
    words = f"{start:%d %b %Y} to {as_at:%d %b %Y}"
    specs = []
    top = turnover_vm.headline(src, scope, start, as_at)
    turnover_hidden, stability_hidden = _small_turnover(src, scope, start, as_at, mode)
    by_grade = turnover_vm.turnover_by_grade(src, scope, start, as_at)
    if not by_grade.empty:
        spec = turnover_vm.turnover_spec(by_grade, f"Turnover by grade (headcount), {words}",
                                         f"turnover-by-grade-{as_at:%Y-%m-%d}")
        spec.summary = (f"Turnover over the period was {_pct(top.turnover_pct, turnover_hidden)} by headcount and "
                        f"{_pct(top.dfe_pct, turnover_hidden)} in DfE's FTE form; the stability index was "
                        f"{_pct(top.stability_pct, stability_hidden)}.")
        specs.append(spec)
    stability = turnover_vm.stability_by_grade(src, scope, start, as_at)
    if not stability.empty:
        spec = turnover_vm.stability_spec(stability, f"Stability index by grade, {words}",
                                          f"stability-by-grade-{as_at:%Y-%m-%d}")
        spec.summary = (f"Of the staff in post on {start:%d %B %Y}, the share still employed on {as_at:%d %B %Y} "
                        f"without a break was {_pct(top.stability_pct, stability_hidden)}.")
        specs.append(spec)
    return specs


def _small_turnover(src: DataSource, scope, start, as_at, mode: str) -> tuple[bool, bool]:
    """Whether, in publication mode, the whole selection's turnover and stability rest on 1 to 4 people (leavers,
    average headcount; stayers, leavers among them, or starting headcount), as the overview cards judge them."""
    if mode != PUBLICATION:
        return False, False
    turnover = src.metric("turnover", scope, date_from=start, date_to=as_at).iloc[0]
    stability = src.metric("stability", scope, date_from=start, date_to=as_at).iloc[0]
    return (turnover_hidden(int(turnover["leavers"]), float(turnover["avg_headcount"])),
            part_of_whole_hidden(int(stability["stable"]), int(stability["headcount_start"])))


def _vacancy_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    specs = []
    trend = vacancies_vm.rate_trend(src, current)
    if trend.has_posts:
        spec = vacancies_vm.rate_spec(src, current, trend)
        latest = trend.latest
        # Each figure once: the rate with its FTE, then the share covered with its FTE (people: hidden under 5).
        cover_hidden = mode == PUBLICATION and is_small(latest["covered_vacant_fte"])
        cover = ("the share of the vacant FTE covered by acting, interim, agency or seconded staff is not published "
                 "(fewer than 5 FTE of cover)" if cover_hidden else
                 f"{_pct(latest['agency_cover_pct'])} of the vacant FTE "
                 f"({vacancies_vm.fmt(latest['covered_vacant_fte'])} FTE) was covered by acting, interim, agency or "
                 "seconded staff")
        spec.summary = (f"On {current.as_at:%d %B %Y} the vacancy rate was {_pct(latest['vacancy_rate_pct'])} "
                        f"({vacancies_vm.fmt(latest['vacant_fte'])} vacant FTE of "
                        f"{vacancies_vm.fmt(latest['establishment_fte'])} budgeted FTE); {cover}.")
        specs.append(spec)
    fills = vacancies_vm.fill_times(src, current)
    if fills.filled:
        spec = vacancies_vm.fill_spec(current, fills)
        median = fills.summary["median_days_to_fill"]
        filled = shown_total(fills.bands, spec.rules, "Vacancies filled", fills.filled, mode)
        spec.summary = (f"{filled[0].upper()}{filled[1:]} vacancies were filled in the period; "
                        f"the median time to fill was {median:,.0f} days.")
        specs.append(spec)
    return specs


def _structure_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    over_time = structure_vm.events_over_time(src, current)
    specs = []
    if over_time.total:
        spec = structure_vm.over_time_spec(src, current, over_time)
        top = structure_vm.headline(src, current)
        # The chart covers the whole history, so the sentence says so and, when the chosen period was quiet,
        # when the last change happened: the section must not seem to contradict itself.
        spec.summary = (top.sentence(current) + ". "
                        + (structure_vm.last_change(src, current) + " " if top.events == 0 else "")
                        + f"The chart shows every change from {over_time.first_day:%d %b %Y}, when the data begin, "
                          f"to {current.as_at:%d %b %Y}.")
        specs.append(spec)
    by_unit = structure_vm.changes_by_unit(src, current)
    if len(by_unit.table):
        specs.append(structure_vm.by_unit_spec(current, by_unit))
    return specs


def _team_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    view = teams_vm.teams_view(src, current)
    if view.table.empty:
        return []
    points = teams_vm.chart_points(view)
    spec = teams_vm.pressure_spec(points, f"Caseload per FTE against vacancy rate by team, as at "
                                          f"{current.as_at:%d %b %Y}", f"team-pressure-{current.as_at:%Y-%m-%d}")
    total, red, amber = len(view.table), view.levels.count("red"), view.levels.count("amber")
    spec.summary = (f"Of {plural(total, 'team or pod', 'teams and pods')}, {red} {'is' if red == 1 else 'are'} "
                    f"above a red threshold and {amber} above an amber threshold only, on vacancy rate, interim "
                    "ratio, turnover or caseload.")
    team_table = ChartSpec(name=f"teams-{current.as_at:%Y-%m-%d}", title=f"Teams and pods as at {current.as_at:%d %b %Y}",
                           table=view.table, draw=None, rules=teams_vm.download_rules())
    return [spec, team_table]


SENIOR_TIERS = ("director", "assistant_director", "head_of_service")
LONG_VACANCY_DAYS = 180


def _senior_post_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    """Who held each director, assistant director and head of service post, and on what basis. Holders are
    numbered within each post, never named; the post history is what committees ask for first."""
    scope = current.scope_with_tiers(SENIOR_TIERS)
    if scope is None:
        return []
    rows = leadership_vm.timeline_rows(src, scope, current.as_at)
    if rows.empty:
        return []
    table = leadership_vm.timeline_table(rows)
    first = src.coverage()["coverage_start"]
    spec = leadership_vm.timeline_spec(
        table, f"Who held each senior post, {table['From'].min():%b %Y} to {current.as_at:%b %Y}",
        leadership_vm.key_dates(src, first, current.as_at), f"senior-post-holders-{current.as_at:%Y-%m-%d}")
    spec.summary = leadership_vm.timeline_summary(table)
    spec.print_table = leadership_vm.posts_table(table, current.as_at)
    spec.alt_text = (f"Bars for each director, assistant director and head of service post, one per appointment, "
                     f"coloured by arrangement. {spec.summary}")
    return [spec]


def _long_vacancy_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    """Posts fully vacant for more than 180 days on the as-at date, by unit, grade and age (posts, not people)."""
    empty = vacancies_vm.open_vacancies(src, current)
    table = empty.table[empty.table["Age (days)"] > LONG_VACANCY_DAYS]
    if table.empty:
        return []
    table = table.sort_values(["Team", "Age (days)"], ascending=[True, False], kind="stable")
    table = table[["Team", "Grade", "Post title", "Vacant since", "Age (days)", "Covered by cover staff"]]
    covered = int((table["Covered by cover staff"] == "Yes").sum())
    spec = ChartSpec(name=f"posts-vacant-over-{LONG_VACANCY_DAYS}-days-{current.as_at:%Y-%m-%d}",
                     title=f"Posts vacant for more than {LONG_VACANCY_DAYS} days on {current.as_at:%d %b %Y}",
                     table=table.reset_index(drop=True), draw=None, metric="vacancy_duration",
                     rules=SuppressionRules())
    spec.summary = (f"On {current.as_at:%d %B %Y}, {plural(len(table), 'post had', 'posts had')} been fully vacant "
                    f"for more than {LONG_VACANCY_DAYS} days; {covered} of them "
                    f"{'was' if covered == 1 else 'were'} covered by acting, interim, agency or seconded staff. "
                    "A post vacant since before the data begin is counted from the first day of the data.")
    return [spec]


@dataclass(frozen=True)
class SectionDefinition:
    key: str
    heading: str
    build: Callable[[DataSource, Filters, str], list[ChartSpec]]
    empty_text: str = "There is nothing to show in this section for the chosen part of the service and period."
    page: str = ""  # the dashboard page that shows the same charts
    # Chosen, not given: a forecast is a judgement about the future, not a measure of the past, and census
    # returns are chosen when they are loaded, so a committee paper carries them only when someone asks.
    opt_in: bool = False
    whole_service: bool = False  # authority-wide figures: only for users whose access covers the whole service


SECTIONS = {s.key: s for s in (
    SectionDefinition("headlines", "Headline measures", _headline_specs, page="Overview"),
    SectionDefinition("leadership", "Leadership and interims", _leadership_specs, page="Leadership and interims"),
    SectionDefinition("senior_posts", "Who has led the service", _senior_post_specs,
                      "No director, assistant director or head of service post is in the chosen part of the "
                      "service and tiers.", page="Leadership and interims"),
    SectionDefinition("turnover", "Turnover and stability", _turnover_specs, page="Turnover and stability"),
    SectionDefinition("vacancies", "Vacancies", _vacancy_specs, page="Vacancies"),
    SectionDefinition("long_vacancies", f"Posts vacant for more than {LONG_VACANCY_DAYS} days", _long_vacancy_specs,
                      f"No post in the chosen part of the service had been fully vacant for more than "
                      f"{LONG_VACANCY_DAYS} days on the as-at date.", page="Vacancies"),
    SectionDefinition("structure", "Structure changes", _structure_specs, page="Structure changes"),
    SectionDefinition("teams", "Front-line teams", _team_specs, page="Teams"),
    SectionDefinition("agency", "Agency staff: DfE's rules and the cost of cover", agency_specs.pack_specs,
                      "No agency engagements are loaded for the chosen part of the service and period, so there is "
                      "nothing to say about agency rules or the cost of cover.", page="Agency staff"),
    SectionDefinition("benchmarks", "Benchmarks against DfE's published figures", benchmarks_vm.pack_specs,
                      "DfE's published children's social work workforce figures have not been imported into this "
                      "database, so there is no comparison with England, the region or statistical neighbours.",
                      page="Benchmarks"),
    SectionDefinition("census", census_pack.HEADING, census_pack.pack_specs, census_pack.EMPTY,
                      page="Census returns", opt_in=True, whole_service=True),
    SectionDefinition("forecast", "Workforce forecast: the next 12 months", forecast_vm.pack_specs,
                      f"No forecast for the chosen part of the service: it has fewer than {MIN_PEOPLE} people in "
                      f"post, or the loaded history is shorter than {MIN_HISTORY_MONTHS} months (see the Forecast "
                      "page for which).", page="Forecast", opt_in=True),
)}
DEFAULT_SECTIONS = tuple(key for key, section in SECTIONS.items() if not section.opt_in)


def sections_for(access) -> list[str]:
    """The sections a user may put in a pack: all of them, less the authority-wide ones without whole-service
    access (the data source would refuse them)."""
    return [key for key, section in SECTIONS.items() if access.whole_service or not section.whole_service]


def build_sections(src: DataSource, current: Filters, keys: tuple[str, ...], mode: str) -> list[Section]:
    sections = []
    for key in keys:
        definition = SECTIONS[key]
        specs = definition.build(src, current, mode)
        sections.append(Section(key, definition.heading, specs, "" if specs else definition.empty_text))
    return sections


def chart_names(src: DataSource, current: Filters) -> dict[str, ChartSpec]:
    """Every chart with a picture, by a name without the date (e.g. 'interim-ratio-by-tier')."""
    return {name: spec for name, (spec, _page) in chart_listing(src, current).items()}


def chart_listing(src: DataSource, current: Filters) -> dict[str, tuple[ChartSpec, str]]:
    """Every chart with a picture, by short name, with the dashboard page that shows it."""
    found = {}
    for definition in SECTIONS.values():
        for spec in definition.build(src, current, PUBLICATION):
            if spec.draw is not None:
                short = spec.name.removesuffix(f"-{current.as_at:%Y-%m-%d}").split("-20")[0]
                found.setdefault(short, (spec, definition.page))
    return found
