"""The detectors that read the web events: funnel incidents, segment gaps, error events, slow pages, navigation
loops, long dwell then exit, repeated searches."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..journey import DEFAULT_RULES
from .context import Context
from .models import REMEDIES, Finding, NoData, finding_key
from .stats import (
    MIN_SAMPLE,
    fisher_tail,
    revenue_at_risk,
    scan_rates,
    severity_of,
    significant,
    two_proportion_z,
    worse_enough,
)

SEARCH_EVENTS = ("search", "view_search_results", "recherche")
SEGMENT_DIMS = ("device", "channel", "country", "segment")  # allow-list, chosen in SQL by a CASE


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


def _need_sessions(ctx: Context) -> None:
    if not ctx.sessions:
        raise NoData("friction.need.events")


def _need_steps(ctx: Context) -> None:
    _need_sessions(ctx)
    if len(ctx.steps) < 2:
        raise NoData("friction.need.funnel")


def detect_funnel_incident(ctx: Context) -> tuple[list[Finding], int]:
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
        if not significant(win.p_value, tests) or not worse_enough(observed, expected):
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
        evidence = pd.DataFrame(
            {
                "day": index.date,
                "sessions": part["n"].astype(int).to_numpy(),
                "converted": part["x"].astype(int).to_numpy(),
            }
        )
        evidence["rate"] = evidence["converted"] / evidence["sessions"].where(evidence["sessions"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        customers = ctx.affected(
            "dropped", step_from=a, step_to=b, dim=dim, value=None if dim == "all" else g, from_day=start, to_day=end
        )
        out.append(
            Finding(
                code="FUNNEL_INCIDENT",
                key=finding_key("FUNNEL_INCIDENT", f"{a}>{b}", segment),
                params={
                    "step_from": a,
                    "step_to": b,
                    "segment": segment or "",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "observed": observed,
                    "expected": expected,
                    "n": int(win.n_in),
                },
                stage=_event_stage(b),
                step=f"{a} → {b}",
                segment=segment,
                window_start=start,
                window_end=end,
                severity=severity_of(observed, expected),
                observed=observed,
                expected=expected,
                unit="rate",
                p_value=win.p_value,
                z=win.z,
                tests=tests,
                affected_users=int(win.n_in),
                revenue_at_risk=revenue_at_risk(expected, observed, win.n_in, per_conversion),
                inputs={
                    "expected": expected,
                    "observed": observed,
                    "affected": int(win.n_in),
                    "value_per_conversion": per_conversion,
                    "value_source": ctx.value_source,
                },
                remedy=REMEDIES["FUNNEL_INCIDENT"] if b != ctx.purchase and "payment" not in a else "payment",
                evidence=evidence,
                chart={
                    "kind": "daily_rate",
                    "x": "day",
                    "y": "rate",
                    "n": "sessions",
                    "highlight": "in_window",
                    "expected": expected,
                },
                customers=customers,
            )
        )
    return out, tests


def detect_segment_gap(ctx: Context) -> tuple[list[Finding], int]:
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
        if not significant(p, tests) or not worse_enough(observed, expected):
            continue
        per_conversion = None if ctx.value is None else ctx.value * ctx.downstream(b)
        segment = f"{dim}={g}"
        evidence = groups.reset_index().rename(columns={"g": "group", "n": "sessions", "x": "converted"})
        evidence["rate"] = evidence["converted"] / evidence["sessions"]
        evidence["highlight"] = evidence["group"] == g
        out.append(
            Finding(
                code="SEGMENT_GAP",
                key=finding_key("SEGMENT_GAP", f"{a}>{b}", segment),
                params={"step_from": a, "step_to": b, "segment": segment, "observed": observed, "expected": expected},
                stage=_event_stage(b),
                step=f"{a} → {b}",
                segment=segment,
                window_start=None,
                window_end=None,
                severity=severity_of(observed, expected),
                observed=observed,
                expected=expected,
                unit="rate",
                p_value=p,
                z=two_proportion_z(r["x"], r["n"], x_out, n_out),
                tests=tests,
                affected_users=int(r["n"]),
                revenue_at_risk=revenue_at_risk(expected, observed, r["n"], per_conversion),
                inputs={
                    "expected": expected,
                    "observed": observed,
                    "affected": int(r["n"]),
                    "value_per_conversion": per_conversion,
                    "value_source": ctx.value_source,
                },
                remedy=REMEDIES["SEGMENT_GAP"],
                evidence=evidence,
                chart={"kind": "bars", "x": "group", "y": "rate", "highlight": "highlight", "expected": expected},
                customers=ctx.affected("dropped", step_from=a, step_to=b, dim=dim, value=g),
            )
        )
    return out, tests


def detect_error_events(ctx: Context) -> tuple[list[Finding], int]:
    """ERROR_EVENTS: error-like events (names with error, bug, fail, échec, erreur…) concentrated in a run of
    days, for all sessions or one device: the share of sessions hitting the error is compared with the other
    days. The page where most of them happen is named."""
    _need_sessions(ctx)
    errors = ctx.df("friction_errors.sql")
    if errors.empty:
        raise NoData("friction.need.error_events")
    exposure = ctx.df("friction_exposure.sql")
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
    found = [
        r
        for r in raw
        if significant(r[4].p_value, tests)
        and worse_enough(r[4].x_in / r[4].n_in, r[4].x_out / r[4].n_out, higher_is_worse=True)
    ]
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
        inside = err[
            (pd.to_datetime(err["day"]) >= pd.Timestamp(start)) & (pd.to_datetime(err["day"]) <= pd.Timestamp(end))
        ]
        page = inside.groupby("path", dropna=True)["events"].sum().sort_values(ascending=False)
        path = page.index[0] if len(page) else None
        segment = None if device is None else f"device={device}"
        excess = max(0.0, win.x_in - expected * win.n_in)
        lost = _error_conversion_gap(ctx, name)
        evidence = pd.DataFrame(
            {"day": index.date, "sessions": n.astype(int).to_numpy(), "with_error": x.astype(int).to_numpy()}
        )
        evidence["rate"] = evidence["with_error"] / evidence["sessions"].where(evidence["sessions"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        days_in = (end - start).days + 1
        events_in, events_out = int(inside["events"].sum()), int(err["events"].sum() - inside["events"].sum())
        out.append(
            Finding(
                code="ERROR_EVENTS",
                key=finding_key("ERROR_EVENTS", name, segment),
                params={
                    "name": name,
                    "page": path or "",
                    "segment": segment or "",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "per_day_in": events_in / days_in,
                    "per_day_out": events_out / max(1, len(index) - days_in),
                    "observed": observed,
                    "expected": expected,
                },
                stage=_page_stage(path) or _event_stage(name) or "purchase",
                step=path,
                segment=segment,
                window_start=start,
                window_end=end,
                severity=severity_of(observed, expected, True),
                observed=observed,
                expected=expected,
                unit="rate",
                p_value=win.p_value,
                z=win.z,
                tests=tests,
                affected_users=int(win.x_in),
                revenue_at_risk=None if ctx.value is None or lost is None else lost * excess * ctx.value,
                inputs={
                    "expected": lost and (lost + 0.0),
                    "observed": 0.0,
                    "affected": round(excess),
                    "value_per_conversion": ctx.value,
                    "value_source": ctx.value_source,
                    "basis": "excess_error_sessions",
                    # the formula as shown: gap × (sessions hit − sessions the usual rate expects) × value
                    "gap": lost,
                    "sessions_hit": int(win.x_in),
                    "sessions_usual": expected * win.n_in,
                    "usual_rate": expected,
                },
                remedy="payment"
                if path and any(w in path for w in ("paiement", "payment", "commande", "checkout"))
                else REMEDIES["ERROR_EVENTS"],
                evidence=evidence,
                chart={
                    "kind": "daily_rate",
                    "x": "day",
                    "y": "rate",
                    "n": "sessions",
                    "highlight": "in_window",
                    "expected": expected,
                },
                customers=ctx.affected("error", name=name, value=device, from_day=start, to_day=end),
            )
        )
    return out, tests


def _error_conversion_gap(ctx: Context, name: str) -> float | None:
    """How much less often sessions hitting the error buy than sessions on the same pages without it."""
    if ctx.purchase is None:
        return None
    n_e, b_e, n_o, b_o = ctx.run("friction_error_gap.sql", {"name": name, "purchase": ctx.purchase}).fetchall()[0]
    if not n_e or not n_o:
        return None
    return max(0.0, b_o / n_o - b_e / n_e)


def _pages(ctx: Context) -> pd.DataFrame:
    def compute():
        pages = ctx.df("friction_pages.sql")
        return pages.assign(section=pages["path"].map(lambda p: "/" + p.strip("/").split("/")[0] if p else "/"))

    return ctx.once("pages", compute)


def _page_concentration(
    ctx: Context, column: str, min_sessions: int = 50, only: str | None = None, base: str = "sessions"
) -> tuple[list, int]:
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
            if not worse_enough(getattr(r, column) / getattr(r, base), r_x_out / r_n_out, True):
                continue
            p = fisher_tail(getattr(r, column), getattr(r, base), r_x_out, r_n_out, lower=False)
            if significant(p, tests):
                rows.append((r, part, r_n_out, r_x_out, p))
    return rows, tests


def _page_finding(ctx, code, r, part, n_out, x_out, p, tests, column, extra_params=None, base="sessions"):
    observed, expected = getattr(r, column) / getattr(r, base), x_out / n_out
    conversion = _session_conversion(ctx)
    evidence = (
        part[["path", base, column, "median_load_ms"]].drop_duplicates().copy()
        if base != "sessions"
        else part[["path", "sessions", column, "median_load_ms"]].copy()
    )
    evidence["rate"] = evidence[column] / evidence[base].where(evidence[base] > 0)
    evidence["highlight"] = evidence["path"] == r.path
    affected = int(getattr(r, base))
    # an exit instead of going on: the exits above the siblings' rate, each worth the session conversion
    per_conversion = None if ctx.value is None or conversion is None else ctx.value * conversion
    return Finding(
        code=code,
        key=finding_key(code, r.path, None),
        params={
            "page": r.path,
            "observed": observed,
            "expected": expected,
            "median_load_ms": None if pd.isna(r.median_load_ms) else float(r.median_load_ms),
            **(extra_params or {}),
        },
        stage=_page_stage(r.path),
        step=r.path,
        segment=None,
        window_start=None,
        window_end=None,
        severity=severity_of(observed, expected, True),
        observed=observed,
        expected=expected,
        unit="rate",
        p_value=p,
        z=two_proportion_z(getattr(r, column), getattr(r, base), x_out, n_out),
        tests=tests,
        affected_users=affected,
        revenue_at_risk=revenue_at_risk(observed, expected, affected, per_conversion),
        inputs={
            "expected": expected,
            "observed": observed,
            "affected": affected,
            "value_per_conversion": per_conversion,  # here the value of one session (see value_kind)
            "value_source": ctx.value_source,
            "basis": "extra_exits",
            "value_kind": "session",  # a session's value: a conversion's value × the sessions' conversion rate
            "value_of_conversion": ctx.value,
            "conversion": conversion,
        },
        remedy=REMEDIES[code],
        evidence=evidence.sort_values("rate", ascending=False).head(15),
        chart={"kind": "bars", "x": "path", "y": "rate", "highlight": "highlight", "expected": expected},
        customers=ctx.affected("exit", path=r.path) if column == "exits" else None,
    )


def _session_conversion(ctx: Context) -> float | None:
    if ctx.purchase is None:
        return None
    n, x = ctx.once(
        "conversion", lambda: ctx.run("friction_conversion.sql", {"step": None, "purchase": ctx.purchase}).fetchall()[0]
    )
    return x / n if n else None


def detect_slow_page(ctx: Context) -> tuple[list[Finding], int]:
    """SLOW_PAGE: a page whose median load time is slow (≥ 2.5 s and ≥ 1.5 × the median of all pages) and
    whose sessions end there far more often than on its sibling pages."""
    _need_sessions(ctx)
    pages = _pages(ctx)
    if not pages["timed_views"].sum():
        raise NoData("friction.need.load_time")
    overall = float(
        np.nanmedian(
            np.repeat(pages["median_load_ms"].fillna(np.nan).to_numpy(), np.maximum(pages["timed_views"].to_numpy(), 0))
        )
    )
    candidates, tests = _page_concentration(ctx, "exits")
    out = [
        _page_finding(ctx, "SLOW_PAGE", r, part, n_out, x_out, p, tests, "exits", {"overall_load_ms": overall})
        for r, part, n_out, x_out, p in candidates
        if not pd.isna(r.median_load_ms) and r.median_load_ms >= max(2500.0, 1.5 * overall)
    ]
    ctx.slow_pages = tuple(f.step for f in out)
    return out, tests


def detect_navigation_loop(ctx: Context) -> tuple[list[Finding], int]:
    """NAVIGATION_LOOP: a page that sessions come back to (A → B → A) and then leave right there without buying,
    far more often than sessions coming back to its sibling pages (the denominator is the sessions that came
    back, so a popular page, which more sessions come back to by chance, is not a finding)."""
    _need_sessions(ctx)
    candidates, tests = _page_concentration(ctx, "loop_exits", min_sessions=MIN_SAMPLE, base="loops")
    return [
        _page_finding(ctx, "NAVIGATION_LOOP", *candidate, tests, "loop_exits", base="loops") for candidate in candidates
    ], tests


def detect_dwell_exit(ctx: Context) -> tuple[list[Finding], int]:
    """DWELL_EXIT: a product page where sessions stay a long time (≥ 60 s after the view) and then leave, far
    more often than on the other product pages (missing information)."""
    _need_sessions(ctx)
    pages = _pages(ctx)
    section = next((s for s in ("/produit", "/product", "/products", "/p") if (pages["section"] == s).any()), None)
    if section is None:
        raise NoData("friction.need.product_pages")
    candidates, tests = _page_concentration(ctx, "dwell_exits", only=section)
    return [_page_finding(ctx, "DWELL_EXIT", *candidate, tests, "dwell_exits") for candidate in candidates], tests


def detect_repeated_search(ctx: Context) -> tuple[list[Finding], int]:
    """REPEATED_SEARCH: sessions that search again and again (3 searches or more) then leave without buying,
    concentrated in a run of days (a search that stopped finding things)."""
    _need_sessions(ctx)
    daily = ctx.df("friction_searches.sql", {"search_events": list(SEARCH_EVENTS)})
    if daily.empty:
        raise NoData("friction.need.search")
    index = _day_index(daily)
    daily = daily.set_index(pd.to_datetime(daily["day"]))[["n", "x"]].reindex(index, fill_value=0)
    win, tests = scan_rates(daily["n"].to_numpy(), daily["x"].to_numpy(), lower=False)
    if win is None or win.x_in < 10 or not significant(win.p_value, tests):
        return [], tests
    observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
    if not worse_enough(observed, expected, True):
        return [], tests
    start, end = index[win.start].date(), index[win.end].date()
    evidence = pd.DataFrame(
        {
            "day": index.date,
            "sessions": daily["n"].astype(int).to_numpy(),
            "searched_and_left": daily["x"].astype(int).to_numpy(),
        }
    )
    evidence["rate"] = evidence["searched_and_left"] / evidence["sessions"].where(evidence["sessions"] > 0)
    evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
    conversion = _session_conversion(ctx)
    per = None if ctx.value is None or conversion is None else ctx.value * conversion
    return [
        Finding(
            code="REPEATED_SEARCH",
            key=finding_key("REPEATED_SEARCH", None, None),
            params={"start": start.isoformat(), "end": end.isoformat(), "observed": observed, "expected": expected},
            stage="consideration",
            step=None,
            segment=None,
            window_start=start,
            window_end=end,
            severity=severity_of(observed, expected, True),
            observed=observed,
            expected=expected,
            unit="rate",
            p_value=win.p_value,
            z=win.z,
            tests=tests,
            affected_users=int(win.x_in),
            revenue_at_risk=revenue_at_risk(observed, expected, win.n_in, per),
            inputs={
                "expected": expected,
                "observed": observed,
                "affected": int(win.n_in),
                "value_per_conversion": per,
                "value_source": ctx.value_source,
                "basis": "extra_exits",
            },
            remedy=REMEDIES["REPEATED_SEARCH"],
            evidence=evidence,
            chart={
                "kind": "daily_rate",
                "x": "day",
                "y": "rate",
                "n": "sessions",
                "highlight": "in_window",
                "expected": expected,
            },
        )
    ], tests
