"""The KPIs of each journey stage (CX_REFERENCE.md §1) over the period shown, against the previous period."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from ..models import Filters
from ..stats import MIN_SAMPLE
from ..workspace import Workspace
from .periods import resolve_periods
from .query import run_query
from .roles import role_params
from .rules import stage_rules_param

#: The count in each KPI query's row saying the source has records in the period (after the filters): a figure
#: without value whose source is loaded but has no such record in either period was filtered out.
RECORDS = {"events": "sessions", "orders": "records", "tickets": "tickets", "responses": "responses"}
FILTERED_OUT = "journey.reason.filtered_out"
NO_EARLIER_EVENTS = "journey.reason.no_earlier_events"  # new visitors: no web event before the period
NO_STAGE_EVENTS = "journey.reason.no_stage_events"  # the rules assign no web event of the periods to the stage
#: Why staging/complaint_rate.sql gives no complaint rate, as the i18n key the journey shows.
COMPLAINT_REASONS = {
    "no_tickets": "journey.reason.no_tickets",
    "no_complaint_flag": "journey.reason.no_complaint_flag",
    "no_orders": "journey.reason.no_orders",
    "no_overlap": "journey.reason.complaints_no_overlap",
    "above_orders": "journey.reason.complaints_above_orders",
}
ENGAGED_SECONDS = 10


@dataclass(frozen=True)
class Kpi:
    """One figure of the journey map. `value` is None when the data cannot give it, and `reason` is then
    the i18n key saying why (e.g. "journey.reason.no_orders"). `unit`: count | percent (0–100) | ratio |
    seconds | hours | currency | nps (−100…+100). `better`: which way a change is good (higher | lower |
    neutral). `previous` is the same figure over the previous period of equal length (None: no data then)."""

    key: str
    label: str
    value: float | None
    unit: str
    previous: float | None = None
    reason: str | None = None
    better: str = "higher"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "previous": self.previous,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Satisfaction:
    """Survey satisfaction of the responses the rules assign to a stage (current period)."""

    responses: int
    csat: float | None  # share of top-2-box answers × 100
    csat_n: int
    nps: float | None  # %promoters − %detractors
    nps_n: int

    @property
    def low_sample(self) -> bool:
        return self.responses < MIN_SAMPLE


@dataclass(frozen=True)
class StageKpis:
    stage: str
    kpis: tuple[Kpi, ...]
    satisfaction: Satisfaction | None = None

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


def _aov(r) -> float | None:
    """Revenue / orders of one period; over the orders with a currency when either period has any (an amount of no
    currency is never added to one, nor compared with one: cx.money), else over all of them."""
    if r["any_priced"]:
        return _ratio(r["priced_revenue"], r["priced_orders"], 1)
    return _ratio(r["revenue"], r["orders"], 1)


def _ratio(num, den, scale: float = 100.0):
    if num is None or den is None or pd.isna(num) or pd.isna(den) or den == 0:
        return None
    return float(num) / float(den) * scale


class _NoRows(dict):
    """The row of a period without any record: every count is 0, a median has no value."""

    def __missing__(self, key):
        return None if key == "resolution_hours" else 0


def _rows(df: pd.DataFrame) -> dict:
    """{True: current row, False: previous row} as dicts (a period without records → zeros)."""
    return {
        flag: (df[df["current"] == flag].iloc[0].to_dict() if (df["current"] == flag).any() else _NoRows())
        for flag in (True, False)
    }


def find_stage_kpis(
    ws: Workspace, filters: Filters | None = None, rules: tuple | None = None, gap_minutes: float = 30
) -> list[StageKpis]:
    """The KPIs of each journey stage (CX_REFERENCE.md §1) over the filtered period, each with its value over
    the previous period of equal length (`journey_periods`).

    Web figures honour date, device and channel (events are anonymous: the segment does not filter them);
    order, ticket and survey figures honour date and segment. A figure the data cannot give is None with the
    i18n key of the reason. Definitions (sessions from `find_sessions`):

    - every stage: stage_visitors = visitors with at least one event the rules assign to the stage;
    - awareness: visits (sessions), unique_visitors, new_visitor_share (first event of the whole log in the
      period), bounce_rate (sessions with at most one page view), ad_impressions, ctr (ad clicks /
      impressions) — the last two only when ad events exist (`EVENT_ROLES`);
    - consideration: pages_per_session (page views / sessions), time_on_site (mean session duration, s),
      engagement_rate (sessions ≥ 10 s, ≥ 2 page views or with a purchase), view_to_cart_rate (sessions with
      a product view and an add-to-cart / sessions with a product view), lead_rate (visitors with a lead
      event / visitors);
    - purchase: cart_abandonment (1 − sessions with a cart and a purchase / sessions with a cart),
      checkout_completion (sessions with a checkout and a purchase / sessions with a checkout),
      conversion_rate (visitors with a purchase / visitors), aov (order revenue / orders, cancelled ones
      excluded; only the orders with a currency when the period has any, `cx.money`), payment_error_rate
      (sessions with a payment error / sessions with a payment attempt: payment info, an error or a purchase; only
      when the log has both errors and successful attempts);
    - retention: repeat_purchase_rate (customers with ≥ 2 orders in the period / with ≥ 1), return_rate
      (returned / delivered orders), complaint_rate (complaint tickets / orders placed, over the days both the
      tickets and the orders cover: staging/complaint_rate.sql, the Support page's; it alone follows the device /
      channel filters, as there), resolution_time (median hours from creation to resolution), ticket_csat
      (top-2-box share of rated tickets);
    - advocacy: nps (%promoters − %detractors), nps_responses, advocacy_events (events the rules assign to
      advocacy: reviews, shares, referrals).

    Returns
    -------
    list of StageKpis, in `STAGES` order; each has kpis (Kpi: key, label, value, unit, previous, reason,
    better) and satisfaction (survey responses the rules assign to the stage, current period; None if none).
    """
    filters = filters or Filters()
    with ws.cursor() as cur:  # every statement of the call on one cursor (a lake reads its catalog per cursor)
        bound_rules = stage_rules_param(ws, rules, cur)
        periods, span = resolve_periods(ws, cur, filters)
        if periods.start is None:
            return _empty_kpis(span)
        current_params = dataclasses.replace(filters, start=periods.start, end=periods.end).params()
        params = {
            **current_params,
            "start": periods.previous_start,
            "split": periods.start,
            "gap_seconds": float(gap_minutes) * 60,
            "engaged_seconds": ENGAGED_SECONDS,
            "rules": bound_rules,
            **role_params(),
        }
        # a table without a record in the periods gives no row: its query is not run (a lake pays per statement)
        both = _within(span, periods.previous_start, periods.end)
        web = _rows(run_query(ws, "journey_kpis_web.sql", params, cur))
        orders = _rows(run_query(ws, "journey_kpis_orders.sql", params, cur)) if both["orders"] else _no_rows()
        tickets = _rows(run_query(ws, "journey_kpis_tickets.sql", params, cur)) if both["tickets"] else _no_rows()
        answers = _rows(run_query(ws, "journey_kpis_responses.sql", params, cur)) if both["responses"] else _no_rows()
        satisfaction = (
            run_query(ws, "journey_satisfaction.sql", {**current_params, "rules": bound_rules}, cur)
            if _within(span, periods.start, periods.end)["responses"]
            else None
        )
    loaded = {r.source: not pd.isna(r.first) for r in span.itertuples()}
    # optional columns judged on the whole table (journey_span.sql counts them as `cx.coverage.filled` does):
    # "the orders have no status" must not depend on the filters
    by_source = span.set_index("source")
    filled_columns = {
        f"{table}.{column}": _count(by_source.at[table, f"{column}_filled"])
        for table, column in (("orders", "status"), ("tickets", "is_complaint"), ("tickets", "csat"))
    }
    # the previous period has a value only when the table reaches back before the period
    covered = {
        r.source: not pd.isna(r.first) and pd.Timestamp(r.first).date() < periods.start for r in span.itertuples()
    }
    # "new" = first seen in the period: knowable only when the events reach back before it
    first_event = by_source["first"].get("events")
    earlier = {
        True: covered.get("events", False),
        False: not pd.isna(first_event) and pd.Timestamp(first_event).date() < periods.previous_start,
    }
    build = _KpiBuilder(loaded, covered, filled_columns, earlier)
    stages = [
        ("awareness", build.awareness(web)),
        ("consideration", build.consideration(web)),
        ("purchase", build.purchase(web, orders)),
        ("retention", build.retention(web, orders, tickets)),
        ("advocacy", build.advocacy(web, answers)),
    ]
    sat = {
        r.stage: Satisfaction(
            int(r.responses),
            _ratio(r.csat_satisfied, r.csat_n),
            int(r.csat_n),
            _nps(r.promoters, r.detractors, r.nps_n),
            int(r.nps_n),
        )
        for r in (() if satisfaction is None else satisfaction.itertuples())
    }
    return [StageKpis(stage, tuple(kpis), sat.get(stage)) for stage, kpis in stages]


def _within(span: pd.DataFrame, start, end) -> dict:
    """{source: whether its table has a dated record from `start` to `end` (days, inclusive)}, from the span of
    journey_span.sql: a KPI query of a table without one returns no row (its periods read `_NoRows`)."""
    return {
        r.source: not pd.isna(r.first) and pd.Timestamp(r.first).date() <= end and pd.Timestamp(r.last).date() >= start
        for r in span.itertuples()
    }


def _no_rows() -> dict:
    """`_rows` of a query that returned no row: both periods without any record."""
    return {True: _NoRows(), False: _NoRows()}


def _count(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _nps(promoters, detractors, n):
    if not n:
        return None
    return (float(promoters) - float(detractors)) / float(n) * 100


def _empty_kpis(span: pd.DataFrame) -> list[StageKpis]:
    build = _KpiBuilder({s: False for s in span["source"]}, {}, {})
    empty = {True: _NoRows(), False: _NoRows()}
    stages = [
        ("awareness", build.awareness(empty)),
        ("consideration", build.consideration(empty)),
        ("purchase", build.purchase(empty, empty)),
        ("retention", build.retention(empty, empty, empty)),
        ("advocacy", build.advocacy(empty, empty)),
    ]
    return [StageKpis(stage, tuple(kpis)) for stage, kpis in stages]


class _KpiBuilder:
    """Turns the per-period rows of the KPI queries into Kpi records, with the reason when a value is missing."""

    def __init__(self, loaded: dict, covered: dict, filled_columns: dict, earlier_events: dict | None = None):
        self.loaded, self.covered, self.filled = loaded, covered, filled_columns
        self.earlier_events = earlier_events or {True: False, False: False}  # {current?: events before the period}

    def new_visitors(self, web):
        """The share of new visitors: a visitor is new when first seen in the period, which only data before the
        period can tell (without it every visitor reads new: 100 %, made up). Not available then, with why."""
        kpi = self.kpi(
            "new_visitor_share", "events", web, lambda r: _ratio(r["new_visitors"], r["visitors"]), "percent", "neutral"
        )
        if kpi.value is not None and not self.earlier_events[True]:
            kpi = dataclasses.replace(kpi, value=None, reason=NO_EARLIER_EVENTS)
        if not self.earlier_events[False]:
            kpi = dataclasses.replace(kpi, previous=None)
        return kpi

    def kpi(self, key, source, rows, compute, unit, better="higher", needs=None, missing=None):
        """`compute(row)` gives the value of one period; `needs(rows)` says whether the data can give it at all
        (else `missing` is the reason). Loaded records that the filters leave out of both periods say so."""
        if not self.loaded.get(source):
            return Kpi(key, f"journey.kpi.{key}", None, unit, None, f"journey.reason.no_{source}", better)
        present = any(r.get(RECORDS[source]) for r in rows.values())
        if needs is not None and not needs(rows):
            return Kpi(key, f"journey.kpi.{key}", None, unit, None, missing if present else FILTERED_OUT, better)
        value = compute(rows[True])
        previous = compute(rows[False]) if self.covered.get(source) else None
        reason = None if value is not None else "journey.reason.empty_period" if present else FILTERED_OUT
        return Kpi(key, f"journey.kpi.{key}", value, unit, previous, reason, better)

    def reach(self, stage, web):
        column = "purchase_stage_visitors" if stage == "purchase" else f"{stage}_visitors"
        # no event of either period assigned to the stage: not available, with why (never a bare 0 and an empty bar)
        assigned = lambda rows: self._any(rows, column)
        compute = lambda r: float(r[column])
        return self.kpi("stage_visitors", "events", web, compute, "count", needs=assigned, missing=NO_STAGE_EVENTS)

    @staticmethod
    def _any(rows, column):
        return any(r.get(column) for r in rows.values())

    def awareness(self, web):
        page_views = lambda rows: self._any(rows, "page_views")
        return [
            self.reach("awareness", web),
            self.kpi("visits", "events", web, lambda r: float(r["sessions"]), "count"),
            self.kpi("unique_visitors", "events", web, lambda r: float(r["visitors"]), "count"),
            self.new_visitors(web),
            self.kpi(
                "bounce_rate",
                "events",
                web,
                lambda r: _ratio(r["bounced_sessions"], r["sessions"]),
                "percent",
                "lower",
                page_views,
                "journey.reason.no_page_views",
            ),
            self.kpi(
                "ad_impressions",
                "events",
                web,
                lambda r: float(r["ad_impressions"]),
                "count",
                "higher",
                lambda rows: self._any(rows, "ad_impressions"),
                "journey.reason.no_ad_events",
            ),
            self.kpi(
                "ctr",
                "events",
                web,
                lambda r: _ratio(r["ad_clicks"], r["ad_impressions"]),
                "percent",
                "higher",
                lambda rows: self._any(rows, "ad_impressions"),
                "journey.reason.no_ad_events",
            ),
        ]

    def consideration(self, web):
        return [
            self.reach("consideration", web),
            self.kpi(
                "pages_per_session",
                "events",
                web,
                lambda r: _ratio(r["page_views"], r["sessions"], 1),
                "ratio",
                "higher",
                lambda rows: self._any(rows, "page_views"),
                "journey.reason.no_page_views",
            ),
            self.kpi(
                "time_on_site",
                "events",
                web,
                lambda r: _ratio(r["duration_s"], r["sessions"], 1),
                "seconds",
                # one instant per visit and no pages (a Matomo visits log without its actions): 0 s would be wrong
                needs=lambda rows: self._any(rows, "page_views") or self._any(rows, "duration_s"),
                missing="journey.reason.no_duration",
            ),
            self.kpi(
                "engagement_rate",
                "events",
                web,
                lambda r: _ratio(r["engaged_sessions"], r["sessions"]),
                "percent",
                "higher",
                # events without pages and with one instant per session (a Matomo export of bare "visit" events)
                # cannot show engagement: 0 % would be a measure of nothing
                lambda rows: self._any(rows, "page_views") or self._any(rows, "duration_s"),
                "journey.reason.no_engagement",
            ),
            self.kpi(
                "view_to_cart_rate",
                "events",
                web,
                lambda r: _ratio(r["product_cart_sessions"], r["product_view_sessions"]),
                "percent",
                "higher",
                lambda rows: self._any(rows, "product_view_sessions"),
                "journey.reason.no_product_views",
            ),
            self.kpi(
                "lead_rate",
                "events",
                web,
                lambda r: _ratio(r["lead_visitors"], r["visitors"]),
                "percent",
                "higher",
                lambda rows: self._any(rows, "lead_visitors"),
                "journey.reason.no_lead_events",
            ),
        ]

    def purchase(self, web, orders):
        return [
            self.reach("purchase", web),
            self.kpi(
                "cart_abandonment",
                "events",
                web,
                lambda r: _complement(_ratio(r["cart_purchase_sessions"], r["cart_sessions"])),
                "percent",
                "lower",
                lambda rows: self._any(rows, "cart_sessions"),
                "journey.reason.no_cart_events",
            ),
            self.kpi(
                "checkout_completion",
                "events",
                web,
                lambda r: _ratio(r["checkout_purchase_sessions"], r["checkout_sessions"]),
                "percent",
                "higher",
                lambda rows: self._any(rows, "checkout_sessions"),
                "journey.reason.no_checkout_events",
            ),
            self.kpi(
                "conversion_rate",
                "events",
                web,
                lambda r: _ratio(r["purchase_visitors"], r["visitors"]),
                "percent",
                "higher",
                lambda rows: self._any(rows, "purchase_visitors"),
                "journey.reason.no_purchase_events",
            ),
            self.kpi("aov", "orders", orders, _aov, "currency"),
            self.kpi(
                "payment_error_rate",
                "events",
                web,
                lambda r: _ratio(r["payment_error_sessions"], r["payment_sessions"]),
                "percent",
                "lower",
                lambda rows: _payment_gap(rows) is None,
                _payment_gap(web),
            ),
        ]

    def retention(self, web, orders, tickets):
        return [
            self.reach("retention", web),
            self.kpi(
                "repeat_purchase_rate", "orders", orders, lambda r: _ratio(r["repeat_buyers"], r["buyers"]), "percent"
            ),
            self.kpi(
                "return_rate",
                "orders",
                orders,
                lambda r: _ratio(r["returned_orders"], r["delivered_orders"]),
                "percent",
                "lower",
                lambda rows: self.filled["orders.status"],
                "journey.reason.no_status",
            ),
            self._complaint_rate(tickets),
            self.kpi(
                "resolution_time",
                "tickets",
                tickets,
                lambda r: _number(r["resolution_hours"]),
                "hours",
                "lower",
                lambda rows: self._any(rows, "resolved"),
                "journey.reason.no_resolution",
            ),
            self.kpi(
                "ticket_csat",
                "tickets",
                tickets,
                lambda r: _ratio(r["csat_satisfied"], r["csat_n"]),
                "percent",
                "higher",
                lambda rows: self.filled["tickets.csat"],
                "journey.reason.no_ticket_csat",
            ),
        ]

    def _complaint_rate(self, tickets):
        """The complaint rate of staging/complaint_rate.sql (the one the Support page shows): complaints / orders
        over the days both exports cover, or None with the reason it gives (`COMPLAINT_REASONS`)."""
        key, label = "complaint_rate", "journey.kpi.complaint_rate"
        for source in ("orders", "tickets"):
            if not self.loaded.get(source):
                return Kpi(key, label, None, "percent", None, f"journey.reason.no_{source}", "lower")
        if not self.filled["tickets.is_complaint"]:
            return Kpi(key, label, None, "percent", None, "journey.reason.no_complaint_flag", "lower")
        current, previous = (_number(tickets[flag].get("complaint_rate")) for flag in (True, False))
        if current is None:  # the reason the SQL gives, else no ticket in the period (or none the filters keep)
            reason = COMPLAINT_REASONS.get(tickets[True].get("complaint_rate_reason"))
            if reason is None:
                present = any(r.get("tickets") for r in tickets.values())
                reason = "journey.reason.empty_period" if present else FILTERED_OUT
            return Kpi(key, label, None, "percent", None, reason, "lower")
        return Kpi(key, label, current, "percent", previous, None, "lower")

    def advocacy(self, web, answers):
        return [
            self.reach("advocacy", web),
            self.kpi(
                "nps",
                "responses",
                answers,
                lambda r: _nps(r["promoters"], r["detractors"], r["nps_n"]),
                "nps",
                "higher",
                lambda rows: self._any(rows, "nps_n"),
                "journey.reason.no_nps",
            ),
            self.kpi(
                "nps_responses",
                "responses",
                answers,
                lambda r: float(r["nps_n"]),
                "count",
                "higher",
                lambda rows: self._any(rows, "nps_n"),
                "journey.reason.no_nps",
            ),
            self.kpi(
                "advocacy_events",
                "events",
                web,
                lambda r: float(r["advocacy_events"]),
                "count",
                "higher",
                lambda rows: self._any(rows, "advocacy_events"),
                "journey.reason.no_advocacy_events",
            ),
        ]


def _payment_gap(web) -> str | None:
    """Why the payment error rate cannot be given (None: it can). Errors alone would always read 100 %, and
    attempts without any error event read 0 % on a site that simply does not log errors."""
    errors = any(r.get("payment_error_sessions") for r in web.values())
    attempts = any(r.get("paid_or_info_sessions") for r in web.values())
    if errors and attempts:
        return None
    if errors:
        return "journey.reason.no_payment_attempts"
    return "journey.reason.no_payment_errors" if attempts else "journey.reason.no_payment_events"


def _complement(share):
    return None if share is None else 100.0 - share


def _number(value):
    return None if value is None or pd.isna(value) else float(value)
