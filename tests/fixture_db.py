"""A small authority with known numbers for dashboard tests (AppTest and browser tests).

As at 2024-12-31, whole service, all tiers:
- Management posts: DIR (director, Hay A) held by interim I1 since 2024-07-01 after permanent D0 left
  2024-06-30 (resignation); HOS-A (head of service) permanent H1 and TM-B (team manager) permanent M1
  all along. -> interim ratio, management tiers = 1.0 cover FTE / 3.0 occupied FTE = 33.3%.
- Team T-A (under service S-A): four social-worker posts SW1..SW4 (Band 9 / Band 10), 1.0 FTE each.
  SW1 permanent W1; SW2 permanent W2 who left 2024-03-31 (resignation), agency AG1 covers from 2024-04-01;
  SW3 vacant since 2024-01-01 (was W3, left 2023-12-31, retirement); SW4 permanent W4 at 0.5 FTE.
  SUP1 (support, T-A) permanent S1. -> vacancy rate in T-A on 2024-12-31 = (0 + 1 + 1 + 0.5 + 0) / 5 = 50%;
  agency cover = 1 / 2.5 = 40%. Whole service: (1 + 1 + 0.5 + DIR 1.0 - interim is cover) 3.5 / 9 = 38.9%.
- Team T-B (under service S-A) moved to service S-B on 2024-09-01; renamed 'Team B (North)' the same day.
- Caseloads on 2024-12-31: W1 22 cases, AG1 18, W4 9 (0.5 FTE), X9 (no assignment) 5 -> unmatched 1.
- Key dates: 2024-03-15 'Ofsted ILACS: inadequate' (inspection), 2024-07-01 'Interim director' (leadership).
"""

from pathlib import Path

from pipelines.authority import DEMO, set_identity
from pipelines.ingest import ingest
from tests.extract_builder import write_extract

AS_AT = "2024-12-31"

ORG_UNITS = [
    ("CS", "Children's Services", "", "directorate", "2022-01-01", ""),
    ("S-A", "Safeguarding", "CS", "service", "2022-01-01", ""),
    ("S-B", "Children in Care", "CS", "service", "2022-01-01", ""),
    ("T-A", "Team A", "S-A", "team", "2022-01-01", ""),
    ("T-B", "Team B", "S-A", "team", "2022-01-01", "2024-08-31"),
    ("T-B", "Team B (North)", "S-B", "team", "2024-09-01", ""),
    ("P-B1", "Pod B1", "T-B", "pod", "2022-01-01", ""),
]
POSTS = [
    ("DIR", "Director of Children's Services", "CS", "Hay A", "director", "n", "1", "2022-01-01", ""),
    ("HOS-A", "Head of Safeguarding", "S-A", "Hay C", "head_of_service", "y", "1", "2022-01-01", ""),
    ("TM-B", "Team manager", "T-B", "Band 12", "team_manager", "y", "1", "2022-01-01", ""),
    ("SW1", "Social worker", "T-A", "Band 9", "practitioner", "y", "1", "2022-01-01", ""),
    ("SW2", "Social worker", "T-A", "Band 9", "practitioner", "y", "1", "2022-01-01", ""),
    ("SW3", "Senior social worker", "T-A", "Band 10", "senior_practitioner", "y", "1", "2022-01-01", ""),
    ("SW4", "Social worker", "T-A", "Band 10", "practitioner", "y", "1", "2022-01-01", ""),
    ("SWB1", "Social worker", "P-B1", "Band 9", "practitioner", "y", "1", "2022-01-01", ""),
    ("SUP1", "Business support officer", "T-A", "Band 4", "support", "n", "1", "2022-01-01", ""),
]
ASSIGNMENTS = [
    ("a-d0", "D0", "DIR", "permanent", "1", "2022-01-01", "2024-06-30", "resignation"),
    ("a-i1", "I1", "DIR", "interim", "1", "2024-07-01", "", ""),
    ("a-h1", "H1", "HOS-A", "permanent", "1", "2022-01-01", "", ""),
    ("a-tm", "M1", "TM-B", "permanent", "1", "2022-01-01", "", ""),
    ("a-w1", "W1", "SW1", "permanent", "1", "2022-01-01", "", ""),
    ("a-w2", "W2", "SW2", "permanent", "1", "2022-01-01", "2024-03-31", "resignation"),
    ("a-ag1", "AG1", "SW2", "agency", "1", "2024-04-01", "", ""),
    ("a-w3", "W3", "SW3", "permanent", "1", "2022-01-01", "2023-12-31", "retirement"),
    ("a-w4", "W4", "SW4", "permanent", "0.5", "2022-01-01", "", ""),
    ("a-b1", "B1", "SWB1", "permanent", "1", "2022-01-01", "", ""),
    ("a-s1", "S1", "SUP1", "permanent", "1", "2022-01-01", "", ""),
]
CASELOADS = [
    ("2024-12-31", "W1", "22"), ("2024-12-31", "AG1", "18"), ("2024-12-31", "W4", "9"),
    ("2024-12-31", "B1", "15"), ("2024-12-31", "X9", "5"),
    ("2023-12-31", "W1", "25"), ("2023-12-31", "W2", "24"), ("2023-12-31", "W3", "20"),
]
KEY_DATES = [("2024-03-15", "Ofsted ILACS: inadequate", "inspection"),
             ("2024-07-01", "Interim director", "leadership")]


def build_fixture_db(folder: Path) -> Path:
    """Write the extracts under folder/extracts and load them into folder/fixture.duckdb."""
    extracts = write_extract(folder / "extracts", org_units=ORG_UNITS, posts=POSTS, assignments=ASSIGNMENTS,
                             caseloads=CASELOADS, key_dates=KEY_DATES)
    db = folder / "fixture.duckdb"
    ingest(extracts, db, key_path=folder / "fixture.key")
    set_identity(db, DEMO, demo=True)  # the demo authority's name and DfE codes, as the demo database has
    return db
