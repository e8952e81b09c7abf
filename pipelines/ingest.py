"""`ingest`: read a folder of HR extracts, validate, quarantine bad rows, load a new database atomically."""

import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow

from pipelines import date_order, privacy, rules, validate
from pipelines.contract import AGENCY, KINDS, OPTIONAL_COLUMNS
from pipelines.database import check_writable_target
from pipelines.errors import LoadRefused
from pipelines.mapping import Mapping, load_mapping, plan_columns, unmatched_columns
from pipelines.pseudonym import key_path as resolve_key_path
from pipelines.pseudonym import load_or_create_key, pseudonymiser
from pipelines.readers import ROW, read_file
from pipelines.report import FileRecord, KindCounts, LoadReport
from pipelines.sqlfiles import models_fingerprint
from pipelines.store import latest_fingerprint, raw_columns, write_database
from pipelines.writelock import writer_lock

FILE = rules.FILE
MAPPING_FILE_NAME = "mapping.toml"


def discover(source_dir: Path, mapping: Mapping) -> tuple[dict[str, list[Path]], list[str]]:
    by_kind: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    ignored = []
    for path in sorted(source_dir.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        kind = mapping.kind_of(path.name)
        if kind is None:
            if path.name != MAPPING_FILE_NAME:
                ignored.append(path.name)
            continue
        by_kind[kind].append(path)
    return by_kind, ignored


def _prepare(raw, mapping: Mapping, report: LoadReport, problems: list[str]) -> pd.DataFrame | None:
    """Rename a file's columns to the contract's, drop the rest, map vendor codes; None if unusable."""
    kind, name = raw.kind, raw.path.name
    header = [c for c in raw.frame.columns if c != ROW]
    plan = plan_columns(kind, header, mapping, OPTIONAL_COLUMNS[kind])
    report.dropped_personal_columns += [{"file": name, "column": c} for c in plan.personal]
    report.ignored_columns += [{"file": name, "column": c} for c in plan.ignored]
    if plan.missing:
        expected = ", ".join(KINDS[kind].columns)
        where = "" if raw.header_row == 1 else f"the headings seem to be on row {raw.header_row}{_of_sheet(raw)}, but "
        problems.append(
            f"{name}: {where}required column(s) {', '.join(plan.missing)} not found. A file of kind {kind} needs the columns "
            f"{expected} (optional: {', '.join(sorted(OPTIONAL_COLUMNS[kind])) or 'none'}); "
            + ("its first row holds data, not column names: add a header row."
               if privacy.looks_like_data(header) else f"it has {', '.join(header) or 'no columns'}.")
            + ("" if mapping.source else " If your HR system names them differently, use a mapping file.")
        )
        return None
    if raw.frame.empty:
        problems.append(f"{name}: has a header row but no data rows; a file of kind {kind} needs at least one row.")
        return None
    frame = raw.frame[list(plan.rename) + [ROW]].rename(columns=plan.rename)
    for column in KINDS[kind].columns:
        if column not in frame:
            frame[column] = ""
        codes = mapping.values.get(kind, {}).get(column)
        if codes:
            frame[column] = frame[column].map(lambda v, codes=codes: codes.get(v.lower(), v))
    frame[FILE] = name
    if raw.header_row > 1:
        report.notices.append(f"{name}: headings taken from row {raw.header_row}{_of_sheet(raw)}; "
                              "the rows above them were not read.")
    return frame


def _of_sheet(raw) -> str:
    return f" of sheet '{raw.sheet}'" if raw.sheet else ""


def _read_all(by_kind, mapping, report) -> dict[str, list[pd.DataFrame]]:
    problems = []
    missing = [k.name for k in KINDS.values() if k.required and not by_kind[k.name]]
    for kind in missing:
        prefixes = " or ".join(f"'{p}'" for p in mapping.prefixes(kind))
        problems.append(f"No {kind} file found: a file whose name starts with {prefixes} (.csv, .txt, .tsv or .xlsx) is required.")
    frames: dict[str, list[pd.DataFrame]] = {kind: [] for kind in KINDS}
    for kind, paths in by_kind.items():
        headers = []  # each file's headings, for a mapping naming a heading no file has
        for path in paths:
            try:
                raw = read_file(path, kind, mapping.columns.get(kind))
            except LoadRefused as refused:
                problems += refused.problems
                continue
            with path.open("rb") as handle:  # in pieces: the file's bytes are not held twice
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            report.files.append(FileRecord(kind, path.name, raw.file_format, digest,
                                           len(raw.frame) + len(raw.short_rows), raw.header_row))
            header = [c for c in raw.frame.columns if c != ROW]
            if not privacy.looks_like_data(header):  # a first row of data may hold an employee number
                headers.append(header)
            frame = _prepare(raw, mapping, report, problems)
            if frame is not None:
                frame.attrs["short_rows"] = raw.short_rows
                frame.attrs["misshapen_rows"] = raw.misshapen_rows
                frames[kind].append(frame)
        problems += unmatched_columns(mapping, kind, headers)
    if problems:
        raise LoadRefused(problems)
    return frames


BATCH_ROWS = 100_000  # rows validated at a time: the row rules look at one row, so batches agree


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalised cells back to pandas' compact text columns (missing for None): a million rows of
    separate Python strings would take several times the memory."""
    return frame.astype({c: "str" for c in frame.columns if c != ROW})


def _validate_file(kind: str, frame: pd.DataFrame) -> tuple[list[pd.DataFrame], list[validate.Problem]]:
    name = frame[FILE].iloc[0]
    problems = [validate.Problem(kind, name, row, "(whole row)", reason)
                for row, reason in frame.attrs.get("short_rows", [])]
    clean = []
    misshapen = frame.attrs.get("misshapen_rows", {})
    for start in range(0, len(frame), BATCH_ROWS):
        batch = frame.iloc[start:start + BATCH_ROWS]
        # A misshapen row with any problem is held back whole, quoting none of its cells (pipelines/privacy.py).
        found = privacy.hold_back_misshapen(validate.row_problems(kind, name, batch), misshapen)
        problems += found
        good = batch[~batch[ROW].isin({p.row for p in found})]
        normalised = validate.normalise(kind, good)
        normalised[FILE] = name
        clean.append(_compact(normalised))
    return clean, problems


def _validate_kind(kind: str, frames: list[pd.DataFrame],
                   counts: dict | None = None) -> tuple[pd.DataFrame, list[validate.Problem]]:
    problems, clean = [], []
    for frame in frames:
        batches, found = _validate_file(kind, frame)
        problems += found
        clean.append(pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0])
    combined, found = rules.combine_files(kind, clean, counts)
    return combined, problems + found


def validate_all(frames: dict[str, list[pd.DataFrame]], counts: dict | None = None
                 ) -> tuple[dict[str, pd.DataFrame], list[validate.Problem]]:
    """counts, if given, receives per kind the rows repeated and replaced (rules.combine_files)."""
    tables, problems = {}, []
    for kind in KINDS:
        tables[kind], found = _validate_kind(kind, frames[kind], None if counts is None else counts.setdefault(kind, {}))
        problems += found
    steps = [
        ("org_units", lambda t: rules.drop_overlaps("org_units", t, "unit_id")),
        ("posts", lambda t: rules.drop_overlaps("posts", t, "post_id")),
        ("posts", lambda t: rules.drop_unknown_references(
            "posts", t, "unit_id", set(tables["org_units"]["unit_id"]), "org_units")),
        ("assignments", lambda t: rules.drop_unknown_references(
            "assignments", t, "post_id", set(tables["posts"]["post_id"]), "posts")),
        ("agency_engagements", lambda t: rules.drop_overlaps("agency_engagements", t, "engagement_id")),
        ("agency_engagements", lambda t: rules.drop_engagements_of_unknown_cover(t, tables["assignments"], AGENCY)),
    ]
    for kind, step in steps:
        tables[kind], found = step(tables[kind])
        problems += found
    return tables, problems


def _held_back_rows(frames: dict[str, list[pd.DataFrame]], problems: list[validate.Problem]) -> dict:
    """Per file, its quarantined rows as read: {row number: {column: text}} (one filter per file)."""
    rows_by_file: dict[str, set[int]] = {}
    for problem in problems:
        rows_by_file.setdefault(problem.file, set()).add(problem.row)
    held_back = {}
    for frame in (f for fs in frames.values() for f in fs):
        rows = rows_by_file.get(frame[FILE].iloc[0])
        if rows:
            picked = frame[frame[ROW].isin(rows)]
            columns = [c for c in picked.columns if c not in (ROW, FILE)]
            held_back[frame[FILE].iloc[0]] = {  # whole columns as lists: one cell at a time is slow
                row: dict(zip(columns, cells, strict=True))
                for row, *cells in zip(picked[ROW].tolist(), *(picked[c].tolist() for c in columns), strict=True)
            }
    return held_back


def _fingerprint(report: LoadReport, mapping: Mapping, key: bytes) -> str:
    digest = hashlib.sha256(models_fingerprint().encode())
    digest.update(hashlib.sha256(key).digest())
    if mapping.source:
        digest.update(mapping.source.read_bytes())
    for record in report.files:
        digest.update(f"{record.kind}/{record.file_name}/{record.sha256}".encode())
    return digest.hexdigest()


def ingest(source_dir: Path, db_path: Path, *, key_path: Path | None = None,
           mapping_path: Path | None = None, wait_seconds: float | None = None) -> LoadReport:
    """Load source_dir into db_path. Raises LoadRefused (database untouched) for unusable input, and a
    UsageError when db_path is not a workforce database or another load holds it beyond wait_seconds."""
    check_writable_target(Path(db_path))  # before waiting: a wrong --db is said at once
    with writer_lock(Path(db_path), wait_seconds):
        check_writable_target(Path(db_path))  # again under the lock: what is there now is what we replace
        return _ingest_locked(source_dir, db_path, key_path=key_path, mapping_path=mapping_path)


def _ingest_locked(source_dir: Path, db_path: Path, *, key_path: Path | None = None,
                   mapping_path: Path | None = None) -> LoadReport:
    source_dir, db_path = Path(source_dir), Path(db_path)
    report = LoadReport(status="loaded", source=str(source_dir), database=str(db_path))
    if not source_dir.is_dir():
        what = "is a file, not a folder" if source_dir.exists() else "no such folder"
        raise LoadRefused([f"{source_dir}: {what}. Give the folder that holds the extract files."])
    if mapping_path is None and (source_dir / MAPPING_FILE_NAME).exists():
        mapping_path = source_dir / MAPPING_FILE_NAME
    mapping = load_mapping(mapping_path)
    report.mapping = mapping.vendor
    by_kind, report.ignored_files = discover(source_dir, mapping)
    frames = _read_all(by_kind, mapping, report)
    key_file = resolve_key_path(key_path)
    new_key = not (key_file.exists() or key_file.is_symlink())
    key = load_or_create_key(key_file)
    if new_key:  # said on this load only: a lost key cuts future loads off from this one
        report.new_key_file = str(key_file.resolve())
    report.fingerprint = _fingerprint(report, mapping, key)
    if latest_fingerprint(db_path) == report.fingerprint:
        report.status = "unchanged"
        return report
    counts: dict[str, dict] = {}
    tables, problems = validate_all(frames, counts)
    # stored with the SQL models' own warnings; date-order ones are also told in the summary
    date_warnings = date_order.us_order_warnings(frames)
    report.warnings = privacy.case_only_warnings(tables) + date_warnings
    report.notices += [f"Warning: {w['message']}." for w in date_warnings]
    pseudonym = pseudonymiser(key)
    held_back = _held_back_rows(frames, problems)
    ids = privacy.person_ids([f for fs in frames.values() for f in fs])
    whole_rows = {(p.file, p.row) for p in problems if p.column == privacy.WHOLE_ROW}

    def cells(file_name: str, row: int) -> dict:
        if (file_name, row) in whole_rows:
            return {}  # read but out of shape: no cell can be trusted to be what its column says
        return dict(held_back.get(file_name, {}).get(row, {}))

    def quarantined_values(file_name: str, row: int) -> dict:
        values = cells(file_name, row)
        if "person_id" in values:
            values = privacy.hide_ids_in_values(values, ids)
            values["person_id"] = pseudonym(values["person_id"])
        return values

    for problem in problems:
        if problem.column != privacy.WHOLE_ROW and "person_id" in KINDS[problem.kind].columns:
            problem.reason = privacy.hide_ids_in_reason(problem.reason, cells(problem.file, problem.row), ids)
    report.add_problems(problems, quarantined_values)
    rows_read = {kind: sum(len(f) + len(f.attrs.get("short_rows", [])) for f in fs) for kind, fs in frames.items()}
    frames = held_back = None  # the raw text is no longer needed; the database build gets the memory
    pyarrow.default_memory_pool().release_unused()  # hand freed text buffers back before the build
    for kind, table in tables.items():
        if "person_id" in table:
            table["person_key"] = table["person_id"].map(pseudonym)
        quarantined_rows = {(q.file_name, q.row_number) for q in report.quarantined if q.kind == kind}
        report.kinds[kind] = KindCounts(kind, rows_read[kind], len(table), len(quarantined_rows),
                                        counts[kind].get("repeated", 0), counts[kind].get("replaced", 0))
        tables[kind] = table.reindex(columns=raw_columns(kind))
    report.loaded_at = datetime.now().isoformat(timespec="seconds")
    write_database(db_path, tables, report)
    return report
