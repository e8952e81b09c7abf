"""`benchmarks import`: read DfE's published files, check them, and store them in the workforce database.

The database is swapped in whole (as pipelines/store.py does): the current file is copied beside
itself, the DfE tables are replaced in the copy, and the copy is moved over the original with
os.replace, so the dashboard's read-only connections see the old data or the new, never a mix.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors

from pipelines.benchmarks import TABLES
from pipelines.benchmarks import schemas as s
from pipelines.census import TABLES as CENSUS_TABLES
from pipelines.database import check_workforce_db, edited_copy
from pipelines.errors import LoadRefused
from pipelines.readers import decode_csv_bytes
from pipelines.writelock import writer_lock

KIND_WORDS = {
    "indicators": "children's social work workforce indicators",
    "neighbours": "statistical neighbour groupings",
    "cla_sw_count": "children looked after by number of social workers",
    "own_return": "one authority's own workforce return (indicators format)",
}
TABLE_OF = {"indicators": "dfe_indicators", "neighbours": "dfe_statistical_neighbours",
            "cla_sw_count": "dfe_cla_sw_count", "own_return": "dfe_indicators"}
ROW = "_row"  # the row number a spreadsheet shows (header = 1)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _measure_columns(names) -> str:
    return ", ".join(f"{name} double, {name}_symbol varchar" for name in names)


DDL = {
    "dfe_indicators": ", ".join([
        "time_period integer", *(f"{c} varchar" for c in s.INDICATOR_ID_COLUMNS[1:]),
        _measure_columns(s.INDICATOR_MEASURES)]),
    "dfe_statistical_neighbours": "la_number varchar, la_name varchar, region varchar, superseded boolean, "
                                  "neighbour_rank integer, neighbour_number varchar, closeness varchar",
    "dfe_cla_sw_count": ", ".join([
        "time_period integer", *(f"{c} varchar" for c in s.CLA_ID_COLUMNS[1:]), _measure_columns(s.CLA_MEASURES)]),
    "dfe_releases": "kind varchar, file_name varchar, sha256 varchar, imported_at timestamp, "
                    "latest_time_period varchar, row_count bigint",
    "dfe_symbols": "symbol varchar, meaning varchar",
}


@dataclass
class ParsedFile:
    kind: str
    file_name: str
    sha256: str
    frame: pd.DataFrame  # typed, in the columns of its table
    latest: str | None  # the latest reporting year, or the groupings' date
    rows: int  # data rows read from the file
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    database: str
    imported: list[ParsedFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "imported" if self.imported else "unchanged"

    def summary(self) -> str:
        lines = [f"Imported {p.file_name} ({KIND_WORDS[p.kind]}): {p.rows:,} rows"
                 + (f", latest {p.latest}" if p.latest else "")
                 + (f"; columns not used: {', '.join(p.ignored_columns)}" if p.ignored_columns else "")
                 for p in self.imported]
        lines += [f"Already imported, nothing to do: {name}" for name in self.unchanged]
        return "\n".join(lines + [f"Database: {self.database}"])


# ---------------------------------------------------------------------------------------------- reading

def _csv_bytes(data: bytes, path: Path) -> bytes:
    """The CSV inside a ZIP download (EES packs data with its metadata), or the bytes as they are."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")
                       and not m.filename.lower().endswith(".meta.csv") and "/supporting-files/" not in m.filename]
            if not members:
                raise LoadRefused([f"{path.name}: a ZIP file with no data CSV inside."])
            return archive.read(max(members, key=lambda m: m.file_size))
    except zipfile.BadZipFile:
        raise LoadRefused([f"{path.name}: looks like a ZIP file but cannot be opened."]) from None


def _records(path: Path) -> tuple[list[list[str]], str]:
    if not path.is_file():
        raise LoadRefused([f"{path}: {'is a folder; give the file itself' if path.is_dir() else 'no such file'}."])
    raw = path.read_bytes()
    text, _encoding = decode_csv_bytes(_csv_bytes(raw, path), path)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise LoadRefused([f"{path.name}: is not a well-formed CSV file ({exc})."]) from None
    if not records:
        raise LoadRefused([f"{path.name}: is empty."])
    return records, hashlib.sha256(raw).hexdigest()


def detect_kind(header: list[str]) -> str | None:
    names = set(header)
    if {"time_period", "geographic_level", "turnover_rate_fte"} <= names:
        return "indicators"
    if "SN1" in names and ("LA number" in names or "LA num" in names):
        return "neighbours"
    if {"time_period", "sw_stability"} <= names:
        return "cla_sw_count"
    return None


def _frame(header: list[str], body: list[list[str]], path: Path) -> pd.DataFrame:
    duplicates = sorted({n for n in header if n and header.count(n) > 1})
    if duplicates:
        raise LoadRefused([f"{path.name}: the column(s) {', '.join(duplicates)} appear more than once."])
    width, rows, numbers = len(header), [], []
    for offset, record in enumerate(body):
        cells = [cell.strip() for cell in record][:width]
        if any(cells):
            rows.append(cells + [""] * (width - len(cells)))
            numbers.append(offset + 2)
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    frame[ROW] = numbers
    return frame


def _neighbour_frame(header: list[str], body: list[list[str]], path: Path) -> pd.DataFrame:
    """The groupings file repeats 'SNP' (closeness) after each SNn: number them by position. Rows after
    its 'Old SNs:' line are authorities since reorganised; they are kept, marked superseded."""
    number_at = header.index("LA number") if "LA number" in header else header.index("LA num")
    columns = {"la_number": number_at, "la_name": header.index("LA Name") if "LA Name" in header else None,
               "region": header.index("GOReg") if "GOReg" in header else None}
    for rank in range(1, s.NEIGHBOURS + 1):
        if f"SN{rank}" not in header:
            raise LoadRefused([f"{path.name}: no column SN{rank}; a groupings file names 10 neighbours (SN1 to SN10)."])
        columns[f"sn{rank}"] = header.index(f"SN{rank}")
        columns[f"snp{rank}"] = header.index(f"SN{rank}") + 1
    rows, superseded = [], False
    for offset, record in enumerate(body):
        cells = [cell.strip() for cell in record]
        if any(cell.lower().startswith("old sn") for cell in cells):
            superseded = True
            continue
        if len(cells) <= number_at or not cells[number_at]:
            continue
        row = {name: (cells[i] if i is not None and i < len(cells) else "") for name, i in columns.items()}
        rows.append({**row, "superseded": superseded, ROW: offset + 2})
    return pd.DataFrame(rows, columns=[*columns, "superseded", ROW])


def _problems(error: pandera.errors.SchemaErrors, frame: pd.DataFrame, path: Path) -> list[str]:
    cases = error.failure_cases
    problems = []
    for case in cases.itertuples():
        column = case.column if isinstance(case.column, str) else ""
        if case.index is None or pd.isna(case.index):
            problems.append(f"{path.name}: {column or 'the file'}: {case.check} ({case.failure_case}).")
            continue
        row = frame.loc[case.index, ROW]
        problems.append(f"{path.name}: row {row}, column {column}: '{case.failure_case}' fails {case.check}.")
    shown = problems[:12]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more problems in {path.name}.")
    return shown


def _validate(kind: str, frame: pd.DataFrame, path: Path) -> None:
    if frame.empty:
        raise LoadRefused([f"{path.name}: has a header row but no data rows."])
    try:
        s.MODELS[kind].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        raise LoadRefused(
            [f"{path.name} ({KIND_WORDS[kind]}) has cells DfE's format does not allow: numbers must be plain "
             f"numbers or one of the symbols {', '.join(s.SYMBOLS)}."] + _problems(error, frame, path)) from None


# ---------------------------------------------------------------------------------------------- converting

def _split_measure(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'12.5' -> (12.5, None); 'c' -> (missing, 'c'); '' -> (missing, None)."""
    is_symbol = values.isin(list(s.SYMBOLS))
    numbers = pd.to_numeric(values.where(~is_symbol & (values != "")), errors="raise").astype("float64")
    symbols = values.where(is_symbol).astype("object").where(is_symbol, None)
    return numbers, symbols


def _text_or_null(values: pd.Series) -> pd.Series:
    return values.astype("object").where(values != "", None)


def _typed(frame: pd.DataFrame, id_columns, measures) -> tuple[pd.DataFrame, list[str]]:
    out = pd.DataFrame({"time_period": frame["time_period"].astype("int64")})
    for column in id_columns[1:]:
        out[column] = _text_or_null(frame[column]) if column in frame else None
    for column in measures:
        if column in frame:
            out[column], out[f"{column}_symbol"] = _split_measure(frame[column])
        else:
            out[column], out[f"{column}_symbol"] = float("nan"), None
    ignored = [c for c in frame.columns if c != ROW and c not in id_columns and c not in measures]
    return out, ignored


def _long_neighbours(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    current = frame[~frame["superseded"]]
    repeated = sorted(current.loc[current["la_number"].duplicated(), "la_number"])
    if repeated:
        raise LoadRefused([f"{path.name}: LA number(s) {', '.join(repeated)} appear on more than one row."])
    rows = [{"la_number": r["la_number"], "la_name": r["la_name"], "region": r["region"] or None,
             "superseded": bool(r["superseded"]), "neighbour_rank": rank, "neighbour_number": r[f"sn{rank}"],
             "closeness": r[f"snp{rank}"]}
            for r in frame.to_dict("records") for rank in range(1, s.NEIGHBOURS + 1)]
    return pd.DataFrame(rows, columns=["la_number", "la_name", "region", "superseded", "neighbour_rank",
                                       "neighbour_number", "closeness"])


def parse_file(path: Path) -> ParsedFile:
    """Read and check one DfE file; raises LoadRefused with every problem found."""
    path = Path(path)
    records, sha256 = _records(path)
    header = [cell.strip().lstrip("\ufeff") for cell in records[0]]
    kind = detect_kind(header)
    if kind is None:
        raise LoadRefused([
            f"{path.name}: not a DfE file this command knows. It takes the children's social work workforce "
            "indicators CSV (columns time_period, geographic_level, turnover_rate_fte, ...), the statistical "
            "neighbour groupings CSV (LA number, SN1 to SN10) or the children looked after social-worker count "
            "CSV (time_period, sw_stability, ...)."])
    if kind == "neighbours":
        raw = _neighbour_frame(header, records[1:], path)
        _validate(kind, raw, path)
        found = re.search(rf"({MONTHS})[ _-]*(\d{{4}})", path.stem, flags=re.IGNORECASE)
        latest = f"{found.group(1).capitalize()} {found.group(2)}" if found else None
        return ParsedFile(kind, path.name, sha256, _long_neighbours(raw, path), latest, len(raw))
    raw = _frame(header, records[1:], path)
    _validate(kind, raw, path)
    id_columns, measures = ((s.INDICATOR_ID_COLUMNS, s.INDICATOR_MEASURES) if kind == "indicators"
                            else (s.CLA_ID_COLUMNS, s.CLA_MEASURES))
    typed, ignored = _typed(raw, id_columns, measures)
    if kind == "indicators" and _one_authority(typed):
        kind = "own_return"  # an authority's own figures in DfE's format: they update that authority's rows only
    return ParsedFile(kind, path.name, sha256, typed, str(typed["time_period"].max()), len(raw), ignored)


def _one_authority(frame: pd.DataFrame) -> bool:
    return (frame["geographic_level"] == "Local authority").all() and frame["new_la_code"].nunique() == 1


# ---------------------------------------------------------------------------------------------- storing

def _year(label: str | None) -> int | None:
    found = re.search(r"\d{4}", label or "")
    return int(found.group(0)) if found else None


def _previous_releases(con) -> pd.DataFrame:
    if not con.execute("select count(*) from duckdb_tables() where table_name = 'dfe_releases'").fetchone()[0]:
        return pd.DataFrame(columns=["kind", "sha256", "latest_time_period", "file_name"])
    return con.execute("select kind, sha256, latest_time_period, file_name from dfe_releases "
                       "order by imported_at").df()


def _replace_table(con, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"drop table if exists {table}")
    con.execute(f"create table {table} ({DDL[table]})")
    con.register("incoming", frame)
    con.execute(f"insert into {table} by name select * from incoming")
    con.unregister("incoming")


def _merge_own_return(con, frame: pd.DataFrame) -> None:
    """Replace that authority's rows for the years the return covers; every other row stays as DfE published it."""
    con.register("incoming", frame)
    con.execute("delete from dfe_indicators where new_la_code in (select new_la_code from incoming) "
                "and time_period in (select time_period from incoming)")
    con.execute("insert into dfe_indicators by name select * from incoming")
    con.unregister("incoming")


def _store(con, parsed: list[ParsedFile], when: datetime) -> None:
    # Every dfe_* table exists after any import (empty until its file comes), so the views always answer.
    for table in (*TABLE_OF.values(), "dfe_releases"):
        con.execute(f"create table if not exists {table} ({DDL[table]})")
    for item in sorted(parsed, key=lambda p: p.kind == "own_return"):  # an own return lands on DfE's file
        if item.kind == "own_return":
            _merge_own_return(con, item.frame)
        else:
            _replace_table(con, TABLE_OF[item.kind], item.frame)
        con.execute("insert into dfe_releases values ($1, $2, $3, $4, $5, $6)",
                    [item.kind, item.file_name, item.sha256, when, item.latest, item.rows])
    _replace_table(con, "dfe_symbols", pd.DataFrame(list(s.SYMBOLS.items()), columns=["symbol", "meaning"]))


def _plan(con, parsed: list[ParsedFile], allow_older: bool, report: ImportReport) -> list[ParsedFile]:
    """Which files to store: a file already imported is skipped; an older release than the one held is
    refused unless asked for, so a stray old download cannot quietly replace newer figures."""
    previous = _previous_releases(con)
    wanted, problems = [], []
    for item in parsed:
        same_kind = previous[previous["kind"] == item.kind]
        if len(same_kind) and same_kind["sha256"].iloc[-1] == item.sha256:
            report.unchanged.append(item.file_name)
            continue
        held = _year(same_kind["latest_time_period"].iloc[-1]) if len(same_kind) else None
        if not allow_older and held is not None and (_year(item.latest) or 0) < held:
            problems.append(
                f"{item.file_name}: its latest year is {item.latest}, older than the {KIND_WORDS[item.kind]} "
                f"already imported ({same_kind['file_name'].iloc[-1]}, latest {same_kind['latest_time_period'].iloc[-1]}). "
                "Nothing was changed; to replace the newer release anyway, add --allow-older.")
            continue
        wanted.append(item)
    if problems:
        raise LoadRefused(problems)
    return wanted


def import_files(paths: list[Path], db_path: Path, *, allow_older: bool = False,
                 now: datetime | None = None, wait_seconds: float | None = None) -> ImportReport:
    """Import DfE files into db_path's dfe_* tables. Raises LoadRefused (database untouched) on bad input,
    NotAWorkforceDatabase for a --db that is not ours, AnotherLoadRunning if a writer holds it too long."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise LoadRefused([f"{db_path}: no workforce database there. Load the HR extracts first "
                           f"(python -m pipelines ingest FOLDER --db {db_path}), then import the DfE files."])
    check_workforce_db(db_path)  # before reading the files: a wrong --db is said at once
    parsed, problems = [], []
    for path in paths:
        try:
            parsed.append(parse_file(Path(path)))
        except LoadRefused as refused:
            problems += refused.problems
    kinds = [p.kind for p in parsed]
    problems += [f"Two {KIND_WORDS[k]} files were given; import one release at a time."
                 for k in sorted(set(kinds)) if kinds.count(k) > 1]
    if problems:
        raise LoadRefused(problems)
    with writer_lock(db_path, wait_seconds):
        check_workforce_db(db_path)  # again under the lock: another writer may have replaced it meanwhile
        return _import_locked(parsed, db_path, allow_older, now)


def _import_locked(parsed: list[ParsedFile], db_path: Path, allow_older: bool, now: datetime | None) -> ImportReport:
    report = ImportReport(str(db_path))
    with edited_copy(db_path, "benchmarks") as copy:
        report.imported = _plan(copy.con, parsed, allow_older, report)
        if report.imported:
            _store(copy.con, report.imported, now or datetime.now().replace(microsecond=0))
            copy.changed = True
    return report


# Carried from the database being replaced: DfE's figures, and whose data it is (pipelines/authority.py).
# The census returns too (pipelines/census): they are loaded apart from the HR extracts.
CARRIED = (*TABLES, "authority_identity", *CENSUS_TABLES)


def copy_benchmark_tables(old_db_path: Path, con) -> list[str]:
    """Carry the dfe_* tables from the database being replaced into the one being built (con), so a
    reload of the HR extracts keeps the imported DfE figures. Returns the tables copied."""
    old = Path(old_db_path)
    if not old.exists():
        return []
    try:
        con.execute("attach $path as benchmark_source (read_only)", {"path": str(old)})
    except duckdb.Error:
        return []  # an unreadable old file: there is nothing to carry over
    try:
        present = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'benchmark_source' "
            "and table_name in (select unnest($tables::varchar[]))", {"tables": list(CARRIED)}).fetchall()]
        for table in present:
            con.execute(f"drop table if exists main.{table}")
            con.execute(f"create table main.{table} as select * from benchmark_source.main.{table}")
        return present
    finally:
        con.execute("detach benchmark_source")
