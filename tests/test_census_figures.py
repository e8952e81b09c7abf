"""The figures DfE publishes from a census return, worked out by hand here from hand-built returns."""

import pandas as pd
import pytest

from pipelines.census.figures import census_figures, round_half_up, rounded
from pipelines.census.importer import import_returns
from pipelines.database import open_workforce_db
from pipelines.metrics import connect
from tests.census_builder import SAMPLE, worker, write_return

# The year to 30 September 2023 (1 Oct 2022 - 30 Sep 2023).
WORKERS = [
    # 1: in post all year, case holder (20 cases), 10 days lost
    worker("AB0000000001", FTE30="1.000000", OrgRole="5", RoleStartDate="2015-01-01", Cases30="20",
           WorkingDaysLost="10.00"),
    # 2: a starter (10 Jan 2023, newly qualified), in post, case holder (10 cases), 4 days lost
    worker("AB0000000002", FTE30="0.500000", OrgRole="5", RoleStartDate="2023-01-10", StartOrigin="1",
           Cases30="10", WorkingDaysLost="4.00"),
    # 3: a leaver (31 Mar 2023) to agency work; leaver FTE from FTE
    worker("AB0000000003", FTE="0.800000", OrgRole="5", RoleStartDate="2019-05-01", RoleEndDate="2023-03-31",
           ReasonLeave="1", LeaverDestination="3"),
    # 4: a leaver whose return put the FTE in FTE30 (FTE 0): leaver FTE 0.6
    worker("AB0000000004", FTE="0", FTE30="0.600000", OrgRole="3", RoleStartDate="2010-01-01",
           RoleEndDate="2022-12-31", ReasonLeave="5", LeaverDestination="6"),
    # 5: agency, in post, case holder (15 cases); its days lost are not counted (non-agency only)
    worker("AB0000000005", agency="1", FTE30="1.000000", OrgRole="5", Cases30="15", WorkingDaysLost="3.00"),
    # 6: a leaving date after 30 Sep 2023 is not inside the year: in post; FTE30 empty so FTE 0.75
    worker("AB0000000006", FTE="0.750000", OrgRole="3", RoleStartDate="2001-01-01", RoleEndDate="2023-10-15"),
    # 7: agency worker who left in the year: in no figure
    worker("AB0000000007", agency="1", FTE="1.000000", RoleEndDate="2023-06-30", Cases30="9"),
]


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("census_figures")
    path = write_return(folder, 2023, WORKERS, vacancies="1.25", agency_cover="1.00", agency_headcount="1")
    db = folder / "c.duckdb"
    report = import_returns([path], db, key_path=folder / "key")
    assert not report.returns[0].problems, report.summary()
    return db


def _figures(db, by_role=False):
    con = open_workforce_db(db)
    try:
        return census_figures(con, by_role=by_role)
    finally:
        con.close()


def test_every_figure_follows_dfe_definitions(hand_built):
    [row] = rounded(_figures(hand_built)).to_dict("records")
    # in post: workers 1, 2, 6 (non-agency, no leaving date inside the year): FTE 1 + 0.5 + 0.75 = 2.25
    assert (row["inpost_headcount"], row["inpost_fte"]) == (3, 2.3)  # 2.25 published half up as 2.3
    assert (row["starters_headcount"], row["starters_fte"]) == (1, 0.5)
    # leavers: workers 3 and 4, FTE 0.8 + 0.6 (FTE 0, so FTE30) = 1.4
    assert (row["leavers_headcount"], row["leavers_fte"]) == (2, 1.4)
    # turnover 1.4 / 2.25 = 62.22%; headcount 2 / 3 = 66.67%
    assert (row["turnover_rate_fte"], row["turnover_rate_headcount"]) == (62.2, 66.7)
    # agency in post: worker 5 only (worker 7 left): 1 / (1 + 2.25) = 30.77%; headcount 1 / (1 + 3) = 25%
    assert (row["agency_headcount"], row["agency_fte"]) == (1, 1.0)
    assert (row["agency_rate_fte"], row["agency_rate_headcount"]) == (30.8, 25.0)
    # vacancies 1.25 / (1.25 + 2.25) = 35.71%; agency cover 1.0 / agency FTE 1.0 = 100%; 1.0 / 1.25 = 80%
    assert (row["vacancy_fte"], row["vacancy_rate_fte"]) == (1.3, 35.7)  # 1.25 published half up as 1.3
    assert (row["agency_cover_rate_fte"], row["vacancy_agency_cover_rate_fte"]) == (100.0, 80.0)
    # case holders: workers 1, 2 and 5 (agency included): 45 cases over FTE 2.5 = 18.0
    assert (row["case_holders_headcount"], row["case_holders_fte"], row["cases"]) == (3, 2.5, 45)
    assert row["caseload_fte"] == 18.0
    # absence: 14 days lost by the non-agency in post over 2.25 FTE x 253 days = 569.25: 2.459%
    assert (row["working_days_lost"], row["absence_rate_fte"]) == (14.0, 2.5)


def test_figures_by_role(hand_built):
    by_role = {r["org_role"]: r for r in _figures(hand_built, by_role=True).to_dict("records")}
    assert sorted(by_role) == ["3", "5", "unknown"]
    # case holders (role 5): in post 1 + 0.5 = 1.5 FTE; leaver worker 3 (0.8): turnover 0.8 / 1.5 = 53.33%
    assert round_half_up(by_role["5"]["turnover_rate_fte"]) == 53.3
    # first line managers (role 3): worker 6 in post (0.75), worker 4 left (0.6): 80%
    assert round_half_up(by_role["3"]["turnover_rate_fte"]) == 80.0
    assert pd.isna(by_role["3"]["vacancy_fte"])  # vacancies are returned for the whole authority only


def test_rates_are_rounded_half_up_once_at_the_end(tmp_path):
    # one leaver of FTE 0.49 over 4.0 FTE in post: 12.25% -> 12.3 (Python's round would give 12.2)
    workers = [worker(f"AB000000001{n}", FTE30="1.000000") for n in range(4)] + [
        worker("AB0000000020", FTE="0.490000", RoleStartDate="2020-01-01", RoleEndDate="2023-05-01")]
    db = tmp_path / "c.duckdb"
    import_returns([write_return(tmp_path, 2023, workers)], db, key_path=tmp_path / "key")
    [row] = _figures(db).to_dict("records")
    assert row["turnover_rate_fte"] == pytest.approx(12.25)
    assert round(12.25, 1) == 12.2 and round_half_up(row["turnover_rate_fte"]) == 12.3


def test_rates_are_undefined_not_zero_when_nothing_is_in_post(tmp_path):
    path = write_return(tmp_path, 2023, [worker("AB0000000001", agency="1", FTE30="1.000000")])
    db = tmp_path / "c.duckdb"
    import_returns([path], db, key_path=tmp_path / "key")
    [row] = _figures(db).to_dict("records")
    assert row["turnover_rate_fte"] is None and row["caseload_fte"] is None
    assert row["agency_rate_fte"] == 100.0


def test_the_shared_sample_figures(tmp_path):
    db = tmp_path / "c.duckdb"
    import_returns([SAMPLE], db, key_path=tmp_path / "key")
    [row] = rounded(_figures(db)).to_dict("records")
    # Of the 18 records kept, in post (non-agency, no end date inside the year) are workers 9, 15, 24, 26, 28
    # and 29 (26 and 28 leave on 28 Mar 2023, after the reference date); their FTE30s from the file:
    fte = 0.712824 + 0.320526 + 0.698641 + 0.821627 + 0.63075 + 0.22182  # = 3.406188
    assert (row["inpost_headcount"], row["inpost_fte"]) == (6, 3.4)
    assert round_half_up(fte) == 3.4
    # agency in post: the other 12 records, all AgencyWorker 1 with no end date inside the year
    assert row["agency_headcount"] == 12
    # no non-agency leaver inside the year survives the checks, so turnover is 0
    assert (row["leavers_headcount"], row["turnover_rate_fte"]) == (0, 0.0)
    assert row["vacancy_fte"] == 79.7 and row["agency_cover_fte"] == 59.8


def test_hr_metrics_refuse_a_census_only_database_in_plain_words(hand_built):
    with pytest.raises(Exception, match="no HR extracts loaded yet"):
        connect(hand_built)
