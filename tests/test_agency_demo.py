"""The demo authority's agency engagements tell the story the Agency page needs: every rule broken
somewhere, including a permanent social worker who came back through an agency within a month."""

from datetime import date

import pytest

from pipelines.agency import RULES, compliance
from pipelines.agency_settings import agency_settings
from pipelines.demo import write_demo
from pipelines.ingest import ingest
from pipelines.metrics import connect


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_demo")
    write_demo(folder / "src")
    report = ingest(folder / "src", folder / "demo.duckdb", key_path=folder / "key")
    assert report.kinds["agency_engagements"].rows_quarantined == 0
    con = connect(folder / "demo.duckdb")
    yield con
    con.close()


def test_every_rule_is_breached_by_an_engagement_running_at_the_end_of_the_demo(demo_con):
    now = compliance(demo_con, date(2025, 12, 31), None, agency_settings(), region="South East")
    breached = {rule for rule in RULES if (now[rule] == "breach").any()}
    assert breached == set(RULES) - {"cooling_off_own"}
    assert (now["pay_cap"] == "exempt").any()  # above the cap, with the exception signed off


def test_a_permanent_worker_came_back_through_an_agency_within_three_months(demo_con):
    quarter_end = compliance(demo_con, date(2025, 2, 28), None, agency_settings(), region="South East")
    assert (quarter_end["cooling_off_own"] == "breach").sum() == 1
