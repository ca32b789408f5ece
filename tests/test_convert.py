"""Oracle tests for the value parsers: each input with the value worked out by hand."""

import datetime as dt

import duckdb
import pytest

from cx.ingest import convert


def evaluate(expr_builder, text):
    con = duckdb.connect()
    return con.execute(f"select {expr_builder('$v')}", {"v": text}).fetchone()[0]


@pytest.mark.parametrize(
    "text, decimal, expected",
    [
        ("12.5", ".", 12.5),
        ("1,234.56", ".", 1234.56),
        ("12,5", ",", 12.5),
        ("1 234,56 €", ",", 1234.56),
        ("1\u00a0234,56\u00a0€", ",", 1234.56),
        ("1\u202f234,56", ",", 1234.56),
        ("1.234,56", ",", 1234.56),
        ("$1,299.00", ".", 1299.0),
        ("1'234.50", ".", 1234.5),
        ("(12.50)", ".", -12.5),
        ("-3", ".", -3.0),
        ("EUR 10", ".", 10.0),
        ("abc", ".", None),
        ("N/A", ",", None),
    ],
)
def test_number_parsing(text, decimal, expected):
    assert evaluate(lambda v: convert.number_sql(v, decimal), text) == expected


@pytest.mark.parametrize(
    "text, order, expected",
    [
        ("2025-12-31", "dmy", dt.datetime(2025, 12, 31)),
        ("2025-12-31 23:59:58", "dmy", dt.datetime(2025, 12, 31, 23, 59, 58)),
        ("2025-12-31T08:00:00Z", "dmy", dt.datetime(2025, 12, 31, 9)),  # UTC → Paris (winter, +1)
        ("2025-07-01T08:00:00+00:00", "dmy", dt.datetime(2025, 7, 1, 10)),  # UTC → Paris (summer, +2)
        ("2025-07-01 08:00:00-05:00", "dmy", dt.datetime(2025, 7, 1, 15)),  # 13:00 UTC → 15:00 Paris
        ("31/12/2025", "dmy", dt.datetime(2025, 12, 31)),
        ("01/02/2025", "dmy", dt.datetime(2025, 2, 1)),
        ("01/02/2025", "mdy", dt.datetime(2025, 1, 2)),
        ("12/31/2025 10:30", "mdy", dt.datetime(2025, 12, 31, 10, 30)),
        ("31/12/2025 14:05:09", "dmy", dt.datetime(2025, 12, 31, 14, 5, 9)),
        ("31.12.2025", "dmy", dt.datetime(2025, 12, 31)),
        ("20251231", "dmy", dt.datetime(2025, 12, 31)),
        # epochs are instants (2025-01-01 00:00 UTC), stored as Paris wall-clock time (+1 h in winter)
        ("1735689600", "dmy", dt.datetime(2025, 1, 1, 1)),  # Unix seconds
        ("1735689600000", "dmy", dt.datetime(2025, 1, 1, 1)),  # milliseconds
        ("1735689600123456", "dmy", dt.datetime(2025, 1, 1, 1, 0, 0, 123456)),  # GA4 microseconds
        ("demain", "dmy", None),
        ("31/02/2025", "dmy", None),
    ],
)
def test_timestamp_parsing(text, order, expected):
    assert evaluate(lambda v: convert.timestamp_sql(v, order), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Oui", True),
        ("non", False),
        ("YES", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("vrai", True),
        ("faux", False),
        ("peut-être", None),
    ],
)
def test_bool_parsing(text, expected):
    assert evaluate(convert.bool_sql, text) == expected


@pytest.mark.parametrize(
    "values, expected",
    [
        (["12,50", "3", "1 234,56 €"], ","),
        (["12.50", "3", "1,234.56"], "."),
        (["1,234", "2,500"], "."),  # thousands only: a comma followed by 3 digits is not a decimal mark
        (["0,5", "1,25"], ","),
    ],
)
def test_decimal_mark(values, expected):
    assert convert._decimal_mark(values) == expected


@pytest.mark.parametrize(
    "values, expected",
    [
        (["31/12/2025", "01/02/2025"], "dmy"),
        (["12/31/2025", "01/02/2025"], "mdy"),
        (["01/02/2025"], "dmy"),  # ambiguous: French default, day first
    ],
)
def test_date_order(values, expected):
    assert convert._date_order(values) == expected


@pytest.mark.parametrize(
    "header, values, expected",
    [("Satisfaction (1-5)", ["4"], 5), ("Effort (1–7)", ["2"], 7), ("CSAT", ["1", "7"], 7), ("CSAT", ["1", "4"], 5)],
)
def test_survey_scale(header, values, expected):
    assert convert._scale(header, values, 5) == expected
