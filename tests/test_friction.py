"""Friction statistics and revenue at risk against hand-worked values; detectors on small hand-made tables;
statuses kept across recomputation; detectors without their data say so."""

import datetime as dt
import math

import numpy as np
import pytest

from cx.friction import (
    ALPHA,
    binom_tail,
    find_friction,
    fisher_tail,
    load_statuses,
    revenue_at_risk,
    scan_counts,
    scan_rates,
    set_finding_status,
    significant,
)
from tests.test_satisfaction import insert


def test_binomial_tail_by_hand():
    # X ~ Bin(4, 0.5): P(X ≤ 1) = (1 + 4) / 16 = 0.3125; P(X ≥ 4) = 1/16 = 0.0625
    assert binom_tail(1, 4, 0.5) == pytest.approx(0.3125)
    assert binom_tail(4, 4, 0.5, lower=False) == pytest.approx(0.0625)
    # X ~ Bin(3, 0.2): P(X ≥ 2) = 3 · 0.04 · 0.8 + 0.008 = 0.104
    assert binom_tail(2, 3, 0.2, lower=False) == pytest.approx(0.104)


def test_fisher_tail_by_hand():
    # 2×2 table: group 1 has 3 of 3 successes, group 2 has 0 of 3; 3 successes among 6, 3 drawn:
    # P(X ≥ 3) = C(3,3)·C(3,0)/C(6,3) = 1/20 = 0.05; P(X ≤ 0) for the mirror table is the same 0.05
    assert fisher_tail(3, 3, 0, 3, lower=False) == pytest.approx(0.05)
    assert fisher_tail(0, 3, 3, 3, lower=True) == pytest.approx(0.05)
    # 1 of 2 vs 1 of 2: P(X ≥ 1) = 1 − C(2,0)·C(2,2)/C(4,2) = 1 − 1/6
    assert fisher_tail(1, 2, 1, 2, lower=False) == pytest.approx(5 / 6)
    # a group with no success anywhere is no evidence
    assert fisher_tail(0, 10, 0, 10) == 1.0
    # inconsistent counts (5 successes among 3 draws) are clamped to the margins, never a math domain error:
    # P(X ≤ 5) spans the whole support (X ≤ 3 draws), P(X ≥ 5) is empty
    assert fisher_tail(5, 3, 1, 10, lower=True) == pytest.approx(1.0)
    assert fisher_tail(5, 3, 1, 10, lower=False) == 0.0
    assert fisher_tail(-1, 3, 4, 10, lower=False) == pytest.approx(1.0)


def test_bonferroni_threshold():
    # 1 % family-wise over 100 comparisons: each needs p < 0.0001
    assert significant(0.00009, 100) and not significant(0.00011, 100) and ALPHA == 0.01


@pytest.mark.parametrize(
    "expected, observed, affected, value, risk",
    [
        # (0.76 − 0.28) × 50 sessions × 80 € = 0.48 × 4 000 = 1 920 €
        (0.76, 0.28, 50, 80.0, 1920.0),
        # better than expected: nothing at risk
        (0.5, 0.6, 100, 10.0, 0.0),
        # no value of a conversion in the data: not estimated
        (0.5, 0.2, 100, None, None),
    ],
)
def test_revenue_at_risk(expected, observed, affected, value, risk):
    assert revenue_at_risk(expected, observed, affected, value) == (None if risk is None else pytest.approx(risk))


def test_scan_finds_the_planted_run_and_nothing_in_flat_data():
    rng = np.random.default_rng(3)
    n = np.full(60, 40)
    x = rng.binomial(40, 0.7, 60)
    win, tests = scan_rates(n, x)
    # every run of 3..28 days of 60 is a comparison: Σ (60 − L + 1) for L = 3..28 = 26 · 58 − (0 + … + 25) = 1 183
    assert tests == sum(60 - length + 1 for length in range(3, 29)) == 1183
    assert not significant(win.p_value, tests)
    x[20:30] = rng.binomial(40, 0.3, 10)  # days 20..29 collapse to 30 %
    win, _ = scan_rates(n, x)
    assert significant(win.p_value, tests) and abs(win.start - 20) <= 1 and abs(win.end - 29) <= 1
    assert win.x_in / win.n_in < 0.4 and win.x_out / win.n_out > 0.6


def test_count_scan_against_exposure():
    exposure = np.full(50, 20.0)
    counts = np.full(50, 1.0)
    counts[10:15] = 8  # 40 complaints in 5 days where 5 are expected
    win, tests = scan_counts(counts, exposure)
    assert (win.start, win.end) == (10, 14) and win.x_in == 40 and significant(win.p_value, tests)
    exposure[10:15] = 160.0  # the same complaints with 8 times the orders: the rate did not rise
    win, tests = scan_counts(counts, exposure)
    assert win is None or not significant(win.p_value, tests)


def _sessions(day: dt.date, device: str, n: int, bought: int, start: int) -> list[dict]:
    """n sessions reaching add_payment_info, `bought` of them purchasing; one visitor per session."""
    rows = []
    for i in range(n):
        v, t = f"v{start + i}", dt.datetime.combine(day, dt.time(12)) + dt.timedelta(seconds=i)
        rows.append(
            {"event_time": t, "visitor_id": v, "event_name": "add_payment_info", "device": device, "session_id": "1"}
        )
        if i < bought:
            rows.append(
                {
                    "event_time": t + dt.timedelta(seconds=1),
                    "visitor_id": v,
                    "event_name": "purchase",
                    "device": device,
                    "session_id": "1",
                    "revenue": 100.0,
                }
            )
    return rows


@pytest.fixture
def incident_ws(ws):
    rows, k, start = [], 0, dt.date(2025, 3, 1)
    for d in range(40):
        day = start + dt.timedelta(days=d)
        inside = 15 <= d <= 21  # 2025-03-16 .. 2025-03-22: mobile converts 2 of 10 instead of 8 of 10
        rows += _sessions(day, "mobile", 10, 2 if inside else 8, k)
        rows += _sessions(day, "desktop", 10, 8, k + 10)
        k += 20
    insert(ws, "events", rows)
    return ws


def test_funnel_incident_on_a_hand_made_log(incident_ws):
    report = find_friction(incident_ws, codes=("FUNNEL_INCIDENT", "SEGMENT_GAP"))
    [f] = report.findings
    assert (f.code, f.segment, f.window_start, f.window_end) == (
        "FUNNEL_INCIDENT",
        "device=mobile",
        dt.date(2025, 3, 16),
        dt.date(2025, 3, 22),
    )
    # inside: 14 of 70 mobile sessions bought (0.2); outside: 264 of 330 (0.8)
    assert (f.observed, f.expected, f.affected_users) == (pytest.approx(0.2), pytest.approx(0.8), 70)
    # value of a conversion: 100 € per converting session (every purchase is 100 €; purchase is the last step);
    # at risk: (0.8 − 0.2) × 70 × 100 = 4 200 €
    assert f.revenue_at_risk == pytest.approx(4200.0) and f.inputs["value_per_conversion"] == pytest.approx(100.0)
    assert len(f.customers) == 56  # the 70 − 14 mobile sessions that did not buy, one visitor each
    assert f.evidence["in_window"].sum() == 7


def test_status_survives_recomputation_and_small_drift(incident_ws):
    [f] = find_friction(incident_ws, codes=("FUNNEL_INCIDENT",)).findings
    set_finding_status(incident_ws, f, "dismissed")
    assert find_friction(incident_ws, codes=("FUNNEL_INCIDENT",)).findings[0].status == "dismissed"
    from dataclasses import replace

    moved = replace(
        f, window_start=f.window_start + dt.timedelta(days=2), window_end=f.window_end + dt.timedelta(days=1)
    )
    far = replace(
        f, window_start=f.window_start + dt.timedelta(days=10), window_end=f.window_end + dt.timedelta(days=10)
    )
    from cx.friction import status_of

    statuses = load_statuses(incident_ws)
    assert status_of(moved, statuses) == "dismissed" and status_of(far, statuses) == "open"
    set_finding_status(incident_ws, f, "in_progress")  # replaces, never duplicates
    assert list(load_statuses(incident_ws)["status"]) == ["in_progress"]


def test_empty_workspace_says_what_each_detector_needs(ws):
    report = find_friction(ws)
    assert report.findings == () and {d.status for d in report.detectors} == {"no_data"}
    reasons = {d.code: d.reason for d in report.detectors}
    assert reasons["FUNNEL_INCIDENT"] == "friction.need.events" and reasons["SLOW_SUPPORT"] == "friction.need.tickets"
    assert all(r.startswith("friction.need.") for r in reasons.values())


def test_slow_page_needs_load_times(incident_ws):
    [run] = find_friction(incident_ws, codes=("SLOW_PAGE",)).detectors
    assert (run.status, run.reason) == ("no_data", "friction.need.load_time")


def test_affected_visitors_carry_their_latest_session(incident_ws):
    # one more mobile visitor, inside the incident's window, with two sessions that reach add_payment_info and do
    # not buy: first from the newsletter, then (a day later) from search; the download lists them once, with 2
    # sessions and the channel of the later one, whatever order the engine reads the rows in
    rows = [
        {
            "event_time": dt.datetime(2025, 3, 17 + i, 9),
            "visitor_id": "twice",
            "event_name": "add_payment_info",
            "device": "mobile",
            "session_id": str(i),
            "channel": channel,
        }
        for i, channel in enumerate(("email", "search"))
    ]
    insert(incident_ws, "events", rows)
    [f] = find_friction(incident_ws, codes=("FUNNEL_INCIDENT",)).findings
    twice = f.customers[f.customers["visitor_id"] == "twice"]
    assert (len(twice), int(twice["sessions"].iloc[0]), twice["channel"].iloc[0]) == (1, 2, "search")
    assert len(f.customers) == 57  # the 56 one-session visitors of the incident test, and this one


def test_name_sets_conversion_and_step_groups_by_hand(incident_ws):
    # 40 days × (10 mobile + 10 desktop) sessions, each with add_payment_info; bought: mobile 2 of 10 a day on
    # the 7 days 16–22 March and 8 of 10 on the 33 others, desktop 8 of 10 every day:
    # 7 × 2 + 33 × 8 + 40 × 8 = 14 + 264 + 320 = 598 sessions with a purchase, 800 − 598 = 202 without
    from cx.friction.context import Context
    from cx.models import Filters

    with incident_ws.cursor() as cur:
        ctx = Context(incident_ws, cur, Filters())
        sets = cur.execute("select names, bought, sessions from fr_name_sets order by sessions").fetchall()
        assert sets == [(["add_payment_info"], False, 202), (["add_payment_info", "purchase"], True, 598)]
        assert ctx.downstream("add_payment_info") == pytest.approx(598 / 800)
        assert ctx.downstream("view_item") == 0.0  # no session holds it
        day = dt.date(2025, 3, 16)
        by_device = ctx.step_daily("add_payment_info", "purchase", "device")
        on_day = by_device[by_device["day"].dt.date == day]
        assert on_day[["g", "n", "x"]].values.tolist() == [["desktop", 10, 8], ["mobile", 10, 2]]
        every = ctx.step_daily("add_payment_info", "purchase", "all")
        assert every.loc[every["day"].dt.date == day, ["g", "n", "x"]].values.tolist() == [["all", 20, 10]]
        # the visitors of mobile sessions of 16 March without the purchase: 8 (v300 + 2 … v300 + 9)
        dropped = ctx.affected(
            "dropped",
            step_from="add_payment_info",
            step_to="purchase",
            dim="device",
            value="mobile",
            from_day=day,
            to_day=day,
        )
        assert sorted(dropped["visitor_id"]) == sorted(f"v{300 + i}" for i in range(2, 10))
        assert set(dropped["device"]) == {"mobile"}
        unknown = ctx.affected("dropped", step_from="add_payment_info", step_to="purchase", dim="device", value="tv")
        assert unknown.empty  # a device no session has: nobody (not the sessions without a device)


def test_session_names_any_case_and_many_names(ws):
    # 70 distinct event names (more than a 64-bit mask could give one bit each), written in several cases: each
    # session keeps the tracked names it contains (the funnel steps and purchase events the detectors ask about:
    # TRACKED_NAMES, one bit each), lower-case, once each; the 66 custom names are not asked about, so not kept;
    # the steps and the purchase are found from them
    names = [f"custom_{i:02}" for i in range(66)] + ["view_item", "add_to_cart", "begin_checkout", "purchase"]
    t0, rows = dt.datetime(2025, 3, 1, 12), []
    for s, picked in enumerate((names[:3], names[60:], ["View_Item", "VIEW_ITEM", "Add_To_Cart", "purchase"])):
        rows += [
            {
                "event_time": t0 + dt.timedelta(minutes=s, seconds=i),
                "visitor_id": f"v{s}",
                "event_name": n,
                "session_id": "1",
            }
            for i, n in enumerate(picked)
        ]
    insert(ws, "events", rows)
    from cx.friction.context import TRACKED_NAMES, Context
    from cx.models import Filters

    with ws.cursor() as cur:
        ctx = Context(ws, cur, Filters())
        named = (  # each session's visitor and set of names
            "fr_sessions s join fr_name_sets n on n.name_set = s.name_set"
            " join (select distinct visitor_id from events) v on hash(v.visitor_id) = s.visitor_key"
        )
        got = dict(cur.execute(f"select visitor_id, list_sort(names) from {named}").fetchall())
        bought = dict(cur.execute(f"select visitor_id, bought from {named}").fetchall())
        sets = dict(cur.execute(f"select visitor_id, s.name_set from {named}").fetchall())
    assert got == {
        "v0": [],
        "v1": ["add_to_cart", "begin_checkout", "purchase", "view_item"],
        "v2": ["add_to_cart", "purchase", "view_item"],
    }
    # the set is the OR of one bit per tracked name, bit i for the name at position i of TRACKED_NAMES

    def bits(*tracked):
        return sum(1 << TRACKED_NAMES.index(n) for n in tracked)

    assert sets == {
        "v0": 0,
        "v1": bits("view_item", "add_to_cart", "begin_checkout", "purchase"),
        "v2": bits("view_item", "add_to_cart", "purchase"),
    }
    assert bought == {"v0": False, "v1": True, "v2": True}
    assert ctx.sessions == 3 and ctx.steps == ("view_item", "add_to_cart", "begin_checkout", "purchase")
    assert ctx.purchase == "purchase"


def test_tracked_names_hold_every_step_and_purchase_name_in_64_bits():
    # fr_sessions.name_set is a 64-bit integer, one bit per tracked name: every name the detectors ask a session
    # about (each funnel candidate, each purchase event) is tracked, and there are at most 64 of them
    from cx.friction.context import FUNNEL_CANDIDATES, TRACKED_NAMES
    from cx.journey import EVENT_ROLES

    asked = {n for row in FUNNEL_CANDIDATES for n in row} | set(EVENT_ROLES["purchase"])
    assert set(TRACKED_NAMES) == asked and len(TRACKED_NAMES) == len(asked) <= 64


def test_page_counts_by_hand(ws):
    # four sessions of page views (one minute apart unless said), a purchase in s3 only:
    #   s1: /a /b /a            (back to /a after one other page: a loop on /a; exits on /a, 0 s before its end)
    #   s2: /a /b /c, then an add_to_cart 90 s after /c   (exits on /c with 90 s ≥ 60 s of dwell)
    #   s3: /b /b /a /b, then a purchase 10 s later  (/b /a /b: a loop on /b; /b /b is no loop: same page; exits
    #       on /b, a loop exit but it bought, so no loop exit)
    #   s4: /c?x=1 /a /c#top    (the query and fragment go: /c /a /c, a loop on /c; exits on /c; 0 s dwell)
    t0, rows = dt.datetime(2025, 3, 1, 12), []

    def session(sid, pages, after=None):
        for i, page in enumerate(pages):
            rows.append(
                {
                    "event_time": t0 + dt.timedelta(hours=sid, minutes=i),
                    "visitor_id": f"v{sid}",
                    "event_name": "page_view",
                    "session_id": "1",
                    "page": f"https://shop.example{page}",
                    "load_time_ms": 100.0 * (i + 1),
                }
            )
        if after:
            name, seconds = after
            last = t0 + dt.timedelta(hours=sid, minutes=len(pages) - 1, seconds=seconds)
            rows.append({"event_time": last, "visitor_id": f"v{sid}", "event_name": name, "session_id": "1"})

    session(1, ["/a", "/b", "/a"])
    session(2, ["/a", "/b", "/c"], ("add_to_cart", 90))
    session(3, ["/b", "/b", "/a", "/b"], ("purchase", 10))
    session(4, ["/c?x=1", "/a", "/c#top"])
    insert(ws, "events", rows)
    from cx.friction.context import Context
    from cx.models import Filters

    with ws.cursor() as cur:
        ctx = Context(ws, cur, Filters())
        pages = ctx.df("friction_pages.sql").set_index("path")
        exited = {path: sorted(ctx.affected("exit", path=path)["visitor_id"]) for path in ("/a", "/b", "/c")}
    # views: /a = 2 (s1) + 1 (s2) + 1 (s3) + 1 (s4) = 5; /b = 1 + 1 + 3 = 5; /c = 1 (s2) + 2 (s4) = 3
    # sessions: /a in s1..s4 = 4; /b in s1, s2, s3 = 3; /c in s2, s4 = 2
    # exits: s1 → /a, s2 → /c, s3 → /b, s4 → /c; loops: /a (s1), /b (s3), /c (s4)
    # loop exits (looped on the exit page, no purchase): s1 on /a, s4 on /c (s3 bought)
    # dwell exits (≥ 60 s from the last page view to the session's last event): s2 on /c only
    # median load: /a views at 100, 300 (s1), 100 (s2), 300 (s3), 200 (s4) → 200; /b 200, 200, 100, 200, 400 → 200
    assert pages.loc[["/a", "/b", "/c"], ["views", "sessions", "exits", "loops", "loop_exits", "dwell_exits"]].to_dict(
        "index"
    ) == {
        "/a": {"views": 5, "sessions": 4, "exits": 1, "loops": 1, "loop_exits": 1, "dwell_exits": 0},
        "/b": {"views": 5, "sessions": 3, "exits": 1, "loops": 1, "loop_exits": 0, "dwell_exits": 0},
        "/c": {"views": 3, "sessions": 2, "exits": 2, "loops": 1, "loop_exits": 1, "dwell_exits": 1},
    }
    assert pages.loc["/a", "median_load_ms"] == 200.0 and pages.loc["/b", "median_load_ms"] == 200.0
    assert list(pages.index) == ["/a", "/b", "/c"]  # most sessions first
    # the visitors behind the exits, for a download: s1 exits on /a, s3 on /b, s2 and s4 on /c
    assert exited == {"/a": ["v1"], "/b": ["v3"], "/c": ["v2", "v4"]}


def _fisher_full_sum(x1, n1, x2, n2, lower):
    # the tail summed term by term over every value it covers (the definition, without skipping negligible terms)
    from scipy.special import gammaln

    total, successes = n1 + n2, x1 + x2
    if successes in (0, total):
        return 1.0
    lo, hi = max(0, n1 - (total - successes)), min(successes, n1)
    ks = np.arange(lo, x1 + 1) if lower else np.arange(x1, hi + 1)
    if not len(ks):
        return 0.0
    log_choose = lambda a, b: gammaln(a + 1.0) - gammaln(b + 1.0) - gammaln(a - b + 1.0)
    logs = log_choose(successes, ks) + log_choose(total - successes, n1 - ks) - log_choose(total, n1)
    top = logs.max()
    return float(min(1.0, np.exp(top) * np.exp(logs - top).sum()))


def _fisher_searched_with_gammaln(x1, n1, x2, n2, lower):
    # fisher_tail as it was before its bounds were searched with math.lgamma one term at a time: the same search,
    # every term through scipy's gammaln on a one-element array
    from scipy.special import gammaln

    from cx.friction.stats import UNDERFLOW

    total, successes = n1 + n2, x1 + x2
    if successes in (0, total):
        return 1.0
    lo, hi = max(0, n1 - (total - successes)), min(successes, n1)
    first, last = (lo, x1) if lower else (x1, hi)
    if first > last:
        return 0.0
    log_choose = lambda a, b: gammaln(a + 1.0) - gammaln(b + 1.0) - gammaln(a - b + 1.0)
    log_pmf = lambda ks: log_choose(successes, ks) + log_choose(total - successes, n1 - ks) - log_choose(total, n1)
    at = lambda k: float(log_pmf(np.array([k], float))[0])
    peak = min(max((n1 + 1) * (successes + 1) // (total + 2), first), last)
    floor = at(peak) - UNDERFLOW
    a, b = first, peak
    while a < b:
        mid = (a + b) // 2
        a, b = (a, mid) if at(mid) >= floor else (mid + 1, b)
    first, a, b = a, peak, last
    while a < b:
        mid = (a + b + 1) // 2
        a, b = (mid, b) if at(mid) >= floor else (a, mid - 1)
    logs = log_pmf(np.arange(first, a + 1).astype(float))
    top = logs.max()
    return float(min(1.0, math.exp(top) * np.exp(logs - top).sum()))


def test_fisher_tail_is_the_same_number_with_its_bounds_searched_in_floats():
    # the bounds of the summed terms are searched with math.lgamma (it may differ from gammaln in the last digits):
    # a bound can only move among terms ~800 below the largest, 0.0 once exponentiated, so every p-value is the
    # very same float as with the search through gammaln, over small and large samples and both tails
    rng = np.random.default_rng(11)
    for _ in range(400):
        scale = 10 ** int(rng.integers(0, 7))
        n1, n2 = int(rng.integers(1, 10 * scale + 2)), int(rng.integers(1, 10 * scale + 2))
        x1, x2 = int(rng.binomial(n1, rng.random())), int(rng.binomial(n2, rng.random()))
        for lower in (True, False):
            assert fisher_tail(x1, n1, x2, n2, lower) == _fisher_searched_with_gammaln(x1, n1, x2, n2, lower)


def test_fisher_tail_equals_the_full_sum():
    # fisher_tail sums only the terms within exp(−800) of the largest (the others are 0.0 in floating point): the
    # same p-values as the sum over the whole tail, small and large samples, both tails, rates near and far apart
    rng = np.random.default_rng(7)
    for _ in range(150):
        scale = 10 ** int(rng.integers(0, 6))
        n1, n2 = int(rng.integers(1, 10 * scale + 2)), int(rng.integers(1, 10 * scale + 2))
        x1, x2 = int(rng.binomial(n1, rng.random())), int(rng.binomial(n2, rng.random()))
        for lower in (True, False):
            expected = _fisher_full_sum(x1, n1, x2, n2, lower)
            assert fisher_tail(x1, n1, x2, n2, lower) == pytest.approx(expected, rel=1e-12, abs=1e-300)
    # a far tail: 100 of 10 000 against 5 000 of 10 000, P(X ≤ 100) is about 10^-1500 (0.0 in floating point), and
    # the mirror P(X ≥ 100) is 1
    assert fisher_tail(100, 10_000, 5_000, 10_000) == 0.0
    assert fisher_tail(100, 10_000, 5_000, 10_000, lower=False) == pytest.approx(1.0)
