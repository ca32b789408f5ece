"""The data's "as of" date: the end of the loaded data, never today's date.

One definition (the SQL macro `cx_as_of()` in `cx/sql/macros.sql`): the latest timestamp across the dated
tables — orders.order_time, events.event_time, responses.responded_at, tickets.created_at. Recency, the
active / lapsed status of a customer, churn, periods still running and the default end of a period are
measured from it, so an export from 2008 is read as of its last day in 2008, not as seventeen years of
silence. Customers' sign-up dates are not activity and do not move it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .workspace import Workspace


def data_as_of(cur) -> dt.datetime | None:
    """The latest order, web event, survey answer or ticket (a naive timestamp), None in an empty workspace."""
    value = cur.execute("select cx_as_of()").fetchall()[0][0]
    return None if value is None else pd.Timestamp(value).to_pydatetime()


def as_of_date(cur) -> dt.date | None:
    """The calendar day of `data_as_of` (the last day with data), None in an empty workspace."""
    value = data_as_of(cur)
    return None if value is None else value.date()


def workspace_as_of(ws: Workspace) -> dt.date | None:
    """`as_of_date` of a workspace, on its own cursor (for pages and commands)."""
    with ws.cursor() as cur:
        return as_of_date(cur)
