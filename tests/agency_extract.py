"""Small hand-made authorities with agency engagements, for the agency rule, cost and page tests.

Each engagement gets its own post, agency assignment and worker, so a case is one line: `case(id,
start, **engagement columns)`. The settings file is the tests' own: caps, dates and costs known here.
"""

from pathlib import Path

from pipelines.agency_settings import agency_settings
from pipelines.ingest import ingest
from tests.extract_builder import ORG, job, post, write_extract, write_kind

SETTINGS = """
[agency]
rules_start = 2024-10-31
legacy_compliance_date = 2025-10-01
standard_weekly_hours = 37
minimum_notice_weeks = 4
on_cost_pct = 30
region = "South East"

[agency.annual_cost_by_grade]
"Band 9" = 41000

[[agency.caps]]
job_type = "social_worker"
from = 2024-10-31
hourly = 38.00

[[agency.caps]]
job_type = "social_worker"
from = 2025-06-01
hourly = 40.00
"""

# Evidence that passes every rule, so a case changes only the column it is about.
COMPLIANT = {"job_type": "social_worker", "charge_rate_hourly": "50", "pay_rate_hourly": "35",
             "qualified_date": "2015-01-01", "previous_permanent_region": "none", "reference_received": "yes",
             "notice_weeks": "4"}


def case(engagement_id: str, start: str, *, unit: str = "T1", grade: str = "Band 9", fte: str = "1",
         permanent_until: str | None = None, end: str = "", rows: list[dict] | None = None, **columns) -> dict:
    """One engagement (one row, or `rows` of changes from `start`) on its own post and agency assignment;
    permanent_until: the same worker held a permanent post here until that day."""
    return {"id": engagement_id, "start": start, "unit": unit, "grade": grade, "fte": fte,
            "permanent_until": permanent_until, "end": end,
            "rows": rows or [{"valid_from": start, "valid_to": end, **COMPLIANT, **columns}]}


def write_cases(folder: Path, cases: list[dict]) -> Path:
    posts, assignments, engagements = [], [], []
    for c in cases:
        n = c["id"]
        posts.append(post(f"P-{n}", unit=c["unit"], grade=c["grade"], start="2015-01-01"))
        if c["permanent_until"]:
            posts.append(post(f"PP-{n}", unit=c["unit"], start="2015-01-01"))
            assignments.append(job(f"S-{n}", f"W-{n}", f"PP-{n}", "permanent", start="2015-01-01",
                                   end=c["permanent_until"], reason="resignation"))
        assignments.append(job(f"A-{n}", f"W-{n}", f"P-{n}", "agency", fte=c["fte"], start=c["start"], end=c["end"]))
        engagements += [{"engagement_id": n, "assignment_id": f"A-{n}", **row} for row in c["rows"]]
    write_extract(folder, org_units=ORG, posts=posts, assignments=assignments)
    write_kind(folder, "agency_engagements", engagements)
    return folder


def load_cases(folder: Path, cases: list[dict]) -> Path:
    db = folder / "agency.duckdb"
    report = ingest(write_cases(folder / "extract", cases), db, key_path=folder / "key")
    assert report.status == "loaded" and not report.quarantined, report.summary()
    return db


def settings_file(folder: Path) -> Path:
    path = folder / "settings.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


def made_settings(folder: Path):
    return agency_settings(str(settings_file(folder)))
