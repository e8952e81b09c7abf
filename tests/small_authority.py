"""A small fictional authority whose totals are mostly 5 or more while the cells under them are 1 to 4: the
case where a hidden count can be worked out from a total, a rate or a pair of counts, and secondary
suppression has work to do. Data from 2022-01-01 to 2024-12-31.

- Service S1 with teams T1 (twelve Band 9 social-worker posts) and T2 (seven Band 10 posts).
- 2024 leavers: in T1 two resign (May) and one retires (June), each post refilled by a new permanent worker
  a month later; in T2 five resign and one is dismissed (March), refilled by agency staff in April.
- Management: a director, two heads of service (one covered by an interim since 2024-02-01) and six team
  managers (one acting since 2024-09-01).
- Caseloads on 2024-12-31: every T1 and T2 worker, 12 to 25 cases.
"""

from pathlib import Path

from pipelines.ingest import ingest
from tests.extract_builder import job, post, write_extract

ORG = [
    ("CS", "Children's Services", "", "directorate", "2022-01-01", ""),
    ("S1", "Family Help", "CS", "service", "2022-01-01", ""),
    ("T1", "Team One", "S1", "team", "2022-01-01", ""),
    ("T2", "Team Two", "S1", "team", "2022-01-01", ""),
]
START = "2022-01-01"


def _rows():
    posts = [post("DIR", "CS", "Hay A", "director", "false", start=START),
             post("HOS1", "S1", "Hay C", "head_of_service", start=START),
             post("HOS2", "S1", "Hay C", "head_of_service", start=START)]
    posts += [post(f"TM{i}", "T1" if i < 3 else "T2", "Band 12", "team_manager", start=START) for i in range(6)]
    posts += [post(f"A{i}", "T1", "Band 9", start=START) for i in range(12)]
    posts += [post(f"B{i}", "T2", "Band 10", start=START) for i in range(7)]
    jobs = [job("j-dir", "P-DIR", "DIR", start=START), job("j-h1", "P-H1", "HOS1", start=START),
            job("j-h2", "P-H2", "HOS2", start=START, end="2024-01-31", reason="resignation"),
            job("j-h2i", "P-H2I", "HOS2", "interim", start="2024-02-01")]
    for i in range(6):
        if i == 5:
            jobs += [job(f"j-tm{i}", f"P-TM{i}", f"TM{i}", start=START, end="2024-08-31", reason="retirement"),
                     job(f"j-tm{i}a", f"P-TM{i}A", f"TM{i}", "acting", start="2024-09-01")]
        else:
            jobs.append(job(f"j-tm{i}", f"P-TM{i}", f"TM{i}", start=START))
    for i in range(12):
        if i < 3:
            end, reason, refill = ("2024-05-31", "resignation", "2024-07-01") if i < 2 else \
                ("2024-06-30", "retirement", "2024-08-01")
            jobs += [job(f"j-a{i}", f"P-A{i}", f"A{i}", start=START, end=end, reason=reason),
                     job(f"j-a{i}n", f"P-A{i}N", f"A{i}", start=refill)]
        else:
            jobs.append(job(f"j-a{i}", f"P-A{i}", f"A{i}", fte="0.5" if i == 11 else "1", start=START))
    for i in range(7):
        if i < 6:
            reason = "dismissal" if i == 5 else "resignation"
            jobs += [job(f"j-b{i}", f"P-B{i}", f"B{i}", start=START, end="2024-03-31", reason=reason),
                     job(f"j-b{i}n", f"P-B{i}N", f"B{i}", "agency", start="2024-04-15")]
        else:
            jobs.append(job(f"j-b{i}", f"P-B{i}", f"B{i}", start=START))
    holders = [f"P-A{i}N" if i < 3 else f"P-A{i}" for i in range(12)] + \
              [f"P-B{i}N" if i < 6 else f"P-B{i}" for i in range(7)]
    caseloads = [("2024-12-31", person, str(12 + n % 14)) for n, person in enumerate(holders)]
    return posts, jobs, caseloads


def build_small_authority(folder: Path) -> Path:
    posts, jobs, caseloads = _rows()
    extracts = write_extract(folder / "small", org_units=ORG, posts=posts, assignments=jobs, caseloads=caseloads)
    db = folder / "small.duckdb"
    report = ingest(extracts, db, key_path=folder / "small.key")
    assert report.status == "loaded" and not report.quarantined, report.summary()
    return db
