"""The detectors that read the orders, the support tickets and the survey answers: checkout trouble, rising returns
and complaints, slow support, high effort, low CSAT, late deliveries that hurt NPS, detractor and rising themes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..journey import DEFAULT_RULES
from ..satisfaction import params as sat_params, query as sat_query
from ..support import list_tickets
from ..text import read_comments, theme_names
from .context import Context
from .models import REMEDIES, Finding, NoData, finding_key
from .stats import (
    MIN_RELATIVE_GAP,
    MIN_SAMPLE,
    binom_tail,
    fisher_tail,
    revenue_at_risk,
    scan_counts,
    scan_rates,
    severity_of,
    significant,
    two_proportion_z,
    worse_enough,
)

THEME_NPS_GAP = 30  # points


def _orders(ctx: Context) -> pd.DataFrame:
    return ctx.once("orders", lambda: ctx.df("friction_orders.sql"))


def detect_checkout_trouble(ctx: Context) -> tuple[list[Finding], int]:
    """CHECKOUT_TROUBLE: a payment method whose orders end cancelled or abandoned far more often than with the
    other methods."""
    orders = _orders(ctx)
    if orders.empty or orders["payment_method"].isna().all():
        raise NoData("friction.need.payment_method")
    # staging/order_status.sql, as every page reads a status; a deal still open is neither bought nor failed
    orders = orders.loc[~orders["waiting"]].assign(failed=orders["cancelled"])
    groups = orders.dropna(subset=["payment_method"]).groupby("payment_method")["failed"].agg(["count", "sum"])
    tests, out = len(groups), []
    total = groups.sum()
    kept = orders.loc[~orders["failed"]]
    if kept["priced"].any():  # orders of no currency beside orders with one: set apart (cx.money)
        kept = kept.loc[kept["priced"]]
    aov = float(kept["amount"].mean()) if len(kept) and not ctx.currency.mixed else None
    for method, r in groups.iterrows():
        n_out, x_out = total["count"] - r["count"], total["sum"] - r["sum"]
        if r["count"] < MIN_SAMPLE or n_out < MIN_SAMPLE:
            continue
        p = fisher_tail(r["sum"], r["count"], x_out, n_out, lower=False)
        observed, expected = r["sum"] / r["count"], x_out / n_out
        if not significant(p, tests) or not worse_enough(observed, expected, True):
            continue
        evidence = groups.reset_index().rename(columns={"count": "orders", "sum": "cancelled"})
        evidence["rate"] = evidence["cancelled"] / evidence["orders"]
        evidence["highlight"] = evidence["payment_method"] == method
        out.append(
            Finding(
                code="CHECKOUT_TROUBLE",
                key=finding_key("CHECKOUT_TROUBLE", method, None),
                params={"method": method, "observed": observed, "expected": expected},
                stage="purchase",
                step=method,
                segment=None,
                window_start=None,
                window_end=None,
                severity=severity_of(observed, expected, True),
                observed=observed,
                expected=expected,
                unit="rate",
                p_value=p,
                z=two_proportion_z(r["sum"], r["count"], x_out, n_out),
                tests=tests,
                affected_users=int(r["sum"]),
                revenue_at_risk=revenue_at_risk(observed, expected, r["count"], aov),
                inputs={
                    "expected": expected,
                    "observed": observed,
                    "affected": int(r["count"]),
                    "value_per_conversion": aov,
                    "value_source": "orders",
                    "basis": "extra_cancellations",
                },
                remedy=REMEDIES["CHECKOUT_TROUBLE"],
                evidence=evidence,
                chart={
                    "kind": "bars",
                    "x": "payment_method",
                    "y": "rate",
                    "highlight": "highlight",
                    "expected": expected,
                },
            )
        )
    return out, tests


def detect_rising_returns(ctx: Context) -> tuple[list[Finding], int]:
    """RISING_RETURNS: a run of days whose delivered orders come back (returned) far more often than usual."""
    orders = _orders(ctx)
    delivered = orders[orders["delivered_date"].notna()]
    if delivered.empty or not delivered["returned"].any():
        raise NoData("friction.need.returns")
    delivered = delivered.assign(day=pd.to_datetime(delivered["delivered_date"]))
    daily = delivered.groupby("day")["returned"].agg(["count", "sum"])
    index = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    daily = daily.reindex(index, fill_value=0)
    win, tests = scan_rates(daily["count"].to_numpy(), daily["sum"].to_numpy(), lower=False)
    return _rise_finding(
        ctx, "RISING_RETURNS", win, tests, index, daily["count"], daily["sum"], "orders", "returned", {}
    ), tests


def _rise_finding(ctx, code, win, tests, index, n, x, n_label, x_label, params, segment=None, step=None):
    if win is None or win.x_in < 10 or not significant(win.p_value, tests):
        return []
    observed, expected = win.x_in / win.n_in, win.x_out / win.n_out
    if not worse_enough(observed, expected, True):
        return []
    start, end = index[win.start].date(), index[win.end].date()
    evidence = pd.DataFrame(
        {"day": index.date, n_label: np.asarray(n, float).round(2), x_label: np.asarray(x, float).round(2)}
    )
    evidence["rate"] = evidence[x_label] / evidence[n_label].where(evidence[n_label] > 0)
    evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
    return [
        Finding(
            code=code,
            key=finding_key(code, step, segment),
            params={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "observed": observed,
                "expected": expected,
                "what": step or "",
                **params,
            },
            stage={"RISING_RETURNS": "retention", "RISING_COMPLAINTS": "retention"}.get(code, "advocacy"),
            step=step,
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
            revenue_at_risk=None,
            inputs={
                "expected": expected,
                "observed": observed,
                "affected": int(win.x_in),
                "value_per_conversion": None,
                "value_source": None,
            },
            remedy=REMEDIES[code],
            evidence=evidence,
            chart={
                "kind": "daily_rate",
                "x": "day",
                "y": "rate",
                "n": n_label,
                "highlight": "in_window",
                "expected": expected,
            },
        )
    ]


def _tickets(ctx: Context) -> pd.DataFrame:
    return ctx.once("tickets", lambda: list_tickets(ctx.ws, ctx.filters))


def detect_rising_complaints(ctx: Context) -> tuple[list[Finding], int]:
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
        if not worse_enough(per_order_in, per_order_out, True):
            continue
        start, end = index[win.start].date(), index[win.end].date()
        evidence = pd.DataFrame({"day": index.date, "orders": exposure.to_numpy(), "complaints": counts.to_numpy()})
        evidence["rate"] = evidence["complaints"] / evidence["orders"].where(evidence["orders"] > 0)
        evidence["in_window"] = (evidence["day"] >= start) & (evidence["day"] <= end)
        out.append(
            Finding(
                code="RISING_COMPLAINTS",
                key=finding_key("RISING_COMPLAINTS", category, None),
                params={
                    "category": category or "",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "observed": per_order_in,
                    "expected": per_order_out,
                    "complaints": int(win.x_in),
                },
                stage="retention",
                step=category,
                segment=None,
                window_start=start,
                window_end=end,
                severity=severity_of(per_order_in, per_order_out, True),
                observed=per_order_in,
                expected=per_order_out,
                unit="per_order",
                p_value=win.p_value,
                z=win.z,
                tests=tests,
                affected_users=int(win.x_in),
                revenue_at_risk=None,
                inputs={
                    "expected": per_order_out,
                    "observed": per_order_in,
                    "affected": int(win.x_in),
                    "value_per_conversion": None,
                    "value_source": None,
                },
                remedy=REMEDIES["RISING_COMPLAINTS"],
                evidence=evidence,
                chart={
                    "kind": "daily_rate",
                    "x": "day",
                    "y": "rate",
                    "n": "orders",
                    "highlight": "in_window",
                    "expected": per_order_out,
                },
            )
        )
    # the all-categories window and a category's window that overlaps it are one story: keep the category
    cats = [f for f in out if f.step]
    out = [
        f
        for f in out
        if f.step or not any(c.window_start <= f.window_end and f.window_start <= c.window_end for c in cats)
    ]
    return out, tests


def detect_slow_support(ctx: Context) -> tuple[list[Finding], int]:
    """SLOW_SUPPORT: a support channel where most first replies come later than customers expect (CX_REFERENCE
    §3: chat 2 min, phone 10 min, social 1 h, e-mail 24 h): the share of answered tickets over the expected
    maximum is tested against one half (the median is over the expectation)."""
    tickets = _tickets(ctx)
    answered = tickets[tickets["first_response_minutes"].notna() & tickets["expected_max_minutes"].notna()]
    if answered.empty:
        raise NoData("friction.need.tickets")
    groups = answered.groupby("channel_group")
    tests, out = len(groups), []
    table = groups.agg(
        tickets=("ticket_key", "count"),
        late=("within_expected", lambda s: int((~s.astype(bool)).sum())),
        median_minutes=("first_response_minutes", "median"),
        expected_minutes=("expected_max_minutes", "first"),
    ).reset_index()
    for r in table.itertuples():
        if r.tickets < MIN_SAMPLE:
            continue
        p = binom_tail(int(r.late), int(r.tickets), 0.5, lower=False)
        if not significant(p, tests) or r.median_minutes < r.expected_minutes * (1 + MIN_RELATIVE_GAP):
            continue
        evidence = table.assign(highlight=table["channel_group"] == r.channel_group)
        customers = tickets[(tickets["channel_group"] == r.channel_group) & (tickets["within_expected"] == False)]
        out.append(
            Finding(
                code="SLOW_SUPPORT",
                key=finding_key("SLOW_SUPPORT", r.channel_group, None),
                params={
                    "channel": r.channel_group,
                    "observed": float(r.median_minutes),
                    "expected": float(r.expected_minutes),
                    "late_share": r.late / r.tickets,
                },
                stage="retention",
                step=r.channel_group,
                segment=None,
                window_start=None,
                window_end=None,
                severity=severity_of(r.median_minutes, r.expected_minutes, True),
                observed=float(r.median_minutes),
                expected=float(r.expected_minutes),
                unit="minutes",
                p_value=p,
                z=None,
                tests=tests,
                affected_users=int(customers["customer_id"].nunique() or r.late),
                revenue_at_risk=None,
                inputs={
                    "expected": float(r.expected_minutes),
                    "observed": float(r.median_minutes),
                    "affected": int(r.late),
                    "value_per_conversion": None,
                    "value_source": None,
                },
                remedy=REMEDIES["SLOW_SUPPORT"],
                evidence=evidence,
                chart={
                    "kind": "bars",
                    "x": "channel_group",
                    "y": "median_minutes",
                    "highlight": "highlight",
                    "expected": float(r.expected_minutes),
                },
                customers=customers[["ticket_id", "customer_id", "created_at", "first_response_minutes"]].reset_index(
                    drop=True
                ),
            )
        )
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
        if not significant(p, tests) or not worse_enough(observed, expected, True):
            continue
        evidence = table.assign(highlight=table.index == r.Index)
        out.append(
            Finding(
                code=code,
                key=finding_key(code, r.group, None),
                params={"group": r.group, "observed": observed, "expected": expected, **params_of(r)},
                stage=stage(r.group),
                step=r.group,
                segment=None,
                window_start=None,
                window_end=None,
                severity=severity_of(observed, expected, True),
                observed=observed,
                expected=expected,
                unit=unit,
                p_value=p,
                z=two_proportion_z(bad, n, bad_out, n_out),
                tests=tests,
                affected_users=int(bad),
                revenue_at_risk=None,
                inputs={
                    "expected": expected,
                    "observed": observed,
                    "affected": int(bad),
                    "value_per_conversion": None,
                    "value_source": None,
                },
                remedy=REMEDIES[code],
                evidence=evidence,
                chart={"kind": "bars", "x": "group", "y": rate_col, "highlight": "highlight", "expected": expected},
            )
        )
    return out, tests


def _touchpoint_stage(touchpoint) -> str | None:
    for match, pattern, stage in DEFAULT_RULES:
        if (
            match == "response_touchpoint"
            and pattern
            and touchpoint
            and re.search(pattern, str(touchpoint), re.IGNORECASE)
        ):
            return stage
    return None


def _answers(ctx: Context) -> pd.DataFrame:
    return ctx.once("answers", lambda: ctx.cur.execute(sat_query("base"), sat_params(ctx.filters)).df())


def detect_high_effort(ctx: Context) -> tuple[list[Finding], int]:
    """HIGH_EFFORT: a touchpoint whose CES answers say "high effort" (not the low-effort boxes) far more often
    than at the other touchpoints."""
    answers = _answers(ctx)
    ces = answers[answers["ces"].notna() & answers["touchpoint"].notna()]
    if ces.empty:
        raise NoData("friction.need.ces")
    table = (
        ces.groupby("touchpoint")
        .agg(n=("ces", "count"), low=("ces_low_effort", "sum"), mean=("ces", "mean"))
        .reset_index()
        .rename(columns={"touchpoint": "group"})
    )
    table["high"] = table["n"] - table["low"]
    table["high_effort_share"] = table["high"] / table["n"]
    return _group_test(
        ctx,
        "HIGH_EFFORT",
        table,
        "high_effort_share",
        "n",
        "high",
        True,
        lambda r: {"mean": float(r.mean)},
        _touchpoint_stage,
    )


def detect_low_csat(ctx: Context) -> tuple[list[Finding], int]:
    """LOW_CSAT_TOUCHPOINT: a touchpoint whose CSAT answers are unsatisfied (not top-2-box) far more often than at
    the other touchpoints."""
    answers = _answers(ctx)
    csat = answers[answers["csat"].notna() & answers["touchpoint"].notna()]
    if csat.empty:
        raise NoData("friction.need.csat")
    table = (
        csat.groupby("touchpoint")
        .agg(n=("csat", "count"), ok=("csat_satisfied", "sum"))
        .reset_index()
        .rename(columns={"touchpoint": "group"})
    )
    table["unsatisfied"] = table["n"] - table["ok"]
    table["csat"] = 100 * table["ok"] / table["n"]
    table["unsatisfied_share"] = table["unsatisfied"] / table["n"]
    return _group_test(
        ctx,
        "LOW_CSAT_TOUCHPOINT",
        table,
        "unsatisfied_share",
        "n",
        "unsatisfied",
        True,
        lambda r: {"csat": float(r.csat)},
        _touchpoint_stage,
    )


def detect_late_delivery_nps(ctx: Context) -> tuple[list[Finding], int]:
    """LATE_DELIVERY_NPS: customers whose latest order was late answer as detractors far more often than those
    whose latest order came on time (the NPS gap is shown)."""
    answers = _answers(ctx)
    scored = answers[answers["nps"].notna() & answers["late_delivery"].isin(["late", "on_time"])]
    if scored.empty or (scored["late_delivery"] == "late").sum() == 0:
        raise NoData("friction.need.deliveries")
    scored = scored.assign(detractor=scored["nps"] < 7, promoter=scored["nps"] >= 9)
    table = (
        scored.groupby("late_delivery")
        .agg(n=("nps", "count"), detractors=("detractor", "sum"), promoters=("promoter", "sum"))
        .reset_index()
    )
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
    # the delivered orders that were kept, whatever words the shop's statuses use ("delivered", "Livrée",
    # "completed"): neither cancelled nor returned (staging/order_status.sql; was the exact word "completed")
    done = orders[orders["delivered_date"].notna() & ~orders["cancelled"] & ~orders["returned"]]
    late_orders = done[done["delivered_date"] > done["promised_date"]]
    return [
        Finding(
            code="LATE_DELIVERY_NPS",
            key=finding_key("LATE_DELIVERY_NPS", None, None),
            params={
                "observed": observed,
                "expected": expected,
                "late_share": len(late_orders) / len(done) if len(done) else None,
                "n": int(late["n"]),
            },
            stage="retention",
            step=None,
            segment=None,
            window_start=None,
            window_end=None,
            severity="high" if expected - observed >= 30 else "medium",
            observed=observed,
            expected=expected,
            unit="nps",
            p_value=p,
            z=two_proportion_z(late["detractors"], late["n"], on_time["detractors"], on_time["n"]),
            tests=tests,
            affected_users=int(late_orders["customer_id"].nunique()),
            revenue_at_risk=None,
            inputs={
                "expected": expected,
                "observed": observed,
                "affected": int(late_orders["customer_id"].nunique()),
                "value_per_conversion": None,
                "value_source": None,
            },
            remedy=REMEDIES["LATE_DELIVERY_NPS"],
            evidence=table.assign(highlight=table["group"] == "late"),
            chart={"kind": "bars", "x": "group", "y": "nps", "highlight": "highlight", "expected": expected},
            customers=late_orders.groupby("customer_id")
            .agg(late_orders=("day", "count"), last_order=("day", "max"))
            .reset_index(),
        )
    ], tests


def _comments(ctx: Context) -> pd.DataFrame:
    comments = ctx.once("comments", lambda: read_comments(ctx.ws, ctx.filters))
    if comments.empty:
        raise NoData("friction.need.comments")
    return comments


def detect_detractor_theme(ctx: Context) -> tuple[list[Finding], int]:
    """DETRACTOR_THEME: a theme named far more often in detractors' comments (0–6) than in promoters' (9–10)
    (Fisher's exact test, Bonferroni over the themes) and whose answers have an NPS at least
    THEME_NPS_GAP points below the answers that do not name it: what detractors talk about, and what it costs."""
    comments = _comments(ctx)
    scored = comments[comments["group"].notna()]
    det, pro = scored[scored["group"] == "detractor"], scored[scored["group"] == "promoter"]
    if len(det) < MIN_SAMPLE or len(pro) < MIN_SAMPLE:
        return [], 0
    rows = []
    for theme in theme_names():
        named = scored["themes"].map(lambda t, th=theme: th in t).astype(bool)
        d, p_ = (
            int((named & (scored["group"] == "detractor")).sum()),
            int((named & (scored["group"] == "promoter")).sum()),
        )
        nps_in = _nps(scored[named]["group"])
        nps_out = _nps(scored[~named]["group"])
        rows.append(
            {
                "group": theme,
                "detractors": d,
                "promoters": p_,
                "detractor_share": d / len(det),
                "promoter_share": p_ / len(pro),
                "nps": nps_in,
                "nps_without": nps_out,
                "answers": int(named.sum()),
            }
        )
    table = pd.DataFrame(rows)
    tests, out = len(table), []
    for r in table.itertuples():
        if r.detractors < 10 or r.nps is None or r.nps_without is None:
            continue
        p = fisher_tail(r.detractors, len(det), r.promoters, len(pro), lower=False)
        if not significant(p, tests) or r.nps > r.nps_without - THEME_NPS_GAP:
            continue
        out.append(
            Finding(
                code="DETRACTOR_THEME",
                key=finding_key("DETRACTOR_THEME", r.group, None),
                params={
                    "theme": r.group,
                    "observed": r.detractor_share,
                    "expected": r.promoter_share,
                    "nps": r.nps,
                    "nps_without": r.nps_without,
                    "mentions": int(r.detractors),
                },
                stage="advocacy",
                step=r.group,
                segment=None,
                window_start=None,
                window_end=None,
                severity=severity_of(r.detractor_share, r.promoter_share, True),
                observed=r.detractor_share,
                expected=r.promoter_share,
                unit="rate",
                p_value=p,
                z=None,
                tests=tests,
                affected_users=int(r.detractors),
                revenue_at_risk=None,
                inputs={
                    "expected": r.promoter_share,
                    "observed": r.detractor_share,
                    "affected": int(r.detractors),
                    "value_per_conversion": None,
                    "value_source": None,
                },
                remedy=REMEDIES["DETRACTOR_THEME"],
                evidence=table.assign(highlight=table["group"] == r.group),
                chart={
                    "kind": "pair",
                    "x": "group",
                    "y": "detractor_share",
                    "y2": "promoter_share",
                    "highlight": "highlight",
                },
            )
        )
    return out, tests


def _nps(groups: pd.Series) -> float | None:
    if not len(groups):
        return None
    return 100 * ((groups == "promoter").sum() - (groups == "detractor").sum()) / len(groups)


def detect_rising_theme(ctx: Context) -> tuple[list[Finding], int]:
    """RISING_THEME: a theme whose share of the comments jumps during a run of days (7 to 28)."""
    comments = _comments(ctx)
    comments = comments.assign(day=pd.to_datetime(comments["responded_at"]).dt.normalize())
    index = pd.date_range(comments["day"].min(), comments["day"].max(), freq="D")
    n = comments.groupby("day").size().reindex(index, fill_value=0)
    raw, tests = [], 0
    for theme in theme_names():
        x = (
            comments[comments["themes"].map(lambda t, th=theme: th in t)]
            .groupby("day")
            .size()
            .reindex(index, fill_value=0)
        )
        win, m = scan_rates(n.to_numpy(), x.to_numpy(), lower=False, min_len=7)
        tests += m
        raw.append((theme, win, x))
    out = []
    for theme, win, x in raw:
        out += _rise_finding(
            ctx, "RISING_THEME", win, tests, index, n, x, "comments", "mentions", {"theme": theme}, step=theme
        )
    return out, tests
