"""The load report: what was read, loaded, held back and dropped, for people and as JSON."""

import json
from dataclasses import asdict, dataclass, field

from pipelines.validate import Problem


@dataclass
class FileRecord:
    kind: str
    file_name: str
    file_format: str
    sha256: str
    rows: int
    header_row: int = 1  # the row the headings were found on (below a title block when above 1)


@dataclass
class KindCounts:
    kind: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    # rows read = loaded + repeated + replaced + quarantined (blank lines are not rows read)
    rows_repeated: int = 0  # identical to a row that is loaded (or held back): counted once
    rows_replaced: int = 0  # a later file has a different row with the same key, which stands


@dataclass
class QuarantinedRow:
    kind: str
    file_name: str
    row_number: int
    column: str
    reason: str
    values: dict  # the row's contract columns, person_id pseudonymised


@dataclass
class LoadReport:
    status: str  # 'loaded', 'unchanged' or 'refused'
    source: str
    database: str
    loaded_at: str = ""
    mapping: str = "contract columns"
    files: list[FileRecord] = field(default_factory=list)
    kinds: dict[str, KindCounts] = field(default_factory=dict)
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    dropped_personal_columns: list[dict] = field(default_factory=list)
    ignored_columns: list[dict] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    coverage: dict = field(default_factory=dict)
    fingerprint: str = ""
    notices: list[str] = field(default_factory=list)  # things a first load should know, in plain words
    new_key_file: str = ""  # set only on the load that made the pseudonym key

    def add_problems(self, problems: list[Problem], values_of) -> None:
        for problem in problems:
            self.quarantined.append(
                QuarantinedRow(problem.kind, problem.file, problem.row, problem.column, problem.reason,
                               values_of(problem.file, problem.row))
            )
        self.quarantined.sort(key=lambda q: (q.kind, q.file_name, q.row_number, q.column))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    def summary(self) -> str:
        if self.status == "refused":
            lines = ["The load was refused; the database was not changed. Please fix:"]
            return "\n".join(lines + [f"  - {p}" for p in self.problems])
        if self.status == "unchanged":
            return (f"Nothing to do: these extracts are identical to the last load into {self.database}; "
                    "the database was not changed.")
        lines = [f"Loaded {len(self.files)} file(s) from {self.source} into {self.database}."]
        lines.append("Rows read per kind = loaded + repeats (loaded once) + replaced by a later file + held back:")
        for counts in self.kinds.values():
            lines.append(f"  {counts.kind:<12} {counts.rows_read:>9,} read = {counts.rows_loaded:,} loaded"
                         f" + {counts.rows_repeated:,} repeats + {counts.rows_replaced:,} replaced"
                         f" + {counts.rows_quarantined:,} held back")
        lines += self.notices
        if self.coverage.get("coverage_start"):
            lines.append(f"Data covers {self.coverage['coverage_start']} to {self.coverage['latest_date']}.")
        if self.dropped_personal_columns:
            names = sorted({d["column"] for d in self.dropped_personal_columns})
            lines.append(f"Personal columns dropped, never stored: {', '.join(names)}.")
        if self.ignored_columns:
            names = sorted({d["column"] for d in self.ignored_columns})
            lines.append(f"Columns not in the data contract, not stored: {', '.join(names)}.")
        if self.ignored_files:
            lines.append(f"Files that are not an extract kind, ignored: {', '.join(self.ignored_files)}.")
        if self.quarantined:
            lines.append(f"{len(self.quarantined)} problem(s) held rows back; the first ones:")
            for row in self.quarantined[:10]:
                lines.append(f"  {row.file_name} row {row.row_number}, {row.column}: {row.reason}")
            lines.append("All of them are on the dashboard's Data quality page (and in --report FILE).")
        if self.warnings:
            lines.append(f"{len(self.warnings)} data-quality warning(s) (rows loaded, worth checking); "
                         "see the Data quality page.")
        if self.new_key_file:
            lines.append(f"A new pseudonym key was made at {self.new_key_file}. Back it up now and keep the copy "
                         "safe, apart from the database and its backups: without this key, future loads cannot "
                         "be linked to this one (everyone would look like a new person).")
        return "\n".join(lines)
