"""No raw employee number is stored, whatever shape the row carrying it is in: unclosed quotes, too many
or too few cells, an id under another column, repeated keys, range errors, held-back rows of both person
kinds. Every table's every cell, the database file's bytes and the load report are searched."""

import duckdb
import pytest

from pipelines.errors import LoadRefused
from pipelines.ingest import ingest
from tests.extract_builder import ORG, write_kind

POSTS = [("P1", "Social worker", "T1", "Band 9", "practitioner", "true", "1", "2020-01-01", "")]
HEADER = "assignment_id,person_id,post_id,arrangement,fte,start_date,end_date,leaving_reason\n"

# Each planted number is distinctive, so finding it anywhere can only mean it was stored.
ASSIGNMENT_LINES = [
    "A1,EMPKEEP01,P1,permanent,1,2020-01-01,,\n",                 # row 2: loads
    'A2,"EMPQUOTE02,P1,permanent,1,2020-01-01,,\n',                # row 3: an unclosed quote swallows ...
    'A3,EMPSWALLOW03",P1,permanent,1,2020-01-01,,\n',              # ... this line into row 3
    "A5,,EMPSHIFT05,P1,permanent,1,2020-01-01,,\n",                # row 4: an extra empty cell shifts right
    "A6,EMPEXTRA06,P1,permanent,1,2020-01-01,,resignation,x\n",    # row 5: extra cells that are not empty
    "EMPFEW07,P1,permanent,1,2020-01-01\n",                        # row 6: the assignment_id cell is missing
    "A8,EMPKEEP01,EMPKEEP01,permanent,1,2020-01-01,,\n",           # row 7: an employee number under post_id
    "A9,EMPBADFTE09,P1,permanent,0.000000001,2020-01-01,,\n",      # row 8: fte rounds to 0
    "EMPKEY11,EMPKEY11,P1,permanent,1,2020-01-01,,\n",             # rows 9 and 10: a repeated key that
    "EMPKEY11,EMPKEY11,P1,agency,1,2020-01-01,,\n",                # is itself an employee number
    "A12,EMPDATE12,P1,permanent,1,1899-12-31,,\n",                 # row 11: a date out of range
]
CASELOAD_LINES = [
    "2020-01-31,EMPKEEP01,3\n",             # row 2: loads
    "2020-01-31,EMPCASEDUP13,3\n",          # rows 3 and 4: one person twice on one date
    "2020-01-31,EMPCASEDUP13,4\n",
    "2020-01-31,EMPBIG14,3000000000\n",     # row 5: too large for the database
    "2020-01-31,EMPFEW15\n",                # row 6: open_cases missing
    '2020-01-31,"EMPCQ16,5\n',              # row 7: an unclosed quote that swallows the rest of the file
    "2020-02-29,EMPCSW17,2\n",
]
PLANTED = sorted({word.strip('"') for line in ASSIGNMENT_LINES + CASELOAD_LINES
                  for word in line.replace("\n", ",").split(",") if word.strip('"').startswith("EMP")})


def _text_cells(db):
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where not internal "
            "union all select view_name from duckdb_views() where not internal").fetchall()]
        for name in names:
            for row in con.execute(f'select * from "{name}"').fetchall():
                for cell in row:
                    if cell is not None:
                        yield name, str(cell)


@pytest.fixture
def loaded(tmp_path, key_file):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    (folder / "assignments.csv").write_text(HEADER + "".join(ASSIGNMENT_LINES), encoding="utf-8")
    (folder / "caseloads.csv").write_text("snapshot_date,person_id,open_cases\n" + "".join(CASELOAD_LINES),
                                          encoding="utf-8")
    db = tmp_path / "w.duckdb"
    return db, ingest(folder, db, key_path=key_file)


def test_every_malformed_shape_is_held_back_and_only_well_shaped_rows_load(loaded):
    _, report = loaded
    held = sorted({(q.kind, q.row_number, q.column) for q in report.quarantined})
    assert held == [
        ("assignments", 3, "(whole row)"), ("assignments", 4, "(whole row)"), ("assignments", 5, "(whole row)"),
        ("assignments", 6, "(whole row)"), ("assignments", 7, "post_id"), ("assignments", 8, "fte"),
        ("assignments", 9, "assignment_id"), ("assignments", 10, "assignment_id"),
        ("assignments", 11, "start_date"),
        ("caseloads", 3, "snapshot_date"), ("caseloads", 4, "snapshot_date"), ("caseloads", 5, "open_cases"),
        ("caseloads", 6, "(whole row)"), ("caseloads", 7, "(whole row)"),
    ]
    assert report.kinds["assignments"].rows_loaded == 1 and report.kinds["caseloads"].rows_loaded == 1


def test_no_planted_employee_number_is_in_any_table_the_file_or_the_report(loaded):
    db, report = loaded
    assert len(PLANTED) == 14  # every planted number is searched for, not only the easy ones
    found = [(table, value) for table, cell in _text_cells(db) for value in PLANTED if value in cell]
    assert found == []
    content, text = db.read_bytes(), report.to_json() + report.summary()
    for value in PLANTED:
        assert value.encode() not in content and value.encode("utf-16-le") not in content, value
        assert value not in text, value


def test_a_misshapen_rows_values_are_not_kept_and_a_well_shaped_rows_are_masked(loaded):
    _, report = loaded
    by_row = {(q.kind, q.row_number): q for q in report.quarantined}
    assert by_row[("assignments", 3)].values == {}
    assert "double quote" in by_row[("assignments", 3)].reason
    assert by_row[("assignments", 6)].values == {}
    assert "cells may have moved" in by_row[("assignments", 6)].reason
    shifted = by_row[("assignments", 7)]
    assert shifted.values["post_id"] == "(an employee number, not shown)"
    assert shifted.reason == "post_id '(an employee number, not shown)' is not in posts " \
                             "(or all its rows were quarantined)"
    assert by_row[("assignments", 7)].values["arrangement"] == "permanent"  # the rest stays, to act on


def test_a_file_without_a_header_row_is_refused_without_listing_its_first_row(tmp_path, key_file):
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    (folder / "assignments.csv").write_text("A1,EMPHEAD01,P1,permanent,1,2020-01-01,,\n", encoding="utf-8")
    with pytest.raises(LoadRefused) as refused:
        ingest(folder, tmp_path / "w.duckdb", key_path=key_file)
    message = " ".join(refused.value.problems)
    assert "first row holds data, not column names" in message
    assert "EMPHEAD01" not in message


def test_a_row_short_only_of_empty_trailing_cells_still_loads(tmp_path, key_file):
    # Some exports leave out the empty cells at the end of a row: 6 cells for 8 columns, nothing broken.
    folder = tmp_path / "in"
    write_kind(folder, "org_units", ORG)
    write_kind(folder, "posts", POSTS)
    (folder / "assignments.csv").write_text(HEADER + "A1,E1,P1,permanent,1,2020-01-01\n", encoding="utf-8")
    report = ingest(folder, tmp_path / "w.duckdb", key_path=key_file)
    assert report.quarantined == [] and report.kinds["assignments"].rows_loaded == 1
