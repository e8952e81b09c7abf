"""One pandera DataFrameModel per extract kind, over the text cells as read.

The checks parse each cell with the same parsers that later convert it, so a row that passes
validation always converts, and lazy validation lists every bad cell in one report.
"""

import pandas as pd
import pandera.extensions as extensions
import pandera.pandas as pa
from pandera.typing import Series

from pipelines import parsing
from pipelines.contract import ARRANGEMENTS, JOB_TYPES, KEY_DATE_CATEGORIES, LEAVING_REASONS, TIERS, UNIT_LEVELS


@extensions.register_check_method(statistics=[])
def present(values: pd.Series) -> pd.Series:
    return values != ""


@extensions.register_check_method(statistics=["open_end"])
def date_or_empty(values: pd.Series, *, open_end) -> pd.Series:
    """A date from 1900 to 2100 (or an open-end sentinel where open_end), or empty."""
    return parsing.dates_ok(values, open_end)


@extensions.register_check_method(statistics=[])
def boolean(values: pd.Series) -> pd.Series:
    return parsing.booleans(values).notna()


@extensions.register_check_method(statistics=[])
def boolean_or_empty(values: pd.Series) -> pd.Series:
    return (values == "") | parsing.booleans(values).notna()


@extensions.register_check_method(statistics=["low", "high"])
def number_or_empty(values: pd.Series, *, low, high) -> pd.Series:
    """Empty, or a number above low and at most high (an optional rate or hours)."""
    return (values == "") | parsing.numbers_ok(values, low, high)


@extensions.register_check_method(statistics=["low", "high"])
def whole_number_or_empty(values: pd.Series, *, low, high) -> pd.Series:
    return (values == "") | parsing.whole_numbers_ok(values, low, high)


@extensions.register_check_method(statistics=["allowed"])
def one_of_or_empty(values: pd.Series, *, allowed) -> pd.Series:
    return (values == "") | parsing.enums(values).isin(allowed)


@extensions.register_check_method(statistics=["low", "high"])
def number_above_up_to(values: pd.Series, *, low, high) -> pd.Series:
    """In range, and not so small that the 8 decimal places stored would make it 0."""
    return parsing.numbers_ok(values, low, high)


@extensions.register_check_method(statistics=["low", "high"])
def whole_number_from_to(values: pd.Series, *, low, high) -> pd.Series:
    """A whole number the database can store: 3000000000 or 1e30 would fail the load, not the row."""
    return parsing.whole_numbers_ok(values, low, high)


def _text(optional: bool = False, **checks):
    return pa.Field(nullable=False, **({} if optional else {"present": ()}), **checks)


def _date(optional: bool = False, open_end: bool = False):
    return _text(optional, date_or_empty={"open_end": open_end})


def _enum(values, optional: bool = False):
    return _text(optional, one_of_or_empty={"allowed": list(values)})


def _not_before(frame: pd.DataFrame, start: str, end: str) -> pd.Series:
    starts, ends = parsing.iso_dates(frame[start]), parsing.iso_dates(frame[end])
    comparable = starts.notna() & ends.notna() & (starts != "") & ~parsing.is_open_end(ends.fillna(""))
    # A date out of range has its own, clearer reason; 'ends before it starts' would only confuse.
    comparable &= parsing.iso_in_range(starts.fillna("")) & parsing.iso_in_range(ends.fillna(""))
    return ~comparable | (ends >= starts)


class Extract(pa.DataFrameModel):
    class Config:
        strict = False  # columns outside the contract were already set aside by the column plan


class ValidityInterval(Extract):
    valid_from: Series[str] = _date()
    valid_to: Series[str] = _date(optional=True, open_end=True)

    @pa.dataframe_check
    def valid_to_not_before_valid_from(cls, frame: pd.DataFrame) -> pd.Series:
        return _not_before(frame, "valid_from", "valid_to")


class OrgUnits(ValidityInterval):
    unit_id: Series[str] = _text()
    unit_name: Series[str] = _text()
    parent_unit_id: Series[str] = _text(optional=True)
    unit_level: Series[str] = _enum(UNIT_LEVELS)


class Posts(ValidityInterval):
    post_id: Series[str] = _text()
    post_title: Series[str] = _text()
    unit_id: Series[str] = _text()
    grade: Series[str] = _text()
    tier: Series[str] = _enum(TIERS)
    social_work_post: Series[str] = _text(boolean=())
    budgeted_fte: Series[str] = _text(number_above_up_to={"low": 0, "high": 5})


class Assignments(Extract):
    assignment_id: Series[str] = _text()
    person_id: Series[str] = _text()
    post_id: Series[str] = _text()
    arrangement: Series[str] = _enum(ARRANGEMENTS)
    fte: Series[str] = _text(number_above_up_to={"low": 0, "high": 1})
    start_date: Series[str] = _date()
    end_date: Series[str] = _date(optional=True, open_end=True)
    leaving_reason: Series[str] = _enum(LEAVING_REASONS, optional=True)

    @pa.dataframe_check
    def end_date_not_before_start_date(cls, frame: pd.DataFrame) -> pd.Series:
        return _not_before(frame, "start_date", "end_date")


class Caseloads(Extract):
    snapshot_date: Series[str] = _date()
    person_id: Series[str] = _text()
    open_cases: Series[str] = _text(whole_number_from_to={"low": 0, "high": parsing.LARGEST_WHOLE_NUMBER})


class KeyDates(Extract):
    date: Series[str] = _date()
    label: Series[str] = _text()
    category: Series[str] = _enum(KEY_DATE_CATEGORIES, optional=True)


# Hourly rates above this are taken for a mistyped day rate or annual salary, not an hourly rate.
HIGHEST_HOURLY_RATE = 500
HIGHEST_WEEKLY_HOURS = 80


class AgencyEngagements(ValidityInterval):
    engagement_id: Series[str] = _text()
    assignment_id: Series[str] = _text()
    job_type: Series[str] = _enum(JOB_TYPES)
    charge_rate_hourly: Series[str] = _text(number_above_up_to={"low": 0, "high": HIGHEST_HOURLY_RATE})
    pay_rate_hourly: Series[str] = _text(optional=True, number_or_empty={"low": 0, "high": HIGHEST_HOURLY_RATE})
    hours_per_week: Series[str] = _text(optional=True, number_or_empty={"low": 0, "high": HIGHEST_WEEKLY_HOURS})
    qualified_date: Series[str] = _date(optional=True)
    previous_permanent_end: Series[str] = _date(optional=True)
    previous_permanent_region: Series[str] = _text(optional=True)
    reference_received: Series[str] = _text(optional=True, boolean_or_empty=())
    notice_weeks: Series[str] = _text(optional=True, whole_number_or_empty={"low": 0, "high": 104})
    project_team: Series[str] = _text(optional=True, boolean_or_empty=())
    cap_exception_approved: Series[str] = _text(optional=True, boolean_or_empty=())


SCHEMAS: dict[str, type[Extract]] = {
    "org_units": OrgUnits,
    "posts": Posts,
    "assignments": Assignments,
    "caseloads": Caseloads,
    "key_dates": KeyDates,
    "agency_engagements": AgencyEngagements,
}
