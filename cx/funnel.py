"""Funnels over the web events: conversion per step, breakdown with significance, time to convert, the
paths around a drop-off and the visitors who dropped.

Semantics (the same text is the page's help; CX_REFERENCE §2 "Funnel conversion"):

* A **step** is an event name (``add_to_cart``) or, when it starts with ``/``, a page: an event whose page
  address (host and query left out) is that path or lies below it (``/produit`` matches
  ``/produit/lampe-laiton``, not ``/produits``).
* A visitor (``visitor_id``) is counted once. They **reach step k** when some step-1 event of theirs is
  followed, in order, by steps 2..k, all within the **conversion window** counted from that step-1 event
  (window inclusive: a step exactly 7 days after with a 7-day window counts). One event fills one step of an
  attempt. The **furthest step over all attempts** counts: a failed attempt followed by a new one that goes
  further is a success (re-entry).
* **ordered** (default): other events may happen between two steps. **strict**: the next step must be the
  visitor's very next event (under the global filters); any other event in between breaks that attempt.
  **any**: order does not matter; a visitor reaches "k steps" when k distinct steps are done within the
  window counted from one of their step events (PostHog's unordered funnels); an event that matches two
  steps counts for both.
* **Simultaneous events** (same timestamp) are taken in funnel order: an ``add_to_cart`` stamped at the
  same microsecond as its ``view_item`` follows it; an event that matches no step comes after the step
  events of that instant. Two events at the same instant that match the same first step are one moment
  and cannot follow each other. The result never depends on the order of rows in the file.
* **Conversion** at step k = visitors reaching k / visitors reaching step 1 (overall); **step conversion** =
  reaching k / reaching k-1.
* **Time to convert**, for visitors who reach the last step: from the start of their best attempt (the
  latest step-1 event from which they first arrive at the last step; in any-order mode, the earliest
  event of their best window) to that last step. Median, 90th percentile and a histogram.
* **Breakdown** by device, channel or country: the value on the step-1 event of the visitor's best
  attempt (first touch), so each visitor is in exactly one group and the groups add up to the whole
  funnel; by customer segment: the visitor's customer (the greatest customer id seen on their events) and
  their CRM segment. Groups beyond the 12 largest are merged into one "other" group. At each step k ≥ 2
  a group is marked **significantly different** when a two-proportion z-test of its step conversion
  against all other visitors gives |z| > 1.96 (95 %), with at least 30 visitors at step k-1 on each side
  (else "low sample", never marked). Several groups and steps are tested at once: expect about one false
  mark in twenty tests.
* The global filters apply to events: the period (events outside it do not exist for the funnel, so a
  window never reaches past the end date), device, channel; the customer segment keeps the visitors
  linked to a customer of that segment.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from .errors import CxError
from .journey.roles import EVENT_ROLES
from .models import Filters
from .stats import MIN_SAMPLE, two_proportion_z
from .workspace import Workspace, run_sql, sql_file

MODES = ("ordered", "strict", "any")
BREAKDOWNS = ("device", "channel", "country", "segment")  # allow-list for --by and the page
MAX_STEPS = 20
MAX_GROUPS = 12
Z_CRITICAL = 1.96
DEFAULT_WINDOW = "7d"
PATH_LENGTH, PATH_TOP, PATH_GAP_MINUTES = 3, 10, 30  # the drop-off paths' defaults (find_dropoff_paths)
PATH_COLUMNS = ["direction", "nodes", "edge", "users", "share", "rank"]
# histogram bounds of the time to convert, in seconds: 1 min, 5 min, 15 min, 1 h, 3 h, 1 day, 3 days, 7 days
TIME_EDGES = [60, 300, 900, 3600, 3 * 3600, 86400, 3 * 86400, 7 * 86400]
TIME_BUCKETS = ["lt_1m", "1m_5m", "5m_15m", "15m_1h", "1h_3h", "3h_1d", "1d_3d", "3d_7d", "ge_7d"]
# recognised e-commerce events (lower case), in funnel order: the first present name of each row is proposed;
# Matomo's visits log names an order 'ecommerceOrder' (its page views are 'action')
ECOMMERCE_EVENTS = [
    ("view_item", "product_viewed", "product viewed", "view_product", "product_view", "vue_produit"),
    ("add_to_cart", "product_added", "product added", "addtocart", "add_to_basket", "ajout_panier"),
    ("begin_checkout", "checkout_started", "checkout started", "initiate_checkout", "debut_commande"),
    ("add_payment_info", "payment_info_entered", "payment info entered", "add_payment", "paiement"),
    ("purchase", "order_completed", "order completed", "transaction", "achat", "commande_validee", "ecommerceorder"),
]
# recognised page paths (French and English shops), in funnel order, row by row the same steps as ECOMMERCE_EVENTS;
# a bare /commande is no checkout step: a page step counts the pages below it, and the order confirmation is often
# one of them (/commande/merci)
ECOMMERCE_PAGES = [
    ("/produit", "/produits", "/product", "/products", "/p"),
    ("/panier", "/cart", "/basket"),
    ("/commande/livraison", "/checkout/shipping", "/checkout"),
    ("/commande/paiement", "/checkout/payment", "/paiement", "/payment"),
    (
        "/commande/confirmation",
        "/commande/merci",
        "/checkout/confirmation",
        "/confirmation",
        "/order-confirmation",
        "/merci",
        "/thank-you",
    ),
]
# the page views, whose drop-off path nodes are their pages: the journey's page-view names (Matomo's 'action' too)
PAGE_EVENTS = ("page view", *EVENT_ROLES["page_view"])
PATH_SQL = r"coalesce(nullif(regexp_extract(page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), ''), '/')"


@dataclass(frozen=True)
class Funnel:
    """A computed funnel. Every frame is small (steps × groups).

    steps : step (1-based), name (the step as given), users, conversion (0–1, vs step 1),
        step_conversion (0–1, vs the previous step; 1 at step 1), dropped (reached this step and no
        further), median_from_previous_s and p90_from_previous_s (seconds from step k-1 to k at the first
        arrival; ordered and strict modes).
    breakdown : group (None = no value), other (the merged small groups), step, name, users, conversion,
        step_conversion, z (vs all other visitors, step ≥ 2), significant (bool), low_sample (bool).
    time_to_convert : bucket (key in TIME_BUCKETS), lower_s, upper_s (None for the last), users.
    paths : with `find_funnel(…, paths=True)`, the drop-off paths of every step one can drop at, computed in the
        same pass as the counts: step, then the columns of `find_dropoff_paths` for that step (its defaults);
        None otherwise. `paths_at(step)` gives one step's.
    """

    steps: pd.DataFrame
    breakdown: pd.DataFrame
    time_to_convert: pd.DataFrame
    converted: int
    median_s: float | None
    p90_s: float | None
    mode: str
    window_s: int
    by: str | None
    paths: pd.DataFrame | None = None

    def paths_at(self, step: int) -> pd.DataFrame | None:
        """The drop-off paths at `step` as `find_dropoff_paths(…, step)` returns them (default length, top and
        visit gap); None when this funnel was computed without its paths."""
        if self.paths is None:
            return None
        return self.paths[self.paths["step"] == step][PATH_COLUMNS].reset_index(drop=True)


# ============================================================================ parameters


def parse_window(window) -> int:
    """'7d', '24h', '30m', '2w', '90s' or a number of seconds → seconds (> 0)."""
    if isinstance(window, (int, float)) and not isinstance(window, bool):
        seconds = int(window)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", str(window or "").lower())
        if not m:
            raise CxError(
                f"the conversion window {window!r} is not understood",
                fix="write a number and a unit: 30m, 24h, 7d or 2w",
            )
        seconds = int(float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m.group(2)])
    if seconds <= 0:
        raise CxError("the conversion window must be longer than zero", fix="for example 7d")
    return seconds


def normalise_steps(steps) -> tuple[str, ...]:
    """Trimmed steps ("a,b" or a list); page steps lose a trailing "/" (except "/" itself)."""
    if isinstance(steps, str):
        steps = steps.split(",")
    out = []
    for step in steps or ():
        step = str(step).strip()
        if step.startswith("/") and len(step) > 1:
            step = step.split("?")[0].split("#")[0].rstrip("/") or "/"
        if step:
            out.append(step)
    return tuple(out)


def _check(steps, window, mode: str, by: str | None) -> tuple[tuple[str, ...], int]:
    steps = normalise_steps(steps)
    if len(steps) < 2:
        raise CxError("a funnel needs at least two steps", fix="pick two or more event names or pages")
    if len(steps) > MAX_STEPS:
        raise CxError(f"a funnel has at most {MAX_STEPS} steps ({len(steps)} given)", fix="remove some steps")
    if mode not in MODES:
        raise CxError(f"unknown funnel mode {mode!r}", fix=f"use one of {', '.join(MODES)}")
    if mode == "any" and len(set(steps)) < len(steps):
        raise CxError("in any-order mode each step can appear only once", fix="remove the repeated step")
    if by is not None and by not in BREAKDOWNS:
        raise CxError(f"unknown breakdown {by!r}", fix=f"use one of {', '.join(BREAKDOWNS)}")
    return steps, parse_window(window)


# ============================================================================ the computation


def _compute(cur, filters: Filters, steps: tuple[str, ...], window_s: int, mode: str, by: str | None) -> dict:
    """Fill the cursor's temp tables fx_events, fx_steps, fx_levels (ordered/strict) and fx_users."""
    params = {
        **(filters or Filters()).params(),
        "steps": list(steps),
        "is_page": [s.startswith("/") for s in steps],
        "names": [s for s in steps if not s.startswith("/")],
        "has_pages": any(s.startswith("/") for s in steps),
        "all_events": mode == "strict",
        "by": by if by in ("device", "channel", "country") else None,
        "window_us": window_s * 1_000_000,
        "n": len(steps),
    }
    events_sql = "funnel_events.sql" if params["has_pages"] else "funnel_events_names.sql"
    run_sql(cur, events_sql, params, "create or replace temp table fx_events as ")
    run_sql(cur, "funnel_visitors.sql", params, "create or replace temp table fx_visitors as ")
    run_sql(cur, "funnel_steps.sql", params, "create or replace temp table fx_steps as ")
    if mode == "any":
        run_sql(cur, "funnel_users_any.sql", params, "create or replace temp table fx_users as ")
    else:
        if mode == "strict":
            run_sql(cur, "funnel_strict_previous.sql", params, "create or replace temp table fx_previous as ")
        level = f"funnel_level_{mode}.sql"
        cur.execute(sql_file("funnel_levels.sql"))
        for k in range(2, len(steps) + 1):
            run_sql(cur, level, {**params, "k": k}, "insert into fx_levels ")
        run_sql(cur, "funnel_users_ordered.sql", params, "create or replace temp table fx_users as ")
    if by == "segment":
        run_sql(cur, "funnel_segments.sql", params, "create or replace temp table fx_customers as ")
        run_sql(cur, "funnel_segment_groups.sql", {}).fetchall()
    return params


def _accumulate(counts: pd.DataFrame, n: int) -> list[int]:
    """Visitors per furthest step → visitors reaching step k or further, k = 1..n."""
    per = [0] * (n + 2)
    for reached, users in zip(counts["reached"], counts["users"]):
        per[int(reached)] += int(users)
    out, running = [0] * n, 0
    for k in range(n, 0, -1):
        running += per[k]
        out[k - 1] = running
    return out


def _step_frame(steps: tuple[str, ...], users: list[int]) -> pd.DataFrame:
    first = users[0] if users else 0
    rows = []
    for i, (name, u) in enumerate(zip(steps, users)):
        prev = users[i - 1] if i else u
        rows.append(
            {
                "step": i + 1,
                "name": name,
                "users": u,
                "conversion": u / first if first else None,
                "step_conversion": (u / prev if prev else None) if i else (1.0 if u else None),
                "dropped": u - users[i + 1] if i + 1 < len(users) else 0,
            }
        )
    return pd.DataFrame(rows)


def _breakdown(counts: pd.DataFrame, steps: tuple[str, ...], totals: list[int]) -> pd.DataFrame:
    n = len(steps)
    groups = []
    for g, part in counts.groupby("g", dropna=False, sort=False):
        groups.append((None if g is None or (isinstance(g, float) and math.isnan(g)) else str(g), _accumulate(part, n)))
    groups.sort(key=lambda item: (-item[1][0], item[0] is None, item[0] or ""))
    if len(groups) > MAX_GROUPS:
        kept, rest = groups[: MAX_GROUPS - 1], groups[MAX_GROUPS - 1 :]
        merged = [sum(u[k] for _, u in rest) for k in range(n)]
        groups = [(g, u, False) for g, u in kept] + [(None, merged, True)]
    else:
        groups = [(g, u, False) for g, u in groups]
    rows = []
    for g, users, other in groups:
        frame = _step_frame(steps, users)
        for i, row in frame.iterrows():
            z, low = None, False
            if i:
                n1, x1 = users[i - 1], users[i]
                n2, x2 = totals[i - 1] - n1, totals[i] - x1
                low = n1 < MIN_SAMPLE or n2 < MIN_SAMPLE
                z = two_proportion_z(x1, n1, x2, n2)
            rows.append(
                {
                    "group": g,
                    "other": other,
                    "step": row["step"],
                    "name": row["name"],
                    "users": row["users"],
                    "conversion": row["conversion"],
                    "step_conversion": row["step_conversion"],
                    "z": z,
                    "significant": bool(z is not None and not low and abs(z) > Z_CRITICAL),
                    "low_sample": low,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "group",
            "other",
            "step",
            "name",
            "users",
            "conversion",
            "step_conversion",
            "z",
            "significant",
            "low_sample",
        ],
    )
    frame["group"] = pd.Series([r["group"] for r in rows], dtype=object)  # None stays None (no value)
    return frame


def find_funnel(
    ws: Workspace,
    filters: Filters | None,
    steps,
    window=DEFAULT_WINDOW,
    mode: str = "ordered",
    by: str | None = None,
    paths: bool = False,
) -> Funnel:
    """The funnel of `steps` (event names, or page paths starting with "/") under the global filters; with
    `paths`, also the paths around the drop-off of every step (`Funnel.paths`, as `find_dropoff_paths` gives
    them), from the same visitors' table rather than computing the funnel again per step (the Funnel page).

    See the module docstring for the exact semantics. Raises CxError on bad steps, window, mode or by.
    Returns a `Funnel` (its docstring lists the columns).
    """
    steps, window_s = _check(steps, window, mode, by)
    with ws.cursor() as cur:
        params = _compute(cur, filters, steps, window_s, mode, by)
        counts = run_sql(cur, "funnel_counts.sql", params).df()
        times = (
            run_sql(cur, "funnel_step_times.sql", params).df()
            if mode != "any"
            else pd.DataFrame(columns=["k", "median_s", "p90_s"])
        )
        ttc = run_sql(cur, "funnel_time_to_convert.sql", {**params, "edges": TIME_EDGES}).df()
        dropoffs = _paths(cur, params, None) if paths else None
    totals = _accumulate(counts, len(steps))
    frame = _step_frame(steps, totals)
    times = times.set_index("k") if len(times) else times
    frame["median_from_previous_s"] = [
        float(times.at[k, "median_s"]) if k in times.index else None for k in frame["step"]
    ]
    frame["p90_from_previous_s"] = [float(times.at[k, "p90_s"]) if k in times.index else None for k in frame["step"]]
    breakdown = (
        _breakdown(counts, steps, totals)
        if by
        else pd.DataFrame(
            columns=[
                "group",
                "other",
                "step",
                "name",
                "users",
                "conversion",
                "step_conversion",
                "z",
                "significant",
                "low_sample",
            ]
        )
    )
    histogram = pd.DataFrame(
        {
            "bucket": TIME_BUCKETS,
            "lower_s": [0] + TIME_EDGES,
            "upper_s": TIME_EDGES + [None],
            "users": [int(u) for u in ttc.sort_values("bucket")["users"]],
        }
    )
    converted = int(ttc["converted"].iloc[0]) if len(ttc) else 0
    med = ttc["median_s"].iloc[0] if converted else None
    p90 = ttc["p90_s"].iloc[0] if converted else None
    return Funnel(
        frame,
        breakdown,
        histogram,
        converted,
        None if med is None else float(med),
        None if p90 is None else float(p90),
        mode,
        window_s,
        by,
        None if dropoffs is None else _rank_paths(dropoffs, PATH_TOP, by_step=True),
    )


def customer_reach(
    ws: Workspace, filters: Filters | None, steps, window=DEFAULT_WINDOW, mode: str = "ordered"
) -> pd.DataFrame:
    """The visitors of the funnel `steps` who are linked to a customer (the greatest customer id seen on their
    events), per customer and furthest step, for grouping customers (personas) outside this module.

    Returns columns customer_id, reached (furthest step, 1-based), users (visitors); pass a group's rows to
    `steps_frame` for its steps.
    """
    steps, window_s = _check(steps, window, mode, None)
    with ws.cursor() as cur:
        params = _compute(cur, filters, steps, window_s, mode, None)
        run_sql(cur, "funnel_segments.sql", params, "create or replace temp table fx_customers as ")
        return run_sql(cur, "funnel_customer_reach.sql", params).df()


def steps_frame(steps, counts: pd.DataFrame) -> pd.DataFrame:
    """The step columns of `Funnel.steps` (step, name, users, conversion, step_conversion, dropped) from visitors
    per furthest step (columns reached, users), e.g. one group of `customer_reach`."""
    steps = normalise_steps(steps)
    return _step_frame(steps, _accumulate(counts, len(steps)))


def find_dropped_users(
    ws: Workspace, filters: Filters | None, steps, step: int, window=DEFAULT_WINDOW, mode: str = "ordered"
) -> pd.DataFrame:
    """Visitors who reached `step` (1-based) and went no further, for a download.

    Returns columns visitor_id, customer_id (None when the visitor is not linked to the CRM), last_step
    (the step's name), dropped_at (their last event at that step), device, channel, country (of that
    event), sorted by dropped_at.
    """
    steps, window_s = _check(steps, window, mode, None)
    if not 1 <= step < len(steps):
        raise CxError(f"step {step} is not a step one can drop at", fix=f"choose 1 to {len(steps) - 1}")
    with ws.cursor() as cur:
        params = _compute(cur, filters, steps, window_s, mode, None)
        run_sql(cur, "funnel_segments.sql", params, "create or replace temp table fx_customers as ")
        return run_sql(cur, "funnel_dropped.sql", {**params, "step": step}).df()


def find_dropoff_paths(
    ws: Workspace,
    filters: Filters | None,
    steps,
    step: int,
    window=DEFAULT_WINDOW,
    mode: str = "ordered",
    length: int = PATH_LENGTH,
    top: int = PATH_TOP,
    session_gap_minutes: int = PATH_GAP_MINUTES,
) -> pd.DataFrame:
    """The most frequent paths just before and just after the drop-off of visitors who reached `step` and
    went no further: the `length` events before their last event at that step and the `length` after
    it, within the same visit (same session id and no gap over `session_gap_minutes`; a new session id or
    a longer gap ends the visit).

    Returns columns direction ("before" | "after"), nodes (tuple of labels: the event name, or the page
    path at two levels for page views), edge (True when the visit starts before / ends after the shown
    events: "entry" / "exit"), users, share (of the dropped visitors), rank (1 = most frequent; ties: by nodes,
    then the path inside the visit before the one at its edge). `find_funnel(…, paths=True)` gives the same for
    every step at once (`Funnel.paths_at`).
    """
    steps, window_s = _check(steps, window, mode, None)
    if not 1 <= step < len(steps):
        raise CxError(f"step {step} is not a step one can drop at", fix=f"choose 1 to {len(steps) - 1}")
    with ws.cursor() as cur:
        params = _compute(cur, filters, steps, window_s, mode, None)
        frame = _paths(cur, params, step, length, session_gap_minutes)
    return _rank_paths(frame, top)[PATH_COLUMNS]


def _paths(
    cur, params: dict, step: int | None, length: int = PATH_LENGTH, session_gap_minutes: int = PATH_GAP_MINUTES
) -> pd.DataFrame:
    """funnel_paths.sql on the cursor's fx_users: the paths at `step` (None: at every step one can drop at)."""
    frame = run_sql(
        cur,
        "funnel_paths.sql",
        {
            **params,
            "step": step,
            "length": int(length),
            "gap_us": int(session_gap_minutes) * 60_000_000,
            "page_events": list(PAGE_EVENTS),
        },
    ).df()
    frame["nodes"] = frame["nodes"].map(lambda v: tuple(v) if v is not None else ())
    return frame


def _rank_paths(frame: pd.DataFrame, top: int, by_step: bool = False) -> pd.DataFrame:
    """The `top` paths of each direction (of each step with `by_step`), ranked: most users first, ties by nodes,
    then the path inside the visit before the one at its edge."""
    columns = (["step"] if by_step else []) + PATH_COLUMNS
    out = []
    for _, part in frame.groupby(["step"] if by_step else (lambda _: 0), sort=True):
        for direction in ("before", "after"):
            ranked = part[part["direction"] == direction].sort_values(
                ["users", "nodes", "edge"], ascending=[False, True, True]
            )
            out.append(ranked.head(top).assign(rank=range(1, min(top, len(ranked)) + 1)))
    if not out:
        return pd.DataFrame(columns=columns)
    return pd.concat(out, ignore_index=True)[columns]


# ============================================================================ choosing steps


def list_step_options(ws: Workspace, filters: Filters | None = None, limit: int = 300) -> pd.DataFrame:
    """What a funnel step can be in this workspace: event names and page paths (one and two levels,
    e.g. /produit, /commande/paiement), most frequent first.

    Returns columns step, kind ("event" | "page"), events (how many events of the period it would match).
    """
    params = {**(filters or Filters()).params(), "limit": int(limit)}
    with ws.cursor() as cur:
        return run_sql(cur, "funnel_step_options.sql", params).df()


def absent_steps(ws: Workspace, filters: Filters | None, steps) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Why a funnel may be empty: (the `steps` that occur in no event under `filters`, the event names that
    do occur, sorted). An event step is matched by its exact name, a page step by the page paths (one and two
    levels) of funnel_present_steps.sql."""
    with ws.cursor() as cur:
        options = run_sql(cur, "funnel_present_steps.sql", (filters or Filters()).params()).df()
    present = set(options["step"])
    absent = tuple(s for s in normalise_steps(steps) if s not in present)
    return absent, tuple(sorted(options.loc[options["kind"] == "event", "step"]))


def propose_funnel(ws: Workspace, filters: Filters | None = None) -> tuple[str, ...]:
    """A default funnel from the recognised e-commerce events present (GA4 names and their usual
    equivalents, e.g. view_item → add_to_cart → begin_checkout → add_payment_info → purchase); with fewer than two
    of them, step by step the recognised event, else the French or English shop page of that step (/produit →
    /panier → /commande/paiement → /commande/confirmation; a Matomo log: /panier → ecommerceOrder); empty when
    fewer than two steps are recognised."""
    with ws.cursor() as cur:
        options = run_sql(cur, "funnel_present_steps.sql", (filters or Filters()).params()).df().sort_values("step")
    events = {s.lower(): s for s in options.loc[options["kind"] == "event", "step"]}
    pages = set(options.loc[options["kind"] == "page", "step"])
    by_event = [next((events[n] for n in names if n in events), None) for names in ECOMMERCE_EVENTS]
    by_page = [next((p for p in names if p in pages), None) for names in ECOMMERCE_PAGES]
    if sum(s is not None for s in by_event) >= 2:
        return tuple(s for s in by_event if s is not None)
    chosen = tuple(e or p for e, p in zip(by_event, by_page) if e or p)
    return chosen if len(chosen) >= 2 else ()


def format_duration(seconds: float | None) -> str:
    """A duration for people: 45 s, 12 min, 3.5 h, 2.1 d ("—" when None)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"
