"""'Who held each post' (reporting/leadership.py on sql/views/leadership_timeline.sql), hand-computed.

A restructure gives a post a new row (new valid_from, same post_id, maybe a new unit, title or grade);
it does not end the appointment of whoever holds the post. So: one bar per appointment across the post's
rows, "Still in post" judged on the appointment, and the share of cover counted over appointments.
"""

from datetime import date

import pytest

from pipelines.contract import MANAGEMENT_TIERS
from reporting import leadership as vm
from reporting.source import DataSource
from tests.extract_builder import job
from tests.extract_builder import post as base_post

AS_AT = date(2024, 12, 31)
ALL = (None, tuple(MANAGEMENT_TIERS), False)
STILL = "Still in post at the as-at date"


def post(post_id, unit="T1", tier="team_manager", title="Team Manager", grade="Hay C", start="2020-01-01", end=""):
    return base_post(post_id, unit=unit, grade=grade, tier=tier, title=title, start=start, end=end)


# TM1 is restructured twice while E1 holds it: moved to T2 on 1 Apr 2023, regraded and retitled 1 Jan 2024
RESTRUCTURED = [
    post("TM1", unit="T1", end="2023-03-31"),
    post("TM1", unit="T2", start="2023-04-01", end="2023-12-31"),
    post("TM1", unit="T2", title="Team Manager (Hub)", grade="Hay B", start="2024-01-01"),
]


def timeline(build, posts, assignments, scope=ALL, as_at=AS_AT):
    db = build(posts=posts, assignments=assignments)
    return vm.timeline_table(vm.timeline_rows(DataSource(db), scope, as_at))


def bars_drawn(table) -> int:
    figure = vm.timeline_figure(table, "t", vm.pd.DataFrame())
    return sum(len(trace.x) for trace in figure.data if trace.type == "bar")


def test_a_restructure_does_not_end_an_appointment(build):
    table = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01")])
    # three rows of TM1, one appointment from 1 Jun 2021 running on past 31 Dec 2024 -> one bar
    assert len(table) == 1 and bars_drawn(table) == 1
    row = table.iloc[0]
    assert (row["From"], row["To"]) == (vm.pd.Timestamp("2021-06-01"), vm.pd.Timestamp("2024-12-31"))
    assert row[STILL] == "Yes"
    assert row["Different holders of this post"] == 1 and row["Holder"] == "Holder 1"
    assert row["Post"] == "Team Manager (Hub)"  # the post's title on the latest day shown


def test_a_handover_after_a_restructure_gives_one_bar_per_holder(build):
    table = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01", end="2024-06-30"),
                                           job("A2", "E2", "TM1", "interim", start="2024-07-01")])
    # E1: 1 Jun 2021 .. 30 Jun 2024 across all three rows, then left -> "No"; E2 from 1 Jul 2024 -> "Yes"
    assert list(table["Holder"]) == ["Holder 1", "Holder 2"]
    assert list(table["To"].dt.strftime("%Y-%m-%d")) == ["2024-06-30", "2024-12-31"]
    assert list(table[STILL]) == ["No", "Yes"]
    assert set(table["Different holders of this post"]) == {2}


def test_a_restructure_the_day_after_the_as_at_date_leaves_the_holder_still_in_post(build):
    posts = [post("TM1", end="2024-12-31"), post("TM1", unit="T2", start="2025-01-01")]
    table = timeline(build, posts, [job("A1", "E1", "TM1", start="2021-06-01")])
    # the first row ends on the as-at date, but the appointment goes on on the new row from 1 Jan 2025
    assert list(table[STILL]) == ["Yes"]


def test_a_post_moved_by_a_restructure_is_placed_by_its_latest_row_shown(build):
    table_t1 = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01")], scope=("T1", *ALL[1:]))
    table_t2 = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01")], scope=("T2", *ALL[1:]))
    # judged on 31 Dec 2024, TM1 is in T2: the whole appointment shows under T2, none of it under T1
    assert table_t1.empty
    assert len(table_t2) == 1 and table_t2.iloc[0]["From"] == vm.pd.Timestamp("2021-06-01")
    # as at 31 Mar 2023, before the move, the same appointment is in T1, shown up to that day
    early = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01")], scope=("T1", *ALL[1:]),
                     as_at=date(2023, 3, 31))
    assert list(early["To"].dt.strftime("%Y-%m-%d")) == ["2023-03-31"] and list(early[STILL]) == ["Yes"]


def test_the_share_of_cover_counts_appointments_not_bars(build):
    posts = [*RESTRUCTURED, post("HOS1", unit="T1", tier="head_of_service", title="Head of Service")]
    table = timeline(build, posts, [job("A1", "E1", "TM1", start="2021-06-01"),
                                    job("A2", "E2", "HOS1", "interim", start="2022-01-01")])
    # appointments: A1 permanent (across three rows of TM1), A2 interim -> 1 cover of 2 = 50.0%
    # (counting one bar per row of TM1 would give 1 of 4 = 25.0%)
    assert len(table) == 2
    assert vm.timeline_summary(table) == ("2 posts shown. Each post had a single holder throughout. "
                                          "50.0% of the appointments shown were cover arrangements.")


@pytest.mark.parametrize("as_at", [date(2023, 3, 31), date(2023, 4, 1)])
def test_the_bar_starts_when_the_appointment_does_whichever_row_is_current(build, as_at):
    table = timeline(build, RESTRUCTURED, [job("A1", "E1", "TM1", start="2021-06-01")], as_at=as_at)
    # on the last day of the first row and on the first day of the second: one bar from 1 Jun 2021
    assert list(table["From"].dt.strftime("%Y-%m-%d")) == ["2021-06-01"]
    assert list(table["To"]) == [vm.pd.Timestamp(as_at)]
