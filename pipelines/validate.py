"""Row rules (pandera, per file) and the conversion of the rows that pass to normalised text."""

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import pandera.pandas as pa

from pipelines import parsing
from pipelines.contract import KINDS
from pipelines.readers import ROW
from pipelines.schemas import SCHEMAS

DATE_COLUMNS = {"valid_from", "valid_to", "start_date", "end_date", "snapshot_date", "date", "qualified_date",
                "previous_permanent_end"}
OPEN_END_COLUMNS = {"valid_to", "end_date"}
NUMBER_COLUMNS = {"budgeted_fte", "fte", "charge_rate_hourly", "pay_rate_hourly", "hours_per_week"}
INTEGER_COLUMNS = {"open_cases", "notice_weeks"}
BOOLEAN_COLUMNS = {"social_work_post", "reference_received", "project_team", "cap_exception_approved"}
ENUM_COLUMNS = {"unit_level", "tier", "arrangement", "leaving_reason", "category", "job_type"}
END_START = {"valid_to": "valid_from", "end_date": "start_date"}
# Facts about one agency worker (their pay, when they qualified, where they last worked): a reason
# says what is wrong with the cell without repeating it.
UNQUOTED_COLUMNS = {"pay_rate_hourly", "qualified_date", "previous_permanent_end", "previous_permanent_region"}


@dataclass
class Problem:
    """One quarantined row: where it came from, which cell and why."""

    kind: str
    file: str
    row: int
    column: str
    reason: str


def _allowed_text(check: str) -> str:
    inside = check[check.find("[") + 1 : check.rfind("]")]
    return inside.replace("'", "")


def _statistics(check: str) -> dict[str, str]:
    """'name(low=0, high=5)' -> {'low': '0', 'high': '5'}."""
    inside = check[check.find("(") + 1 : check.rfind(")")]
    return dict(part.split("=", 1) for part in inside.split(", ") if "=" in part)


def explain(check: str, column: str, value, frame_row: pd.Series | None) -> tuple[str, str]:
    """(column, reason) in words a non-programmer can act on."""
    name = check.split("(")[0]
    shown = "the value" if column in UNQUOTED_COLUMNS else f"'{value}'"
    number = parsing.parse_decimal(str(value))
    if name == "present":
        return column, f"{column} is empty, but it is required"
    if name == "date_or_empty" and parsing.parse_date(str(value)) is not None:
        open_end = " (for no end date, leave it empty or use 4712-12-31 or 9999-12-31)"
        return column, (f"{column} {shown} is outside the dates accepted, {parsing.EARLIEST_DATE} to "
                        f"{parsing.LATEST_DATE}" + (open_end if column in OPEN_END_COLUMNS else ""))
    if name == "date_or_empty":
        return column, f"{shown} is not a date: use YYYY-MM-DD or DD/MM/YYYY (month-first US dates are not accepted)"
    if name in ("boolean", "boolean_or_empty"):
        return column, f"{shown} is not a yes/no value: use true/false, yes/no, y/n or 1/0"
    if name == "one_of_or_empty":
        return column, f"{shown} is not one of the allowed values: {_allowed_text(check)}"
    if name == "number_or_empty":
        low, high = _statistics(check)["low"], _statistics(check)["high"]
        return column, f"{shown} is not a number greater than {low} and at most {high} (or leave it empty)"
    if name == "whole_number_or_empty":
        low, high = _statistics(check)["low"], _statistics(check)["high"]
        return column, f"{shown} is not a whole number from {low} to {high} (or leave it empty)"
    if name == "number_above_up_to":
        low, high = _statistics(check)["low"], _statistics(check)["high"]
        if number is not None and Decimal(low) < number <= Decimal(high):
            return column, (f"{column} {shown} rounds to 0 at the 8 decimal places stored: it must be at least "
                            f"{parsing.FTE_PLACES:f}")
        return column, f"{shown} is not a number greater than {low} and at most {high}"
    if name == "whole_number_from_to":
        low, high = _statistics(check)["low"], _statistics(check)["high"]
        if number is not None and number == number.to_integral_value() and number > Decimal(high):
            return column, f"{column} {shown} is out of range: it must be a whole number from {low} to {high}"
        return column, f"{shown} is not a whole number of at least {low}"
    for end, start in END_START.items():
        if name == f"{end}_not_before_{start}" and frame_row is not None:
            return end, f"{end} {frame_row[end]} is before {start} {frame_row[start]}"
    return column, f"{shown} fails the check {check}"


def row_problems(kind: str, file_name: str, frame: pd.DataFrame) -> list[Problem]:
    """Every bad cell of one file, via lazy pandera validation."""
    try:
        SCHEMAS[kind].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    problems: dict[tuple[int, str], Problem] = {}
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        index = int(case.index)
        source = frame.loc[index]
        column, reason = explain(str(case.check), str(case.column), case.failure_case, source)
        problems.setdefault((index, column), Problem(kind, file_name, int(source[ROW]), column, reason))
    return list(problems.values())


def normalise(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that passed validation, as clean text: ISO dates (None for open ends), 'true'/'false',
    plain decimals, contract enum spellings; None for empty optional cells."""
    out = pd.DataFrame(index=frame.index)
    for column in KINDS[kind].columns:
        values = frame[column] if column in frame else pd.Series("", index=frame.index, dtype="str")
        if column in DATE_COLUMNS:
            values = parsing.iso_dates(values)
            if column in OPEN_END_COLUMNS:
                values = values.where(~parsing.is_open_end(values), None)
        elif column in NUMBER_COLUMNS:
            values = parsing.decimal_text(values)
        elif column in INTEGER_COLUMNS:
            values = parsing.integer_text(values)
        elif column in BOOLEAN_COLUMNS:
            values = parsing.booleans(values)
        elif column in ENUM_COLUMNS:
            values = parsing.enums(values)
        out[column] = values.astype("object").where(values.notna() & (values != ""), None)
    out[ROW] = frame[ROW]
    return out
