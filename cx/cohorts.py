"""Retention: cohort matrices, repeat purchase, churn and retention rate, return rate and a simple CLV.

Definitions (CX_REFERENCE §2; the same text is the page's help):

* **Cohort** = the visitors (by first visit: web events) or the customers (by first purchase: orders) whose
  first activity ever falls in the chosen period, grouped by the week (from Monday) or month of it.
  Period N counts the members active in their N-th week/month after the first: **"on"** = active in that
  very period; **"unbounded"** = active in it or any later one (never lower than "on"). Period 0 is 100 %.
  Activity counts up to the end of the period filter, else the data's "as of" day (`cx.asof`: the latest
  order, visit, answer or ticket — never today); the last column of each cohort may be incomplete.
* A **purchase** is an order that was not cancelled or abandoned (statuses matched in French and English);
  returned orders were purchases.
* **Repeat purchase rate** = customers with ≥ 2 purchases in the period / customers with ≥ 1.
* **Customer base**: a customer is active on a date when they made a purchase in the `active_days` days
  before it (default 180, editable). **Retention rate** = (active at the end − new customers in the
  period) / active at the start; **churn** = 1 − retention (shown in %). The customers who enter the base in
  the period count as new: first purchase ever in it, or back after lapsing (`returned_customers`: active at
  the end, not at the start, bought before), and only those still in the base at the end are taken off it — so
  the retention is the share of the start's base still active at the end (`retained` / at the start), 0–100 %
  whatever the period's length (counting the returning ones as retained gave churns below −100 %, and a new
  customer lapsed before the end of a long period one below 0 %). It needs `active_days` of
  history before the period starts; otherwise it is not computed ("history too short"). Without a period
  filter the period runs from the first purchase to the as-of day, so customers who stopped buying before
  the end of the data count as lost. A rate on fewer than `MIN_SAMPLE` (30) customers at the start is shown,
  flagged as a small base (`low_base`, "petit effectif"): with 2 customers it can only read 0, 50 or 100 %.
  Amplitude and Mixpanel hide no cohort either; they show its size beside the rate.
* **Return rate** = returned orders / delivered orders (an order with a delivery date, or returned; when
  the export has no delivery dates at all: / purchases, and the basis says so).
* **CLV (simple)** = AOV × purchase frequency × expected lifespan. AOV = revenue / purchases;
  frequency = purchases per customer per year over the period; lifespan (years) = 1 / yearly churn, the
  churn of the period (or else the mean monthly churn) turned into a yearly one, capped at
  `MAX_LIFESPAN` years; else the lifespan the user gives (default 3 years). Every input is returned. The
  frequency is annualised, and so the CLV given, only over a period of `active_days` days at least (the rule of
  the churn, which needs that much history: `annualised`): 19 purchases over 55 days are not 14 a year. The CLV
  is the product of its factors as shown (`CLV_DIGITS`: the AOV to the cent, the others to 2 decimals), so the
  formula on the page multiplies out to it.
* **Money without a currency** (an order whose file gave none, `cx.money`): when the period has purchases with a
  currency, the revenue, AOV and CLV are over those only and the others are said apart (`unknown_currency_orders`,
  `unknown_currency_revenue`) — an amount of no currency is never added to one (`currency_in_scope` lists it
  apart too); when none of the period's purchases has one, they all count, in the currency the page assumes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .asof import as_of_date
from .errors import CxError
from .models import Filters
from .stats import MIN_SAMPLE
from .workspace import Workspace, run_sql

PERIODS = ("week", "month")
MODES = ("on", "unbounded")
BY_FIRST = ("activity", "purchase")
DEFAULT_ACTIVE_DAYS = 180
DEFAULT_LIFESPAN = 3.0
MAX_LIFESPAN = 20.0
YEAR_DAYS = 365.25
CLV_DIGITS = {"aov": 2, "frequency": 2, "lifespan": 2}  # the CLV's factors as shown and multiplied


def _orders(cur, params: dict) -> None:
    run_sql(cur, "cohort_orders.sql", params, "create or replace temp table co_orders as ")


def find_cohorts(
    ws: Workspace, filters: Filters | None, period: str = "month", mode: str = "on", by_first: str = "activity"
) -> pd.DataFrame:
    """The cohort retention matrix (see the module docstring).

    Returns one row per cohort and period index: cohort (date: first day of the week or month), size,
    period (0, 1, …), active (members counted in that period), share (active / size, 0–1), complete
    (False for a period still running at the end of the data or of the filter); sorted by cohort then
    period. Raises CxError on a bad period, mode or by_first.
    """
    if period not in PERIODS:
        raise CxError(f"unknown cohort period {period!r}", fix="use week or month")
    if mode not in MODES:
        raise CxError(f"unknown retention mode {mode!r}", fix="use on or unbounded")
    if by_first not in BY_FIRST:
        raise CxError(f"unknown cohort basis {by_first!r}", fix="use activity or purchase")
    params = {**(filters or Filters()).params(), "period": period, "mode": mode, "by_first": by_first}
    with ws.cursor() as cur:
        _orders(cur, params)
        frame = run_sql(cur, "cohort_matrix.sql", params).df()
    frame["cohort"] = pd.to_datetime(frame["cohort"]).dt.date
    return frame.astype({"size": "int64", "period": "int64", "active": "int64", "share": "float64", "complete": "bool"})


def cohort_table(matrix: pd.DataFrame, complete_only: bool = True) -> pd.DataFrame:
    """The matrix as a wide table for people: cohort, size, then one column of shares per period (0–1);
    periods still running are left out (period 0 always kept)."""
    if complete_only and len(matrix):
        matrix = matrix[matrix["complete"] | (matrix["period"] == 0)]
    if matrix.empty:
        return pd.DataFrame(columns=["cohort", "size"])
    wide = matrix.pivot(index=["cohort", "size"], columns="period", values="share").reset_index()
    wide.columns = [c if isinstance(c, str) else int(c) for c in wide.columns]
    return wide


@dataclass(frozen=True)
class Retention:
    """Retention figures of the period; rates are 0–1 (None when they cannot be computed).

    monthly : month (date), start, end (timestamps), at_start, at_end, new_customers, returned_customers,
        retention_rate, churn_rate, enough_history (bool), low_base (bool: fewer than MIN_SAMPLE customers at
        the start, the rate is shown but flagged "petit effectif").
    """

    period_start: dt.date | None
    period_end: dt.date | None  # inclusive
    period_days: int
    customers: int
    repeat_customers: int
    repeat_rate: float | None
    orders: int
    revenue: float
    aov: float | None
    frequency_per_year: float | None
    delivered: int
    returned: int
    return_rate: float | None
    return_basis: str  # "delivered" | "purchases"
    active_days: int
    at_start: int
    at_end: int
    new_customers: int
    retention_rate: float | None
    churn_rate: float | None
    enough_history: bool
    yearly_churn: float | None
    lifespan_years: float
    lifespan_source: str  # "period" | "monthly" | "input" | "default"
    lifespan_capped: bool
    clv: float | None
    monthly: pd.DataFrame
    returned_customers: int = 0  # back after lapsing: active at the end, not at the start, not new
    revenue_orders: int = 0  # the purchases `revenue` and `aov` are over (those with a currency, see the docstring)
    unknown_currency_orders: int = 0  # purchases of no currency left out of revenue, AOV and CLV
    unknown_currency_revenue: float = 0.0

    @property
    def annualised(self) -> bool:
        """Whether the period is long enough to turn its purchases into a yearly frequency (and a CLV): at least
        `active_days` days, the history the churn needs."""
        return self.period_days >= self.active_days

    @property
    def low_base(self) -> bool:
        """The retention and churn rest on fewer than MIN_SAMPLE customers at the start ("petit effectif"):
        shown, but one customer more or less moves them by several points."""
        return is_low_base(self.retention_rate, self.at_start)


def is_low_base(retention_rate: float | None, at_start: int) -> bool:
    """A retention rate over fewer than MIN_SAMPLE customers at the start: the "petit effectif" flag, for the
    whole period and for each month alike."""
    return retention_rate is not None and at_start < MIN_SAMPLE


def _retention(at_start: int, retained: int) -> float | None:
    """The share of the start's base still active at the end: (at the end − entered in the period) / at the start,
    where the entrants are the new customers and those back after lapsing, counted among those at the end."""
    return retained / at_start if at_start else None


def _next_month(m: dt.date) -> dt.date:
    return dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def _month_starts(start: dt.date, end_excl: dt.date) -> list[dt.date]:
    out, m = [], dt.date(start.year, start.month, 1)
    while m < end_excl:
        out.append(m)
        m = _next_month(m)
    return out


def count_buyers(ws: Workspace, filters: Filters | None) -> int:
    """The customers with a purchase in the period of the filters: `find_retention(ws, filters).customers`, from
    the same query, without the customer base of every month that find_retention also computes (at 5M events
    and 200k customers that base is ~1 CPU-s; the maturity measures need only this count)."""
    params = (filters or Filters()).params()
    with ws.cursor() as cur:
        _orders(cur, params)
        return int(run_sql(cur, "cohort_purchases.sql", params).df()["customers"].iloc[0])


def find_retention(
    ws: Workspace, filters: Filters | None, active_days: int = DEFAULT_ACTIVE_DAYS, lifespan_years: float | None = None
) -> Retention:
    """Repeat purchase, customer base, retention and churn, return rate and the simple CLV of the period
    of the filters (else from the first purchase to the data's as-of day). `lifespan_years` given → used for the CLV instead of
    the one from the churn. See the module docstring for every definition."""
    if int(active_days) < 1:
        raise CxError("the activity window must be at least one day", fix="for example 180 days")
    active_days = int(active_days)
    filters = filters or Filters()
    params = {**filters.params(), "active_days": active_days}
    with ws.cursor() as cur:
        _orders(cur, params)
        p = run_sql(cur, "cohort_purchases.sql", params).df().iloc[0]
        first, last = p["first_purchase"], p["last_purchase"]
        start = filters.start or (pd.Timestamp(first).date() if pd.notna(first) else None)
        end = filters.end or (as_of_date(cur) if pd.notna(last) else None)
        monthly = pd.DataFrame(
            columns=[
                "month",
                "start",
                "end",
                "at_start",
                "at_end",
                "new_customers",
                "returned_customers",
                "retention_rate",
                "churn_rate",
                "enough_history",
                "low_base",
            ]
        )
        base = None
        if start and end and start <= end:
            end_excl = end + dt.timedelta(days=1)
            # whole calendar months inside the period only: a partial month's rate is not comparable
            months = [m for m in _month_starts(start, end_excl) if m >= start and _next_month(m) <= end_excl]
            starts = [start] + months
            ends = [end_excl] + [_next_month(m) for m in months]
            base = run_sql(
                cur,
                "cohort_customer_base.sql",
                {
                    **params,
                    "starts": [dt.datetime.combine(d, dt.time()) for d in starts],
                    "ends": [dt.datetime.combine(d, dt.time()) for d in ends],
                },
            ).df()
    customers, repeat = int(p["customers"]), int(p["repeat_customers"])

    def total(v) -> float:  # sum() of no row is null (NaN in the frame)
        return float(v) if pd.notna(v) else 0.0

    orders, revenue, priced = int(p["orders"]), total(p["revenue"]), int(p["priced_orders"])
    unknown_orders, unknown_revenue = int(p["unknown_orders"]), total(p["unknown_revenue"])
    if not priced:  # no purchase of the period has a currency: all in the one the page assumes
        revenue, priced, unknown_orders, unknown_revenue = revenue + unknown_revenue, orders, 0, 0.0
    days = (end - start).days + 1 if start and end and start <= end else 0
    has_dates = bool(p["has_delivery_dates"]) if pd.notna(p["has_delivery_dates"]) else False
    delivered = int(p["delivered"]) if has_dates else int(p["all_purchases"])
    at_start = at_end = new = returned = 0
    retention = churn = None
    enough = False
    if base is not None and len(base):
        data_first = pd.Timestamp(base["first_purchase"].iloc[0]) if pd.notna(base["first_purchase"].iloc[0]) else None

        def history(s) -> bool:
            return data_first is not None and pd.Timestamp(s) - pd.Timedelta(days=active_days) >= data_first.normalize()

        rows = []
        for r in base.itertuples():
            ok = history(r.s)
            rate = _retention(int(r.at_start), int(r.retained)) if ok else None
            rows.append(
                {
                    "month": pd.Timestamp(r.s).date().replace(day=1),
                    "start": r.s,
                    "end": r.e,
                    "at_start": int(r.at_start),
                    "at_end": int(r.at_end),
                    "new_customers": int(r.new_customers),
                    "returned_customers": int(r.returned_customers),
                    "retention_rate": rate,
                    "churn_rate": None if rate is None else 1 - rate,
                    "enough_history": ok,
                    "low_base": is_low_base(rate, int(r.at_start)),
                }
            )
        whole, monthly = rows[0], pd.DataFrame(rows[1:], columns=monthly.columns)
        at_start, at_end, new = whole["at_start"], whole["at_end"], whole["new_customers"]
        returned = whole["returned_customers"]
        retention, churn, enough = whole["retention_rate"], whole["churn_rate"], whole["enough_history"]
    yearly, source = None, "default"
    if churn is not None and 0 < churn < 1 and days:
        yearly, source = 1 - (1 - churn) ** (YEAR_DAYS / days), "period"
    else:
        usable = monthly[monthly["enough_history"] & monthly["churn_rate"].notna()] if len(monthly) else monthly
        mean = usable["churn_rate"].mean() if len(usable) else None
        if mean is not None and 0 < mean < 1:
            yearly, source = 1 - (1 - mean) ** 12, "monthly"
    capped = False
    if lifespan_years is not None:
        if lifespan_years <= 0:
            raise CxError("the expected lifespan must be more than zero years", fix="for example 3")
        lifespan, source = float(lifespan_years), "input"
    elif yearly:
        lifespan = 1 / yearly
        if lifespan > MAX_LIFESPAN:
            lifespan, capped = MAX_LIFESPAN, True
    else:
        lifespan = DEFAULT_LIFESPAN
    aov = revenue / priced if priced else None
    frequency = orders / customers / (days / YEAR_DAYS) if customers and days >= active_days else None
    shown = lambda value, factor: round(value, CLV_DIGITS[factor])
    clv = (
        shown(aov, "aov") * shown(frequency, "frequency") * shown(lifespan, "lifespan")
        if aov is not None and frequency is not None
        else None
    )
    return Retention(
        start,
        end,
        days,
        customers,
        repeat,
        repeat / customers if customers else None,
        orders,
        revenue,
        aov,
        frequency,
        delivered,
        int(p["returned"]),
        int(p["returned"]) / delivered if delivered else None,
        "delivered" if has_dates else "purchases",
        active_days,
        at_start,
        at_end,
        new,
        retention,
        churn,
        enough,
        yearly,
        lifespan,
        source,
        capped,
        clv,
        monthly,
        returned_customers=returned,
        revenue_orders=priced,
        unknown_currency_orders=unknown_orders,
        unknown_currency_revenue=unknown_revenue,
    )
