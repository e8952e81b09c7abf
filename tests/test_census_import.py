"""`python -m pipelines census import`: reading, validation, quarantine, privacy, replacing and atomicity."""

import duckdb
import pytest

from pipelines.census.importer import import_returns
from pipelines.cli import main
from pipelines.errors import LoadRefused
from tests.census_builder import SAMPLE, worker, write_return
from tests.extract_builder import ORG, db_rows, job, post, write_extract

# The sample's personal items and SWE numbers, which must appear nowhere in the database.
SAMPLE_SWE = "Oz2054309383"
SAMPLE_BIRTH_DATE = "1967-01-04"


def _all_text(db) -> str:
    """Every cell of every table, as one text, to look for values that must never be stored."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        return "\n".join(str(con.execute(f"select * from {t}").fetchall()) for t in tables)


def test_the_shared_sample_loads_its_good_records_and_holds_back_the_odd_ones(tmp_path, key_file, capsys):
    db = tmp_path / "census.duckdb"
    code = main(["census", "import", str(SAMPLE), "--db", str(db), "--key", str(key_file)])
    said = capsys.readouterr().out
    assert code == 0
    # 30 records: 2 left before the year, 7 start after 30 Sep 2022, 3 in post with no FTE above 0 -> 18 kept
    assert "30 worker records read = 18 loaded + 12 held back" in said
    assert db_rows(db, "select year, la_number, workers_read, workers_loaded, workers_quarantined, vacancies_fte, "
                       "agency_cover_fte, agency_cover_headcount from census_returns") == [
        (2022, "301", 30, 18, 12, 79.68, 59.82, 71)]
    held = db_rows(db, "select worker_position, line_number, field from census_quarantine order by 1")
    assert (2, 39, "RoleEndDate") in held  # left 23 Sep 2019, before the year 1 Oct 2021 - 30 Sep 2022
    assert (16, 289, "RoleStartDate") in held  # starts 8 Oct 2022, after the reference date
    assert (12, 210, "FTE30") in held  # FTE 0 and no FTE30, in post (its end date is after 30 Sep 2022)
    assert len({row[0] for row in held}) == 12


def test_personal_items_and_swe_numbers_are_never_stored_and_the_report_says_so(tmp_path, key_file, capsys):
    db = tmp_path / "census.duckdb"
    main(["census", "import", str(SAMPLE), "--db", str(db), "--key", str(key_file)])
    said = capsys.readouterr().out
    assert "Not read and never stored: PersonBirthDate, GenderCurrent, Ethnicity, QualInst" in said
    assert "pseudonyms" in said
    stored = _all_text(db)
    for value in (SAMPLE_SWE, SAMPLE_SWE.upper(), SAMPLE_BIRTH_DATE, "Institution Name", "REFU", "BAFR"):
        assert value not in stored
    columns = {r[0].lower() for r in db_rows(db, "select column_name from duckdb_columns() "
                                                 "where table_name like 'census%'")}
    assert not columns & {"personbirthdate", "gendercurrent", "ethnicity", "qualinst", "sweno"}


def test_a_bad_swe_number_is_held_back_without_repeating_it(tmp_path, key_file):
    path = write_return(tmp_path, 2023, [worker("NOT-A-NUMBER-77", FTE30="1")])
    db = tmp_path / "c.duckdb"
    report = import_returns([path], db, key_path=key_file)
    [problem] = report.returns[0].problems
    assert (problem.position, problem.field) == (1, "SWENo")
    assert "NOT-A-NUMBER-77" not in problem.reason and "NOT-A-NUMBER-77" not in _all_text(db)


def test_cells_are_checked_against_the_schema_lists_and_ranges(tmp_path, key_file):
    workers = [worker("AB0000000001", FTE30="1.5"), worker("AB0000000002", FTE30="1", OrgRole="7"),
               worker("AB0000000003", FTE30="1", Cases30="-2"), worker("AB0000000004", FTE30="1", Cases30="2.5"),
               worker("AB0000000005", FTE30="1", RoleStartDate="2023-02-30"),
               worker("AB0000000006", FTE30="1", ReasonAbsence=["SIC", "XYZ"]),
               worker("AB0000000007", agency="2", FTE30="1"), worker("AB0000000008", FTE30="0.5")]
    report = import_returns([write_return(tmp_path, 2023, workers)], tmp_path / "c.duckdb", key_path=key_file)
    found = {(p.position, p.field): p.reason for p in report.returns[0].problems}
    assert found[(1, "FTE30")] == "FTE30 '1.5' is not a full-time equivalent from 0 to 1"
    assert found[(2, "OrgRole")].startswith("OrgRole '7' is not one of the codes allowed: 1 (Senior manager)")
    assert found[(3, "Cases30")] == "Cases30 '-2' is not a whole number of cases, 0 or more"
    assert found[(4, "Cases30")] == "Cases30 '2.5' is not a whole number of cases, 0 or more"
    assert found[(5, "RoleStartDate")].startswith("RoleStartDate '2023-02-30' is not a date")
    assert found[(6, "ReasonAbsence")].startswith("ReasonAbsence 'SIC;XYZ' is not one of the codes allowed")
    assert found[(7, "AgencyWorker")] == "AgencyWorker '2' must be 0 (not agency) or 1 (agency)"
    assert report.returns[0].workers_loaded == 1  # only the eighth record is sound


def test_returns_are_read_leniently(tmp_path, key_file):
    """Namespaces, unknown elements, spaces, any element order, Year without ReferenceDate, lower-case
    names, and repeats the schema allows (contract weeks add up)."""
    text = """<?xml version="1.0"?>
    <c:Message xmlns:c="urn:example">
      <c:CSWWWorker><c:FTE30> 0.5 </c:FTE30><c:Unknown>x</c:Unknown><c:SWENo>ab1234567890</c:SWENo>
        <c:AgencyWorker>1</c:AgencyWorker><c:ContractWeeks>10.5</c:ContractWeeks><c:ContractWeeks>2.0</c:ContractWeeks>
        <c:CFKSSstatus>2</c:CFKSSstatus><c:CFKSSstatus>3</c:CFKSSstatus></c:CSWWWorker>
      <c:LALevelVacancies><c:NoAgencyFTE>1.00</c:NoAgencyFTE><c:NumberOfVacancies> 2.50 </c:NumberOfVacancies>
      </c:LALevelVacancies>
      <c:Header><c:Source><c:LEA> 302 </c:LEA></c:Source><c:CollectionDetails><c:year>2021</c:year>
      </c:CollectionDetails></c:Header>
    </c:Message>"""
    path = tmp_path / "lenient.xml"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "c.duckdb"
    report = import_returns([path], db, key_path=key_file)
    assert not report.returns[0].problems
    assert db_rows(db, "select year, reference_date::varchar, la_number, vacancies_fte, agency_cover_fte "
                       "from census_returns") == [(2021, "2021-09-30", "302", 2.5, 1.0)]
    assert db_rows(db, "select agency, fte30, contract_weeks, cfkss_status from census_workers") == [
        (True, 0.5, 12.5, "2;3")]


def test_a_repeated_element_the_schema_allows_once_holds_the_record_back(tmp_path, key_file):
    path = write_return(tmp_path, 2023, [worker("AB0000000001", FTE30=["1", "0.5"])])
    report = import_returns([path], tmp_path / "c.duckdb", key_path=key_file)
    assert [(p.field, p.reason) for p in report.returns[0].problems] == [
        ("FTE30", "FTE30 appears 2 times in this worker record; the schema allows it once")]


@pytest.mark.parametrize("text", [
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Message>&b;</Message>',
    '<?xml version="1.0"?><!DOCTYPE m SYSTEM "http://example.org/x.dtd"><Message/>',
])
def test_document_type_declarations_are_refused_before_anything_is_expanded(tmp_path, key_file, capsys, text):
    path = tmp_path / "bomb.xml"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "c.duckdb"
    code = main(["census", "import", str(path), "--db", str(db), "--key", str(key_file)])
    assert code == 2
    assert "declares a document type (DOCTYPE) or entities" in capsys.readouterr().err
    assert not db.exists()


def test_a_file_that_is_not_a_return_is_refused_in_one_line(tmp_path, key_file, capsys):
    broken = tmp_path / "broken.xml"
    broken.write_text("<Message><Header>", encoding="utf-8")
    no_year = write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")], name="no_year.xml")
    no_year.write_text(no_year.read_text().replace("<Year>2023</Year><ReferenceDate>2023-09-30</ReferenceDate>", ""))
    code = main(["census", "import", str(broken), str(no_year), "--db", str(tmp_path / "c.duckdb"),
                 "--key", str(key_file)])
    err = capsys.readouterr().err
    assert code == 2
    assert "broken.xml: is not well-formed XML (line 1" in err
    assert "no_year.xml: no collection year found" in err


def test_reimporting_the_same_file_changes_nothing(tmp_path, key_file):
    path = write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")])
    db = tmp_path / "c.duckdb"
    import_returns([path], db, key_path=key_file)
    before = db.stat()
    report = import_returns([path], db, key_path=key_file)
    assert [r.status for r in report.returns] == ["unchanged"]
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_several_years_load_in_one_call_and_a_later_return_replaces_its_year_only(tmp_path, key_file):
    db = tmp_path / "c.duckdb"
    first = [write_return(tmp_path / "a", 2022, [worker("AB0000000001", FTE30="1")]),
             write_return(tmp_path / "a", 2023, [worker("AB0000000001", FTE30="1"), worker("AB0000000002", FTE30="1")])]
    import_returns(first, db, key_path=key_file)
    corrected = write_return(tmp_path / "b", 2023, [worker("AB0000000003", FTE30="0.5")])
    report = import_returns([corrected], db, key_path=key_file)
    assert [r.status for r in report.returns] == ["replaced"]
    assert db_rows(db, "select year, count(*), sum(fte30) from census_workers group by year order by year") == [
        (2022, 1, 1.0), (2023, 1, 0.5)]
    assert db_rows(db, "select year, file_name from census_returns order by year") == [
        (2022, "csww_2022.xml"), (2023, "csww_2023.xml")]


def test_the_same_swe_number_gets_the_same_pseudonym_in_every_year(tmp_path, key_file):
    db = tmp_path / "c.duckdb"
    paths = [write_return(tmp_path, year, [worker("ab0000000001", FTE30="1")]) for year in (2022, 2023)]
    import_returns(paths, db, key_path=key_file)
    keys = db_rows(db, "select distinct swe_key from census_workers")
    assert len(keys) == 1 and len(keys[0][0]) == 32


def test_two_returns_for_one_year_or_two_authorities_are_refused(tmp_path, key_file):
    a = write_return(tmp_path / "a", 2023, [worker("AB0000000001", FTE30="1")])
    b = write_return(tmp_path / "b", 2023, [worker("AB0000000001", FTE30="1")], la="302")
    with pytest.raises(LoadRefused) as refused:
        import_returns([a, b], tmp_path / "c.duckdb", key_path=key_file)
    assert "Two returns for 2023 were given" in str(refused.value)
    assert "different authorities (LA numbers 301, 302)" in str(refused.value)
    import_returns([a], tmp_path / "c.duckdb", key_path=key_file)
    other = write_return(tmp_path / "c", 2022, [worker("AB0000000001", FTE30="1")], la="302")
    with pytest.raises(LoadRefused, match="holds census returns of LA 301, and these are of LA 302"):
        import_returns([other], tmp_path / "c.duckdb", key_path=key_file)


def test_census_returns_and_hr_extracts_live_side_by_side(tmp_path, key_file):
    """A census import onto an HR database keeps the HR data; a later HR load keeps the census returns."""
    extracts = write_extract(tmp_path / "hr", org_units=ORG, posts=[post("P1")], assignments=[job("A1", "E1", "P1")])
    db = tmp_path / "both.duckdb"
    from pipelines.ingest import ingest

    ingest(extracts, db, key_path=key_file)
    import_returns([write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")])], db, key_path=key_file)
    assert db_rows(db, "select count(*) from raw_assignments") == [(1,)]
    (extracts / "assignments.csv").write_text((extracts / "assignments.csv").read_text() + "A2,E2,P1,permanent,1,"
                                              "2021-01-01,,\n")
    report = ingest(extracts, db, key_path=key_file)
    assert report.status == "loaded", report.summary()
    assert db_rows(db, "select count(*) from raw_assignments") == [(2,)]
    assert db_rows(db, "select year, workers_loaded from census_returns") == [(2023, 1)]
    assert db_rows(db, "select count(*) from census_workers") == [(1,)]


def test_a_census_import_never_overwrites_another_applications_file(tmp_path, key_file, capsys):
    other = tmp_path / "notes.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("create table notes (x integer)")
    path = write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")])
    assert main(["census", "import", str(path), "--db", str(other), "--key", str(key_file)]) == 2
    assert "another application" in capsys.readouterr().err
    assert db_rows(other, "select count(*) from notes") == [(0,)]


def test_commands_that_need_hr_extracts_say_so_and_census_charts_export_on_a_census_only_database(tmp_path, key_file, capsys):
    db = tmp_path / "c.duckdb"
    import_returns([write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")])], db, key_path=key_file)
    assert main(["metric", "turnover", "--db", str(db), "--from", "2023-01-01", "--to", "2023-12-31"]) == 2
    assert "holds census returns only: no HR extracts loaded yet" in capsys.readouterr().err
    assert main(["export", "chart", "--db", str(db)]) == 0  # lists the census charts instead
    assert "census-figures" in capsys.readouterr().out
    out = tmp_path / "figures.csv"
    assert main(["export", "chart", "census-figures", "--db", str(db), "--mode", "internal", "--out", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    # one worker in post (1.0 FTE) in the 2023 return: the figures table, exactly as the Census page's download
    assert rows[0].startswith("Year to 30 Sep,In post (headcount),In post (FTE)") and rows[1].startswith("2023,1,1.0")
    assert main(["export", "chart", "census-nothing", "--db", str(db), "--out", str(out)]) == 2
    assert "Unknown chart 'census-nothing'. Census charts: census-figures" in capsys.readouterr().err
    assert main(["export", "chart", "census-figures", "--db", str(db), "--unit", "X", "--out", str(out)]) == 2


def test_a_return_in_windows_1252_is_read(tmp_path, key_file):
    """HR systems' census modules may write windows-1252 (Python's XML parser reads single-byte encodings)."""
    text = write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1", QualInst="Université")]).read_text()
    path = tmp_path / "cp1252.xml"
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="windows-1252"').encode("cp1252"))
    db = tmp_path / "c.duckdb"
    report = import_returns([path], db, key_path=key_file)
    assert (report.returns[0].workers_loaded, report.returns[0].problems) == (1, [])


def test_every_census_check_is_explained_in_the_census_guide():
    from pathlib import Path

    guide = " ".join((Path(__file__).resolve().parents[1] / "docs" / "CENSUS.md").read_text(encoding="utf-8").split())
    for words in ("appears 2 times in this worker record; the schema allows it once", "belongs in next year's return",
                  "does not belong in this return", "declares a document type (DOCTYPE) or entities",
                  "no full-time equivalent above 0", "two letters then up to ten digits", "the codes allowed",
                  "python -m pipelines census import", "253", "half up"):
        assert words in guide, words


def test_the_import_waits_for_the_writer_lock_and_a_refusal_leaves_the_database_as_it_was(tmp_path, key_file):
    from pipelines.writelock import AnotherLoadRunning, writer_lock

    db = tmp_path / "c.duckdb"
    import_returns([write_return(tmp_path / "a", 2022, [worker("AB0000000001", FTE30="1")])], db, key_path=key_file)
    before = db.read_bytes()
    newer = write_return(tmp_path / "b", 2023, [worker("AB0000000001", FTE30="1")])
    with writer_lock(db, 0), pytest.raises(AnotherLoadRunning):  # another load holds the database
        import_returns([newer], db, key_path=key_file, wait_seconds=0)
    other = write_return(tmp_path / "c", 2023, [worker("AB0000000001", FTE30="1")], la="302")
    with pytest.raises(LoadRefused):
        import_returns([other], db, key_path=key_file)
    assert db.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.duckdb")]  # no half-built file left


def test_hr_extracts_loaded_into_a_census_only_database_keep_the_returns(tmp_path, key_file):
    from pipelines.ingest import ingest

    db = tmp_path / "c.duckdb"
    import_returns([write_return(tmp_path, 2023, [worker("AB0000000001", FTE30="1")])], db, key_path=key_file)
    extracts = write_extract(tmp_path / "hr", org_units=ORG, posts=[post("P1")], assignments=[job("A1", "E1", "P1")])
    assert ingest(extracts, db, key_path=key_file).status == "loaded"
    assert db_rows(db, "select year, workers_loaded from census_returns") == [(2023, 1)]
    assert db_rows(db, "select count(*) from raw_assignments") == [(1,)]
