"""DfE's agency rules, judged on hand-made engagements at their edges (tests/agency_extract.py).

Settings: rules from 2024-10-31, legacy engagements from 2025-10-01, social worker cap £38.00 from
2024-10-31 and £40.00 from 2025-06-01, notice 4 weeks, region South East."""

from datetime import date

import pytest

from pipelines.agency import compliance
from pipelines.metrics import connect
from tests.agency_extract import case, load_cases, made_settings

AS_OF = date(2025, 11, 3)
CASES = [
    # experience: 2022-01-06 + 3 years = 2025-01-06, the start: exactly 3 years is enough
    case("EXP-EXACT", "2025-01-06", qualified_date="2022-01-06"),
    case("EXP-SHORT", "2025-01-06", qualified_date="2022-01-07"),
    case("EXP-NONE", "2025-01-06", qualified_date=""),
    # cooling-off here: left 2025-01-06, started 2025-04-06 = exactly 3 months later; a day later is less
    case("OWN-EXACT", "2025-04-06", permanent_until="2025-01-06"),
    case("OWN-SHORT", "2025-04-06", permanent_until="2025-01-07"),
    # cooling-off in the region: the evidence columns, compared with settings region South East
    case("REG-SAME", "2025-05-01", previous_permanent_end="2025-03-01", previous_permanent_region="South East"),
    case("REG-OTHER", "2025-05-01", previous_permanent_end="2025-03-01", previous_permanent_region="London"),
    case("REG-LONG-AGO", "2025-05-01", previous_permanent_end="2025-02-01", previous_permanent_region="south east"),
    case("REG-NONE", "2025-05-01", previous_permanent_region=""),
    # pay cap on 2025-11-03: £40.00 (the entry from 2025-06-01 replaced £38.00)
    case("CAP-EQUAL", "2025-01-06", pay_rate_hourly="40.00"),
    case("CAP-OVER", "2025-01-06", pay_rate_hourly="40.01"),
    case("CAP-APPROVED", "2025-01-06", pay_rate_hourly="45", cap_exception_approved="yes"),
    case("CAP-OTHER-JOB", "2025-01-06", job_type="other", pay_rate_hourly="90"),
    case("CAP-NO-PAY", "2025-01-06", pay_rate_hourly=""),
    case("REF-NO", "2025-01-06", reference_received="no"),
    case("NOTICE-3", "2025-01-06", notice_weeks="3"),
    # legacy: started the day before the rules; started on their first day
    case("LEGACY", "2024-10-30", qualified_date="2024-01-01"),
    case("FIRST-DAY", "2024-10-31", qualified_date="2024-01-01"),
    # ended before AS_OF: not listed
    case("ENDED", "2025-01-06", end="2025-10-31"),
]


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_rules")
    db, settings = load_cases(folder, CASES), made_settings(folder)
    con = connect(db)

    def on(day: date = AS_OF):
        frame = compliance(con, day, None, settings, region=None)
        return frame.set_index("engagement_id")

    yield on
    con.close()


def test_exactly_three_years_qualified_passes_and_a_day_less_is_a_breach(judged):
    rows = judged()
    assert rows.loc["EXP-EXACT", "experience"] == "pass"
    assert rows.loc["EXP-SHORT", "experience"] == "breach"
    assert (rows.loc["EXP-NONE", "experience"], rows.loc["EXP-NONE", "experience_reason"]) == (
        "unknown", "qualified_date not given")


def test_leaving_here_exactly_three_months_before_passes_and_a_day_later_is_a_breach(judged):
    rows = judged()
    assert rows.loc["OWN-EXACT", "cooling_off_own"] == "pass"
    assert rows.loc["OWN-SHORT", "cooling_off_own"] == "breach"
    assert rows.loc["EXP-EXACT", "cooling_off_own"] == "pass"  # never held a post here


def test_regional_cooling_off_breaches_only_a_recent_post_in_the_same_region(judged):
    rows = judged()
    # 2025-03-01 is less than 3 months before 2025-05-01; 2025-02-01 is exactly 3 months before it
    assert rows.loc["REG-SAME", "cooling_off_region"] == "breach"
    assert rows.loc["REG-OTHER", "cooling_off_region"] == "pass"
    assert rows.loc["REG-LONG-AGO", "cooling_off_region"] == "pass"
    assert rows.loc["REG-NONE", "cooling_off_region"] == "unknown"
    assert rows.loc["EXP-EXACT", "cooling_off_region"] == "pass"  # 'none': no previous permanent post


def test_pay_equal_to_the_cap_passes_a_penny_over_breaches_unless_approved(judged):
    rows = judged()
    assert rows.loc["CAP-EQUAL", "pay_cap"] == "pass"
    assert rows.loc["CAP-OVER", "pay_cap"] == "breach"
    assert rows.loc["CAP-OVER", "pay_cap_reason"] == "pay rate above the social_worker cap of £40.00 an hour"
    assert rows.loc["CAP-APPROVED", "pay_cap"] == "exempt"
    assert rows.loc["CAP-OTHER-JOB", "pay_cap"] == "exempt"
    assert rows.loc["CAP-NO-PAY", "pay_cap"] == "unknown"


def test_the_cap_in_force_on_the_day_is_the_one_applied(judged):
    # £40.00 is above the £38.00 cap on 2025-05-31 and equal to the £40.00 cap from 2025-06-01
    assert judged(date(2025, 5, 31)).loc["CAP-EQUAL", "pay_cap"] == "breach"
    assert judged(date(2025, 6, 1)).loc["CAP-EQUAL", "pay_cap"] == "pass"


def test_references_not_received_and_three_weeks_notice_are_breaches(judged):
    rows = judged()
    assert rows.loc["REF-NO", "references"] == "breach"
    assert rows.loc["NOTICE-3", "notice"] == "breach"
    assert rows.loc["EXP-EXACT", ["references", "notice"]].tolist() == ["pass", "pass"]


def test_an_engagement_started_before_the_rules_is_exempt_until_the_legacy_date(judged):
    before, on_the_day = judged(date(2025, 9, 30)), judged(date(2025, 10, 1))
    assert set(before.loc["LEGACY", ["experience", "pay_cap", "notice"]]) == {"exempt"}
    assert before.loc["LEGACY", "experience_reason"] == (
        "started before 31 October 2024: must comply from 1 October 2025")
    assert on_the_day.loc["LEGACY", "experience"] == "breach"  # qualified 2024: under 3 years
    # started on the rules' first day: judged at once, not a legacy engagement
    assert before.loc["FIRST-DAY", "experience"] == "breach"


def test_only_engagements_active_on_the_day_are_listed_with_any_breach_flagged(judged):
    rows = judged()
    assert "ENDED" not in rows.index
    assert len(rows) == len(CASES) - 1
    assert not rows.loc["EXP-EXACT", "any_breach"] and rows.loc["NOTICE-3", "any_breach"]
    assert rows.loc["EXP-EXACT", ["unit_id", "job_type", "started"]].tolist() == [
        "T1", "social_worker", date(2025, 1, 6)]
