"""The data's "as of" date (cx/asof.py): recency, the active / lapsed status, running periods and default ends
are measured from the end of the data, never from today. The orders are from 2007–2008: any use of today's
date (2026 or later) would give recencies of thousands of days and call everyone lapsed."""

import datetime as dt
import json

import pandas as pd
import pytest

from cx.asof import as_of_date, data_as_of, workspace_as_of
from cx.cohorts import find_cohorts, find_retention
from cx.commands.cohorts import cohorts_doc
from cx.commands.kpis import kpis_doc
from cx.commands.personas import personas_doc
from cx.journey import journey_periods
from cx.models import Filters
from cx.personas import customer_features, customer_status
from tests.test_cohorts import orders

# (customer, order time, amount): the last order of the data is A's, on 12 March 2008 at 10:00
ORDERS_2008 = [
    ("A", "2008-01-10 09:00", 40),
    ("A", "2008-03-12 10:00", 60),
    ("B", "2007-11-01 15:30", 25),
    ("C", "2007-06-15 11:00", 80),
]


def test_an_empty_workspace_has_no_as_of_date(ws):
    assert workspace_as_of(ws) is None
    with ws.cursor() as cur:
        assert data_as_of(cur) is None and as_of_date(cur) is None


def test_the_as_of_date_is_the_latest_record_of_any_dated_table(ws):
    orders(ws, ORDERS_2008)
    with ws.cursor() as cur:
        assert data_as_of(cur) == dt.datetime(2008, 3, 12, 10, 0)
        # a later web event, then a later survey answer, then a later ticket each move it
        cur.execute(
            "insert into events (import_id, event_time, visitor_id, event_name) "
            "values (2, '2008-03-15 08:00', 'v1', 'page_view')"
        )
        assert as_of_date(cur) == dt.date(2008, 3, 15)
        cur.execute("insert into responses (import_id, responded_at, nps) values (3, '2008-03-20 12:00', 9)")
        assert as_of_date(cur) == dt.date(2008, 3, 20)
        cur.execute(
            "insert into tickets (import_id, ticket_id, channel, created_at) "
            "values (4, 'T1', 'email', '2008-04-02 17:45')"
        )
        assert data_as_of(cur) == dt.datetime(2008, 4, 2, 17, 45)
        # a sign-up date is not activity: it does not move the as-of date
        cur.execute("insert into customers (import_id, customer_id, signup_date) values (5, 'Z', '2009-01-01')")
        assert as_of_date(cur) == dt.date(2008, 4, 2)


def test_recency_and_status_are_measured_from_the_last_order_of_the_data(ws):
    orders(ws, ORDERS_2008)
    f = customer_features(ws).set_index("customer_id")
    # worked by hand, from 12 March 2008 (2008 is a leap year: February has 29 days):
    # A: last order that very day → 0 days;
    # B: 1 Nov 2007 → 1 Dec (30) + Dec 31 + Jan 31 + Feb 29 + 11 days of March = 132 days;
    # C: 15 Jun 2007 → 15 Feb 2008 is 8 months = 30+31+31+30+31+30+31+31 = 245 days, + 26 to 12 March = 271.
    assert f["recency_days"].to_dict() == {"A": 0, "B": 132, "C": 271}
    # active: last order less than 180 days before the as-of date (the customer base rule of cx.cohorts)
    assert f["status"].to_dict() == {"A": "active", "B": "active", "C": "lapsed"}
    # from today's date every recency would exceed 6,000 days and everyone would be lapsed
    today_recency = (dt.date.today() - dt.date(2008, 3, 12)).days
    assert today_recency > 6000 and f.loc["A", "recency_days"] != today_recency


def test_a_later_ticket_moves_the_as_of_date_and_the_status(ws):
    orders(ws, ORDERS_2008)
    with ws.cursor() as cur:
        cur.execute(
            "insert into tickets (import_id, ticket_id, channel, created_at) "
            "values (4, 'T1', 'email', '2008-05-01 09:00')"
        )
    f = customer_features(ws).set_index("customer_id")
    # from 1 May 2008: A 12 Mar → 19 (to 31 Mar) + 30 (April) + 1 = 50; B 132 + 50 = 182 → lapsed (≥ 180)
    assert f.loc["A", "recency_days"] == 50 and f.loc["B", "recency_days"] == 182
    assert f["status"].to_dict() == {"A": "active", "B": "lapsed", "C": "lapsed"}


@pytest.mark.parametrize(
    "days, status", [(None, "no_purchase"), (0, "active"), (179, "active"), (180, "lapsed"), (6000, "lapsed")]
)
def test_status_edges(days, status):
    assert customer_status(pd.Series([days], dtype="Int64")).tolist() == [status]


def test_running_periods_and_default_ends_stop_at_the_as_of_date(ws):
    orders(ws, ORDERS_2008)
    # the KPIs' default period ends on the as-of day, not today
    periods = journey_periods(ws)
    assert (periods.start, periods.end) == (dt.date(2007, 6, 15), dt.date(2008, 3, 12))
    # cohorts by first purchase: March 2008 is still running on 12 March 2008 (it would be over today)
    m = find_cohorts(ws, None, by_first="purchase").set_index(["cohort", "period"])
    assert not m.loc[(dt.date(2007, 6, 1), 9), "complete"]  # June 2007 + 9 = March 2008: running
    assert m.loc[(dt.date(2007, 6, 1), 8), "complete"]  # February 2008: over
    assert m.index.get_level_values("period").max() == 9  # no period after March 2008
    # the retention period runs from the first purchase to the as-of day: 15 Jun 2007 – 12 Mar 2008
    r = find_retention(ws, None)
    assert (r.period_start, r.period_end, r.period_days) == (dt.date(2007, 6, 15), dt.date(2008, 3, 12), 272)
    # active at the end: a purchase on or after 15 Sep 2007 (180 days before 13 March): A and B, not C
    assert r.at_end == 2


def test_the_json_of_kpis_cohorts_and_personas_says_as_of_when(ws):
    orders(ws, ORDERS_2008)
    assert kpis_doc(ws, Filters())["as_of"] == "2008-03-12"
    assert cohorts_doc(ws, Filters(), by_first="purchase")["as_of"] == "2008-03-12"
    doc = personas_doc(ws)
    assert doc["as_of"] == "2008-03-12"
    json.dumps(doc)
