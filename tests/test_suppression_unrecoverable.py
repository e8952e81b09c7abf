"""Suppressed means unrecoverable: for every table the product publishes (each section of the pack, each
page table, the teams download and the overview cards) in publication mode, on the demo authority and on
two small fictional ones, for several parts of the service and periods, an attacker that knows only what
the columns mean (tests/disclosure_attacker.py) tries the arithmetic a reader could do and must find no
count of people from 1 to 4."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from reporting import catalog, filters, leadership, teams, turnover, vacancies
from reporting.overview import cards_table, headline_cards
from reporting.source import DataSource
from reporting.suppression import PUBLICATION
from tests.disclosure_attacker import Meaning, attack, undeclared_numbers
from tests.small_authority import build_small_authority

# ../shared beside the checkout (a worktree sits one folder deeper than the main checkout)
DFE = next((p / "shared" / "data" / "dfe" for p in Path(__file__).resolve().parents[2:4]
            if (p / "shared" / "data" / "dfe").is_dir()), Path("missing"))
OVER = teams.over_column()


def _meaning(name: str, table, summary: str = "") -> Meaning:
    """What each column of a published table means, by the table's name (written here, not taken from the
    product's suppression rules, so a wrong rule cannot hide its own mistake)."""
    columns = list(table.columns)
    if name.startswith("headline-measures"):
        return Meaning(not_people=("Value", "A year earlier", "Change"))
    if name.startswith("interim-ratio-by-tier"):
        return Meaning(counts=("Cover (people)", "In post (people)"),
                       rates={"Interim ratio (%)": ("Cover FTE", "Occupied FTE")},
                       fte_of={"Cover FTE": "Cover (people)", "Occupied FTE": "In post (people)"},
                       parts=(("Cover (people)", "In post (people)"),),
                       total_row=("Tier", leadership.ALL_MANAGEMENT, "Month end"))
    if name.startswith("leadership-churn"):
        stated = re.search(r"(\S+) management posts had (.+?) changes of holder and were held by (.+?) different",
                           summary)
        totals = {}
        if stated:
            for column, words in zip(("Changes of holder", "Different holders"), stated.groups()[1:]):
                if re.fullmatch(r"[\d,]+", words):
                    totals[column] = float(words.replace(",", ""))
        return Meaning(counts=("Changes of holder", "Different holders"), not_people=("Management posts",),
                       stated_totals=totals)
    if name.startswith("senior-post-holders"):
        # The history of named senior posts with numbered holders: post facts, not counts of a group of people
        # (docs/EXPORTS.md). Its print table counts appointments per post.
        return Meaning(not_people=tuple(columns))
    if name.startswith("posts-vacant-over"):
        return Meaning(not_people=tuple(columns))  # posts, not people
    if name.startswith(("turnover-by-grade", "turnover-grade-by-year")):
        return Meaning(counts=("Leavers", "Voluntary leavers", "Average headcount"),
                       rates={"Turnover, headcount (%)": ("Leavers", "Average headcount"),
                              "DfE FTE turnover (%)": ("Leaver FTE", "FTE in post at end")},
                       fte_of={"Leaver FTE": "Leavers", "FTE in post at end": "Average headcount"},
                       parts=(("Voluntary leavers", "Leavers"),))
    if name.startswith("stability-by-grade"):
        stayed, cohort = columns[2], columns[3]
        return Meaning(counts=(stayed, cohort), rates={"Stability index (%)": (stayed, cohort)},
                       parts=((stayed, cohort),))
    if name.startswith("leavers-voluntary-by-year"):
        return Meaning(counts=("Voluntary leavers", "Other leavers", "All leavers"),
                       rates={"Voluntary share (%)": ("Voluntary leavers", "All leavers")},
                       parts=(("Voluntary leavers", "All leavers"), ("Other leavers", "All leavers")))
    if name.startswith("leaving-reasons"):
        return Meaning(counts=("Leavers",), shares={"Share of leavers (%)": "Leavers"},
                       fte_of={"Leaver FTE": "Leavers"})
    if name.startswith("days-to-fill"):
        # Our reading: a filled vacancy is the appointment of a person, so it is a count of people.
        stated = re.match(r"([\d,]+) vacancies were filled", summary)
        return Meaning(counts=("Vacancies filled",),
                       stated_totals={"Vacancies filled": float(stated.group(1).replace(",", ""))} if stated else {})
    if name.startswith(("vacancy-rate", "open-vacancies-by-age", "structural-changes", "changes-by-unit",
                        "benchmarks-latest")):
        return Meaning(not_people=tuple(columns))  # posts, FTE of posts, events and DfE's own figures
    if name.startswith("team-pressure"):
        return Meaning(counts=("Case holders", "FTE in post"),
                       not_people=("Vacancy rate (%)", "Caseload per FTE"))
    if name.startswith("teams-"):
        return Meaning(counts=("Headcount", "Leavers, 12 months", "Case holders", OVER, "Average headcount",
                               "Cover FTE"),
                       rates={"Turnover, 12 months (%)": ("Leavers, 12 months", "Average headcount"),
                              "Interim ratio (%)": ("Cover FTE", "FTE in post")},
                       fte_of={"FTE in post": "Headcount", "Case-holding FTE": "Case holders"},
                       parts=((OVER, "Case holders"),),
                       not_people=("Vacancy rate (%)", "Vacant FTE", "Establishment FTE", "Caseload per FTE",
                                   "Open cases"))
    if name.startswith("benchmark-"):
        count = columns[2]
        if "caseload" in name or "vacancy-rate" in name:
            return Meaning(counts=(count,), not_people=tuple(c for c in columns if c != count))
        return Meaning(counts=(count,), rates={columns[1]: ("(people behind the rate)", count)},
                       not_people=tuple(columns[3:]) + ("Year to 30 September",))
    if name.startswith("agency-rules"):
        # engagements (people) per rule and result; the last row is every engagement active
        return Meaning(counts=tuple(c for c in columns if c != "Result"),
                       total_row=("Result", "Engagements active", None))
    if name.startswith("agency-breaches-by-quarter"):
        return Meaning(counts=("Engagements with a breach", "Engagements active"))
    if name.startswith("agency-cost-by-"):
        # pounds and hours of a group of engagements: not counts, but hidden with the count they rest on
        return Meaning(counts=("Engagements",), fte_of={"Agency hours": "Engagements"},
                       not_people=("Agency cost (£)", "Permanent equivalent (£)", "Premium (£)"))
    raise AssertionError(f"the attacker does not know what the columns of {name} mean")


def _page_specs(src: DataSource, current: filters.Filters) -> list:
    """The page tables that the pack does not carry (the pages build them exactly so)."""
    scope, start, as_at = current.scope, current.period_from, current.as_at
    specs = []
    ends = turnover.year_ends(as_at, src.coverage()["coverage_start"])
    years = turnover.yearly(src, scope, ends) if ends else None
    if years is not None and not years.empty:
        specs.append(turnover.heatmap_spec(turnover.heatmap_table(years), "t", f"turnover-grade-by-year-{as_at}"))
        specs.append(turnover.leavers_spec(turnover.leavers_by_year(years), "t", turnover.key_dates(src, ends), ends,
                                           f"leavers-voluntary-by-year-{as_at}"))
    reasons = turnover.leaving_reasons(src, scope, start, as_at)
    if not reasons.empty:
        specs.append(turnover.reasons_spec(reasons, "t", f"leaving-reasons-{as_at}"))
    empty = vacancies.open_vacancies(src, current)
    if empty.count:
        specs.append(vacancies.open_age_spec(current, empty))
    return specs


def _published(src: DataSource, current: filters.Filters):
    """(name, published table, sentence) for every publication table under these filters."""
    for section in catalog.build_sections(src, current, catalog.DEFAULT_SECTIONS, PUBLICATION):
        for spec in section.charts:
            yield spec.name, spec.published_table(PUBLICATION), spec.summary
    for spec in _page_specs(src, current):
        yield spec.name, spec.published_table(PUBLICATION), spec.summary
    view = teams.teams_view(src, current)
    if not view.table.empty:
        yield "teams-download", teams.download_table(view, PUBLICATION), ""


def _filters_to_try(src: DataSource) -> list[filters.Filters]:
    as_at = filters.default_as_at(src, today=date(2025, 6, 30))
    tree = src.view("org_tree", day=as_at)
    by_level = {level: sorted(tree.loc[tree["unit_level"] == level, "unit_id"]) for level in ("service", "team")}
    units = [None] + [ids[0] for ids in by_level.values() if ids]
    found = [filters.Filters(unit=u, as_at=as_at, months=12, tiers=(), social_work_only=False) for u in units]
    found.append(filters.Filters(unit=None, as_at=as_at, months=3, tiers=(), social_work_only=True))
    found.append(filters.Filters(unit=units[-1], as_at=as_at, months=24, tiers=(), social_work_only=False))
    return found


def _attack_everything(db: Path, expect: tuple[str, ...] = ()) -> list[str]:
    src = DataSource(db)
    findings, seen = [], set()
    for current in _filters_to_try(src):
        where = f"{current.unit or 'whole service'}, {current.months} months"
        for name, table, summary in _published(src, current):
            meaning = _meaning(name, table, summary)
            missing = undeclared_numbers(table, meaning)
            assert not missing, f"{name}: the attacker was told nothing about {missing}"
            findings += attack(table, meaning, f"{where}, {name}")
            seen.add(name.split("-20")[0])
        cards = cards_table(headline_cards(src, current), current, PUBLICATION)
        findings += attack_cards(cards, f"{where}, overview cards")
    assert {"turnover-by-grade", "stability-by-grade", "leaving-reasons", *expect} <= seen, seen
    return findings


def attack_cards(cards, where: str) -> list[str]:
    """The cards' 'Based on' words: no count of people from 1 to 4, no 'X of Y' people pair that differs by
    1 to 4, and no value that is a rate of a shown denominator giving 1 to 4 people."""
    found = []
    people = r"(leavers|people|staff|vacancies filled|above)"
    for row in cards.to_dict("records"):
        words = str(row["Based on"])
        for number in re.findall(r"(?<![\d.,])([1-4])\s+(?:of\s+[\d,]+\s+)?" + people, words):
            found.append(f"{where}: {row['Measure']} says {number[0]} {number[1]}")
        for part, whole in re.findall(r"(?<![\d.])(?<!than )(\d+) of (\d+) (?:people|staff)", words):
            if 1 <= int(whole) - int(part) <= 4:
                found.append(f"{where}: {row['Measure']}: {whole} - {part} people")
        headcount = re.search(r"average headcount of ([\d.,]+)", words)
        if headcount and row["Value"] not in (None, "c") and row["Value"] == row["Value"] and \
                re.search(r"\bc leavers|fewer than 5 leavers", words):
            leavers = float(row["Value"]) * float(headcount.group(1).replace(",", "")) / 100
            if 0.5 <= leavers <= 4.5:
                found.append(f"{where}: {row['Measure']}: {row['Value']}% of {headcount.group(1)} = {leavers:.1f}")
    return found


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.duckdb"
    run = [sys.executable, "-m", "pipelines"]
    made = subprocess.run([*run, "demo", "--out", str(folder / "x"), "--db", str(db), "--key", str(folder / "k")],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    imported = subprocess.run([*run, "benchmarks", "import", *map(str, sorted(DFE.glob("*.csv"))),
                               str(folder / "published_return.csv"), "--db", str(db)], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    return db


def test_no_count_of_one_to_four_people_can_be_worked_out_on_the_demo_authority(demo_db):
    benchmarks = ("benchmarks-latest", "benchmark-turnover") if DFE.is_dir() else ()
    findings = _attack_everything(demo_db, ("interim-ratio-by-tier", "days-to-fill", "teams-download", *benchmarks))
    assert not findings, f"{len(findings)} recoverable counts, e.g.:\n" + "\n".join(findings[:25])


def test_no_count_of_one_to_four_people_can_be_worked_out_on_the_tiny_fixture_authority(fixture_db):
    findings = _attack_everything(fixture_db)
    assert not findings, f"{len(findings)} recoverable counts, e.g.:\n" + "\n".join(findings[:25])


def test_no_count_of_one_to_four_people_can_be_worked_out_on_a_small_authority(tmp_path):
    findings = _attack_everything(build_small_authority(tmp_path))
    assert not findings, f"{len(findings)} recoverable counts, e.g.:\n" + "\n".join(findings[:25])
