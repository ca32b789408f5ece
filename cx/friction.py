"""Friction findings: where customers struggle, what it costs, what to do (CX_REFERENCE §3).

Each detector is a small function with a stable code (`DETECTORS`) that reads what the user uploaded and
returns `Finding` records, or says which data it lacks. `find_friction(ws, filters)` runs them all and ranks
the findings, most costly first (revenue at risk, then strength of evidence).

Honest statistics, so that data with no problem yields no finding:

* every comparison is one-sided (worse only) and uses an **exact binomial tail** (the rate of the rest taken as
  the expected rate), not a normal approximation, because windows and groups can be small;
* within a detector, **Bonferroni** over every comparison it made (each window × group × step scanned, each
  group × dimension, each page, theme…): a finding needs p < ALPHA / m (ALPHA = 1 %, family-wise);
* a minimum sample (MIN_SAMPLE observations in the group or window) and a minimum effect (the observed rate at
  least MIN_RELATIVE_GAP = 25 % worse than expected, relative) so a tiny but "significant" gap on big data is
  not a finding.

Incidents are found without being told the dates: for each step of the e-commerce funnel and each device
(and all devices together), every run of 3 to 28 consecutive days is compared with the other days of the period;
the most significant run is the incident window. Step conversion is per session, "sessions containing step k-1
that also contain step k" (the definition of GROUND_TRUTH).

Revenue at risk = (expected − observed conversion) × affected users × value per conversion; the value of one
conversion comes from the data (revenue per converting web session, else AOV of the orders) and, for a step
before the purchase, is multiplied by the share of sessions past that step that go on to buy. Findings about
satisfaction or support measure no conversion: their revenue at risk is None (not estimated), said as such.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import gammaln

from .funnel import ECOMMERCE_EVENTS, PAGE_EVENTS
from .journey import CANCELLED_STATUSES, DEFAULT_RULES, EVENT_ROLES, RETURNED_STATUSES, bind_params, \
    journey_sql, session_params
from .models import Filters
from .money import CurrencyScope, currency_in_scope
from .workspace import Workspace

ALPHA = 0.01
MIN_SAMPLE = 30
MIN_RELATIVE_GAP = 0.25
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 3, 28
THEME_NPS_GAP = 30  # points
PARSIMONY = 2.0
EDGE_DAYS = 5
DRIFT_DAYS = 3  # a stored status still applies when the window moved by at most this many days
ERROR_PATTERN = r"error|erreur|bug|fail|echec|échec|crash|exception|declin|refus"
SEARCH_EVENTS = ("search", "view_search_results", "recherche")
SEGMENT_DIMS = ("device", "channel", "country", "segment")  # allow-list, chosen in SQL by a CASE
STATUSES = ("open", "in_progress", "dismissed")
# the e-commerce funnel, in order; the first present name of each row is a step (add_shipping_info is GA4's
# shipping step, between checkout and payment)
FUNNEL_CANDIDATES = (ECOMMERCE_EVENTS[0], ECOMMERCE_EVENTS[1], ECOMMERCE_EVENTS[2],
                     ("add_shipping_info", "shipping_info_entered", "add_shipping", "livraison"),
                     ECOMMERCE_EVENTS[3], ECOMMERCE_EVENTS[4])
REMEDIES = {  # finding code -> remedy key (CX_REFERENCE §3)
    "FUNNEL_INCIDENT": "incident", "SEGMENT_GAP": "segment", "ERROR_EVENTS": "errors", "SLOW_PAGE": "slow_page",
    "NAVIGATION_LOOP": "navigation", "REPEATED_SEARCH": "navigation", "DWELL_EXIT": "missing_info",
    "CHECKOUT_TROUBLE": "payment", "HIGH_EFFORT": "effort", "LOW_CSAT_TOUCHPOINT": "csat",
    "DETRACTOR_THEME": "theme", "RISING_THEME": "theme", "SLOW_SUPPORT": "support",
    "RISING_COMPLAINTS": "complaints", "RISING_RETURNS": "returns", "LATE_DELIVERY_NPS": "delivery",
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
    value_source: str | None  # "web" (revenue per converting session) | "orders" (AOV) | None
    currency: CurrencyScope | None = None  # the currency of the money; mixed: no revenue at risk is estimated


class NoData(Exception):
    """Raised by a detector whose data is absent; carries the i18n key of the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ============================================================================ statistics


def _log_binom_pmf(k: np.ndarray, n: int, p: float) -> np.ndarray:
    return (math.lgamma(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_tail(k: int, n: int, p: float, lower: bool = True) -> float:
    """Exact P(X ≤ k) (lower) or P(X ≥ k) for X ~ Binomial(n, p)."""
    k, n = int(k), int(n)
    if n <= 0:
        return 1.0
    if p <= 0:
        return 1.0 if lower or k <= 0 else 0.0
    if p >= 1:
        return 1.0 if (not lower) or k >= n else 0.0
    ks = np.arange(0, k + 1) if lower else np.arange(max(k, 0), n + 1)
    if not len(ks):
        return 0.0
    logs = _log_binom_pmf(ks.astype(float), n, p)
    top = logs.max()
    return float(min(1.0, math.exp(top) * np.exp(logs - top).sum()))


def fisher_tail(x1: int, n1: int, x2: int, n2: int, lower: bool = True) -> float:
    """Fisher's exact test, one-sided: P(X ≤ x1) (lower) or P(X ≥ x1) when X is the number of successes that
    fall in group 1 (n1 draws) out of x1 + x2 successes among n1 + n2 (hypergeometric). It does not take the
    other group's rate as known, so a small or noisy comparison group does not inflate significance."""
    x1, n1, x2, n2 = int(x1), int(n1), int(x2), int(n2)
    total, successes = n1 + n2, x1 + x2
    if n1 <= 0 or n2 <= 0 or successes == 0 or successes == total:
        return 1.0
    lo, hi = max(0, n1 - (total - successes)), min(successes, n1)
    ks = np.arange(lo, x1 + 1) if lower else np.arange(x1, hi + 1)
    if not len(ks):
        return 0.0

    def log_choose(a, b):
        return gammaln(a + 1.0) - gammaln(b + 1.0) - gammaln(a - b + 1.0)

    logs = log_choose(successes, ks) + log_choose(total - successes, n1 - ks) - log_choose(total, n1)
    top = logs.max()
    return float(min(1.0, math.exp(top) * np.exp(logs - top).sum()))


def z_score(x1: float, n1: float, x2: float, n2: float) -> float | None:
    """Two-proportion z of x1/n1 against x2/n2 (pooled); None when undefined."""
    if n1 <= 0 or n2 <= 0:
        return None
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return None if se == 0 else (x1 / n1 - x2 / n2) / se


def significant(p_value: float, tests: int, alpha: float = ALPHA) -> bool:
    """Bonferroni: p below alpha / tests."""
    return p_value < alpha / max(tests, 1)


def severity_of(observed: float, expected: float, higher_is_worse: bool = False) -> str:
    """high when the rate is at least half worse than expected (relative), medium from a quarter, else low."""
    if not expected:
        return "high"
    gap = (observed - expected) / expected if higher_is_worse else (expected - observed) / expected
    return "high" if gap >= 0.5 else "medium" if gap >= MIN_RELATIVE_GAP else "low"


def _worse_enough(observed: float, expected: float, higher_is_worse: bool = False) -> bool:
    if higher_is_worse:
        return observed >= expected * (1 + MIN_RELATIVE_GAP) if expected > 0 else observed > 0
    return observed <= expected * (1 - MIN_RELATIVE_GAP)


@dataclass(frozen=True)
class Window:
    start: int  # index of the first day
    end: int  # index of the last day (inclusive)
    n_in: float
    x_in: float
    n_out: float
    x_out: float
    p_value: float
    z: float


def scan_rates(n: np.ndarray, x: np.ndarray, lower: bool = True, min_len: int = MIN_WINDOW_DAYS,
               max_len: int = MAX_WINDOW_DAYS, min_n: int = MIN_SAMPLE) -> tuple[Window | None, int]:
    """The run of consecutive days whose rate x/n differs most from the other days (lower: worse when lower).

    Every run of min_len..max_len days is a comparison (counted in the returned number of tests, also the runs
    too small to test); the 3 runs of each length with the most extreme z (at least min_n in the run and outside)
    get Fisher's exact test against the other days; the shortest run whose p-value is within a factor PARSIMONY
    of the smallest is returned.
    """
    n, x = np.asarray(n, float), np.asarray(x, float)
    days = len(n)
    cn, cx = np.concatenate([[0], np.cumsum(n)]), np.concatenate([[0], np.cumsum(x)])
    total_n, total_x = cn[-1], cx[-1]
    tests, candidates = 0, []
    for length in range(min_len, min(max_len, days - 1) + 1):
        n_in = cn[length:] - cn[:-length]
        x_in = cx[length:] - cx[:-length]
        tests += len(n_in)
        n_out, x_out = total_n - n_in, total_x - x_in
        ok = (n_in >= min_n) & (n_out >= min_n)
        if not ok.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            pool = (x_in + x_out) / (n_in + n_out)
            se = np.sqrt(pool * (1 - pool) * (1 / n_in + 1 / n_out))
            z = (x_in / n_in - x_out / n_out) / se
        z = np.where(ok & np.isfinite(z), z if not lower else -z, -np.inf)
        for i in np.argsort(z)[-3:]:
            if np.isfinite(z[i]):
                candidates.append((float(z[i]), int(i), int(i + length - 1)))
    if not candidates:
        return None, tests
    scored = []
    for z, i, j in candidates:
        n_in, x_in = cn[j + 1] - cn[i], cx[j + 1] - cx[i]
        n_out, x_out = total_n - n_in, total_x - x_in
        p = fisher_tail(x_in, n_in, x_out, n_out, lower=lower)
        scored.append((p, j - i, Window(i, j, n_in, x_in, n_out, x_out, p, z if not lower else -z)))
    # the edges of a window are uncertain when the days around it are thin: among the windows whose p-value is
    # within a factor PARSIMONY of the best one (as good, statistically), the shortest is reported
    best = min(scored, key=lambda w: w[0])[2]
    # the edges of a window are uncertain when the days around it are thin: among the best window and the windows
    # inside it with up to EDGE_DAYS fewer days at either end, the shortest whose p-value is within a factor
    # PARSIMONY of the best is reported (as good, statistically)
    for i in range(best.start, min(best.start + EDGE_DAYS, best.end) + 1):
        for j in range(max(best.end - EDGE_DAYS, i), best.end + 1):
            if j - i + 1 < min_len or (i, j) == (best.start, best.end):
                continue
            n_in, x_in = cn[j + 1] - cn[i], cx[j + 1] - cx[i]
            n_out, x_out = total_n - n_in, total_x - x_in
            if n_in < min_n:
                continue
            p = fisher_tail(x_in, n_in, x_out, n_out, lower=lower)
            z = z_score(x_in, n_in, x_out, n_out) or 0.0
            scored.append((p, j - i, Window(i, j, n_in, x_in, n_out, x_out, p, z)))
    best_p = min(p for p, _, _ in scored)
    return min((w for w in scored if w[0] <= best_p * PARSIMONY), key=lambda w: (w[1], w[0]))[2], tests


def scan_counts(counts: np.ndarray, exposure: np.ndarray, min_len: int = MIN_WINDOW_DAYS,
                max_len: int = MAX_WINDOW_DAYS, min_count: int = 10) -> tuple[Window | None, int]:
    """The run of days where events (complaints, returns…) are most above what the exposure (orders…) predicts.
    Conditional test: given the total K, the count in a run is Binomial(K, the run's share of the exposure).
    Window.x_in / n_in are the count and the exposure in the run (x_out / n_out outside)."""
    k, e = np.asarray(counts, float), np.asarray(exposure, float)
    ck, ce = np.concatenate([[0], np.cumsum(k)]), np.concatenate([[0], np.cumsum(e)])
    total_k, total_e = ck[-1], ce[-1]
    tests, candidates = 0, []
    if total_k <= 0 or total_e <= 0:
        return None, 0
    for length in range(min_len, min(max_len, len(k) - 1) + 1):
        k_in, e_in = ck[length:] - ck[:-length], ce[length:] - ce[:-length]
        tests += len(k_in)
        share = e_in / total_e
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (k_in - total_k * share) / np.sqrt(total_k * share * (1 - share))
        z = np.where((k_in >= min_count) & (share > 0) & (share < 1) & np.isfinite(z), z, -np.inf)
        for i in np.argsort(z)[-20:]:
            if np.isfinite(z[i]):
                candidates.append((float(z[i]), int(i), int(i + length - 1)))
    best = None
    for z, i, j in sorted(candidates, reverse=True)[:20]:
        k_in, e_in = ck[j + 1] - ck[i], ce[j + 1] - ce[i]
        p = binom_tail(int(k_in), int(total_k), e_in / total_e, lower=False)
        if best is None or p < best.p_value:
            best = Window(i, j, e_in, k_in, total_e - e_in, total_k - k_in, p, z)
    return best, tests


def revenue_at_risk(expected: float, observed: float, affected: float, value: float | None) -> float | None:
    """(expected − observed conversion) × affected users × value per conversion; None without a value."""
    if value is None:
        return None
    return max(0.0, expected - observed) * affected * value


# ============================================================================ shared context


class _Context:
    """What several detectors share: the cursor with the session temp tables, the days of the period, the value
    of a conversion."""

    def __init__(self, ws: Workspace, cur, filters: Filters):
        self.ws, self.cur, self.filters = ws, cur, filters
        self.params = {**session_params(filters), "page_view_events": list(PAGE_EVENTS + EVENT_ROLES["page_view"]),
                       "purchase_events": list(EVENT_ROLES["purchase"]), "error_pattern": ERROR_PATTERN,
                       "cancelled": list(CANCELLED_STATUSES), "returned": list(RETURNED_STATUSES),
                       "dwell_seconds": 60.0}
        # the events are read once, into fr_keyed; the detectors read it, its session summaries (fr_sessions)
        # and small aggregates of them
        for table in ("fr_visitors", "fr_keyed", "fr_sessions"):
            self.run(f"friction_{table[3:]}.sql", prefix=f"create or replace temp table {table} as ")
        self.sessions = cur.execute("select count(*) from fr_sessions").fetchall()[0][0]
        names = {r[0] for r in cur.execute("select distinct unnest(names) from fr_sessions").fetchall()}
        self.steps = tuple(next(n for n in row if n in names) for row in FUNNEL_CANDIDATES
                           if any(n in names for n in row))
        self._cache = {}
        self.purchase = next((n for n in EVENT_ROLES["purchase"] if n in names), None)
        value = self.run("friction_value.sql").fetchall()[0]
        web_n, web_rev, orders, order_rev = value
        self.currency = currency_in_scope(cur, filters)
        if self.currency.mixed:  # amounts in several currencies: a value per conversion would add them up
            self.value, self.value_source = None, None
        elif web_n and web_n >= 10:
            self.value, self.value_source = float(web_rev) / web_n, "web"
        elif orders:
            self.value, self.value_source = float(order_rev) / orders, "orders"
        else:
            self.value, self.value_source = None, None

    def run(self, name: str, extra: dict | None = None, prefix: str = ""):
        sql = journey_sql(name)
        return self.cur.execute(prefix + sql, bind_params(sql, {**self.params, **(extra or {})}))

    def df(self, name: str, extra: dict | None = None) -> pd.DataFrame:
        return self.run(name, extra).df()

    def once(self, name: str, compute):
        """compute(), computed once per run and shared by the detectors that need it."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def step_daily(self, step_from: str, step_to: str, dim: str) -> pd.DataFrame:
        """Per day and group of `dim`, the sessions containing step_from (n) and those also containing step_to
        (x), ordered by group and day (friction_step_daily.sql, one query for every step and dimension)."""
        every = self.once("step_daily", lambda: self.df("friction_step_daily.sql", {
            "steps_from": list(self.steps[:-1]), "steps_to": list(self.steps[1:])}))
        part = every[(every["step_from"] == step_from) & (every["step_to"] == step_to) & (every["dim"] == dim)]
        return part[["day", "g", "n", "x"]].reset_index(drop=True)

    def downstream(self, step: str) -> float:
        """Share of sessions containing `step` that also contain the purchase (1 for the purchase itself)."""
        if self.purchase is None or step == self.purchase:
            return 1.0
        n, x = self.cur.execute(
            "select count(*), count(*) filter (where list_contains(names, $p)) from fr_sessions "
            "where list_contains(names, $s)", {"p": self.purchase, "s": step}).fetchall()[0]
        return x / n if n else 0.0

    def affected(self, kind: str, **values) -> pd.DataFrame:
        extra = {"kind": kind, "dim": "all", "value": None, "from_day": None, "to_day": None, "step_from": None,
                 "step_to": None, "name": None, "path": None, **values}
        return self.df("friction_affected.sql", extra)


def _event_stage(name: str | None) -> str | None:
    if not name:
        return None
    for match, pattern, stage in DEFAULT_RULES:
        if match == "event" and name.lower() in [p.strip() for p in pattern.split(",")]:
            return stage
    return None


def _page_stage(path: str | None) -> str | None:
    if not path:
        return None
    for match, pattern, stage in DEFAULT_RULES:
        parts = [p.strip() for p in (pattern or "").split(",")]
        if (match == "page_equals" and path in parts) or (match == "page_contains" and any(p in path for p in parts)):
            return stage
    return None


def _day_index(frame: pd.DataFrame, column: str = "day") -> pd.DatetimeIndex:
    first, last = pd.Timestamp(frame[column].min()), pd.Timestamp(frame[column].max())
    return pd.date_range(first, last, freq="D")


def _key(code: str, *parts) -> str:
    return code + "|" + "|".join("" if p is None else str(p) for p in parts)


# ============================================================================ web detectors


def _need_sessions(ctx: _Context) -> None:
    if not ctx.sessions:
        raise NoData("friction.need.events")


def _need_steps(ctx: _Context) -> None:
    _need_sessions(ctx)
    if len(ctx.steps) < 2:
        raise NoData("friction.need.funnel")


def detect_funnel_incident(ctx: _Context) -> tuple[list[Finding], int]:
    """FUNNEL_INCIDENT: a funnel step whose conversion collapsed during a run of days, for all sessions or one
    device. Overlapping windows at one step keep one finding: the device's when exactly one device is hit, else
    the all-devices one."""
    _need_steps(ctx)
    raw, tests = [], 0
    for a, b in zip(ctx.steps, ctx.steps[1:]):
        for dim in ("all", "device"):
            daily = ctx.step_daily(a, b, dim)
            if daily.empty:
                continue
            index = _day_index(daily)
            for g, part in daily.groupby("g"):
                if dim != "all" and g is None:
                    continue
                part = part.set_index(pd.to_datetime(part["day"]))[["n", "x"]].reindex(index, fill_value=0)
                win, m = scan_rates(part["n"].to_numpy(), part["x"].to_numpy(), lower=True)
                tests += m
                if win is not None:
                    raw.append((a, b, dim, g, index, part, win))
    found = []
    for a, b, dim, g, index, part, win in raw:
        observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
        if not significant(win.p_value, tests) or not _worse_enough(observed, expected):
            continue
        found.append((a, b, dim, g, index, part, win, observed, expected))
    kept = []
    for item in found:
        a, b, dim, g, index, _, win = item[:7]
        overlapping = [o for o in found if o[0] == a and o[6].start <= win.end and win.start <= o[6].end]
        devices = [o for o in overlapping if o[2] == "device"]
        if dim == "all" and len(devices) == 1:
            continue
        if dim == "device" and (len(devices) != 1 and any(o[2] == "all" for o in overlapping)):
            continue
        kept.append(item)
    value = ctx.value
    out = []
    for a, b, dim, g, index, part, win, observed, expected in kept:
        start, end = index[win.start].date(), index[win.end].date()
        per_conversion = None if value is None else value * ctx.downstream(b)
        segment = None if dim == "all" else f"{dim}={g}"
        evidence = pd.DataFrame({"day": index.date, "sessions": part["n"].astype(int).to_numpy(),
                                 "converted": part["x"].astype(int).to_numpy()})
        evidence["rate"] = evidence["converted"] / evidence["sessions"].where(evidence["sessions"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        customers = ctx.affected("dropped", step_from=a, step_to=b, dim=dim, value=None if dim == "all" else g,
                                 from_day=start, to_day=end)
        out.append(Finding(
            code="FUNNEL_INCIDENT", key=_key("FUNNEL_INCIDENT", f"{a}>{b}", segment),
            params={"step_from": a, "step_to": b, "segment": segment or "", "start": start.isoformat(),
                    "end": end.isoformat(), "observed": observed, "expected": expected, "n": int(win.n_in)},
            stage=_event_stage(b), step=f"{a} → {b}", segment=segment, window_start=start, window_end=end,
            severity=severity_of(observed, expected), observed=observed, expected=expected, unit="rate",
            p_value=win.p_value, z=win.z, tests=tests, affected_users=int(win.n_in),
            revenue_at_risk=revenue_at_risk(expected, observed, win.n_in, per_conversion),
            inputs={"expected": expected, "observed": observed, "affected": int(win.n_in),
                    "value_per_conversion": per_conversion, "value_source": ctx.value_source},
            remedy=REMEDIES["FUNNEL_INCIDENT"] if b != ctx.purchase and "payment" not in a else "payment",
            evidence=evidence, chart={"kind": "daily_rate", "x": "day", "y": "rate", "n": "sessions",
                                      "highlight": "in_window", "expected": expected},
            customers=customers))
    return out, tests


def detect_segment_gap(ctx: _Context) -> tuple[list[Finding], int]:
    """SEGMENT_GAP: a group of a dimension (device, channel, country, customer segment) whose step conversion is
    far below that of the other known groups, over the whole period. Sessions without a value are left out of
    the comparison (e.g. visitors not linked to the CRM, whose sessions differ by how they were linked)."""
    _need_steps(ctx)
    rows, tests = [], 0
    for a, b in zip(ctx.steps, ctx.steps[1:]):
        for dim in SEGMENT_DIMS:
            daily = ctx.step_daily(a, b, dim)
            groups = daily.dropna(subset=["g"]).groupby("g")[["n", "x"]].sum()
            if len(groups) < 2:
                continue
            total = groups.sum()
            for g, r in groups.iterrows():
                n_out, x_out = total["n"] - r["n"], total["x"] - r["x"]
                tests += 1
                if r["n"] < MIN_SAMPLE or n_out < MIN_SAMPLE:
                    continue
                p = fisher_tail(r["x"], r["n"], x_out, n_out, lower=True)
                rows.append((a, b, dim, g, r, n_out, x_out, p, groups))
    out = []
    for a, b, dim, g, r, n_out, x_out, p, groups in rows:
        observed, expected = r["x"] / r["n"], x_out / n_out
        if not significant(p, tests) or not _worse_enough(observed, expected):
            continue
        per_conversion = None if ctx.value is None else ctx.value * ctx.downstream(b)
        segment = f"{dim}={g}"
        evidence = groups.reset_index().rename(columns={"g": "group", "n": "sessions", "x": "converted"})
        evidence["rate"] = evidence["converted"] / evidence["sessions"]
        evidence["highlight"] = evidence["group"] == g
        out.append(Finding(
            code="SEGMENT_GAP", key=_key("SEGMENT_GAP", f"{a}>{b}", segment),
            params={"step_from": a, "step_to": b, "segment": segment, "observed": observed, "expected": expected},
            stage=_event_stage(b), step=f"{a} → {b}", segment=segment, window_start=None, window_end=None,
            severity=severity_of(observed, expected), observed=observed, expected=expected, unit="rate",
            p_value=p, z=z_score(r["x"], r["n"], x_out, n_out), tests=tests, affected_users=int(r["n"]),
            revenue_at_risk=revenue_at_risk(expected, observed, r["n"], per_conversion),
            inputs={"expected": expected, "observed": observed, "affected": int(r["n"]),
                    "value_per_conversion": per_conversion, "value_source": ctx.value_source},
            remedy=REMEDIES["SEGMENT_GAP"], evidence=evidence,
            chart={"kind": "bars", "x": "group", "y": "rate", "highlight": "highlight", "expected": expected},
            customers=ctx.affected("dropped", step_from=a, step_to=b, dim=dim, value=g)))
    return out, tests


def detect_error_events(ctx: _Context) -> tuple[list[Finding], int]:
    """ERROR_EVENTS: error-like events (names with error, bug, fail, échec, erreur…) concentrated in a run of
    days, for all sessions or one device: the share of sessions hitting the error is compared with the other
    days. The page where most of them happen is named."""
    _need_sessions(ctx)
    errors = ctx.df("friction_errors.sql")
    if errors.empty:
        raise NoData("friction.need.error_events")
    exposure = ctx.cur.execute("select day, device, count(*) as n from fr_sessions group by all").df()
    index = _day_index(exposure)
    raw, tests = [], 0
    for name, part in errors.groupby("name"):
        for device in [None] + sorted(d for d in exposure["device"].dropna().unique()):
            exp = exposure if device is None else exposure[exposure["device"] == device]
            err = part if device is None else part[part["device"] == device]
            n = exp.groupby("day")["n"].sum().rename(index=pd.Timestamp).reindex(index, fill_value=0)
            x = err.groupby("day")["sessions"].sum().rename(index=pd.Timestamp).reindex(index, fill_value=0)
            win, m = scan_rates(n.to_numpy(), x.to_numpy(), lower=False, min_n=MIN_SAMPLE)
            tests += m
            if win is not None and win.x_in >= 10:
                raw.append((name, device, n, x, win, err))
    found = [r for r in raw if significant(r[4].p_value, tests)
             and _worse_enough(r[4].x_in / r[4].n_in, r[4].x_out / r[4].n_out, higher_is_worse=True)]
    kept = []
    for item in found:  # one device hit: keep it rather than the all-devices echo, as for incidents
        name, device, win = item[0], item[1], item[4]
        overlapping = [o for o in found if o[0] == name and o[4].start <= win.end and win.start <= o[4].end]
        devices = [o for o in overlapping if o[1] is not None]
        if device is None and len(devices) == 1:
            continue
        if device is not None and len(devices) != 1 and any(o[1] is None for o in overlapping):
            continue
        kept.append(item)
    out = []
    for name, device, n, x, win, err in kept:
        start, end = index[win.start].date(), index[win.end].date()
        observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
        inside = err[(pd.to_datetime(err["day"]) >= pd.Timestamp(start)) & (pd.to_datetime(err["day"]) <= pd.Timestamp(end))]
        page = inside.groupby("path", dropna=True)["events"].sum().sort_values(ascending=False)
        path = page.index[0] if len(page) else None
        segment = None if device is None else f"device={device}"
        excess = max(0.0, win.x_in - expected * win.n_in)
        lost = _error_conversion_gap(ctx, name)
        evidence = pd.DataFrame({"day": index.date, "sessions": n.astype(int).to_numpy(),
                                 "with_error": x.astype(int).to_numpy()})
        evidence["rate"] = evidence["with_error"] / evidence["sessions"].where(evidence["sessions"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        days_in = (end - start).days + 1
        events_in, events_out = int(inside["events"].sum()), int(err["events"].sum() - inside["events"].sum())
        out.append(Finding(
            code="ERROR_EVENTS", key=_key("ERROR_EVENTS", name, segment),
            params={"name": name, "page": path or "", "segment": segment or "", "start": start.isoformat(),
                    "end": end.isoformat(), "per_day_in": events_in / days_in,
                    "per_day_out": events_out / max(1, len(index) - days_in), "observed": observed,
                    "expected": expected},
            stage=_page_stage(path) or _event_stage(name) or "purchase", step=path, segment=segment,
            window_start=start, window_end=end, severity=severity_of(observed, expected, True),
            observed=observed, expected=expected, unit="rate", p_value=win.p_value, z=win.z, tests=tests,
            affected_users=int(win.x_in),
            revenue_at_risk=None if ctx.value is None or lost is None else lost * excess * ctx.value,
            inputs={"expected": lost and (lost + 0.0), "observed": 0.0, "affected": round(excess),
                    "value_per_conversion": ctx.value, "value_source": ctx.value_source,
                    "basis": "excess_error_sessions"},
            remedy="payment" if path and any(w in path for w in ("paiement", "payment", "commande", "checkout"))
            else REMEDIES["ERROR_EVENTS"],
            evidence=evidence, chart={"kind": "daily_rate", "x": "day", "y": "rate", "n": "sessions",
                                      "highlight": "in_window", "expected": expected},
            customers=ctx.affected("error", name=name, value=device, from_day=start, to_day=end)))
    return out, tests


def _error_conversion_gap(ctx: _Context, name: str) -> float | None:
    """How much less often sessions hitting the error buy than sessions on the same pages without it."""
    if ctx.purchase is None:
        return None
    row = ctx.cur.execute(
        "with hit as (select distinct session_key, path from fr_keyed where event_name = $name), "
        "pages as (select distinct path from hit), "
        "on_page as (select distinct session_key from fr_keyed where path in (select path from pages)) "
        "select count(*) filter (where e), count(*) filter (where e and b), count(*) filter (where not e), "
        "count(*) filter (where not e and b) from (select s.session_key in (select session_key from hit) as e, "
        "list_contains(s.names, $p) as b from fr_sessions s where s.session_key in (select session_key from on_page))",
        {"name": name, "p": ctx.purchase}).fetchall()[0]
    n_e, b_e, n_o, b_o = row
    if not n_e or not n_o:
        return None
    return max(0.0, b_o / n_o - b_e / n_e)


def _pages(ctx: _Context) -> pd.DataFrame:
    def compute():
        pages = ctx.df("friction_pages.sql")
        return pages.assign(section=pages["path"].map(lambda p: "/" + p.strip("/").split("/")[0] if p else "/"))
    return ctx.once("pages", compute)


def _page_concentration(ctx: _Context, column: str, min_sessions: int = 50, only: str | None = None,
                        base: str = "sessions") -> tuple[list, int]:
    """Pages whose sessions end in `column` (exits, loop exits, dwell exits) far more often than the sessions of
    its sibling pages (the same first path segment, e.g. /produit/…): Fisher's exact test against the siblings,
    Bonferroni over the pages tested, at least MIN_RELATIVE_GAP worse. `base` is the denominator column
    (sessions, or loops). Pages already found slow are left out (their exits are explained). Returns the
    significant pages (row, its section's rows, n and x of the siblings, p-value) and the number of tests."""
    pages = _pages(ctx)
    pages = pages[~pages["path"].isin(getattr(ctx, "slow_pages", ()))]
    if only:
        pages = pages[pages["section"] == only]
    tests, parts = 0, []
    for _, part in pages.groupby("section"):
        if len(part) < 2:
            continue
        tests += len(part)
        n_out, x_out = part[base].sum() - part[base], part[column].sum() - part[column]
        ok = (part[base] >= min_sessions) & (n_out >= min_sessions)
        parts.append((part, n_out, x_out, ok))
    rows = []
    for part, n_out, x_out, ok in parts:
        for r, r_n_out, r_x_out in zip(part[ok].itertuples(), n_out[ok], x_out[ok]):
            if not _worse_enough(getattr(r, column) / getattr(r, base), r_x_out / r_n_out, True):
                continue
            p = fisher_tail(getattr(r, column), getattr(r, base), r_x_out, r_n_out, lower=False)
            if significant(p, tests):
                rows.append((r, part, r_n_out, r_x_out, p))
    return rows, tests


def _page_finding(ctx, code, r, part, n_out, x_out, p, tests, column, extra_params=None, base="sessions"):
    observed, expected = getattr(r, column) / getattr(r, base), x_out / n_out
    conversion = _session_conversion(ctx)
    evidence = part[["path", base, column, "median_load_ms"]].drop_duplicates().copy() if base != "sessions" \
        else part[["path", "sessions", column, "median_load_ms"]].copy()
    evidence["rate"] = evidence[column] / evidence[base].where(evidence[base] > 0)
    evidence["highlight"] = evidence["path"] == r.path
    affected = int(getattr(r, base))
    # an exit instead of going on: the exits above the siblings' rate, each worth the session conversion
    per_conversion = None if ctx.value is None or conversion is None else ctx.value * conversion
    return Finding(
        code=code, key=_key(code, r.path, None),
        params={"page": r.path, "observed": observed, "expected": expected,
                "median_load_ms": None if pd.isna(r.median_load_ms) else float(r.median_load_ms),
                **(extra_params or {})},
        stage=_page_stage(r.path), step=r.path, segment=None, window_start=None, window_end=None,
        severity=severity_of(observed, expected, True), observed=observed, expected=expected, unit="rate",
        p_value=p, z=z_score(getattr(r, column), getattr(r, base), x_out, n_out), tests=tests, affected_users=affected,
        revenue_at_risk=revenue_at_risk(observed, expected, affected, per_conversion),
        inputs={"expected": expected, "observed": observed, "affected": affected,
                "value_per_conversion": per_conversion, "value_source": ctx.value_source, "basis": "extra_exits"},
        remedy=REMEDIES[code], evidence=evidence.sort_values("rate", ascending=False).head(15),
        chart={"kind": "bars", "x": "path", "y": "rate", "highlight": "highlight", "expected": expected},
        customers=ctx.affected("exit", path=r.path) if column == "exits" else None)


def _session_conversion(ctx: _Context) -> float | None:
    if ctx.purchase is None:
        return None
    n, x = ctx.once("conversion", lambda: ctx.cur.execute(
        "select count(*), count(*) filter (where list_contains(names, $p)) from fr_sessions",
        {"p": ctx.purchase}).fetchall()[0])
    return x / n if n else None


def detect_slow_page(ctx: _Context) -> tuple[list[Finding], int]:
    """SLOW_PAGE: a page whose median load time is slow (≥ 2.5 s and ≥ 1.5 × the median of all pages) and
    whose sessions end there far more often than on its sibling pages."""
    _need_sessions(ctx)
    pages = _pages(ctx)
    if not pages["timed_views"].sum():
        raise NoData("friction.need.load_time")
    overall = float(np.nanmedian(np.repeat(pages["median_load_ms"].fillna(np.nan).to_numpy(),
                                           np.maximum(pages["timed_views"].to_numpy(), 0))))
    candidates, tests = _page_concentration(ctx, "exits")
    out = [_page_finding(ctx, "SLOW_PAGE", r, part, n_out, x_out, p, tests, "exits", {"overall_load_ms": overall})
           for r, part, n_out, x_out, p in candidates
           if not pd.isna(r.median_load_ms) and r.median_load_ms >= max(2500.0, 1.5 * overall)]
    ctx.slow_pages = tuple(f.step for f in out)
    return out, tests


def detect_navigation_loop(ctx: _Context) -> tuple[list[Finding], int]:
    """NAVIGATION_LOOP: a page that sessions come back to (A → B → A) and then leave right there without buying,
    far more often than sessions coming back to its sibling pages (the denominator is the sessions that came
    back, so a popular page, which more sessions come back to by chance, is not a finding)."""
    _need_sessions(ctx)
    candidates, tests = _page_concentration(ctx, "loop_exits", min_sessions=MIN_SAMPLE, base="loops")
    return [_page_finding(ctx, "NAVIGATION_LOOP", *candidate, tests, "loop_exits", base="loops")
            for candidate in candidates], tests


def detect_dwell_exit(ctx: _Context) -> tuple[list[Finding], int]:
    """DWELL_EXIT: a product page where sessions stay a long time (≥ 60 s after the view) and then leave, far
    more often than on the other product pages (missing information)."""
    _need_sessions(ctx)
    pages = _pages(ctx)
    section = next((s for s in ("/produit", "/product", "/products", "/p") if (pages["section"] == s).any()), None)
    if section is None:
        raise NoData("friction.need.product_pages")
    candidates, tests = _page_concentration(ctx, "dwell_exits", only=section)
    return [_page_finding(ctx, "DWELL_EXIT", *candidate, tests, "dwell_exits") for candidate in candidates], tests


def detect_repeated_search(ctx: _Context) -> tuple[list[Finding], int]:
    """REPEATED_SEARCH: sessions that search again and again (3 searches or more) then leave without buying,
    concentrated in a run of days (a search that stopped finding things)."""
    _need_sessions(ctx)
    daily = ctx.cur.execute(
        "with s as (select k.session_key, count(*) filter (where list_contains($search, k.event_name)) as searches "
        "from fr_keyed k group by k.session_key) "
        "select f.day, count(*) as n, count(*) filter (where s.searches >= 3 and not list_has_any(f.names, $buy)) "
        "as x from fr_sessions f join s on s.session_key = f.session_key where s.searches > 0 group by f.day",
        {"search": list(SEARCH_EVENTS), "buy": list(EVENT_ROLES["purchase"])}).df()
    if daily.empty:
        raise NoData("friction.need.search")
    index = _day_index(daily)
    daily = daily.set_index(pd.to_datetime(daily["day"]))[["n", "x"]].reindex(index, fill_value=0)
    win, tests = scan_rates(daily["n"].to_numpy(), daily["x"].to_numpy(), lower=False)
    if win is None or win.x_in < 10 or not significant(win.p_value, tests):
        return [], tests
    observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
    if not _worse_enough(observed, expected, True):
        return [], tests
    start, end = index[win.start].date(), index[win.end].date()
    evidence = pd.DataFrame({"day": index.date, "sessions": daily["n"].astype(int).to_numpy(),
                             "searched_and_left": daily["x"].astype(int).to_numpy()})
    evidence["rate"] = evidence["searched_and_left"] / evidence["sessions"].where(evidence["sessions"] > 0)
    evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
    conversion = _session_conversion(ctx)
    per = None if ctx.value is None or conversion is None else ctx.value * conversion
    return [Finding(
        code="REPEATED_SEARCH", key=_key("REPEATED_SEARCH", None, None),
        params={"start": start.isoformat(), "end": end.isoformat(), "observed": observed, "expected": expected},
        stage="consideration", step=None, segment=None, window_start=start, window_end=end,
        severity=severity_of(observed, expected, True), observed=observed, expected=expected, unit="rate",
        p_value=win.p_value, z=win.z, tests=tests, affected_users=int(win.x_in),
        revenue_at_risk=revenue_at_risk(observed, expected, win.n_in, per),
        inputs={"expected": expected, "observed": observed, "affected": int(win.n_in), "value_per_conversion": per,
                "value_source": ctx.value_source, "basis": "extra_exits"},
        remedy=REMEDIES["REPEATED_SEARCH"], evidence=evidence,
        chart={"kind": "daily_rate", "x": "day", "y": "rate", "n": "sessions", "highlight": "in_window",
               "expected": expected})], tests


# ============================================================================ orders, tickets, survey


def _orders(ctx: _Context) -> pd.DataFrame:
    return ctx.once("orders", lambda: ctx.cur.execute(
        "select order_time::date as day, customer_id, amount, lower(coalesce(status, '')) as status, payment_method, "
        "promised_date, delivered_date from orders "
        "where ($start is null or order_time >= $start) and ($end_excl is null or order_time < $end_excl) "
        "and cx_customer_in_scope(customer_id, $segment, $persona)",
        {k: ctx.params[k] for k in ("start", "end_excl", "segment", "persona")}).df())


def detect_checkout_trouble(ctx: _Context) -> tuple[list[Finding], int]:
    """CHECKOUT_TROUBLE: a payment method whose orders end cancelled or abandoned far more often than with the
    other methods."""
    orders = _orders(ctx)
    if orders.empty or orders["payment_method"].isna().all():
        raise NoData("friction.need.payment_method")
    orders = orders.assign(failed=orders["status"].isin(CANCELLED_STATUSES))
    groups = orders.dropna(subset=["payment_method"]).groupby("payment_method")["failed"].agg(["count", "sum"])
    tests, out = len(groups), []
    total = groups.sum()
    aov = float(orders.loc[~orders["failed"], "amount"].mean()) \
        if (~orders["failed"]).any() and not ctx.currency.mixed else None
    for method, r in groups.iterrows():
        n_out, x_out = total["count"] - r["count"], total["sum"] - r["sum"]
        if r["count"] < MIN_SAMPLE or n_out < MIN_SAMPLE:
            continue
        p = fisher_tail(r["sum"], r["count"], x_out, n_out, lower=False)
        observed, expected = r["sum"] / r["count"], x_out / n_out
        if not significant(p, tests) or not _worse_enough(observed, expected, True):
            continue
        evidence = groups.reset_index().rename(columns={"count": "orders", "sum": "cancelled"})
        evidence["rate"] = evidence["cancelled"] / evidence["orders"]
        evidence["highlight"] = evidence["payment_method"] == method
        out.append(Finding(
            code="CHECKOUT_TROUBLE", key=_key("CHECKOUT_TROUBLE", method, None),
            params={"method": method, "observed": observed, "expected": expected}, stage="purchase", step=method,
            segment=None, window_start=None, window_end=None, severity=severity_of(observed, expected, True),
            observed=observed, expected=expected, unit="rate", p_value=p,
            z=z_score(r["sum"], r["count"], x_out, n_out), tests=tests, affected_users=int(r["sum"]),
            revenue_at_risk=revenue_at_risk(observed, expected, r["count"], aov),
            inputs={"expected": expected, "observed": observed, "affected": int(r["count"]),
                    "value_per_conversion": aov, "value_source": "orders", "basis": "extra_cancellations"},
            remedy=REMEDIES["CHECKOUT_TROUBLE"], evidence=evidence,
            chart={"kind": "bars", "x": "payment_method", "y": "rate", "highlight": "highlight",
                   "expected": expected}))
    return out, tests


def detect_rising_returns(ctx: _Context) -> tuple[list[Finding], int]:
    """RISING_RETURNS: a run of days whose delivered orders come back (returned) far more often than usual."""
    orders = _orders(ctx)
    delivered = orders[orders["delivered_date"].notna()]
    if delivered.empty or not delivered["status"].isin(RETURNED_STATUSES).any():
        raise NoData("friction.need.returns")
    delivered = delivered.assign(returned=delivered["status"].isin(RETURNED_STATUSES),
                                 day=pd.to_datetime(delivered["delivered_date"]))
    daily = delivered.groupby("day")["returned"].agg(["count", "sum"])
    index = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    daily = daily.reindex(index, fill_value=0)
    win, tests = scan_rates(daily["count"].to_numpy(), daily["sum"].to_numpy(), lower=False)
    return _rise_finding(ctx, "RISING_RETURNS", win, tests, index, daily["count"], daily["sum"], "orders",
                         "returned", {}), tests


def _rise_finding(ctx, code, win, tests, index, n, x, n_label, x_label, params, segment=None, step=None):
    if win is None or win.x_in < 10 or not significant(win.p_value, tests):
        return []
    observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
    if not _worse_enough(observed, expected, True):
        return []
    start, end = index[win.start].date(), index[win.end].date()
    evidence = pd.DataFrame({"day": index.date, n_label: np.asarray(n, float).round(2),
                             x_label: np.asarray(x, float).round(2)})
    evidence["rate"] = evidence[x_label] / evidence[n_label].where(evidence[n_label] > 0)
    evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
    return [Finding(
        code=code, key=_key(code, step, segment),
        params={"start": start.isoformat(), "end": end.isoformat(), "observed": observed, "expected": expected,
                "what": step or "", **params},
        stage={"RISING_RETURNS": "retention", "RISING_COMPLAINTS": "retention"}.get(code, "advocacy"), step=step,
        segment=segment, window_start=start, window_end=end, severity=severity_of(observed, expected, True),
        observed=observed, expected=expected, unit="rate", p_value=win.p_value, z=win.z, tests=tests,
        affected_users=int(win.x_in), revenue_at_risk=None,
        inputs={"expected": expected, "observed": observed, "affected": int(win.x_in), "value_per_conversion": None,
                "value_source": None}, remedy=REMEDIES[code], evidence=evidence,
        chart={"kind": "daily_rate", "x": "day", "y": "rate", "n": n_label, "highlight": "in_window",
               "expected": expected})]


def _tickets(ctx: _Context) -> pd.DataFrame:
    from .support import list_tickets
    return ctx.once("tickets", lambda: list_tickets(ctx.ws, ctx.filters))


def detect_rising_complaints(ctx: _Context) -> tuple[list[Finding], int]:
    """RISING_COMPLAINTS: a run of days with far more complaints than the orders of those days predict (all
    categories, and each category); the most significant per category."""
    tickets = _tickets(ctx)
    if tickets.empty or not tickets["is_complaint"].any():
        raise NoData("friction.need.complaints")
    orders = _orders(ctx)
    if orders.empty:
        raise NoData("friction.need.orders")
    complaints = tickets[tickets["is_complaint"]].assign(day=lambda d: pd.to_datetime(d["created_at"]).dt.normalize())
    index = pd.date_range(complaints["day"].min(), complaints["day"].max(), freq="D")
    exposure = orders.assign(day=pd.to_datetime(orders["day"])).groupby("day").size().reindex(index, fill_value=0)
    raw, tests = [], 0
    for category, part in [(None, complaints)] + list(complaints.groupby(complaints["category"].fillna(""))):
        counts = part.groupby("day").size().reindex(index, fill_value=0)
        win, m = scan_counts(counts.to_numpy(), exposure.to_numpy())
        tests += m
        raw.append((category or None, win, counts))
    out = []
    for category, win, counts in raw:
        if win is None or not significant(win.p_value, tests):
            continue
        per_order_in, per_order_out = win.x_in / win.n_in, win.x_out / win.n_out
        if not _worse_enough(per_order_in, per_order_out, True):
            continue
        start, end = index[win.start].date(), index[win.end].date()
        evidence = pd.DataFrame({"day": index.date, "orders": exposure.to_numpy(), "complaints": counts.to_numpy()})
        evidence["rate"] = evidence["complaints"] / evidence["orders"].where(evidence["orders"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        out.append(Finding(
            code="RISING_COMPLAINTS", key=_key("RISING_COMPLAINTS", category, None),
            params={"category": category or "", "start": start.isoformat(), "end": end.isoformat(),
                    "observed": per_order_in, "expected": per_order_out,
                    "complaints": int(win.x_in)},
            stage="retention", step=category, segment=None, window_start=start, window_end=end,
            severity=severity_of(per_order_in, per_order_out, True), observed=per_order_in, expected=per_order_out,
            unit="per_order", p_value=win.p_value, z=win.z, tests=tests, affected_users=int(win.x_in),
            revenue_at_risk=None, inputs={"expected": per_order_out, "observed": per_order_in,
                                          "affected": int(win.x_in), "value_per_conversion": None,
                                          "value_source": None},
            remedy=REMEDIES["RISING_COMPLAINTS"], evidence=evidence,
            chart={"kind": "daily_rate", "x": "day", "y": "rate", "n": "orders", "highlight": "in_window",
                   "expected": per_order_out}))
    # the all-categories window and a category's window that overlaps it are one story: keep the category
    cats = [f for f in out if f.step]
    out = [f for f in out if f.step or not any(c.window_start <= f.window_end and f.window_start <= c.window_end
                                               for c in cats)]
    return out, tests


def detect_slow_support(ctx: _Context) -> tuple[list[Finding], int]:
    """SLOW_SUPPORT: a support channel where most first replies come later than customers expect (CX_REFERENCE
    §3: chat 2 min, phone 10 min, social 1 h, e-mail 24 h): the share of answered tickets over the expected
    maximum is tested against one half (the median is over the expectation)."""
    tickets = _tickets(ctx)
    answered = tickets[tickets["first_response_minutes"].notna() & tickets["expected_max_minutes"].notna()]
    if answered.empty:
        raise NoData("friction.need.tickets")
    groups = answered.groupby("channel_group")
    tests, out = len(groups), []
    table = groups.agg(tickets=("ticket_key", "count"), late=("within_expected", lambda s: int((~s.astype(bool)).sum())),
                       median_minutes=("first_response_minutes", "median"),
                       expected_minutes=("expected_max_minutes", "first")).reset_index()
    for r in table.itertuples():
        if r.tickets < MIN_SAMPLE:
            continue
        p = binom_tail(int(r.late), int(r.tickets), 0.5, lower=False)
        if not significant(p, tests) or r.median_minutes < r.expected_minutes * (1 + MIN_RELATIVE_GAP):
            continue
        evidence = table.assign(highlight=table["channel_group"] == r.channel_group)
        customers = tickets[(tickets["channel_group"] == r.channel_group) & (tickets["within_expected"] == False)]  # noqa: E712
        out.append(Finding(
            code="SLOW_SUPPORT", key=_key("SLOW_SUPPORT", r.channel_group, None),
            params={"channel": r.channel_group, "observed": float(r.median_minutes),
                    "expected": float(r.expected_minutes), "late_share": r.late / r.tickets},
            stage="retention", step=r.channel_group, segment=None, window_start=None, window_end=None,
            severity=severity_of(r.median_minutes, r.expected_minutes, True), observed=float(r.median_minutes),
            expected=float(r.expected_minutes), unit="minutes", p_value=p, z=None, tests=tests,
            affected_users=int(customers["customer_id"].nunique() or r.late), revenue_at_risk=None,
            inputs={"expected": float(r.expected_minutes), "observed": float(r.median_minutes),
                    "affected": int(r.late), "value_per_conversion": None, "value_source": None},
            remedy=REMEDIES["SLOW_SUPPORT"], evidence=evidence,
            chart={"kind": "bars", "x": "channel_group", "y": "median_minutes", "highlight": "highlight",
                   "expected": float(r.expected_minutes)},
            customers=customers[["ticket_id", "customer_id", "created_at", "first_response_minutes"]]
            .reset_index(drop=True)))
    return out, tests


def _group_test(ctx, code, table, rate_col, n_col, bad_col, higher_is_worse, params_of, stage, unit="rate"):
    """Each group of `table` against the others: bad answers (bad_col) out of n_col, exact binomial, Bonferroni."""
    tests, out = len(table), []
    total_n, total_bad = table[n_col].sum(), table[bad_col].sum()
    for r in table.itertuples():
        n, bad = getattr(r, n_col), getattr(r, bad_col)
        n_out, bad_out = total_n - n, total_bad - bad
        if n < MIN_SAMPLE or n_out < MIN_SAMPLE:
            continue
        p = fisher_tail(bad, n, bad_out, n_out, lower=False)
        observed, expected = bad / n, bad_out / n_out
        if not significant(p, tests) or not _worse_enough(observed, expected, True):
            continue
        evidence = table.assign(highlight=table.index == r.Index)
        out.append(Finding(
            code=code, key=_key(code, r.group, None), params={"group": r.group, "observed": observed,
                                                              "expected": expected, **params_of(r)},
            stage=stage(r.group), step=r.group, segment=None, window_start=None, window_end=None,
            severity=severity_of(observed, expected, True), observed=observed, expected=expected, unit=unit,
            p_value=p, z=z_score(bad, n, bad_out, n_out), tests=tests, affected_users=int(bad),
            revenue_at_risk=None, inputs={"expected": expected, "observed": observed, "affected": int(bad),
                                          "value_per_conversion": None, "value_source": None},
            remedy=REMEDIES[code], evidence=evidence,
            chart={"kind": "bars", "x": "group", "y": rate_col, "highlight": "highlight", "expected": expected}))
    return out, tests


def _touchpoint_stage(touchpoint) -> str | None:
    for match, pattern, stage in DEFAULT_RULES:
        if match == "response_touchpoint" and pattern and touchpoint and re.search(pattern, str(touchpoint), re.I):
            return stage
    return None


def _answers(ctx: _Context) -> pd.DataFrame:
    from .satisfaction import params as sat_params, query as sat_query
    return ctx.once("answers", lambda: ctx.cur.execute(sat_query("base"), sat_params(ctx.filters)).df())


def detect_high_effort(ctx: _Context) -> tuple[list[Finding], int]:
    """HIGH_EFFORT: a touchpoint whose CES answers say "high effort" (not the low-effort boxes) far more often
    than at the other touchpoints."""
    answers = _answers(ctx)
    ces = answers[answers["ces"].notna() & answers["touchpoint"].notna()]
    if ces.empty:
        raise NoData("friction.need.ces")
    table = ces.groupby("touchpoint").agg(n=("ces", "count"), low=("ces_low_effort", "sum"),
                                          mean=("ces", "mean")).reset_index().rename(columns={"touchpoint": "group"})
    table["high"] = table["n"] - table["low"]
    table["high_effort_share"] = table["high"] / table["n"]
    return _group_test(ctx, "HIGH_EFFORT", table, "high_effort_share", "n", "high", True,
                       lambda r: {"mean": float(r.mean)}, _touchpoint_stage)


def detect_low_csat(ctx: _Context) -> tuple[list[Finding], int]:
    """LOW_CSAT_TOUCHPOINT: a touchpoint whose CSAT answers are unsatisfied (not top-2-box) far more often than at
    the other touchpoints."""
    answers = _answers(ctx)
    csat = answers[answers["csat"].notna() & answers["touchpoint"].notna()]
    if csat.empty:
        raise NoData("friction.need.csat")
    table = csat.groupby("touchpoint").agg(n=("csat", "count"), ok=("csat_satisfied", "sum")).reset_index() \
        .rename(columns={"touchpoint": "group"})
    table["unsatisfied"] = table["n"] - table["ok"]
    table["csat"] = 100 * table["ok"] / table["n"]
    table["unsatisfied_share"] = table["unsatisfied"] / table["n"]
    return _group_test(ctx, "LOW_CSAT_TOUCHPOINT", table, "unsatisfied_share", "n", "unsatisfied", True,
                       lambda r: {"csat": float(r.csat)}, _touchpoint_stage)


def detect_late_delivery_nps(ctx: _Context) -> tuple[list[Finding], int]:
    """LATE_DELIVERY_NPS: customers whose latest order was late answer as detractors far more often than those
    whose latest order came on time (the NPS gap is shown)."""
    answers = _answers(ctx)
    scored = answers[answers["nps"].notna() & answers["late_delivery"].isin(["late", "on_time"])]
    if scored.empty or (scored["late_delivery"] == "late").sum() == 0:
        raise NoData("friction.need.deliveries")
    scored = scored.assign(detractor=scored["nps"] < 7, promoter=scored["nps"] >= 9)
    table = scored.groupby("late_delivery").agg(n=("nps", "count"), detractors=("detractor", "sum"),
                                                promoters=("promoter", "sum")).reset_index()
    table["nps"] = 100 * (table["promoters"] - table["detractors"]) / table["n"]
    table["detractor_share"] = table["detractors"] / table["n"]
    table = table.rename(columns={"late_delivery": "group"})
    late, on_time = table.set_index("group").loc["late"], table.set_index("group").reindex(["on_time"]).iloc[0]
    tests = 1
    if late["n"] < MIN_SAMPLE or not on_time["n"] >= MIN_SAMPLE:
        return [], tests
    p = fisher_tail(late["detractors"], late["n"], on_time["detractors"], on_time["n"], lower=False)
    observed, expected = float(late["nps"]), float(on_time["nps"])
    if not significant(p, tests) or not late["detractor_share"] >= on_time["detractor_share"] * (1 + MIN_RELATIVE_GAP):
        return [], tests
    orders = _orders(ctx)
    done = orders[orders["delivered_date"].notna() & (orders["status"] == "completed")]
    late_orders = done[done["delivered_date"] > done["promised_date"]]
    return [Finding(
        code="LATE_DELIVERY_NPS", key=_key("LATE_DELIVERY_NPS", None, None),
        params={"observed": observed, "expected": expected, "late_share": len(late_orders) / len(done) if len(done)
                else None, "n": int(late["n"])},
        stage="retention", step=None, segment=None, window_start=None, window_end=None,
        severity="high" if expected - observed >= 30 else "medium", observed=observed, expected=expected, unit="nps",
        p_value=p, z=z_score(late["detractors"], late["n"], on_time["detractors"], on_time["n"]), tests=tests,
        affected_users=int(late_orders["customer_id"].nunique()), revenue_at_risk=None,
        inputs={"expected": expected, "observed": observed, "affected": int(late_orders["customer_id"].nunique()),
                "value_per_conversion": None, "value_source": None},
        remedy=REMEDIES["LATE_DELIVERY_NPS"], evidence=table.assign(highlight=table["group"] == "late"),
        chart={"kind": "bars", "x": "group", "y": "nps", "highlight": "highlight", "expected": expected},
        customers=late_orders.groupby("customer_id").agg(late_orders=("day", "count"),
                                                         last_order=("day", "max")).reset_index())], tests


def _comments(ctx: _Context) -> pd.DataFrame:
    from .text import read_comments
    comments = ctx.once("comments", lambda: read_comments(ctx.ws, ctx.filters))
    if comments.empty:
        raise NoData("friction.need.comments")
    return comments


def detect_detractor_theme(ctx: _Context) -> tuple[list[Finding], int]:
    """DETRACTOR_THEME: a theme named far more often in detractors' comments (0–6) than in promoters' (9–10)
    (Fisher's exact test, Bonferroni over the themes) and whose answers have an NPS at least
    THEME_NPS_GAP points below the answers that do not name it: what detractors talk about, and what it costs."""
    from .text import theme_names
    comments = _comments(ctx)
    scored = comments[comments["group"].notna()]
    det, pro = scored[scored["group"] == "detractor"], scored[scored["group"] == "promoter"]
    if len(det) < MIN_SAMPLE or len(pro) < MIN_SAMPLE:
        return [], 0
    rows = []
    for theme in theme_names():
        named = scored["themes"].map(lambda t, th=theme: th in t).astype(bool)
        d, p_ = int((named & (scored["group"] == "detractor")).sum()), int((named & (scored["group"] == "promoter")).sum())
        nps_in = _nps(scored[named]["group"])
        nps_out = _nps(scored[~named]["group"])
        rows.append({"group": theme, "detractors": d, "promoters": p_, "detractor_share": d / len(det),
                     "promoter_share": p_ / len(pro), "nps": nps_in, "nps_without": nps_out,
                     "answers": int(named.sum())})
    table = pd.DataFrame(rows)
    tests, out = len(table), []
    for r in table.itertuples():
        if r.detractors < 10 or r.nps is None or r.nps_without is None:
            continue
        p = fisher_tail(r.detractors, len(det), r.promoters, len(pro), lower=False)
        if not significant(p, tests) or r.nps > r.nps_without - THEME_NPS_GAP:
            continue
        out.append(Finding(
            code="DETRACTOR_THEME", key=_key("DETRACTOR_THEME", r.group, None),
            params={"theme": r.group, "observed": r.detractor_share, "expected": r.promoter_share,
                    "nps": r.nps, "nps_without": r.nps_without, "mentions": int(r.detractors)},
            stage="advocacy", step=r.group, segment=None, window_start=None, window_end=None,
            severity=severity_of(r.detractor_share, r.promoter_share, True), observed=r.detractor_share,
            expected=r.promoter_share, unit="rate", p_value=p, z=None, tests=tests, affected_users=int(r.detractors),
            revenue_at_risk=None, inputs={"expected": r.promoter_share, "observed": r.detractor_share,
                                          "affected": int(r.detractors), "value_per_conversion": None,
                                          "value_source": None},
            remedy=REMEDIES["DETRACTOR_THEME"], evidence=table.assign(highlight=table["group"] == r.group),
            chart={"kind": "pair", "x": "group", "y": "detractor_share", "y2": "promoter_share",
                   "highlight": "highlight"}))
    return out, tests


def _nps(groups: pd.Series) -> float | None:
    if not len(groups):
        return None
    return 100 * ((groups == "promoter").sum() - (groups == "detractor").sum()) / len(groups)


def detect_rising_theme(ctx: _Context) -> tuple[list[Finding], int]:
    """RISING_THEME: a theme whose share of the comments jumps during a run of days (7 to 28)."""
    from .text import theme_names
    comments = _comments(ctx)
    comments = comments.assign(day=pd.to_datetime(comments["responded_at"]).dt.normalize())
    index = pd.date_range(comments["day"].min(), comments["day"].max(), freq="D")
    n = comments.groupby("day").size().reindex(index, fill_value=0)
    raw, tests = [], 0
    for theme in theme_names():
        x = comments[comments["themes"].map(lambda t, th=theme: th in t)].groupby("day").size() \
            .reindex(index, fill_value=0)
        win, m = scan_rates(n.to_numpy(), x.to_numpy(), lower=False, min_len=7)
        tests += m
        raw.append((theme, win, x))
    out = []
    for theme, win, x in raw:
        out += _rise_finding(ctx, "RISING_THEME", win, tests, index, n, x, "comments", "mentions",
                             {"theme": theme}, step=theme)
    return out, tests


DETECTORS = {  # stable code -> detector, in the order they run
    "FUNNEL_INCIDENT": detect_funnel_incident,
    "SEGMENT_GAP": detect_segment_gap,
    "ERROR_EVENTS": detect_error_events,
    "SLOW_PAGE": detect_slow_page,
    "NAVIGATION_LOOP": detect_navigation_loop,
    "REPEATED_SEARCH": detect_repeated_search,
    "DWELL_EXIT": detect_dwell_exit,
    "CHECKOUT_TROUBLE": detect_checkout_trouble,
    "HIGH_EFFORT": detect_high_effort,
    "LOW_CSAT_TOUCHPOINT": detect_low_csat,
    "DETRACTOR_THEME": detect_detractor_theme,
    "RISING_THEME": detect_rising_theme,
    "SLOW_SUPPORT": detect_slow_support,
    "RISING_COMPLAINTS": detect_rising_complaints,
    "RISING_RETURNS": detect_rising_returns,
    "LATE_DELIVERY_NPS": detect_late_delivery_nps,
}


def _rank(f: Finding) -> tuple:
    return (f.revenue_at_risk is None, -(f.revenue_at_risk or 0.0), f.p_value, f.code)


def find_friction(ws: Workspace, filters: Filters | None = None, codes: tuple[str, ...] | None = None,
                  with_status: bool = True) -> FrictionReport:
    """Run the detectors (all, or `codes`) under the global filters and rank the findings: revenue at risk,
    largest first, then those without a money figure by p-value. Each finding carries its stored status
    (open / in_progress / dismissed, `set_finding_status`); dismissed ones stay in the report (the page hides
    them on request).

    Returns
    -------
    FrictionReport: findings (tuple of Finding, ranked), detectors (DetectorRun per detector: code, status
    "ran" | "no_data", reason (i18n key) when no_data, findings, tests), value_per_conversion, value_source.
    """
    filters = filters or Filters()
    findings, runs = [], []
    with ws.cursor() as cur:
        ctx = _Context(ws, cur, filters)
        for code, detector in DETECTORS.items():
            if codes and code not in codes:
                continue
            try:
                found, tests = detector(ctx)
            except NoData as e:
                runs.append(DetectorRun(code, "no_data", e.reason, 0, 0))
                continue
            findings += found
            runs.append(DetectorRun(code, "ran", None, len(found), tests))
        value, source, currency = ctx.value, ctx.value_source, ctx.currency
    if with_status:
        findings = apply_statuses(findings, load_statuses(ws))
    return FrictionReport(tuple(sorted(findings, key=_rank)), tuple(runs), value, source, currency)


# ============================================================================ status (kept in the workspace)


def load_statuses(ws: Workspace) -> pd.DataFrame:
    """Stored statuses: key, window_start, window_end, status, updated_at."""
    with ws.cursor() as cur:
        return cur.execute("select key, window_start, window_end, status, updated_at from friction_status").df()


def _same_window(a_start, a_end, b_start, b_end) -> bool:
    if a_start is None or b_start is None or pd.isna(a_start) or pd.isna(b_start):
        return (a_start is None or pd.isna(a_start)) and (b_start is None or pd.isna(b_start))
    a_start, a_end = pd.Timestamp(a_start), pd.Timestamp(a_end)
    b_start, b_end = pd.Timestamp(b_start), pd.Timestamp(b_end)
    return abs((a_start - b_start).days) <= DRIFT_DAYS and abs((a_end - b_end).days) <= DRIFT_DAYS


def status_of(finding: Finding, statuses: pd.DataFrame) -> str:
    """The stored status of a finding: same key (code + step/page + segment) and a window within DRIFT_DAYS."""
    for r in statuses[statuses["key"] == finding.key].sort_values("updated_at", ascending=False).itertuples():
        if _same_window(finding.window_start, finding.window_end, r.window_start, r.window_end):
            return r.status
    return "open"


def apply_statuses(findings, statuses: pd.DataFrame) -> list[Finding]:
    from dataclasses import replace
    return [replace(f, status=status_of(f, statuses)) for f in findings]


def set_finding_status(ws: Workspace, finding: Finding, status: str) -> None:
    """Mark a finding open, in progress or dismissed; kept across recomputation (a window that moves by a few
    days keeps it)."""
    from .errors import CxError
    if status not in STATUSES:
        raise CxError(f"unknown status {status!r}", fix="use open, in_progress or dismissed")
    statuses = load_statuses(ws)
    with ws.transaction() as cur:
        for r in statuses[statuses["key"] == finding.key].itertuples():
            if _same_window(finding.window_start, finding.window_end, r.window_start, r.window_end):
                cur.execute("delete from friction_status where key = $k and window_start is not distinct from $s "
                            "and window_end is not distinct from $e",
                            {"k": r.key, "s": None if pd.isna(r.window_start) else r.window_start,
                             "e": None if pd.isna(r.window_end) else r.window_end}).fetchall()
        cur.execute("insert into friction_status values ($k, $code, $s, $e, $status, now()::timestamp)",
                    {"k": finding.key, "code": finding.code, "s": finding.window_start, "e": finding.window_end,
                     "status": status}).fetchall()


# ============================================================================ words


def finding_title(finding: Finding, lang: str = "en") -> str:
    """The one-sentence title in `lang` (dates as written in that language, rates as percentages)."""
    from .charts_friction import title_values
    from .i18n import t
    return t(finding.title_key, lang, **title_values(finding, lang, markdown=False))


def findings_table(findings, lang: str = "en", currency: CurrencyScope | None = None) -> pd.DataFrame:
    """One row per finding (a FrictionReport or a sequence of Finding, in rank order) for an export: rank, code, title, stage, step, segment, window_start, window_end,
    severity, observed, expected, unit, p_value, tests, affected_users, revenue_at_risk, value_per_conversion,
    currency (ISO code of the money columns: `currency`, else the report's; empty when mixed or unknown), remedy,
    status."""
    from .i18n import t
    rows = []
    if isinstance(findings, FrictionReport):
        currency = currency or findings.currency
        findings = findings.findings
    code = currency.code if currency is not None else None
    for i, f in enumerate(findings, start=1):
        rows.append({"rank": i, "code": f.code, "title": finding_title(f, lang), "stage": f.stage, "step": f.step,
                     "segment": f.segment, "window_start": f.window_start, "window_end": f.window_end,
                     "severity": f.severity, "observed": f.observed, "expected": f.expected, "unit": f.unit,
                     "p_value": f.p_value, "tests": f.tests, "affected_users": f.affected_users,
                     "revenue_at_risk": f.revenue_at_risk, "value_per_conversion": f.inputs.get("value_per_conversion"),
                     "currency": code, "remedy": t(f.remedy_key, lang), "status": f.status})
    return pd.DataFrame(rows, columns=["rank", "code", "title", "stage", "step", "segment", "window_start",
                                       "window_end", "severity", "observed", "expected", "unit", "p_value", "tests",
                                       "affected_users", "revenue_at_risk", "value_per_conversion", "currency", "remedy",
                                       "status"])


def top_findings(ws: Workspace, report: FrictionReport | None = None, n: int = 3) -> tuple[Finding, ...]:
    """The `n` most costly findings that are not dismissed (for the Overview page); `report` is a (cached)
    find_friction result, computed over all the data when None."""
    report = report or find_friction(ws, with_status=False)
    return tuple(f for f in apply_statuses(report.findings, load_statuses(ws)) if f.status != "dismissed")[:n]
