"""Service client / Support: tickets per channel, first-reply and resolution times against what customers expect
(CX_REFERENCE §3: chat < 2 min, phone 5–10 min, social 30–60 min, e-mail 24 h), resolution rate, complaints
by category × severity × recurrence, ticket CSAT. SQL in `cx/sql/support_*.sql`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .models import Filters
from .workspace import Workspace, sql_file

RECURRENCE_DAYS = 90


@dataclass(frozen=True)
class Expectation:
    """How fast customers expect a first reply on a channel; `pattern` recognises the channel's names in an
    export (a regular expression on the lower-cased channel)."""

    channel: str
    pattern: str
    min_minutes: float
    max_minutes: float
    label: str


# The one table of expected first-reply times (CX_REFERENCE §3, seed 003); first matching pattern wins.
EXPECTED_RESPONSE: tuple[Expectation, ...] = (
    Expectation("chat", r"chat|tchat|live|widget", 0, 2, "< 2 min"),
    Expectation("phone", r"phone|^t[eé]l|appel|call|voice|voix|hotline", 5, 10, "5–10 min"),
    Expectation(
        "social",
        r"social|facebook|twitter|instagram|linkedin|tiktok|whatsapp|messenger|r[eé]seau|^x$",
        30,
        60,
        "30–60 min",
    ),
    Expectation("email", r"mail|courriel|formulaire|form", 0, 24 * 60, "24 h"),
)


def expectation_params() -> dict:
    """EXPECTED_RESPONSE as bind values for the SQL (`$exp_channel`, `$exp_pattern`, `$exp_min_minutes`,
    `$exp_max_minutes`, `$exp_label`)."""
    return {
        "exp_channel": [e.channel for e in EXPECTED_RESPONSE],
        "exp_pattern": [e.pattern for e in EXPECTED_RESPONSE],
        "exp_min_minutes": [float(e.min_minutes) for e in EXPECTED_RESPONSE],
        "exp_max_minutes": [float(e.max_minutes) for e in EXPECTED_RESPONSE],
        "exp_label": [e.label for e in EXPECTED_RESPONSE],
    }


def _query(name: str) -> str:
    return sql_file(f"support_{name}.sql")


def _params(filters: Filters | None, recurrence_days: int) -> dict:
    return {**(filters or Filters()).params(), **expectation_params(), "recurrence_days": int(recurrence_days)}


def list_tickets(ws: Workspace, filters: Filters | None = None, recurrence_days: int = RECURRENCE_DAYS) -> pd.DataFrame:
    """The tickets kept by the filters, with their times.

    Returns
    -------
    DataFrame: ticket_key, ticket_id, channel, channel_group, created_at, customer_id, category, severity,
    is_complaint, csat, text, first_response_minutes, resolution_hours, resolved, expected_min_minutes,
    expected_max_minutes, expected_label, within_expected (None when unanswered or no expectation), recurrent.
    """
    with ws.cursor() as cur:
        return cur.execute(sql_file("support_tickets.sql"), _params(filters, recurrence_days)).df()


def support_by_channel(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """Tickets per channel against the expected first-reply time.

    Returns
    -------
    DataFrame, one row per channel group, most tickets first: channel_group, expected_label,
    expected_min_minutes, expected_max_minutes, tickets, answered, first_response_median_minutes,
    first_response_p90_minutes, within_expected_share (0–1, of answered tickets), resolution_rate (0–1),
    resolution_median_hours, resolution_p90_hours, complaints, csat_n, csat (top-2-box, 0–100), csat_mean (1–5),
    slower_than_expected (median first reply above the expected maximum).
    """
    with ws.cursor() as cur:
        df = cur.execute(_query("channels"), _params(filters, RECURRENCE_DAYS)).df()
    df["slower_than_expected"] = (df["first_response_median_minutes"] > df["expected_max_minutes"]).fillna(False)
    return df.sort_values(["tickets", "channel_group"], ascending=[False, True]).reset_index(drop=True)


def complaint_breakdown(
    ws: Workspace, filters: Filters | None = None, recurrence_days: int = RECURRENCE_DAYS
) -> pd.DataFrame:
    """Complaints by category × severity × recurrence (an earlier complaint of the same customer in the same
    category within `recurrence_days`).

    Returns
    -------
    DataFrame: category, severity, recurrent (bool), complaints, share (of all complaints, 0–1),
    rated_complaints (those in the months both the tickets and the orders cover), per_100_orders (rated
    complaints per 100 orders of those months, None without any), orders (of those months); most complaints first.
    """
    with ws.cursor() as cur:
        df = cur.execute(_query("complaints"), _params(filters, recurrence_days)).df()
    return df.sort_values(["complaints", "category"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class SupportSummary:
    tickets: int
    resolution_rate: float | None  # 0–1
    complaints: int
    complaint_rate: float | None  # complaints per 100 orders, over the months both tickets and orders cover
    complaint_rate_reason: str | None  # why complaint_rate is None: "no_orders", "no_overlap", "above_orders"
    recurrent_share: float | None  # share of complaints that are recurrences, 0–1
    csat: float | None  # ticket CSAT, top-2-box, 0–100
    csat_n: int
    slow_channels: tuple[str, ...]  # channels whose median first reply is slower than expected


def summarise_support(ws: Workspace, filters: Filters | None = None) -> SupportSummary:
    """Headline support figures for the filtered period."""
    channels = support_by_channel(ws, filters)
    complaints = complaint_breakdown(ws, filters)
    tickets = int(channels["tickets"].sum())
    n_complaints = int(complaints["complaints"].sum())
    csat_n = int(channels["csat_n"].sum())
    orders = int(complaints["orders"].iloc[0]) if len(complaints) else 0
    rated = int(complaints["rated_complaints"].sum()) if len(complaints) else 0
    any_orders = bool(len(complaints)) and int(complaints["orders_any_month"].iloc[0]) > 0
    rate, reason = _complaint_rate(n_complaints, rated, orders, any_orders)
    return SupportSummary(
        tickets=tickets,
        resolution_rate=float((channels["resolution_rate"] * channels["tickets"]).sum() / tickets) if tickets else None,
        complaints=n_complaints,
        complaint_rate=rate,
        complaint_rate_reason=reason,
        recurrent_share=float(complaints.loc[complaints["recurrent"], "complaints"].sum() / n_complaints)
        if n_complaints
        else None,
        csat=float((channels["csat"].fillna(0) * channels["csat_n"]).sum() / csat_n) if csat_n else None,
        csat_n=csat_n,
        slow_channels=tuple(channels.loc[channels["slower_than_expected"], "channel_group"]),
    )


def _complaint_rate(complaints: int, rated: int, orders: int, any_orders: bool) -> tuple[float | None, str | None]:
    """Complaints per 100 orders over the months both exports cover (CX_REFERENCE §2), or None and why: no
    complaint or no order at all, orders from other months than the tickets, or more complaints than orders
    (the orders export does not hold all the orders the tickets are about)."""
    if not complaints:
        return None, None
    if not orders:
        return None, ("no_overlap" if any_orders else "no_orders")
    if rated > orders:
        return None, "above_orders"
    return 100 * rated / orders, None
