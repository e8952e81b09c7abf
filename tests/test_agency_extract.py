"""The agency_engagements kind: optional, checked cell by cell and across rows, quarantined in plain
words that never repeat a worker's pay, and loadable through the worked MSP mapping example."""

import csv
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest
from tests.extract_builder import ORG, job, post, write_extract, write_kind

MAPPING = Path(__file__).resolve().parent.parent / "data" / "mappings" / "msp_agency.toml"
POSTS = [post("P1"), post("P2")]
ASSIGNMENTS = [job("A1", "W1", "P1", "agency", start="2025-01-01"), job("A2", "W2", "P2", "permanent")]


def engagement(engagement_id="G1", assignment_id="A1", valid_from="2025-01-01", **columns) -> dict:
    return {"engagement_id": engagement_id, "assignment_id": assignment_id, "valid_from": valid_from,
            "job_type": "social_worker", "charge_rate_hourly": "50", **columns}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency_extract")
    write_extract(folder / "src", org_units=ORG, posts=POSTS, assignments=ASSIGNMENTS)
    write_kind(folder / "src", "agency_engagements", [
        engagement(valid_to="2025-03-31", notice_weeks="4", reference_received="Y"),  # row 2: loads
        engagement(valid_from="2025-03-01"),  # row 3: overlaps row 2
        engagement("G2", "A2"),  # row 4: a permanent assignment
        engagement("G3", "A9"),  # row 5: no such assignment
        engagement("G4", pay_rate_hourly="4O.50", job_type="locum"),  # row 6: a letter O; not a job type
        engagement("G5", valid_from="2025-04-01", charge_rate_hourly=""),  # row 7: charge rate required
    ])
    db = folder / "db.duckdb"
    report = ingest(folder / "src", db, key_path=folder / "key")
    return db, {(q.row_number, q.column): q.reason for q in report.quarantined}, report


def test_overlapping_rows_of_one_engagement_are_quarantined_naming_the_row_that_stands(loaded):
    _, reasons, _ = loaded
    assert reasons[(3, "valid_from")] == ("engagement_id G1 from 2025-03-01 overlaps its row from 2025-01-01 to "
                                          "2025-03-31 (agency_engagements.csv row 2)")


def test_an_engagement_must_fill_a_known_agency_or_interim_assignment(loaded):
    _, reasons, _ = loaded
    assert reasons[(4, "assignment_id")] == ("assignment_id 'A2' is a permanent assignment; an agency engagement "
                                             "must fill an agency or interim assignment")
    assert reasons[(5, "assignment_id")] == "assignment_id 'A9' is not in assignments (or all its rows were quarantined)"


def test_bad_cells_are_explained_without_repeating_the_pay_rate(loaded):
    _, reasons, _ = loaded
    assert reasons[(6, "pay_rate_hourly")] == "the value is not a number greater than 0 and at most 500 (or leave it empty)"
    assert reasons[(6, "job_type")].startswith("'locum' is not one of the allowed values: social_worker, ")
    assert reasons[(7, "charge_rate_hourly")] == "charge_rate_hourly is empty, but it is required"
    assert not any("4O.50" in reason for reason in reasons.values())


def test_the_row_that_passes_is_loaded_typed(loaded):
    db, _, report = loaded
    assert report.kinds["agency_engagements"].rows_loaded == 1
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("select engagement_id, valid_to, notice_weeks, reference_received, pay_rate_hourly "
                          "from stg_agency_engagements").fetchall()
    assert [tuple(map(str, r)) for r in row] == [("G1", "2025-03-31", "4", "True", "None")]


def test_the_kind_is_optional(tmp_path):
    write_extract(tmp_path / "src", org_units=ORG, posts=POSTS, assignments=ASSIGNMENTS)
    report = ingest(tmp_path / "src", tmp_path / "db.duckdb", key_path=tmp_path / "key")
    assert report.status == "loaded" and report.kinds["agency_engagements"].rows_read == 0


def test_an_msp_monthly_report_loads_through_the_worked_mapping_with_the_worker_name_dropped(tmp_path):
    source = tmp_path / "src"
    write_extract(source, org_units=ORG, posts=POSTS, assignments=ASSIGNMENTS)
    header = ["Booking Ref", "Client Position Ref", "Candidate Name", "Rate Effective From", "Rate Effective To",
              "Role Category", "Charge Rate (per hour)", "Pay Rate incl. NI, Levy & Holiday", "Contracted Hours",
              "SWE Qualification Date", "Last Permanent Role End", "Last Permanent Role Region", "References Complete",
              "Notice Period (weeks)", "Project Team", "Cap Exception (DCS & CEO)"]
    with (source / "Agency_Monthly_2025-01.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["B-100", "A1", "Pat Example", "2025-01-01", "", "SSW", "52.00", "41.00", "37", "01/09/2019",
                         "", "None", "Yes", "4", "No", "No"])
    report = ingest(source, tmp_path / "db.duckdb", key_path=tmp_path / "key", mapping_path=MAPPING)
    assert report.status == "loaded" and not report.quarantined, report.summary()
    assert {"file": "Agency_Monthly_2025-01.csv", "column": "Candidate Name"} in report.dropped_personal_columns
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        loaded = con.execute("select engagement_id, job_type, reference_received from stg_agency_engagements").fetchall()
    assert loaded == [("B-100", "senior_social_worker", True)]


def test_an_engagement_running_past_its_assignment_loads_with_a_warning(tmp_path):
    write_extract(tmp_path / "src", org_units=ORG, posts=POSTS,
                  assignments=[job("A1", "W1", "P1", "agency", start="2025-01-01", end="2025-03-31")])
    write_kind(tmp_path / "src", "agency_engagements", [engagement()])  # open-ended: past 2025-03-31
    report = ingest(tmp_path / "src", tmp_path / "db.duckdb", key_path=tmp_path / "key")
    assert report.kinds["agency_engagements"].rows_loaded == 1
    assert [w["message"] for w in report.warnings if w["kind"] == "agency_engagements"] == [
        "engagement G1 has a row from 2025-01-01 that runs outside the dates of its assignment A1; its days "
        "outside them are still counted in the cost of cover"]
