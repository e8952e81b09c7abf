"""Data quality page view-model: what the latest load read, kept and held back, the warnings about
what it kept, and the history of loads. About the whole load, so no unit or tier filter applies."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import pandas as pd

from reporting.source import DataSource

KIND_LABELS = {"org_units": "Organisation units", "posts": "Posts", "assignments": "Assignments",
               "caseloads": "Caseloads", "key_dates": "Key dates",
               "agency_engagements": "Agency engagements"}
WHY_LABELS = {"personal data": "Personal data: never stored",
              "not in the data contract": "Not in the data contract: not needed, not stored"}
ALL_KINDS = ""
SHORT_HASH = 12


def kind_label(kind: str) -> str:
    return "All kinds" if kind == ALL_KINDS else KIND_LABELS.get(kind, kind)


def _day(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


def folder_name(source: str) -> str:
    """The folder's own name: the full path says nothing useful and may name a person's home folder."""
    return PurePath(str(source).replace("\\", "/")).name or str(source)


@dataclass
class LatestLoad:
    loaded_at: datetime
    folder: str
    mapping: str
    files: int
    rows_loaded: int
    rows_held_back: int
    warnings: int

    @property
    def when(self) -> str:
        return f"{self.loaded_at:%d %b %Y at %H:%M}"

    @property
    def description(self) -> str:
        mapping = ("the data contract's own column names (no mapping file)" if self.mapping == "contract columns"
                   else f"the column mapping for {self.mapping}")
        return f"Loaded on **{self.when}** from the folder **{self.folder}**, using {mapping}."

    @property
    def verdict(self) -> tuple[str, str]:
        """('success' | 'warning', words) answering 'can these figures be trusted?' for this load."""
        loaded = f"{self.rows_loaded:,} rows loaded from {self.files} file(s) on {self.when}."
        if not self.rows_held_back and not self.warnings:
            return "success", f"{loaded} No rows were held back and there are no warnings."
        parts = []
        if self.rows_held_back:
            parts.append(f"{self.rows_held_back:,} row(s) were held back and count nowhere in the figures")
        if self.warnings:
            parts.append(f"{self.warnings:,} warning(s) point to loaded data worth checking")
        return "warning", f"{loaded} {'; '.join(parts).capitalize()}. Details below."


def latest_load(src: DataSource) -> LatestLoad | None:
    load = src.view("load_latest")
    if load.empty:
        return None
    row = load.iloc[0]
    warnings = int(warning_counts(src)["Warnings"].sum())
    return LatestLoad(pd.Timestamp(row["loaded_at"]).to_pydatetime(), folder_name(row["source_folder"]),
                      str(row["mapping"]), len(src.view("load_files")), int(row["rows_loaded"]),
                      int(row["rows_quarantined"]), warnings)


def kind_counts(src: DataSource) -> pd.DataFrame:
    """Rows read, loaded and held back per kind; repeats are rows read more than once (e.g. yearly
    files that overlap) that load once."""
    counts = src.view("load_kind_counts")
    return pd.DataFrame({
        "Kind": counts["kind"].map(kind_label),
        "Rows read": counts["rows_read"].astype(int),
        "Rows loaded": counts["rows_loaded"].astype(int),
        "Rows held back": counts["rows_quarantined"].astype(int),
        # read = loaded + held back + (rows that repeat a row already kept, or that a later file replaced)
        "Repeated or replaced": (counts["rows_read"] - counts["rows_loaded"] - counts["rows_quarantined"]).astype(int),
    })


def files_table(src: DataSource, full_hash: bool = False) -> pd.DataFrame:
    """One row per file; the short SHA-256 for the screen, the full one in the download for checking."""
    files = src.view("load_files")
    table = pd.DataFrame({
        "Kind": files["kind"].map(kind_label),
        "File": files["file_name"],
        "Format and encoding": files["file_format"],
        "Rows": files["row_count"].astype(int),
        f"SHA-256 (first {SHORT_HASH})": files["sha256"].str[:SHORT_HASH],
    })
    if full_hash:
        table["SHA-256"] = files["sha256"]
    return table


def coverage_dates(src: DataSource) -> dict[str, str]:
    coverage = src.coverage()
    return {
        "First assignment starts": _day(coverage.get("coverage_start")),
        "Latest data date": _day(coverage.get("data_end")),
        "First caseload snapshot": _day(coverage.get("first_snapshot")),
        "Latest caseload snapshot": _day(coverage.get("latest_snapshot")),
    }


def held_back_kinds(src: DataSource) -> list[str]:
    """The filter's choices: every kind, then each kind with a row held back."""
    counts = src.view("load_kind_counts")
    return [ALL_KINDS] + counts.loc[counts["rows_quarantined"] > 0, "kind"].tolist()


def held_back(src: DataSource, kind: str = ALL_KINDS) -> pd.DataFrame:
    rows = src.view("quarantine", kind=kind or None)
    return pd.DataFrame({
        "Kind": rows["kind"].map(kind_label),
        "File": rows["file_name"],
        "Row": rows["row_number"].astype(int),
        "Column": rows["column_name"],
        "Reason": rows["reason"],
    })


def _row_list(rows: list[int], most: int = 8) -> str:
    rows = sorted(rows)
    shown = ", ".join(map(str, rows[:most]))
    return shown + (f" and {len(rows) - most:,} more" if len(rows) > most else "")


def held_back_by_reason(src: DataSource, kind: str = ALL_KINDS) -> pd.DataFrame:
    """One line per file, column and reason, with how many rows and which: short enough to read in full
    (reasons are long sentences, which a scrolling grid would cut off)."""
    rows = held_back(src, kind)
    if rows.empty:
        return pd.DataFrame(columns=["File", "Column", "Reason", "Rows held back", "Row numbers"])
    grouped = rows.groupby(["File", "Column", "Reason"], sort=False)["Row"].agg(list).reset_index()
    grouped["Rows held back"] = grouped["Row"].map(len)
    grouped["Row numbers"] = grouped["Row"].map(_row_list)
    grouped = grouped.sort_values(["Rows held back", "File"], ascending=[False, True], kind="stable")
    return grouped[["File", "Column", "Reason", "Rows held back", "Row numbers"]].reset_index(drop=True)


def dropped_columns(src: DataSource) -> pd.DataFrame:
    dropped = src.view("dropped_columns")
    return pd.DataFrame({
        "Column": dropped["column_name"],
        "Why not stored": dropped["why"].map(lambda w: WHY_LABELS.get(w, w)),
        "Files": dropped["files"].astype(int),
        "File names": dropped["file_names"],
    })


def warning_counts(src: DataSource) -> pd.DataFrame:
    counts = src.view("data_quality_warning_counts")
    return pd.DataFrame({
        "Kind": counts["kind"].map(kind_label),
        "Warnings": counts["warnings"].astype(int),
        "First date": counts["first_day"].map(_day),
        "Last date": counts["last_day"].map(_day),
    })


def warning_kinds(src: DataSource) -> list[str]:
    return [ALL_KINDS] + src.view("data_quality_warning_counts")["kind"].tolist()


def warnings(src: DataSource, kind: str = ALL_KINDS) -> pd.DataFrame:
    rows = src.view("data_quality_warnings", kind=kind or None)
    return pd.DataFrame({
        "Kind": rows["kind"].map(kind_label),
        "About": rows["subject"].map(lambda s: "—" if s is None or pd.isna(s) else s),
        "Date": rows["day"].map(lambda d: None if d is None or pd.isna(d) else pd.Timestamp(d).date()),
        "Message": rows["message"],
    })


def load_history(src: DataSource) -> pd.DataFrame:
    loads = src.view("load_history")
    return pd.DataFrame({
        "Load": loads["load_id"].astype(int),
        "Loaded at": loads["loaded_at"].map(lambda t: f"{pd.Timestamp(t):%d %b %Y %H:%M}"),
        "Folder": loads["source_folder"].map(folder_name),
        "Column mapping": loads["mapping"],
        "Files": loads["files"].astype(int),
        "Rows loaded": loads["rows_loaded"].astype(int),
        "Rows held back": loads["rows_quarantined"].astype(int),
        "Data from": loads["coverage_start"].map(_day),
        "Data to": loads["latest_date"].map(_day),
        "By kind": loads["by_kind"],
    })


def coverage_note(src: DataSource) -> str:
    coverage = src.coverage()
    start = coverage.get("coverage_start")
    if start is None or pd.isna(start):
        return ""
    return (f"Vacancies that began on or before {_day(start)} began before the data did: they are counted as "
            "'began before the data' rather than given a length.")
