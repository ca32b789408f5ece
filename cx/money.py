"""Which currency the money of an analysis is in, and what to say when it is in several.

`currency_in_scope(cur, filters)` reads the orders the filters cover (cancelled ones left out) and the web events
with revenue, each with its own currency or else its import's:

* one currency → that ISO 4217 code;
* several → a *mixed* result listing each currency and its amount. Amounts in different currencies are never
  added or averaged: every sum or mean of money (revenue, AOV, CLV, revenue at risk, persona spend) is shown as
  "not available" with the amount per currency (`mixed_message`), and the CLI JSON says `"currency": null` with
  the `currencies` listed;
* none in scope → the workspace's currency when it only ever recorded one; when no currency was ever found, the
  setting `CX_CURRENCY` (default EUR), flagged `assumed` so the pages can say so;
* several in the workspace but none in scope (e.g. a period with only web revenue of no currency) → the setting
  `CX_CURRENCY` (default EUR), flagged `assumed` with the workspace's currencies in `known_elsewhere`, so an
  amount is never shown without a currency and the page says it was assumed.

**Orders without a currency beside orders with one** (a file that said none, loaded beside a shop export in CAD):
an amount of no currency is never added to a known one. The analyses that sum or average order amounts (the
journey's AOV, the friction value of an order, the personas' spend, Retention) then count only the orders with a
currency; those without are set apart, and the scope says how many and how much (`unknown_orders`,
`unknown_amount`, `set_apart_message`). When no order in scope has a currency, they all count, in the currency
assumed above. The friction value of a web conversion (revenue per converting session) does the same with web
revenue: revenue of no currency (the event's, else its import's) is left out when some money in scope, web or
orders, has a currency (`friction.value_source.web_priced` says so).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import pandas as pd

from .format import money, number
from .i18n import t
from .models import Filters
from .workspace import run_sql

DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True)
class CurrencyScope:
    """code: the single ISO code of the money in scope, None when mixed or unknown. amounts: ((code or None,
    amount), …) per currency of the orders in scope, then of the web revenue in a currency no order has.
    assumed: `code` is the setting (CX_CURRENCY) or EUR, because no currency was ever found or (known_elsewhere:
    the workspace's currencies) none is in scope. unknown_orders, unknown_amount: the orders in scope without a
    currency, set apart from every sum and mean of money because other orders in scope have one (0 otherwise)."""

    code: str | None
    amounts: tuple = ()
    assumed: bool = False
    known_elsewhere: tuple = ()
    unknown_orders: int = 0
    unknown_amount: float = 0.0

    @property
    def mixed(self) -> bool:
        return self.code is None and len({c for c, _ in self.amounts if c}) > 1

    def as_dict(self) -> dict:
        """The CLI JSON fields: {"currency": code or null, "currencies": [{"code", "amount"}] when mixed else
        null, "currency_assumed": bool}."""
        return {
            "currency": self.code,
            "currencies": [{"code": c, "amount": round(a, 2)} for c, a in self.amounts] if self.mixed else None,
            "currency_assumed": self.assumed,
        }


def default_currency() -> str:
    """The workspace setting used when no file ever said its currency: `CX_CURRENCY`, else EUR."""
    code = (os.environ.get("CX_CURRENCY") or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else DEFAULT_CURRENCY


def workspace_currency(cur) -> str:
    """The currency of a file that says none: the only one the workspace ever recorded, else the setting
    (`default_currency()`)."""
    ever = [r[0] for r in run_sql(cur, "currency_known.sql", {}).fetchall()]
    return ever[0] if len(ever) == 1 else default_currency()


def currency_in_scope(cur, filters: Filters | None = None, default: str | None = None) -> CurrencyScope:
    """The currency of the orders (and web revenue) `filters` cover; see the module docstring. `default`: the
    currency assumed when no file ever said one (None: the setting, `default_currency()`)."""
    filters = filters or Filters()
    rows = run_sql(cur, "currency_scope.sql", filters.params()).fetchall()
    known = {c for _, c, _, _ in rows if c}
    amounts = tuple((c, float(a or 0)) for s, c, _, a in rows if s == "orders")
    # orders of no currency beside orders with one: set apart (see the module docstring)
    apart = [(int(n), float(a or 0)) for s, c, n, a in rows if s == "orders" and not c]
    priced = any(s == "orders" and c for s, c, _, _ in rows)
    unknown = {"unknown_orders": apart[0][0], "unknown_amount": apart[0][1]} if apart and priced else {}
    ordered = {c for c, _ in amounts}
    amounts += tuple(
        (c, float(a or 0))
        for s, c, _, a in rows  # web revenue of unknown currency: only alone
        if s == "events" and c not in ordered and (c or not ordered)
    )
    if len(known) == 1:
        return CurrencyScope(known.pop(), amounts, **unknown)
    if len(known) > 1:
        amounts = tuple(sorted(amounts, key=lambda ca: (ca[0] is None, -ca[1])))
        return CurrencyScope(None, amounts)
    ever = [r[0] for r in run_sql(cur, "currency_known.sql", {}).fetchall()]
    if len(ever) == 1:
        return CurrencyScope(ever[0], tuple((ever[0], a) for _, a in amounts))
    code = default or default_currency()
    return CurrencyScope(code, tuple((code, a) for _, a in amounts), assumed=True, known_elsewhere=tuple(ever))


def with_previous_period(filters: Filters, periods) -> Filters:
    """`filters` stretched back over the previous period a comparison shows (`cx.journey.Periods`): the money of
    both periods must be in one currency for "vs the previous period" to mean anything."""
    if periods.previous_start is None:
        return filters
    return replace(filters, start=periods.previous_start, end=periods.end)


def scope_currency(ws, filters: Filters | None = None, default: str | None = None) -> CurrencyScope:
    """`currency_in_scope` on a workspace (for `cx.ui.cache.analysis`: pass `default` so the setting keys it)."""
    with ws.cursor() as cur:
        return currency_in_scope(cur, filters, default)


def amounts_text(scope: CurrencyScope, lang: str) -> str:
    """'EUR 12 340, USD 5 600' (ISO code, whole units, the UI's number style); unknown currency said as such."""
    return ", ".join(
        f"{code or t('money.unknown_code', lang)} {number(amount, lang, 0)}" for code, amount in scope.amounts
    )


def mixed_message(scope: CurrencyScope, lang: str) -> str:
    """'Not available: the orders in scope are in several currencies (EUR 12 340, USD 5 600)…'."""
    return t("money.mixed", lang, amounts=amounts_text(scope, lang))


def set_apart_message(scope: CurrencyScope, lang: str) -> str | None:
    """'1 purchase of no currency left out (10.00, unknown currency): …' when orders without a currency were set
    apart from the money of a single known currency, else None (mixed currencies: nothing is added at all)."""
    if not scope.unknown_orders or scope.code is None:
        return None
    return t(
        "money.set_apart",
        lang,
        n=number(scope.unknown_orders, lang),
        amount=number(scope.unknown_amount, lang, 2),
        currency=scope.code,
        count=scope.unknown_orders,
    )


def assumed_message(scope: CurrencyScope, lang: str) -> str | None:
    """The note shown when the currency was assumed (no file said it), else None."""
    if not scope.assumed:
        return None
    if scope.known_elsewhere:
        return t("money.assumed_scope", lang, currency=scope.code, others=", ".join(scope.known_elsewhere))
    return t("money.assumed", lang, currency=scope.code)


def amount(value, currency, lang: str, decimals: int = 2, short: bool = False) -> str:
    """An amount of an analysis in `currency` (an ISO code, None when unknown, or a `CurrencyScope`) through
    `cx.format.money`; 'n/a (several currencies)' when the scope is mixed (a sum or mean across currencies means
    nothing: the page says why once, with `mixed_message`), 'n/a' alone when `short` (a narrow metric whose
    help or caption says why)."""
    if isinstance(currency, CurrencyScope):
        if currency.mixed:
            return "—" if pd.isna(value) else t("money.not_available_short" if short else "money.not_available", lang)
        currency = currency.code
    return money(value, currency, lang, decimals)
