"""The period a journey view shows and the previous one of equal length it is compared with."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..models import Filters
from ..workspace import Workspace
from .query import run_query


@dataclass(frozen=True)
class Periods:
    """The period shown and the previous one of equal length just before it (e.g. 1–30 Sept vs 2–31 Aug)."""

    start: dt.date | None
    end: dt.date | None
    previous_start: dt.date | None
    previous_end: dt.date | None
    data_start: dt.date | None = None  # the first day with data, any source (None: not known)

    @property
    def has_previous(self) -> bool:
        """Whether any data reaches before the period: else there is nothing to compare with (say it once)."""
        return self.start is not None and self.data_start is not None and self.data_start < self.start


def compare_periods(start: dt.date, end: dt.date) -> Periods:
    """`start`..`end` (inclusive) and the previous period of the same number of days."""
    days = (end - start).days + 1
    return Periods(start, end, start - dt.timedelta(days=days), start - dt.timedelta(days=1))


def journey_periods(ws: Workspace, filters: Filters | None = None) -> Periods:
    """The filters' period (an open start closed by the first day with data, an open end by the data's as-of
    day, `cx.asof`) and the previous one."""
    with ws.cursor() as cur:
        return resolve_periods(ws, cur, filters or Filters())[0]


def resolve_periods(ws: Workspace, cur, filters: Filters) -> tuple[Periods, pd.DataFrame]:
    """(the periods of `journey_periods`, the span of each source: journey_span.sql's source, first, last, the
    optional-column counts and as_of)."""
    span = run_query(ws, "journey_span.sql", {}, cur)  # with the as-of day: one statement (a lake pays per one)
    first = span["first"].dropna().min()
    start = filters.start or first
    end = filters.end or (span["as_of"].iloc[0] if len(span) else None)  # the data's as-of day (cx.asof), never today
    if pd.isna(start) or pd.isna(end):
        return Periods(None, None, None, None), span
    periods = compare_periods(pd.Timestamp(start).date(), pd.Timestamp(end).date())
    return dataclasses.replace(periods, data_start=None if pd.isna(first) else pd.Timestamp(first).date()), span
