"""Vendor column mappings (TOML): which vendor column feeds each contract column, which vendor
codes mean which contract values, and which file names belong to which kind.

Without a mapping, a column matches a contract column by name, ignoring letter case, spaces
and dashes ('Unit ID' -> unit_id).
"""

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.contract import KINDS, is_personal_column, normalise_column_name
from pipelines.errors import LoadRefused


@dataclass
class Mapping:
    vendor: str = "contract columns"
    file_prefixes: dict[str, list[str]] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> canonical -> vendor
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # kind -> col -> code -> value
    source: Path | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, column) -> line in the file

    def prefixes(self, kind: str) -> list[str]:
        return [p.lower() for p in self.file_prefixes.get(kind, [])] + [kind]

    def kind_of(self, file_name: str) -> str | None:
        lowered = file_name.lower()
        for kind in KINDS:
            if any(lowered.startswith(prefix) for prefix in self.prefixes(kind)):
                return kind
        return None


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LoadRefused([f"{path.name}: the column-mapping file could not be read ({exc})."]) from None
    mapping = Mapping(vendor=str(doc.get("vendor", {}).get("name", path.stem)), source=path)
    mapping.lines = column_lines(text)
    problems = []
    for kind, prefixes in doc.get("files", {}).items():
        if kind not in KINDS:
            problems.append(f"{path.name}: [files] names '{kind}', which is not a kind of extract.")
            continue
        mapping.file_prefixes[kind] = [prefixes] if isinstance(prefixes, str) else list(prefixes)
    for kind, columns in doc.get("columns", {}).items():
        if kind not in KINDS:
            problems.append(f"{path.name}: [columns.{kind}] is not a kind of extract.")
            continue
        unknown = sorted(set(columns) - set(KINDS[kind].columns))
        if unknown:
            problems.append(f"{path.name}: [columns.{kind}] maps unknown column(s) {', '.join(unknown)}.")
        mapping.columns[kind] = {k: str(v) for k, v in columns.items()}
    for kind, by_column in doc.get("values", {}).items():
        if kind not in KINDS:
            problems.append(f"{path.name}: [values.{kind}] is not a kind of extract.")
            continue
        mapping.values[kind] = {
            column: {str(code).strip().lower(): str(value) for code, value in codes.items()}
            for column, codes in by_column.items()
        }
    if problems:
        raise LoadRefused(problems)
    return mapping


@dataclass
class ColumnPlan:
    rename: dict[str, str]  # source header -> contract column
    personal: list[str]  # dropped as personal data
    ignored: list[str]  # dropped because not in the contract or the mapping
    missing: list[str]  # required contract columns not found


def plan_columns(kind: str, header: list[str], mapping: Mapping, optional: set[str]) -> ColumnPlan:
    wanted = KINDS[kind].columns
    vendor_names = mapping.columns.get(kind, {})
    by_normal = {normalise_column_name(h): h for h in header}
    rename = {}
    for column in wanted:
        source = vendor_names.get(column, column)
        found = by_normal.get(normalise_column_name(source))
        if found is not None:
            rename[found] = column
    rest = [h for h in header if h not in rename]
    return ColumnPlan(
        rename=rename,
        personal=[h for h in rest if is_personal_column(h)],
        ignored=[h for h in rest if not is_personal_column(h)],
        missing=[c for c in wanted if c not in rename.values() and c not in optional],
    )


_SECTION = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_]+)["']?\s*=""")


def column_lines(text: str) -> dict[tuple[str, str], int]:
    """(kind, column) -> the line of `column = "..."` under [columns.kind], so a message can point a
    user to the line to fix (tomllib keeps no positions). Dotted or inline forms have no line."""
    lines, section = {}, ""
    for number, line in enumerate(text.splitlines(), start=1):
        if heading := _SECTION.match(line):
            section = heading.group(1).replace(" ", "").replace('"', "")
        elif section.startswith("columns.") and (key := _KEY.match(line)):
            lines.setdefault((section.removeprefix("columns."), key.group(1)), number)
    return lines


def unmatched_columns(mapping: Mapping, kind: str, headers: list[list[str]]) -> list[str]:
    """One problem per heading the mapping names for `kind` that no file of the kind has (headers: one
    list per file read, files whose first row is data left out). A mapped name that matches nothing
    is a typo or an export that changed: the column would be missing, or silently empty if optional."""
    if mapping.source is None or not headers:
        return []
    present = {normalise_column_name(h): h for header in headers for h in header if h}
    by_lower = {h.lower(): h for h in present.values()}
    problems = []
    for column, source in mapping.columns.get(kind, {}).items():
        if normalise_column_name(source) in present:
            continue
        line = mapping.lines.get((kind, column))
        where = f"{mapping.source.name} line {line}" if line else f"{mapping.source.name} [columns.{kind}] {column}"
        close = difflib.get_close_matches(source.lower(), list(by_lower), n=3, cutoff=0.6)
        names = ", ".join(repr(by_lower[c]) for c in close)
        hint = (f"the closest headings are {names}" if len(close) > 1 else f"the closest heading is {names}"
                if close else "no heading in those files is close to it")
        problems.append(f"{where}: column '{source}' is in no {kind} file; {hint}. "
                        "Correct the heading on the right-hand side of that line.")
    return problems
