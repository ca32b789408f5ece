"""Web sessions: when the export has a session id the session is (visitor_id, session_id) — GA4's ga_session_id
is unique per visitor only; otherwise a new session starts after more than `gap_minutes` (30) of inactivity;
exactly 30 minutes still continues the session. SQL: `journey_session_keys.sql` (the fragment friction and
personas include), `journey_session_events.sql`, `journey_sessions.sql`."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import CxError
from ..models import Filters
from ..workspace import Workspace, sql_file
from .query import run_query
from .roles import role_params


def session_params(filters: Filters | None = None, gap_minutes: float = 30, split: dt.date | None = None) -> dict:
    """Everything `sessions_sql()` and `session_events_sql()` may bind: the filters' values, `$gap_seconds`,
    `$split` and the role lists; pass them through `bind_params(sql, …)` (with your own values added)."""
    if gap_minutes <= 0:
        raise CxError("the session timeout must be a positive number of minutes", fix="use e.g. 30")
    return {**(filters or Filters()).params(), "gap_seconds": float(gap_minutes) * 60, "split": split, **role_params()}


def session_events_sql() -> str:
    """SQL of the filtered events (every column of `events` but import_id and properties) with `current` and
    `session_no`: (visitor_id, current, session_id, session_no) identifies the session (session_no numbers the
    inactivity sessions of a visitor and is null when the export gave a session id). Bind
    `session_params(filters)`. For queries that need event-level detail per session."""
    return sql_file("journey_session_events.sql")


def sessions_sql() -> str:
    """SQL of one row per session (the columns of `find_sessions`); bind `session_params(filters)`."""
    return sql_file("journey_sessions.sql")


def find_sessions(ws: Workspace, filters: Filters | None = None, gap_minutes: float = 30) -> pd.DataFrame:
    """Sessions of the web events kept by the filters (date range, device, channel).

    The session is (visitor_id, session_id) when the export has a session id, else a new one starts after
    more than `gap_minutes` of inactivity (exactly `gap_minutes` continues it). Sessions are cut at the
    period's edges.

    Returns
    -------
    DataFrame, one row per session, by visitor then start: visitor_id, session_id (the export's id, or
    '~n' for the visitor's n-th inactivity session), session_start, session_end, duration_s, events,
    page_views (page_view-like events, `EVENT_ROLES`), pages (distinct pages), bounced (at most one page
    view), device and channel (of the first event that has one), customer_id, entry_page, exit_page
    (first and last page seen), revenue (sum).
    """
    with ws.cursor() as cur:
        df = run_query(ws, "journey_sessions.sql", session_params(filters, gap_minutes), cur)
    return df.drop(columns="current").sort_values(["visitor_id", "session_start"], ignore_index=True)
