"""Agency staff page (AppTest), its Word pack section and its quarterly summary, on a small hand-made
authority (tests/agency_extract.py) whose data end on 31 Oct 2025, the page's as-at date.

Engagements (37 hours a week unless said; Band 9 costs 41000 x 1.3 / (52.143 x 37) an hour):
- STEADY: from 2024-12-01 at £50, passes every rule;
- NOREF: from 2024-12-01 at £50, references not received (a breach);
- BACK: the same person left a permanent post here on 2025-05-10 and came back through an agency on
  2025-06-01 at £60 (own-authority cooling-off breach);
- LAST: from 2024-11-01 to 2025-10-31, the last day of the data, at £50."""

import os
import subprocess
import sys
from datetime import date

import docx
import pandas as pd
import pytest

from pipelines import agency as engine
from pipelines.settings import load_settings
from reporting import agency as vm
from reporting import agency_specs
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import INTERNAL, PUBLICATION
from tests.agency_extract import case, load_cases, settings_file
from tests.apptest_helpers import SIGN_IN_SECRETS, open_page, page_text

PAGE = "pages/agency_page.py"
AS_AT = date(2025, 10, 31)
CASES = [
    case("STEADY", "2024-12-01", hours_per_week="37"),
    case("NOREF", "2024-12-01", hours_per_week="37", reference_received="no"),
    case("BACK", "2025-06-01", hours_per_week="37", charge_rate_hourly="60", permanent_until="2025-05-10"),
    case("LAST", "2024-11-01", hours_per_week="37", end="2025-10-31"),
]
PERMANENT_HOUR = 41000 * 1.3 / (52.143 * 37)
# 12 months to 31 Oct 2025 = 1 Nov 2024 .. 31 Oct 2025: STEADY and NOREF 335 days, BACK 153, LAST 365
DAYS = {"STEADY": 335, "NOREF": 335, "BACK": 153, "LAST": 365}
AGENCY_COST = sum(37 * days / 7 * (60 if name == "BACK" else 50) for name, days in DAYS.items())
PERMANENT_COST = sum(37 * days / 7 for days in DAYS.values()) * PERMANENT_HOUR


@pytest.fixture(scope="module")
def agency_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_page")
    return load_cases(folder, CASES), settings_file(folder)


@pytest.fixture
def settings(agency_db, monkeypatch):
    monkeypatch.setenv("WFS_SETTINGS", str(agency_db[1]))
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


@pytest.fixture
def src(agency_db, settings):
    source = DataSource(agency_db[0])
    yield source
    source.close()


CURRENT = Filters(unit=None, as_at=AS_AT, months=12, tiers=(), social_work_only=False)


def test_the_committee_sentence_states_both_costs_and_the_difference(src):
    sentence = vm.committee_sentence(src, CURRENT).text()
    assert sentence == (f"In the 12 months to 31 October 2025, agency cover cost £{AGENCY_COST:,.0f}; the same hours "
                        f"from our own staff would have cost £{PERMANENT_COST:,.0f}: "
                        f"£{AGENCY_COST - PERMANENT_COST:,.0f} more.")
    # four engagements are fewer than 5 people: the published sentence keeps the pounds back
    assert "not published" in vm.committee_sentence(src, CURRENT).text(PUBLICATION)


def test_breaches_are_listed_by_id_unit_and_job_type_and_the_returner_is_a_cooling_off_case(src):
    judged = vm.compliance_on(src, CURRENT)
    assert sorted(judged["engagement_id"]) == ["BACK", "LAST", "NOREF", "STEADY"]
    breaches = vm.breach_list(judged)
    assert breaches[["Engagement", "Unit", "Job type", "Rules breached"]].values.tolist() == [
        ["BACK", "Team One", "Social worker", "cooling-off (own authority)"],
        ["NOREF", "Team One", "Social worker", "references"]]
    cases = vm.cooling_off_cases(src, CURRENT)
    assert cases[["Engagement", "Which rule"]].values.tolist() == [["BACK", "own authority"]]


def test_quarterly_summary_counts_the_quarter_and_suppresses_small_numbers_for_publication(src):
    # quarter 1 Jul .. 30 Sep 2025 (92 days): all four active; hours 4 x 37 x 92 / 7
    table = vm.quarterly_summary(src, CURRENT)
    row = table[table["job_type"] == "social_worker"].iloc[0]
    assert (row["quarter_start"], row["quarter_end"], row["engagements"]) == ("2025-07-01", "2025-09-30", 4)
    assert row["hours"] == round(4 * 37 * 92 / 7, 2)
    assert row["fte"] == 4.0  # 4 full-time workers all quarter
    assert row["spend"] == round(3 * 37 * 92 / 7 * 50 + 37 * 92 / 7 * 60, 2)
    assert (row["breaches_references"], row["breaches_cooling_off_own"]) == (1, 1)
    published = vm.quarterly_table(src, CURRENT, date(2025, 9, 30), PUBLICATION)
    shown = published[published["job_type"] == "social_worker"].iloc[0]
    assert (shown["engagements"], shown["spend"], shown["breaches_references"]) == ("c", "c", "c")
    assert vm.quarterly_table(src, CURRENT, date(2025, 9, 30), INTERNAL).equals(table)


def test_the_pack_section_says_the_sentence_and_never_lists_engagement_ids(src):
    specs = agency_specs.pack_specs(src, CURRENT, PUBLICATION)
    assert [spec.name.rsplit("-2025", 1)[0] for spec in specs] == [
        "agency-cost-by-month", "agency-rules", "agency-breaches-by-quarter", "agency-cost-by-unit"]
    assert specs[0].summary == vm.committee_sentence(src, CURRENT).text(PUBLICATION)
    for spec in specs:
        assert not spec.table.isin(["STEADY", "NOREF", "BACK", "LAST"]).any().any(), spec.name
    cost = specs[0].published_table(PUBLICATION)
    assert set(cost["Agency cost (£)"]) <= {"c", 0.0}  # months with 1 to 4 engagements: pounds follow the count


def test_the_agency_page_shows_the_sentence_rules_costs_and_cases(app, agency_db, settings, monkeypatch):
    monkeypatch.setenv("WFS_DB", str(agency_db[0]))
    at = open_page(app, PAGE)
    text = page_text(at)
    assert f"agency cover cost £{AGENCY_COST:,.0f}" in text
    assert "Engagements with a breach on 31 Oct 2025" in text
    assert [m.value for m in at.metric][:2] == ["4", "2"]  # active; with a breach
    assert [h.value for h in at.subheader] == [
        "DfE's rules on agency social workers, as at 31 Oct 2025", "Breaches at each quarter end since the rules began",
        "The cost of agency cover, the 12 months to 31 Oct 2025", "Cooling-off cases, the 12 months to 31 Oct 2025",
        "Quarterly summary for DfE, quarter ending 30 Sep 2025"]


def test_the_agency_page_on_a_database_without_engagements_says_there_is_nothing_to_show(app):
    at = open_page(app, PAGE)
    assert "No agency engagement in this selection is active" in page_text(at)


def test_a_lone_small_result_of_a_rule_takes_the_next_smallest_with_it_when_published():
    # 22 engagements active; references: 10 pass, 10 unknown, 2 breach. Published, the breach (2) is hidden,
    # and so is the next smallest (10), or 22 - 10 - 10 - 0 would give the breach back.
    judged = pd.DataFrame({rule: ["pass"] * 22 for rule in engine.RULES})
    judged.loc[:9, "references"] = "unknown"
    judged.loc[10:11, "references"] = "breach"
    spec = agency_specs.rule_counts_spec(CURRENT, vm.rule_counts(judged))
    published = spec.published_table(PUBLICATION).set_index("Result")["References"]
    assert published.to_dict() == {"Breach": "c", "Unknown": "c", "Exempt": 0, "Pass": 10, "Engagements active": 22}
    assert spec.published_table(PUBLICATION).set_index("Result").loc["Pass", "Notice"] == 22
    assert spec.published_table(INTERNAL).set_index("Result").loc["Unknown", "References"] == 10


def test_the_word_pack_has_an_agency_section_with_the_sentence_in_internal_mode(agency_db, tmp_path):
    out = tmp_path / "pack.docx"
    result = subprocess.run([sys.executable, "-m", "pipelines", "export", "pack", "--db", str(agency_db[0]),
                             "--sections", "agency", "--mode", "internal", "--out", str(out)],
                            capture_output=True, text=True, env={**os.environ, "WFS_SETTINGS": str(agency_db[1])})
    assert result.returncode == 0, result.stderr
    text = " ".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "1. Agency staff: DfE's rules and the cost of cover" in text
    assert f"agency cover cost £{AGENCY_COST:,.0f}; the same hours from our own staff would have cost" in text
    assert "STEADY" not in text


def _signed_in_as(app, tmp_path, monkeypatch, rule: str):
    """The page with sign-in on and one access rule naming the signed-in user."""
    rules = tmp_path / "access.toml"
    rules.write_text(f'[[rule]]\nemails = ["someone@example.gov.uk"]\n{rule}\n', encoding="utf-8")
    monkeypatch.setenv("WFS_ACCESS", str(rules))
    app.secrets["auth"] = SIGN_IN_SECRETS
    app.user = {"is_logged_in": True, "email": "someone@example.gov.uk", "sub": "u-1"}
    return open_page(app, PAGE)


@pytest.mark.parametrize("rule, offered", [('access = "manager"\nunits = "all"', False),
                                           ('access = "manager"\nunits = "all"\ninternal_exports = true', True),
                                           ('access = "admin"', True)])
def test_the_breach_list_downloads_only_for_users_allowed_internal_exports(app, agency_db, settings, monkeypatch,
                                                                           tmp_path, rule, offered):
    monkeypatch.setenv("WFS_DB", str(agency_db[0]))
    at = _signed_in_as(app, tmp_path, monkeypatch, rule)
    labels = [button.proto.label for button in at.get("download_button")]
    assert ("Download engagements with a breach (CSV)" in labels) is offered
    assert ("Download cooling-off cases (CSV)" in labels) is offered
    assert any("BACK" in frame.value.to_csv() for frame in at.dataframe)  # the list itself is on screen for all
