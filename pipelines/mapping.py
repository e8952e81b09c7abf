"""Vendor column mappings (TOML): which vendor column feeds each contract column, which vendor
codes mean which contract values, and which file names belong to which kind.

Without a mapping, a column matches a contract column by name, ignoring letter case, spaces
and dashes ('Unit ID' -> unit_id).
"""

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
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LoadRefused([f"{path.name}: the column-mapping file could not be read ({exc})."]) from None
    mapping = Mapping(vendor=str(doc.get("vendor", {}).get("name", path.stem)), source=path)
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
