"""Service client / Support: tickets per channel, first-reply and resolution times against what customers expect
(CX_REFERENCE §3: chat < 2 min, phone 5–10 min, social 30–60 min, e-mail 24 h), resolution rate, complaints
by category × severity × recurrence, ticket CSAT. SQL in `cx/sql/support_*.sql`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .models import Filters
from .stats import MIN_SAMPLE
from .workspace import Workspace, bind_params, run_sql, sql_file

RECURRENCE_DAYS = 90
# the share of first replies on time is judged (a maturity criterion, a strength of the report) only when at least
# MIN_SAMPLE tickets and this share of all the tickets have a first-reply time: 3 of 48 tickets say nothing of the rest
MIN_TIMED_SHARE = 0.5


@dataclass(frozen=True)
class Expectation:
    """How fast customers expect a first reply on a channel; `pattern` recognises the channel's names in an
    export (a regular expression on the lower-cased channel). A reply of exactly `max_minutes` is within the
    expectation when `max_included` (a range, "5–10 min"), late when not ("< 2 min": the label and the comparison
    say the same)."""

    channel: str
    pattern: str
    min_minutes: float
    max_minutes: float
    label: str
    max_included: bool = True


# The one table of expected first-reply times (CX_REFERENCE §3, seed 003); first matching pattern wins.
EXPECTED_RESPONSE: tuple[Expectation, ...] = (
    Expectation("chat", r"chat|tchat|live|widget", 0, 2, "< 2 min", max_included=False),
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
    `$exp_max_minutes`, `$exp_label`, `$exp_max_included`)."""
    return {
        "exp_channel": [e.channel for e in EXPECTED_RESPONSE],
        "exp_pattern": [e.pattern for e in EXPECTED_RESPONSE],
        "exp_min_minutes": [float(e.min_minutes) for e in EXPECTED_RESPONSE],
        "exp_max_minutes": [float(e.max_minutes) for e in EXPECTED_RESPONSE],
        "exp_label": [e.label for e in EXPECTED_RESPONSE],
        "exp_max_included": [e.max_included for e in EXPECTED_RESPONSE],
    }


def _query(name: str) -> str:
    return sql_file(f"support_{name}.sql")


def _params(filters: Filters | None, recurrence_days: int) -> dict:
    return {
        **(filters or Filters()).params(),
        **expectation_params(),
        "recurrence_days": int(recurrence_days),
        "split": None,  # the complaint rate over the whole period (staging/complaint_rate.sql)
    }


def _run(cur, name: str, params: dict):
    sql = _query(name)
    return cur.execute(sql, bind_params(sql, params))


def list_tickets(ws: Workspace, filters: Filters | None = None, recurrence_days: int = RECURRENCE_DAYS) -> pd.DataFrame:
    """The tickets kept by the filters, with their times.

    Returns
    -------
    DataFrame: ticket_key, ticket_id, channel, channel_group, created_at, customer_id, category, severity,
    is_complaint, csat, text, first_response_minutes, resolution_hours, resolved, expected_min_minutes,
    expected_max_minutes, expected_max_included, expected_label, within_expected (None when unanswered or no
    expectation), recurrent. A channel no expectation recognises is its own group, spelt as the export does.
    """
    with ws.cursor() as cur:
        return _run(cur, "tickets", _params(filters, recurrence_days)).df()


def support_by_channel(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """Tickets per channel against the expected first-reply time.

    Returns
    -------
    DataFrame, one row per channel group, most tickets first: channel_group, expected_label (None: no expected
    time for that channel), expected_min_minutes, expected_max_minutes, expected_max_included, tickets, answered, first_response_median_minutes,
    first_response_p90_minutes, within_expected_share (0–1, of answered tickets), resolution_rate (0–1),
    resolution_median_hours, resolution_p90_hours, complaints, csat_n, csat (top-2-box, 0–100), csat_mean (1–5),
    slower_than_expected (median first reply above the expected maximum, or at it when the maximum is excluded).
    """
    with ws.cursor() as cur:
        df = _run(cur, "channels", _params(filters, RECURRENCE_DAYS)).df()
    median, limit = df["first_response_median_minutes"], df["expected_max_minutes"]
    at_limit = (median == limit) & df["expected_max_included"].eq(False)  # None: no expectation, never at it
    df["slower_than_expected"] = ((median > limit) | at_limit).fillna(False).astype(bool)
    return df.sort_values(["tickets", "channel_group"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class RepliesOnTime:
    """First replies within the expected time, and on what base: `timed` tickets have a first-reply time on a
    channel with an expected time, out of the `tickets` of the channels with an expected time."""

    share: float | None  # 0–1 of the timed tickets; None when none is timed
    timed: int
    tickets: int

    @property
    def enough(self) -> bool:
        """Whether the share speaks for the tickets: MIN_SAMPLE timed tickets at least, and MIN_TIMED_SHARE of all."""
        return self.timed >= MIN_SAMPLE and self.timed >= MIN_TIMED_SHARE * self.tickets


def replies_on_time(channels: pd.DataFrame) -> RepliesOnTime:
    """The share of first replies on time over the channels of `support_by_channel` that have an expected time,
    weighted by their timed tickets, with its base: the tickets of those channels (a Zendesk "Web" channel, of no
    expected time, is in neither: with it, 40 e-mails all answered of 100 tickets read "too few to judge")."""
    expected = channels[channels["expected_max_minutes"].notna()]
    timed = expected.dropna(subset=["within_expected_share"])
    n = int(timed["answered"].sum())
    share = float((timed["within_expected_share"] * timed["answered"]).sum() / n) if n else None
    return RepliesOnTime(share, n, int(expected["tickets"].sum()))


def complaint_breakdown(
    ws: Workspace, filters: Filters | None = None, recurrence_days: int = RECURRENCE_DAYS
) -> pd.DataFrame:
    """Complaints by category × severity × recurrence (an earlier complaint of the same customer in the same
    category within `recurrence_days`).

    Returns
    -------
    DataFrame: category, severity, recurrent (bool), complaints, share (of all complaints, 0–1),
    rated_complaints (those on the days both the tickets and the orders cover, `complaint_rate`), per_100_orders
    (rated complaints per 100 orders of those days; None when the complaint rate is), orders (of those days);
    most complaints first.
    """
    with ws.cursor() as cur:
        df = _run(cur, "complaints", _params(filters, recurrence_days)).df()
    return df.sort_values(["complaints", "category"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class ComplaintRate:
    """The complaint rate (CX_REFERENCE §2: complaints / orders × 100) of a period, as every page shows it
    (staging/complaint_rate.sql): `rate` (0–100) over the `rated_complaints` and `orders` of the days both the
    tickets and the orders cover (`first_day`…`last_day`), or None and `reason`: "no_tickets",
    "no_complaint_flag", "no_orders" (nothing loaded), "no_overlap" (no order on the days both cover),
    "above_orders" (more complaints than orders: the orders export does not hold those the tickets are about)."""

    rate: float | None
    reason: str | None
    complaints: int  # every complaint of the period
    rated_complaints: int
    orders: int
    first_day: object = None  # datetime.date, or None when the exports share no day
    last_day: object = None


def complaint_rate(ws: Workspace, filters: Filters | None = None) -> ComplaintRate:
    """The complaint rate of the filtered period (see `ComplaintRate`); `cx.journey` reads the same SQL."""
    params = {**(filters or Filters()).params(), "split": None}
    with ws.cursor() as cur:
        row = run_sql(cur, "support_complaint_rate.sql", params).fetchone()
    complaints, rated, orders, rate, reason, first_day, last_day = row
    return ComplaintRate(
        None if rate is None else float(rate), reason, int(complaints), int(rated), int(orders), first_day, last_day
    )


@dataclass(frozen=True)
class SupportSummary:
    tickets: int
    resolution_rate: float | None  # 0–1; None when no ticket says when it was resolved
    complaints: int
    complaint_rate: float | None  # complaints per 100 orders, over the days both tickets and orders cover
    complaint_rate_reason: str | None  # why complaint_rate is None (`ComplaintRate.reason`)
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
    rate = complaint_rate(ws, filters)
    return SupportSummary(
        tickets=tickets,
        resolution_rate=float((channels["resolution_rate"] * channels["tickets"]).sum() / tickets)
        if channels["resolution_rate"].notna().any()
        else None,
        complaints=n_complaints,
        complaint_rate=rate.rate,
        complaint_rate_reason=rate.reason,
        recurrent_share=float(complaints.loc[complaints["recurrent"], "complaints"].sum() / n_complaints)
        if n_complaints
        else None,
        csat=float((channels["csat"].fillna(0) * channels["csat_n"]).sum() / csat_n) if csat_n else None,
        csat_n=csat_n,
        slow_channels=tuple(channels.loc[channels["slower_than_expected"], "channel_group"]),
    )
