"""Worker records of a census return: pandera checks on each cell, then the record rules that need the
return's year, and the conversion of the records that pass to typed columns.

A record with any problem is held back whole (quarantined) with its file, position, field and reason.
Reasons never quote a SWE number; the personal items are never read, so they cannot be quoted."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pandera.pandas as pa

from pipelines.census import (
    ABSENCE_REASONS,
    CFKSS_STATUSES,
    LEAVER_DESTINATIONS,
    LEAVING_REASONS,
    ORG_ROLES,
    QUAL_LEVELS,
    START_ORIGINS,
    WORKER_FIELDS,
    YES_NO,
)
from pipelines.census.xml_reader import LINE, POSITION, CensusFile
from pipelines.parsing import EARLIEST_DATE, LATEST_DATE, parse_date

# Social Work England numbers: two letters and digits (the 2022 schema says ten digits; older
# numbers are shorter, so one to ten are accepted).
SWE_NUMBER = re.compile(r"^[A-Za-z]{2}\d{1,10}$")
CODES = {"OrgRole": ORG_ROLES, "StartOrigin": START_ORIGINS, "LeaverDestination": LEAVER_DESTINATIONS,
         "ReasonLeave": LEAVING_REASONS, "QualLevel": QUAL_LEVELS, "AgencyWorker": YES_NO,
         "StepUpGrad": YES_NO, "FrontlineGrad": YES_NO, "Absat30Sept": YES_NO}
LISTS = {"ReasonAbsence": ABSENCE_REASONS, "CFKSSstatus": CFKSS_STATUSES}  # repeatable: ';'-joined codes
FRACTIONS = ("FTE", "FTE30")
DATES = ("RoleStartDate", "RoleEndDate")
WORKING_DAYS_IN_A_YEAR = 366


@dataclass
class Problem:
    file: str
    position: int
    line: int
    field: str
    reason: str


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _fraction(text: str) -> bool:
    value = _number(text)
    return text == "" or (value is not None and 0 <= value <= 1)


def _not_negative(text: str, high: float = float("inf")) -> bool:
    value = _number(text)
    return text == "" or (value is not None and 0 <= value <= high)


def _whole(text: str) -> bool:
    # ASCII digits only: str.isdigit also takes "²", which int() then refuses
    return text == "" or (text.isascii() and text.isdigit() and int(text) < 2**31)


def _date(text: str) -> bool:
    if text == "":
        return True
    day = parse_date(text)
    return day is not None and EARLIEST_DATE <= day.isoformat() <= LATEST_DATE


def _element(check, name: str) -> pa.Check:
    return pa.Check(lambda text: check(str(text)), element_wise=True, name=name)


def _schema() -> pa.DataFrameSchema:
    columns = {name: pa.Column(str, nullable=False) for name in WORKER_FIELDS}
    columns["AgencyWorker"] = pa.Column(str, [_element(lambda t: t in YES_NO, "agency_yes_no")])
    columns["SWENo"] = pa.Column(str, [_element(lambda t: bool(SWE_NUMBER.match(t)), "swe_number")])
    for name in FRACTIONS:
        columns[name] = pa.Column(str, [_element(_fraction, "fraction")])
    for name in DATES:
        columns[name] = pa.Column(str, [_element(_date, "date")])
    for name, codes in CODES.items():
        if name != "AgencyWorker":
            columns[name] = pa.Column(str, [_element(lambda t, c=codes: t == "" or t in c, "code")])
    for name, codes in LISTS.items():
        columns[name] = pa.Column(str, [_element(
            lambda t, c=codes: t == "" or all(part in c for part in t.upper().split(";")), "codes")])
    columns["Cases30"] = pa.Column(str, [_element(_whole, "whole")])
    columns["WorkingDaysLost"] = pa.Column(str, [_element(lambda t: _not_negative(t, WORKING_DAYS_IN_A_YEAR),
                                                          "days")])
    columns["ContractWeeks"] = pa.Column(str, [_element(_not_negative, "not_negative")])
    return pa.DataFrameSchema(columns, strict=False)


SCHEMA = _schema()


def _allowed(name: str) -> str:
    codes = CODES.get(name) or LISTS.get(name) or {}
    return ", ".join(f"{code} ({label})" for code, label in codes.items())


def explain(check: str, name: str, value: str) -> str:
    """The reason, in words a census officer can act on; a SWE number is never repeated."""
    shown = f"'{value[:40]}'"
    if check == "agency_yes_no":
        return f"AgencyWorker {shown if value else 'is missing; it'} must be 0 (not agency) or 1 (agency)"
    if check == "swe_number":
        if value == "":
            return "SWENo is missing; every worker record needs the Social Work England number"
        return ("SWENo is not a Social Work England number (two letters then up to ten digits); "
                "the value is not shown here")
    if check == "fraction":
        return f"{name} {shown} is not a full-time equivalent from 0 to 1"
    if check == "date":
        return f"{name} {shown} is not a date from {EARLIEST_DATE} to {LATEST_DATE}: use YYYY-MM-DD"
    if check in ("code", "codes"):
        return f"{name} {shown} is not one of the codes allowed: {_allowed(name)}"
    if check == "whole":
        return f"{name} {shown} is not a whole number of cases, 0 or more"
    if check == "days":
        return f"{name} {shown} is not a number of days from 0 to {WORKING_DAYS_IN_A_YEAR}"
    return f"{name} {shown} is not a number, 0 or more"


def cell_problems(census: CensusFile, frame: pd.DataFrame) -> list[Problem]:
    try:
        SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    problems = {}
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        row = frame.loc[int(case.index)]
        reason = explain(str(case.check), str(case.column), str(case.failure_case))
        problems.setdefault((int(case.index), str(case.column)), Problem(
            census.file_name, int(row[POSITION]), int(row[LINE]), str(case.column), reason))
    return list(problems.values())


def year_start(reference: date) -> date:
    """The first day of the year a return covers: the day after the previous 30 September."""
    return reference.replace(year=reference.year - 1) + timedelta(days=1)


def _effective_fte(row, leaver: bool) -> float | None:
    """In post: FTE30, else FTE. Leavers: FTE, else FTE30 (returns differ on where they put it)."""
    first, second = ("FTE", "FTE30") if leaver else ("FTE30", "FTE")
    for name in (first, second):
        value = _number(row[name]) if row[name] else None
        if value:
            return value
    return None


def record_problems(census: CensusFile, frame: pd.DataFrame) -> list[Problem]:
    """Rules across a record's fields and against the return's year (records whose cells all passed)."""
    reference, start = census.reference_date, year_start(census.reference_date)
    problems = [Problem(census.file_name, position, line, name,
                        f"{name} appears {times} times in this worker record; the schema allows it once")
                for position, line, name, times in census.repeats]
    for row in frame.to_dict("records"):
        begun, ended = parse_date(row["RoleStartDate"]), parse_date(row["RoleEndDate"])

        def problem(name: str, reason: str, row=row) -> None:
            problems.append(Problem(census.file_name, int(row[POSITION]), int(row[LINE]), name, reason))

        if begun and begun > reference:
            problem("RoleStartDate", f"RoleStartDate {begun} is after the return's reference date {reference}: "
                                     "a worker who starts later belongs in next year's return")
        # A leaving date after the reference date is not "inside the year": DfE's definition counts that
        # worker in post, and so do we (docs/CENSUS.md).
        if ended and ended < start:
            problem("RoleEndDate", f"RoleEndDate {ended} is before this return's year ({start} to {reference}): "
                                   "a worker who left earlier does not belong in this return")
        if begun and ended and ended < begun:
            problem("RoleEndDate", f"RoleEndDate {ended} is before RoleStartDate {begun}")
        leaver = ended is not None and ended <= reference
        agency = row["AgencyWorker"] == "1"
        if not (agency and leaver) and _effective_fte(row, leaver) is None:
            which = "FTE (or FTE30)" if leaver else "FTE30 (or FTE)"
            problem(which.split()[0], f"no full-time equivalent above 0: a {'leaver' if leaver else 'worker in post'} "
                                      f"needs {which}, so this record cannot count in FTE figures")
    return problems


def typed_workers(frame: pd.DataFrame, year: int, pseudonym) -> pd.DataFrame:
    """Records that passed, as the census_workers table's columns (SWENo -> keyed pseudonym)."""
    def numbers(name):
        return frame[name].map(lambda t: _number(t) if t else None).astype("Float64")

    def dates(name):
        return frame[name].map(lambda t: parse_date(t) if t else None)

    def codes(name):
        return frame[name].map(lambda t: t.upper() if t else None).astype("object")

    return pd.DataFrame({
        "year": year,
        "worker_position": frame[POSITION].astype(int),
        "swe_key": frame["SWENo"].map(lambda t: pseudonym(t.upper())),
        "agency": frame["AgencyWorker"] == "1",
        "fte": numbers("FTE"), "fte30": numbers("FTE30"),
        "qual_level": codes("QualLevel"), "step_up_grad": codes("StepUpGrad"), "org_role": codes("OrgRole"),
        "role_start_date": dates("RoleStartDate"), "start_origin": codes("StartOrigin"),
        "role_end_date": dates("RoleEndDate"), "leaver_destination": codes("LeaverDestination"),
        "reason_leave": codes("ReasonLeave"),
        "cases30": frame["Cases30"].map(lambda t: int(t) if t else None).astype("Int64"),
        "working_days_lost": numbers("WorkingDaysLost"), "contract_weeks": numbers("ContractWeeks"),
        "frontline_grad": codes("FrontlineGrad"),
        "absent_30_sept": frame["Absat30Sept"].map(lambda t: {"1": True, "0": False}.get(t)).astype("boolean"),
        "reason_absence": codes("ReasonAbsence"), "cfkss_status": codes("CFKSSstatus"),
    })


def check_workers(census: CensusFile, pseudonym) -> tuple[pd.DataFrame, list[Problem]]:
    """(typed records that passed, problems). A record with any problem is held back whole."""
    frame = pd.DataFrame(census.workers, columns=[POSITION, LINE, *WORKER_FIELDS]).astype("str")
    problems = cell_problems(census, frame)
    bad = {p.position for p in problems}
    problems += record_problems(census, frame[~frame[POSITION].astype(int).isin(bad)])
    bad = {p.position for p in problems}
    good = frame[~frame[POSITION].astype(int).isin(bad)].reset_index(drop=True)
    problems.sort(key=lambda p: (p.position, p.field))
    return typed_workers(good, census.year, pseudonym), problems
