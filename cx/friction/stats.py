"""The statistics of the friction detectors: exact one-sided tests, Bonferroni, the minimum effect, the scan for
the run of days that differs most, revenue at risk. Pure functions of numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..stats import MIN_SAMPLE, two_proportion_z

ALPHA = 0.01
MIN_RELATIVE_GAP = 0.25
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 3, 28
PARSIMONY = 2.0
EDGE_DAYS = 5


@cache
def scipy_gammaln():
    """SciPy's log-gamma of arrays (`scipy.special.gammaln`), imported on first use (~0.2 s): the maturity and the
    other importers of cx.friction do not load SciPy, and the findings import it in a thread beside their first
    query (cx.preload). Not `math.lgamma`: it differs from gammaln in the last bits, and the p-values by up to 2e-9
    (relative)."""
    from scipy.special import gammaln as log_gamma

    return log_gamma


def _log_binom_pmf(k: np.ndarray, n: int, p: float) -> np.ndarray:
    lg = scipy_gammaln()
    return math.lgamma(n + 1) - lg(k + 1) - lg(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


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
    # a count outside what the margins allow (inconsistent counts) is clamped to them: the tail is then all or nothing
    first, last = (lo, min(x1, hi)) if lower else (max(x1, lo), hi)
    if first > last:
        return 0.0

    log_gamma = scipy_gammaln()

    def log_choose(a, b):
        return log_gamma(a + 1.0) - log_gamma(b + 1.0) - log_gamma(a - b + 1.0)

    def log_pmf(ks):
        return log_choose(successes, ks) + log_choose(total - successes, n1 - ks) - log_choose(total, n1)

    lg = math.lgamma
    # the terms of log_pmf_at that do not depend on k, computed once (the same floats, added in the same order)
    of_successes, of_failures = lg(successes + 1.0), lg(total - successes + 1.0)
    of_draws = lg(total + 1.0) - lg(n1 + 1.0) - lg(total - n1 + 1.0)

    def log_pmf_at(k: int) -> float:  # one term, in plain floats: the search below asks for ~40 of them
        return (
            of_successes
            - lg(k + 1.0)
            - lg(successes - k + 1.0)
            + of_failures
            - lg(n1 - k + 1.0)
            - lg(total - successes - n1 + k + 1.0)
            - of_draws
        )

    # the terms rise up to the mode and fall after it: only those within UNDERFLOW (in log) of the largest term of
    # the tail are summed, the others are 0.0 once exponentiated below (at 5M events a tail spans up to 10⁵
    # terms, nearly all of them 0.0). The bounds are searched with math.lgamma, one term at a time (a NumPy call
    # per term cost more than the whole sum); it may differ from gammaln in the last digits, which moves a bound
    # only among terms ~800 below the largest, 0.0 either way: the sum, computed with gammaln, is the same.
    peak = min(max((n1 + 1) * (successes + 1) // (total + 2), first), last)
    floor = log_pmf_at(peak) - UNDERFLOW
    first = _first_above(log_pmf_at, floor, first, peak, rising=True)
    last = _first_above(log_pmf_at, floor, peak, last, rising=False)
    logs = log_pmf(np.arange(first, last + 1).astype(float))
    top = logs.max()
    return float(min(1.0, math.exp(top) * np.exp(logs - top).sum()))


UNDERFLOW = 800.0  # exp(−800) is 0.0 in float64: a term this far below the largest adds nothing to the sum


def _first_above(log_pmf_at, floor: float, start: int, end: int, rising: bool) -> int:
    """On [start, end], where log_pmf_at (one term's log) rises (rising) or falls: the first k (rising) or the
    last k whose term is at least `floor` (binary search; the peak end always is)."""
    lo, hi = start, end
    while lo < hi:
        if rising:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if log_pmf_at(mid) >= floor else (mid + 1, hi)
        else:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if log_pmf_at(mid) >= floor else (lo, mid - 1)
    return lo


def significant(p_value: float, tests: int, alpha: float = ALPHA) -> bool:
    """Bonferroni: p below alpha / tests."""
    return p_value < alpha / max(tests, 1)


def severity_of(observed: float, expected: float, higher_is_worse: bool = False) -> str:
    """high when the rate is at least half worse than expected (relative), medium from a quarter, else low."""
    if not expected:
        return "high"
    gap = (observed - expected) / expected if higher_is_worse else (expected - observed) / expected
    return "high" if gap >= 0.5 else "medium" if gap >= MIN_RELATIVE_GAP else "low"


def worse_enough(observed: float, expected: float, higher_is_worse: bool = False) -> bool:
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


def scan_rates(
    n: np.ndarray,
    x: np.ndarray,
    lower: bool = True,
    min_len: int = MIN_WINDOW_DAYS,
    max_len: int = MAX_WINDOW_DAYS,
    min_n: int = MIN_SAMPLE,
) -> tuple[Window | None, int]:
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
            z = two_proportion_z(x_in, n_in, x_out, n_out) or 0.0
            scored.append((p, j - i, Window(i, j, n_in, x_in, n_out, x_out, p, z)))
    best_p = min(p for p, _, _ in scored)
    return min((w for w in scored if w[0] <= best_p * PARSIMONY), key=lambda w: (w[1], w[0]))[2], tests


def scan_counts(
    counts: np.ndarray,
    exposure: np.ndarray,
    min_len: int = MIN_WINDOW_DAYS,
    max_len: int = MAX_WINDOW_DAYS,
    min_count: int = 10,
) -> tuple[Window | None, int]:
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
