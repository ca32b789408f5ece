"""What the friction detectors return: a finding, how each detector ran, the ranked report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..money import CurrencyScope

REMEDIES = {  # finding code -> remedy key (CX_REFERENCE §3)
    "FUNNEL_INCIDENT": "incident",
    "SEGMENT_GAP": "segment",
    "ERROR_EVENTS": "errors",
    "SLOW_PAGE": "slow_page",
    "NAVIGATION_LOOP": "navigation",
    "REPEATED_SEARCH": "navigation",
    "DWELL_EXIT": "missing_info",
    "CHECKOUT_TROUBLE": "payment",
    "HIGH_EFFORT": "effort",
    "LOW_CSAT_TOUCHPOINT": "csat",
    "DETRACTOR_THEME": "theme",
    "RISING_THEME": "theme",
    "SLOW_SUPPORT": "support",
    "RISING_COMPLAINTS": "complaints",
    "RISING_RETURNS": "returns",
    "LATE_DELIVERY_NPS": "delivery",
}

#: what a finding's `affected_users` counts, per code: web detectors count sessions (visits), the others the
#: orders, tickets, answers or customers their test is over
AFFECTED_UNITS = {
    "FUNNEL_INCIDENT": "sessions",
    "SEGMENT_GAP": "sessions",
    "ERROR_EVENTS": "sessions",
    "SLOW_PAGE": "sessions",
    "NAVIGATION_LOOP": "sessions",
    "REPEATED_SEARCH": "sessions",
    "DWELL_EXIT": "sessions",
    "CHECKOUT_TROUBLE": "orders",
    "RISING_RETURNS": "orders",
    "RISING_COMPLAINTS": "tickets",
    "SLOW_SUPPORT": "customers",
    "HIGH_EFFORT": "answers",
    "LOW_CSAT_TOUCHPOINT": "answers",
    "DETRACTOR_THEME": "answers",
    "RISING_THEME": "answers",
    "LATE_DELIVERY_NPS": "customers",
}


@dataclass(frozen=True)
class Finding:
    """One friction finding. The sentence is `friction.title.<code>` filled with `params` (strings and
    numbers, language-neutral: ISO dates, shares 0–1); pages and the CLI format it.

    observed / expected are in `unit` ("rate" 0–1, "minutes", "nps" points, "ms", "per_day"); confidence is the
    one-sided exact p-value of the comparison, `tests` the number of comparisons it was corrected for
    (Bonferroni: significant when p < ALPHA / tests). revenue_at_risk = (expected − observed) × affected_users ×
    value_per_conversion (`inputs` lists them); None when the finding measures no conversion. evidence is a small
    table a person can check and `chart` says how to draw it (see cx.charts_friction). customers lists the
    visitors/customers touched (visitor_id, customer_id, …) when the data can name them.
    """

    code: str
    key: str
    params: dict = field(compare=False)
    stage: str | None
    step: str | None
    segment: str | None
    window_start: dt.date | None
    window_end: dt.date | None
    severity: str
    observed: float
    expected: float
    unit: str
    p_value: float
    z: float | None
    tests: int
    affected_users: int
    revenue_at_risk: float | None
    inputs: dict = field(compare=False)
    remedy: str = ""
    evidence: pd.DataFrame = field(default=None, compare=False, repr=False)
    chart: dict = field(default_factory=dict, compare=False)
    customers: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    status: str = "open"

    @property
    def title_key(self) -> str:
        return f"friction.title.{self.code}"

    @property
    def remedy_key(self) -> str:
        return f"friction.remedy.{self.remedy}"

    @property
    def affected_unit(self) -> str:
        """What `affected_users` counts: sessions | orders | tickets | answers | customers (AFFECTED_UNITS)."""
        return AFFECTED_UNITS.get(self.code, "customers")


@dataclass(frozen=True)
class DetectorRun:
    code: str
    status: str  # "ran" | "no_data"
    reason: str | None  # i18n key saying which data is missing
    findings: int
    tests: int


@dataclass(frozen=True)
class FrictionReport:
    findings: tuple[Finding, ...]
    detectors: tuple[DetectorRun, ...]
    value_per_conversion: float | None
    value_source: str | None  # "web" (revenue per converting session) | "web_priced" (the same, sessions of no
    # currency left out) | "orders" (AOV) | None
    currency: CurrencyScope | None = None  # the currency of the money; mixed: no revenue at risk is estimated


class NoData(Exception):
    """Raised by a detector whose data is absent; carries the i18n key of the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def finding_key(code: str, *parts) -> str:
    """The stable identity of a finding across recomputation (its stored status is kept under it)."""
    return code + "|" + "|".join("" if p is None else str(p) for p in parts)
