"""Dates are days: tables, CSV and Excel files show 2022-10-31, never 2022-10-31 00:00:00."""

import io
from datetime import date, datetime

import openpyxl
import pandas as pd

from reporting import exports

STAMP = exports.Stamp(title="t", filters="f", source="s", definition="d")


def _table():
    return pd.DataFrame({"Month end": pd.to_datetime(["2022-10-31", "2022-11-30"]),
                         "From": [pd.Timestamp("2021-04-01"), None],
                         "Interim ratio (%)": [20.0, 25.0]})


def test_midnight_timestamps_become_plain_dates_and_other_columns_are_untouched():
    shown = exports.dates_without_times(_table())
    assert shown["Month end"].tolist() == [date(2022, 10, 31), date(2022, 11, 30)]
    assert shown["From"].tolist()[0] == date(2021, 4, 1)
    assert shown["Interim ratio (%)"].tolist() == [20.0, 25.0]


def test_a_real_time_of_day_is_kept():
    table = pd.DataFrame({"Loaded at": pd.to_datetime(["2024-05-01 14:30:00"])})
    assert exports.dates_without_times(table)["Loaded at"].iloc[0] == pd.Timestamp("2024-05-01 14:30:00")


def test_the_csv_writes_days_without_times():
    text = exports.csv_bytes(_table()).decode("utf-8")
    assert "2022-10-31,2021-04-01,20.0" in text
    assert "00:00:00" not in text


def test_the_excel_file_holds_real_dates_shown_as_days():
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(_table(), STAMP)))
    cell = book["Data"]["A2"]
    assert cell.value == datetime(2022, 10, 31)
    assert cell.number_format == "YYYY-MM-DD"
