"""`python -m pipelines census import`: load an authority's census returns into the workforce database.

One return per year. A later import of the same authority and year replaces that year; a file already
imported with the same key changes nothing. Like every writer, the import copies the database to a new
file beside it, changes the copy and swaps it in under the writer lock, so readers see the old returns
or the new, never a mix. A database that does not exist yet is made (census returns only)."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipelines.authority import read_identity
from pipelines.census import DDL, PERSONAL_ELEMENTS, TABLES
from pipelines.census.validation import Problem, _number, check_workers
from pipelines.census.xml_reader import CensusFile, read_return
from pipelines.database import check_writable_target, edited_copy
from pipelines.errors import LoadRefused
from pipelines.pseudonym import key_path as resolve_key_path
from pipelines.pseudonym import load_or_create_key, pseudonymiser
from pipelines.writelock import writer_lock

PRIVACY_NOTE = (f"Not read and never stored: {', '.join(PERSONAL_ELEMENTS)} (birth date, gender, ethnicity, "
                "qualification institution). SWE numbers are stored only as keyed pseudonyms.")


@dataclass
class ReturnResult:
    file_name: str
    year: int
    status: str  # 'loaded', 'replaced' or 'unchanged'
    workers_read: int
    workers_loaded: int = 0
    workers_quarantined: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CensusReport:
    database: str
    returns: list[ReturnResult] = field(default_factory=list)
    new_key_file: str = ""

    @property
    def changed(self) -> bool:
        return any(r.status != "unchanged" for r in self.returns)

    def summary(self) -> str:
        lines = []
        for item in sorted(self.returns, key=lambda r: r.year):
            if item.status == "unchanged":
                lines.append(f"{item.file_name}: the {item.year} return is identical to the one already loaded; "
                             "not changed.")
                continue
            verb = "replaced the earlier" if item.status == "replaced" else "loaded the"
            lines.append(f"{item.file_name}: {verb} {item.year} return: {item.workers_read:,} worker records read "
                         f"= {item.workers_loaded:,} loaded + {item.workers_quarantined:,} held back.")
            for problem in item.problems[:10]:
                lines.append(f"  worker {problem.position} (line {problem.line}), {problem.field}: {problem.reason}")
            if len(item.problems) > 10:
                lines.append(f"  ... and {len(item.problems) - 10} more; all are on the Data quality page.")
        lines.append(f"Database: {self.database}." if self.changed else f"Nothing was changed in {self.database}.")
        lines.append(PRIVACY_NOTE)
        if self.new_key_file:
            lines.append(f"A new pseudonym key was made at {self.new_key_file}. Back it up now and keep the copy safe, "
                         "apart from the database: without it, later returns and HR loads cannot be linked to "
                         "these (everyone would look like a new person).")
        return "\n".join(lines)


def _fingerprint(census: CensusFile, key: bytes) -> str:
    """Same file and same key: same stored rows, so nothing to do."""
    return hashlib.sha256(f"{census.sha256}/{hashlib.sha256(key).hexdigest()}".encode()).hexdigest()


def _read_all(paths: list[Path]) -> list[CensusFile]:
    returns, problems = [], []
    for path in paths:
        try:
            returns.append(read_return(Path(path)))
        except LoadRefused as refused:
            problems += refused.problems
    years: dict[int, list[str]] = {}
    for item in returns:
        years.setdefault(item.year, []).append(item.file_name)
    problems += [f"Two returns for {year} were given ({', '.join(names)}); give one return per year."
                 for year, names in sorted(years.items()) if len(names) > 1]
    authorities = sorted({item.la_number for item in returns})
    if len(authorities) > 1:
        problems.append(f"The returns are for different authorities (LA numbers {', '.join(authorities)}); "
                        "a database holds one authority's returns.")
    if problems:
        raise LoadRefused(problems)
    return returns


def _existing(con) -> pd.DataFrame:
    return con.execute("select year, la_number, fingerprint from census_returns").df()


def _check_authority(con, returns: list[CensusFile], existing: pd.DataFrame) -> None:
    given = returns[0].la_number
    held = sorted(set(existing["la_number"]) - {given})
    if held:
        raise LoadRefused([f"This database holds census returns of LA {', '.join(held)}, and these are of LA "
                           f"{given}; a database holds one authority's returns. Nothing was changed."])
    set_number = read_identity(con).la_number
    if set_number and set_number != given:
        raise LoadRefused([f"This database is set up for the authority with LA number {set_number}, and these "
                           f"returns are of LA {given}. Nothing was changed: check the files, or the database."])


def _store(con, census: CensusFile, fingerprint: str, key: bytes, now: datetime, result: ReturnResult) -> None:
    workers, problems = check_workers(census, pseudonymiser(key))
    result.workers_loaded, result.problems = len(workers), problems
    result.workers_quarantined = len({p.position for p in problems})
    for table in TABLES:
        con.execute(f"delete from {table} where year = $year", {"year": census.year})
    vacancies = census.vacancies
    headcount = _number(vacancies["NoAgencyHeadcount"])
    con.execute("insert into census_returns values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", [
        census.year, census.reference_date, census.la_number, census.file_name, census.sha256, fingerprint, now,
        len(census.workers), len(workers), result.workers_quarantined, _number(vacancies["NumberOfVacancies"]),
        _number(vacancies["NoAgencyFTE"]), None if headcount is None else int(headcount)])
    if len(workers):
        con.register("incoming", workers)
        con.execute("insert into census_workers by name select * from incoming")
        con.unregister("incoming")
    quarantine = pd.DataFrame([(census.year, p.file, p.position, p.line, p.field, p.reason) for p in problems],
                              columns=["year", "file_name", "worker_position", "line_number", "field", "reason"])
    if len(quarantine):
        con.register("incoming", quarantine)
        con.execute("insert into census_quarantine by name select * from incoming")
        con.unregister("incoming")


def import_returns(paths: list[Path], db_path: Path, *, key_path: Path | None = None,
                   wait_seconds: float | None = None, now: datetime | None = None) -> CensusReport:
    """Import the returns into db_path. LoadRefused (database untouched) for unusable files; a UsageError
    when db_path is not a workforce database or another writer holds it beyond wait_seconds."""
    db_path = Path(db_path)
    check_writable_target(db_path)  # before reading: a wrong --db is said at once
    returns = _read_all(paths)
    key_file = resolve_key_path(key_path)
    new_key = not (key_file.exists() or key_file.is_symlink())
    key = load_or_create_key(key_file)
    report = CensusReport(str(db_path), new_key_file=str(key_file.resolve()) if new_key else "")
    with writer_lock(db_path, wait_seconds):
        check_writable_target(db_path)  # again under the lock: what is there now is what we change
        _import_locked(returns, db_path, key, report, now or datetime.now().replace(microsecond=0))
    return report


def _import_locked(returns: list[CensusFile], db_path: Path, key: bytes, report: CensusReport,
                   now: datetime) -> None:
    with edited_copy(db_path, "census") as copy:
        con = copy.con
        for table in TABLES:
            con.execute(f"create table if not exists {table} ({DDL[table]})")
        existing = _existing(con)
        _check_authority(con, returns, existing)
        held = dict(zip(existing["year"], existing["fingerprint"], strict=True))
        for census in returns:
            fingerprint = _fingerprint(census, key)
            status = ("unchanged" if held.get(census.year) == fingerprint
                      else "replaced" if census.year in held else "loaded")
            result = ReturnResult(census.file_name, census.year, status, len(census.workers))
            report.returns.append(result)
            if status != "unchanged":
                _store(con, census, fingerprint, key, now, result)
        copy.changed = report.changed
