"""Analytics benchmark: stage KPIs, a 5-step funnel with a breakdown and the monthly cohort matrix on
5M events and 200k customers, each against a 2 s target; and the same funnel in plain pandas.

    python bench/analytics.py                        # 5M events, 200k customers, 3 repeats, update docs
    python bench/analytics.py --events 500000 --customers 20000 --repeat 1 --no-write

The data is generated deterministically (numpy, fixed seed) straight into a fresh workspace file under
bench/out/ (`insert … select` from a DataFrame: the import path has its own benchmark, bench/ingest.py).
Every timing is the best of `--repeat` runs of the cx function on a warm workspace (DuckDB's own caches
warm, the result cache of the app not involved: cx functions are called directly).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN, END = "<!-- bench/analytics.py: begin -->", "<!-- bench/analytics.py: end -->"

SEED = 20250303
START = np.datetime64("2025-01-01T00:00:00", "us")
DAYS = 182  # half a year of web traffic
ORDER_START = np.datetime64("2023-07-01T00:00:00", "us")  # two and a half years of orders
ORDER_DAYS = 912
FUNNEL = ["view_item", "add_to_cart", "begin_checkout", "add_payment_info", "purchase"]
STEP_P = [0.35, 0.45, 0.75, 0.70]  # P(next funnel step | previous one) within a session
DEVICES, DEVICE_P = np.array(["mobile", "desktop", "tablet"]), [0.58, 0.36, 0.06]
CHANNELS = np.array(
    [
        "google / organic",
        "google / cpc",
        "(direct) / (none)",
        "newsletter / email",
        "instagram / social",
        "facebook / paid_social",
    ]
)
CHANNEL_P = [0.33, 0.16, 0.25, 0.09, 0.11, 0.06]
COUNTRIES, COUNTRY_P = np.array(["FR", "BE", "CH", "CA", "GB", "US"]), [0.74, 0.08, 0.07, 0.05, 0.03, 0.03]
SEGMENTS, SEGMENT_P = np.array(["Particulier", "Professionnel", "VIP"]), [0.84, 0.10, 0.06]
SITE = "https://www.maisonlumen.fr"
PAGES = np.array(
    [
        f"{SITE}/",
        f"{SITE}/categorie/luminaires",
        f"{SITE}/categorie/mobilier",
        f"{SITE}/categorie/textile",
        f"{SITE}/nouveautes",
        f"{SITE}/aide/faq",
    ]
    + [f"{SITE}/produit/article-{i}" for i in range(300)]
)
STEP_PAGES = {
    "add_to_cart": f"{SITE}/panier",
    "begin_checkout": f"{SITE}/commande/livraison",
    "add_payment_info": f"{SITE}/commande/paiement",
    "purchase": f"{SITE}/commande/confirmation",
}


# ============================================================================ the data


def generate_events(n_events: int, n_customers: int, seed: int = SEED) -> pd.DataFrame:
    """About `n_events` GA4-like events (exactly n_events: the last sessions are cut), sessions of
    session_start, page views, item lists and item views, then the e-commerce steps with STEP_P."""
    rng = np.random.default_rng(seed)
    n_sessions = int(n_events / 6.2) + 1000
    n_visitors = max(1000, int(n_sessions * 0.55))
    # a few visitors come back often, most once or twice
    visitor = (rng.pareto(1.6, n_sessions) * n_visitors / 6).astype(np.int64) % n_visitors
    visitor = rng.permutation(n_visitors)[visitor]
    start = START + (rng.random(n_sessions) * DAYS * 86_400e6).astype("timedelta64[us]")
    device = rng.choice(len(DEVICES), n_sessions, p=DEVICE_P)
    channel = rng.choice(len(CHANNELS), n_sessions, p=CHANNEL_P)
    country = rng.choice(len(COUNTRIES), n_visitors, p=COUNTRY_P)[visitor]
    # about a third of visitors are known customers; they are logged in on half their sessions
    known = rng.random(n_visitors) < 0.33
    cust_of_visitor = np.where(known, rng.integers(0, n_customers, n_visitors), -1)
    customer = np.where(rng.random(n_sessions) < 0.5, cust_of_visitor[visitor], -1)

    n_pages = 1 + rng.poisson(2.0, n_sessions)
    n_lists = rng.poisson(0.8, n_sessions)
    n_items = rng.poisson(1.3, n_sessions)
    depth = np.zeros(n_sessions, dtype=np.int64)  # funnel steps after view_item reached in the session
    alive = n_items > 0
    for p in STEP_P:
        alive = alive & (rng.random(n_sessions) < p)
        depth += alive
    counts = 1 + n_pages + n_lists + n_items + depth
    keep = np.cumsum(counts) <= n_events
    last = int(keep.sum())
    session_ids = np.arange(last)
    counts = counts[:last]
    total = int(counts.sum())

    sess = np.repeat(session_ids, counts)
    offset_in = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    n_p, n_l, n_i = (np.repeat(a[:last], counts) for a in (n_pages, n_lists, n_items))
    # kind of each event by its place in the session: 0 session_start, 1 page_view, 2 view_item_list,
    # 3 view_item, 4.. the funnel steps after view_item
    kind = np.select(
        [offset_in == 0, offset_in <= n_p, offset_in <= n_p + n_l, offset_in <= n_p + n_l + n_i],
        [0, 1, 2, 3],
        default=0,
    )
    funnel_k = offset_in - (n_p + n_l + n_i)  # 1.. for the steps after view_item
    kind = np.where(funnel_k >= 1, 3 + funnel_k, kind)
    # browsing events at random moments of a 0–20 min visit, the funnel steps after them, in order
    gap = rng.random(total) * 60e6  # < the 90 s between two funnel steps: they stay in order
    browse = (rng.random(total) * 1200e6).astype(np.int64)
    at = np.where(kind == 0, 0, np.where(kind <= 3, browse + 1_000_000, 1200e6 + funnel_k * 90e6 + gap))
    event_time = np.repeat(start[:last], counts) + at.astype(np.int64).astype("timedelta64[us]")
    names = np.array(
        [
            "session_start",
            "page_view",
            "view_item_list",
            "view_item",
            "add_to_cart",
            "begin_checkout",
            "add_payment_info",
            "purchase",
        ]
    )
    page_idx = rng.integers(0, len(PAGES), total)
    page = PAGES[page_idx]
    for k, name in enumerate(names[4:], start=4):
        page = np.where(kind == k, STEP_PAGES[name], page)
    vis = visitor[:last][sess]
    visitor_first = 1_700_000_000 + vis * 7
    frame = pd.DataFrame(
        {
            "import_id": np.int32(1),
            "event_time": event_time,
            "visitor_id": pd.array(
                [f"{v}.{f}" for v, f in zip(vis * 7919 % 2_000_000_000, visitor_first)], dtype="string"
            ),
            "event_name": pd.Categorical.from_codes(kind, names).astype("string"),
            "session_id": pd.array((start[:last].astype("int64") // 1_000_000).astype(str)[sess], dtype="string"),
            "customer_id": pd.array(
                np.where(
                    customer[:last][sess] >= 0,
                    np.char.add("C", np.char.zfill(customer[:last][sess].astype(str), 6)),
                    None,
                ),
                dtype="string",
            ),
            "page": pd.array(page, dtype="string"),
            "channel": pd.array(CHANNELS[channel[:last]][sess], dtype="string"),
            "device": pd.array(DEVICES[device[:last]][sess], dtype="string"),
            "country": pd.array(COUNTRIES[country[:last]][sess], dtype="string"),
            "load_time_ms": np.where(kind == 1, rng.lognormal(7.0, 0.3, total).round(), np.nan),
            "revenue": np.where(kind == 7, rng.lognormal(4.8, 0.6, total).round(2), np.nan),
        }
    )
    return frame.sort_values("event_time", kind="stable").head(n_events).reset_index(drop=True)


def generate_customers_orders(n_customers: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`n_customers` CRM customers and their orders over two and a half years: a first order at a random
    date, then 0+ repeat orders (geometric count, exponential gaps around 100 days)."""
    rng = np.random.default_rng([seed, 1])
    ids = np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), 6))
    segment = rng.choice(len(SEGMENTS), n_customers, p=SEGMENT_P)
    first = ORDER_START + (rng.random(n_customers) * ORDER_DAYS * 86_400e6).astype("timedelta64[us]")
    customers = pd.DataFrame(
        {
            "import_id": np.int32(2),
            "customer_id": ids,
            "signup_date": (first - np.timedelta64(30, "D")).astype("datetime64[D]"),
            "segment": SEGMENTS[segment],
            "loyalty_member": rng.random(n_customers) < 0.3,
        }
    )
    n_orders = rng.geometric(np.where(segment == 2, 0.25, 0.55))
    cust = np.repeat(np.arange(n_customers), n_orders)
    nth = np.arange(len(cust)) - np.repeat(np.cumsum(n_orders) - n_orders, n_orders)
    gaps = rng.exponential(100.0, len(cust)) * 86_400e6 * (nth > 0)
    cum = pd.Series(gaps).groupby(cust).cumsum().to_numpy()
    when = first[cust] + cum.astype(np.int64).astype("timedelta64[us]")
    end = ORDER_START + np.timedelta64(ORDER_DAYS, "D")
    keep = when < end
    cust, when = cust[keep], when[keep]
    n = len(cust)
    status = rng.choice(np.array(["completed", "returned", "cancelled"]), n, p=[0.88, 0.07, 0.05])
    day = when.astype("datetime64[D]")
    delivered = np.where(status == "cancelled", np.datetime64("NaT"), day + rng.integers(2, 9, n))
    orders = pd.DataFrame(
        {
            "import_id": np.int32(3),
            "customer_id": ids[cust],
            "order_time": when,
            "amount": rng.lognormal(4.8, 0.6, n).round(2),
            "order_id": [f"#{i}" for i in range(n)],
            "status": status,
            "delivered_date": delivered.astype("datetime64[D]"),
        }
    )
    return customers, orders.sort_values("order_time", kind="stable").reset_index(drop=True)


def fill(ws, frames) -> None:
    """Write each (table, frame) into the workspace as one import of its own (no reading, no checks: the bench's
    generated rows are canonical already)."""
    with ws.transaction() as cur:
        insert_frames(cur, frames, first_import_id=1)


def insert_frames(cur, frames, first_import_id: int) -> None:
    """Each (table, frame) inserted as one import of its own, numbered from `first_import_id`."""
    for import_id, (table, frame) in enumerate(frames, start=first_import_id):
        cur.register("frame", frame)
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        cur.execute(f'insert into "{table}" ({cols}) select {cols} from frame')
        cur.unregister("frame")
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, rows_read, rows_loaded, "
            "rows_rejected, status) values ($i, $f, $s, $k, $n, $n, 0, 'loaded')",
            {"i": import_id, "f": f"bench_{table}", "s": f"bench-{table}-{len(frame)}", "k": table, "n": len(frame)},
        )


def working_copy(db: Path | None, n_events: int, n_customers: int, name: str) -> Path:
    """A fresh copy, in bench/out/<name>/, of the workspace `db` (default: the generated shop, built under
    bench/out once), with its key: a benchmark writes to its copy, never to the source."""
    import shutil

    OUT.mkdir(parents=True, exist_ok=True)
    source = db or OUT / f"analytics_{n_events}_{n_customers}.duckdb"
    if not source.exists():
        build_workspace(source, n_events, n_customers).close()
    copy = OUT / name / f"{name}.duckdb"
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir(parents=True)
    shutil.copy(source, copy)
    shutil.copy(source.with_suffix(".key"), copy.with_suffix(".key"))
    return copy


def build_workspace(db: Path, n_events: int, n_customers: int):
    """A fresh workspace file with the generated events, customers and orders (and an imports row each)."""
    from cx.workspace import Workspace

    for p in (db, db.with_suffix(".key"), Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    events = generate_events(n_events, n_customers)
    customers, orders = generate_customers_orders(n_customers)
    ws = Workspace(db)
    fill(ws, (("events", events), ("customers", customers), ("orders", orders)))
    return ws


# ============================================================================ the funnel in plain pandas


def pandas_funnel(events: pd.DataFrame, steps: list[str], window: pd.Timedelta, by: str) -> pd.DataFrame:
    """The ordered funnel of cx.funnel written with pandas only (vectorised, no DuckDB): for each step-1
    event, the earliest later step-2 event, then step 3 after that… (merge_asof per step), within the
    window; the furthest step per visitor; users per step and per group of `by` (the group of the
    step-1 event of the visitor's best attempt, as cx does)."""
    e = events.loc[events["event_name"].isin(steps), ["visitor_id", "event_time", "event_name", by]]
    e = e.assign(step=e["event_name"].map({s: i + 1 for i, s in enumerate(steps)}))
    e = e.sort_values(["event_time", "step"], kind="stable")
    e["pos"] = np.arange(len(e))  # one global order: (time, step) — within a visitor it is theirs
    attempts = (
        e.loc[e["step"] == 1, ["visitor_id", "event_time", "pos", by]]
        .rename(columns={"event_time": "t0"})
        .assign(reached=1, cur=lambda d: d["pos"])
    )
    deadline = attempts["t0"] + window
    for k in range(2, len(steps) + 1):
        targets = (
            e.loc[e["step"] == k, ["visitor_id", "pos", "event_time"]]
            .rename(columns={"pos": "next", "event_time": "t"})
            .sort_values("next")
        )
        alive = attempts[attempts["reached"] == k - 1].sort_values("cur")
        found = pd.merge_asof(
            alive[["cur", "visitor_id"]].reset_index(),
            targets,
            left_on="cur",
            right_on="next",
            by="visitor_id",
            allow_exact_matches=False,
            direction="forward",
        ).set_index("index")
        ok = found["t"].notna() & (found["t"] <= deadline.loc[found.index])
        idx = found.index[ok]
        attempts.loc[idx, "reached"] = k
        attempts.loc[idx, "cur"] = found.loc[idx, "next"].astype(np.int64)
    # cx's best attempt: the furthest step, then the earliest arrival there, then the latest start
    best = attempts.sort_values(["reached", "cur", "t0"], ascending=[False, True, False]).drop_duplicates("visitor_id")
    rows = [{"group": "(all)", "step": k, "users": int((best["reached"] >= k).sum())} for k in range(1, len(steps) + 1)]
    for group, part in best.groupby(by, dropna=False):
        rows += [
            {"group": group, "step": k, "users": int((part["reached"] >= k).sum())} for k in range(1, len(steps) + 1)
        ]
    return pd.DataFrame(rows)


# ============================================================================ measurements


def _busy() -> float:
    """CPU seconds spent by the whole machine since boot (all processes, all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:9]]
    return (sum(vals) - vals[3] - vals[4]) / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_wait: float = 30, threshold: float = 0.3) -> float:
    """Wait (up to max_wait s) for a second in which the machine keeps under `threshold` cores busy: it
    may be shared (tests, browsers, other benchmarks), and a busy neighbour doubles a 2-core timing."""
    started = time.perf_counter()
    while True:
        b, t = _busy(), time.perf_counter()
        time.sleep(1.0)
        if (_busy() - b) / (time.perf_counter() - t) < threshold or time.perf_counter() - started > max_wait:
            return time.perf_counter() - started


LOAD: list[float] = []  # cores kept busy by other processes during each timed call


def best_of(fn, repeat: int) -> tuple[float, object]:
    """Best wall time of `repeat` calls, each after waiting for a quiet machine."""
    times, result = [], None
    for _ in range(repeat):
        wait_quiet()
        b, c, t = _busy(), time.process_time(), time.perf_counter()
        result = fn()
        wall = time.perf_counter() - t
        times.append(wall)
        LOAD.append(max(0.0, (_busy() - b - (time.process_time() - c)) / wall))
    return min(times), result


def machine() -> dict:
    import duckdb

    cpu = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem = next(
        (
            int(line.split()[1]) / 2**20
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "os": platform.platform(),
        "date": dt.date.today().isoformat(),
    }


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def run(n_events: int, n_customers: int, repeat: int) -> dict:
    from cx import cohorts, funnel
    from cx.models import Filters

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"analytics_{n_events}_{n_customers}.duckdb"
    t = time.perf_counter()
    ws = build_workspace(db, n_events, n_customers)
    counts = ws.table_counts()
    log(f"workspace ready in {time.perf_counter() - t:.0f} s: {counts}")
    filters = Filters()
    results: dict = {
        "events": counts["events"],
        "customers": counts["customers"],
        "orders": counts["orders"],
        "timings": [],
    }

    def record(name: str, seconds: float, note: str = "") -> None:
        results["timings"].append({"name": name, "s": seconds, "note": note})
        log(f"  {name}: {seconds:.3f} s {note}")

    try:
        from cx import journey

        find_stage_kpis = journey.find_stage_kpis
    except (ImportError, AttributeError):
        find_stage_kpis = None
    if find_stage_kpis is not None:
        s, _ = best_of(lambda: find_stage_kpis(ws, filters), repeat)
        record("stage KPIs (`cx.journey.find_stage_kpis`)", s)
    else:
        results["timings"].append(
            {"name": "stage KPIs", "s": None, "note": "TODO: cx.journey.find_stage_kpis did not exist when this ran"}
        )

    s, fun = best_of(lambda: funnel.find_funnel(ws, filters, FUNNEL, window="7d", mode="ordered", by="device"), repeat)
    record(
        "5-step funnel, ordered, 7 days, by device (`cx.funnel.find_funnel`)",
        s,
        f"users per step {fun.steps['users'].tolist()}",
    )
    s_plain, _ = best_of(lambda: funnel.find_funnel(ws, filters, FUNNEL, window="7d"), repeat)
    record("same funnel without breakdown", s_plain)
    for mode in ("strict", "any"):
        s_mode, _ = best_of(
            lambda mode=mode: funnel.find_funnel(ws, filters, FUNNEL, window="7d", mode=mode, by="device"), repeat
        )
        record(f"same funnel, {mode} mode, by device", s_mode)
    s_c, coh = best_of(
        lambda: cohorts.find_cohorts(ws, filters, period="month", mode="on", by_first="activity"), repeat
    )
    record(
        "monthly cohort matrix by first visit (`cx.cohorts.find_cohorts`)", s_c, f"{coh['cohort'].nunique()} cohorts"
    )
    s_c2, coh2 = best_of(
        lambda: cohorts.find_cohorts(ws, filters, period="month", mode="on", by_first="purchase"), repeat
    )
    record("monthly cohort matrix by first purchase", s_c2, f"{coh2['cohort'].nunique()} cohorts")

    # the same funnel in plain pandas: the events read into a DataFrame once (not timed), then pandas only
    with ws.cursor() as cur:
        t = time.perf_counter()
        events = cur.execute("select visitor_id, event_time, event_name, device from events").df()
        read_s = time.perf_counter() - t
    s_pd, pd_result = best_of(
        lambda: pandas_funnel(events, FUNNEL, pd.Timedelta(days=7), "device"), max(1, min(repeat, 2))
    )
    cx_rows = [("(all)", k, u) for k, u in zip(fun.steps["step"], fun.steps["users"])] + [
        (g, k, u) for g, k, u in fun.breakdown[["group", "step", "users"]].itertuples(index=False)
    ]
    same = sorted(map(tuple, pd_result[["group", "step", "users"]].values.tolist())) == sorted(cx_rows)
    record(
        "same funnel in plain pandas (merge_asof per step; events already in memory)",
        s_pd,
        f"reading the events into pandas first took {read_s:.1f} s; same users per step: {same}",
    )
    results["pandas_same"] = same
    results["ratio"] = s_pd / s
    results["read_s"] = read_s
    results["others_cores_max"] = max(LOAD) if LOAD else None
    ws.close()
    return results


def table(results: dict) -> str:
    out = ["| measurement | best time (s) | target | note |", "|---|---:|---|---|"]
    for r in results["timings"]:
        target = (
            "< 2 s"
            if not r["name"].startswith(
                ("same funnel in plain", "same funnel without", "same funnel, strict", "same funnel, any")
            )
            else "—"
        )
        if r["s"] is None:
            out.append(f"| {r['name']} | — | < 2 s | {r['note']} |")
            continue
        verdict = (" (met)" if r["s"] < 2 else " (**not met**)") if target != "—" else ""
        out.append(f"| {r['name']} | {r['s']:.2f} | {target}{verdict} | {r['note']} |")
    return "\n".join(out)


def write_doc(results: dict, info: dict, args) -> None:
    body = "\n".join(
        [
            BEGIN,
            "## Analytics: funnel, cohorts, stage KPIs (`bench/analytics.py`)",
            "",
            f"Generated data: {results['events']:,} events, {results['customers']:,} customers, "
            f"{results['orders']:,} orders (seed {SEED}; sessions with GA4 e-commerce steps, "
            f"step rates {STEP_P}). Best of {results.get('repeat', args.repeat)} runs, warm workspace, no global filter; each run waits for "
            f"a quiet machine (other processes kept at most {results['others_cores_max']:.2f} cores busy during a run).",
            f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; Python {info['python']}, "
            f"DuckDB {info['duckdb']}, pandas {info['pandas']}; {info['date']}.",
            "",
            table(results),
            "",
            f"**pandas / cx time ratio for the 5-step funnel with breakdown: {results['ratio']:.1f}×** "
            f"(pandas needs the events in memory first: {results['read_s']:.1f} s more; same users per step as "
            f"cx, per step and per device: {results['pandas_same']}).",
            "",
            "Strict mode has no target of its own: it orders every event of the period (to know which event comes "
            "right after a step), not only the step events, so it costs about three times the ordered funnel.",
            "The cohort matrix reads every event once (one grouping by visitor and period). The pandas funnel is "
            "the same algorithm vectorised (`merge_asof` per step); DuckDB's edge is mostly in not loading the "
            "events into Python at all.",
            "",
            "Re-run: `python bench/analytics.py` (about ten minutes on a shared machine: each run first waits up to "
            "30 s for the other processes to calm down); `--doc-only` rewrites this section from "
            "bench/out/analytics.json.",
            END,
        ]
    )
    replace_section(BEGIN, END, body)


def replace_section(begin: str, end: str, body: str) -> None:
    """Put `body` (which starts with `begin` and ends with `end`) in place of that section of docs/BENCHMARKS.md,
    or at its end; the rest of the file is left alone."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: body, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=5_000_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    ap.add_argument(
        "--doc-only",
        action="store_true",
        help="rewrite the docs/BENCHMARKS.md section from bench/out/analytics.json, measure nothing",
    )
    args = ap.parse_args()
    if args.doc_only:
        saved = json.loads((OUT / "analytics.json").read_text())
        write_doc(saved, saved.pop("machine"), args)
        return
    info = machine()
    results = run(args.events, args.customers, args.repeat)
    (OUT / "analytics.json").write_text(
        json.dumps({"machine": info, "repeat": args.repeat, **results}, indent=1, default=str)
    )
    print(table(results))
    print(f"pandas / cx ratio: {results['ratio']:.1f}x")
    if not args.no_write:
        write_doc(results, info, args)
        log(f"updated {DOC}")


if __name__ == "__main__":
    main()
