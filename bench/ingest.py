"""Import benchmark: a GA4-like events CSV loaded through `cx` vs DuckDB's own `read_csv`, both timed in
fresh subprocesses (so each peak RSS is its own), each writing a fresh workspace file under bench/out/.

    python bench/ingest.py                       # 1M and 5M rows, 3 repeats, update docs/BENCHMARKS.md
    python bench/ingest.py --rows 1000000 --repeat 1 --no-write
    python bench/ingest.py --from-json bench/out/ingest_results.json   # rewrite the docs section only

bench/README.md says what is measured; docs/BENCHMARKS.md keeps the results, and the investigation that
found where an import spends its time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN, END = "<!-- bench/ingest.py: begin -->", "<!-- bench/ingest.py: end -->"


# ============================================================================ the CSV

SEED = 20250101
GENERATOR_VERSION = 1
CHUNK_ROWS = 250_000
START_US = 1_735_689_600_000_000  # 2025-01-01T00:00:00Z
SPAN_US = 91 * 86_400 * 1_000_000  # a quarter of traffic, whatever the row count
HEADER = [
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "ga_session_id",
    "page_location",
    "device_category",
    "session_source_medium",
    "geo_country",
    "load_time_ms",
    "purchase_revenue",
]
SITE = "https://www.maisonlumen.fr"
EVENTS = (
    "page_view",
    "user_engagement",
    "scroll",
    "view_item",
    "view_item_list",
    "search",
    "add_to_cart",
    "begin_checkout",
    "add_payment_info",
    "purchase",
    "click",
    "file_download",
)
EVENT_P = (0.46, 0.15, 0.11, 0.09, 0.06, 0.025, 0.035, 0.015, 0.01, 0.008, 0.03, 0.007)
DEVICES, DEVICE_P = ("mobile", "desktop", "tablet"), (0.58, 0.36, 0.06)
SOURCES = (
    "google / organic",
    "google / cpc",
    "(direct) / (none)",
    "newsletter / email",
    "instagram / social",
    "facebook / paid_social",
    "bing / organic",
    "(not set)",
)
SOURCE_P = (0.31, 0.15, 0.24, 0.08, 0.11, 0.07, 0.03, 0.01)
COUNTRIES = ("France", "Belgium", "Switzerland", "Canada", "United Kingdom", "United States", "Germany", "(not set)")
COUNTRY_P = (0.72, 0.08, 0.06, 0.05, 0.04, 0.03, 0.015, 0.005)
WORDS = (
    "lampe",
    "laiton",
    "suspension",
    "rotin",
    "fauteuil",
    "bouclette",
    "table",
    "basse",
    "chene",
    "plaid",
    "coussin",
    "velours",
    "tapis",
    "berbere",
    "miroir",
    "soleil",
    "canape",
    "lin",
    "rideau",
    "nappe",
    "applique",
    "murale",
    "etagere",
    "noyer",
    "chaise",
    "cannee",
    "abat-jour",
    "jute",
    "gaze",
    "coton",
)
SEARCHES = (
    "lampe+laiton",
    "tapis+berb%C3%A8re",
    "fauteuil+bouclette",
    "table+basse+ch%C3%AAne",
    "plaid",
    "coussin+velours",
    "suspension+rotin",
    "miroir",
    "rideau+lin",
    "lampadaire",
    "canap%C3%A9",
)


def _pages(n_products: int = 400):
    """A fixed pool of page paths (the same for every chunk): home, categories, products, blog, search."""
    import numpy as np

    rng = np.random.default_rng([SEED, 999_999])
    w = rng.integers(0, len(WORDS), (n_products, 3))
    products = [f"/produit/{WORDS[a]}-{WORDS[b]}-{WORDS[c]}-{1000 + i}" for i, (a, b, c) in enumerate(w)]
    other = (
        [
            "/",
            "/categorie/luminaires",
            "/categorie/mobilier",
            "/categorie/textile",
            "/nouveautes",
            "/soldes",
            "/aide/faq",
            "/aide/livraison",
            "/compte",
            "/panier",
        ]
        + [f"/blog/{WORDS[i]}-{WORDS[-i - 1]}-guide" for i in range(12)]
        + [f"/recherche?q={s}" for s in SEARCHES]
    )
    pages = other + products
    weights = np.array(
        [30, 8, 8, 6, 5, 5, 2, 2, 2, 4]
        + [0.5] * 12
        + [0.8] * len(SEARCHES)
        + list(20 / (1 + np.arange(n_products)) ** 0.8),
        dtype=float,
    )
    return np.array(pages, dtype=object), weights / weights.sum()


def _chunk_frame(index: int, n: int, t_lo: int, t_hi: int, pages, page_p, n_visitors: int):
    """`n` events of sessions starting in [t_lo, t_hi), sorted by time; its own RNG stream, so the file
    does not depend on how many chunks were generated before."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng([SEED, index])
    lens = rng.geometric(1 / 7, size=n // 3 + 16)  # events per session, mean 7
    cum = np.cumsum(lens)
    k = int(np.searchsorted(cum, n)) + 1
    lens = lens[:k].copy()
    lens[-1] -= int(cum[k - 1]) - n
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    session = np.repeat(np.arange(k), lens)
    pos = np.arange(n) - np.repeat(starts, lens)
    sess_start = np.sort(rng.integers(t_lo, t_hi, k))
    visitor = (n_visitors * rng.random(k) ** 2.2).astype(np.int64)  # a few loyal visitors, a long tail
    device = rng.choice(len(DEVICES), k, p=DEVICE_P)
    source = rng.choice(len(SOURCES), k, p=SOURCE_P)
    country = rng.choice(len(COUNTRIES), k, p=COUNTRY_P)
    logged_in = rng.random(k) < 0.07

    gaps = rng.exponential(28e6, n).astype(np.int64) + 1
    gaps[pos == 0] = 0
    csum = np.cumsum(gaps)
    ts = sess_start[session] + csum - np.repeat(csum[starts], lens)
    names = np.array(EVENTS, dtype=object)[rng.choice(len(EVENTS), n, p=EVENT_P)]
    names[pos == 0] = "session_start"
    page = pages[rng.choice(len(pages), n, p=page_p)]
    page = np.where(names == "purchase", "/commande/confirmation", page)
    page = np.where(np.isin(names, ("begin_checkout", "add_payment_info")), "/commande/paiement", page)
    url = pd.Series(SITE + page.astype(str), dtype=object)
    # campaign tags on landing hits, and a few search URLs with a raw comma (quoted in the CSV)
    landing = pos == 0
    src_row = source[session]
    mail = landing & (src_row == SOURCES.index("newsletter / email"))
    url[mail] = (
        url[mail]
        + "?utm_source=newsletter&utm_medium=email&utm_campaign=lettre_"
        + pd.Series(rng.integers(1, 14, n)[mail]).astype(str).str.zfill(2).to_numpy()
    )
    cpc = landing & (src_row == SOURCES.index("google / cpc"))
    url[cpc] = url[cpc] + "?gclid=" + pd.Series(rng.integers(0, 2**62, n)[cpc]).map("{:016x}".format).to_numpy()
    comma = url.str.contains("recherche", regex=False).to_numpy() & (rng.random(n) < 0.05)
    url[comma] = url[comma] + ",rotin"

    local_day = (ts + 3_600_000_000).astype("datetime64[us]").astype("datetime64[D]")
    event_date = pd.Series(np.datetime_as_string(local_day, unit="D")).str.replace("-", "", regex=False)
    vis = visitor[session]
    pseudo = (
        pd.Series((vis * 2_654_435_761) % 2_047_483_647 + 100_000_000).astype(str)
        + "."
        + pd.Series(START_US // 1_000_000 - (vis * 7919) % (400 * 86_400)).astype(str)
    )
    user_id = pd.Series("", index=range(n), dtype=object)
    li = logged_in[session]
    user_id[li] = "C" + pd.Series(vis[li] % 90_000).astype(str).str.zfill(7).to_numpy()
    is_pv = names == "page_view"
    load = pd.Series(
        pd.array(
            np.where(is_pv, np.clip(rng.lognormal(np.log(1100), 0.45, n), 80, 30000), 0).astype(np.int64), dtype="Int64"
        )
    )
    load[~is_pv] = pd.NA
    is_buy = names == "purchase"
    revenue = pd.Series("", index=range(n), dtype=object)
    revenue[is_buy] = pd.Series(np.round(rng.lognormal(np.log(120), 0.7, n)[is_buy], 2)).map("{:.2f}".format).to_numpy()
    frame = pd.DataFrame(
        {
            "event_date": event_date,
            "event_timestamp": ts,
            "event_name": names,
            "user_pseudo_id": pseudo,
            "user_id": user_id,
            "ga_session_id": sess_start[session] // 1_000_000,
            "page_location": url,
            "device_category": np.array(DEVICES, dtype=object)[device[session]],
            "session_source_medium": np.array(SOURCES, dtype=object)[src_row],
            "geo_country": np.array(COUNTRIES, dtype=object)[country[session]],
            "load_time_ms": load,
            "purchase_revenue": revenue,
        }
    )
    return frame.sort_values("event_timestamp", kind="stable")


def generate_csv(rows: int) -> Path:
    """bench/out/events_<rows>.csv, reused when its sidecar says it was written by this generator, with
    this seed and row count, and the file still has the recorded size."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"events_{rows}.csv"
    meta_path = path.with_suffix(".csv.json")
    want = {"rows": rows, "seed": SEED, "generator_version": GENERATOR_VERSION, "header": HEADER}
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {k: meta.get(k) for k in want} == want and meta.get("bytes") == path.stat().st_size:
            return path
    pages, page_p = _pages()
    n_chunks = -(-rows // CHUNK_ROWS)
    window = SPAN_US // n_chunks
    started = time.perf_counter()
    tmp = path.with_suffix(".csv.partial")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(n_chunks):
            n = min(CHUNK_ROWS, rows - i * CHUNK_ROWS)
            lo = START_US + i * window
            frame = _chunk_frame(i, n, lo, lo + window, pages, page_p, max(1000, rows // 12))
            frame.to_csv(f, header=False, index=False, lineterminator="\n", na_rep="")
            del frame
    tmp.replace(path)
    meta_path.write_text(
        json.dumps({**want, "bytes": path.stat().st_size, "seconds": round(time.perf_counter() - started, 1)}, indent=1)
    )
    return path


# ============================================================================ children (one measurement each)


def _vm(field: str) -> float:
    """VmRSS / VmHWM of this process, in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _finish(result: dict) -> None:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    result.update(peak_rss_mb=ru.ru_maxrss / 1024, vm_hwm_mb=_vm("VmHWM"), cpu_s=ru.ru_utime + ru.ru_stime)
    print("RESULT " + json.dumps(result), flush=True)


def child_cx(csv: str, db: str, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    from cx.ingest import import_file
    from cx.workspace import Workspace

    baseline = _vm("VmRSS")
    t0 = time.perf_counter()
    ws = Workspace(db)
    t1 = time.perf_counter()
    report = import_file(ws, csv)
    t2 = time.perf_counter()
    ws.close()
    t3 = time.perf_counter()
    if report.rows_loaded != rows:
        raise SystemExit(
            f"cx loaded {report.rows_loaded} rows of {rows} ({report.rows_rejected} rejected: {report.rejects[:3]})"
        )
    _finish(
        {
            "wall_s": t3 - t0,
            "open_s": t1 - t0,
            "import_s": t2 - t1,
            "close_s": t3 - t2,
            "baseline_rss_mb": baseline,
            "rows": report.rows_loaded,
        }
    )


def child_duckdb(csv: str, db: str, rows: int) -> None:
    import duckdb

    baseline = _vm("VmRSS")
    t0 = time.perf_counter()
    con = duckdb.connect(db)
    con.execute("create table events as select * from read_csv($p)", {"p": csv})
    t1 = time.perf_counter()
    n = con.execute("select count(*) from events").fetchone()[0]  # not timed
    t2 = time.perf_counter()
    con.close()
    t3 = time.perf_counter()
    if n != rows:
        raise SystemExit(f"duckdb loaded {n} rows of {rows}")
    _finish(
        {
            "wall_s": (t1 - t0) + (t3 - t2),
            "import_s": t1 - t0,
            "close_s": t3 - t2,
            "baseline_rss_mb": baseline,
            "rows": n,
        }
    )


# ============================================================================ the parent


def _run_child(mode: str, csv: Path, rows: int, quiet: float = 0, timeout: int = 3600) -> dict:
    from bench.analytics import _busy, wait_quiet  # not in the children: numpy would weigh on their memory

    tmp = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=OUT))
    try:
        db = tmp / "workspace.duckdb"
        waited = wait_quiet(quiet) if quiet else 0.0
        started, busy = time.perf_counter(), _busy()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--csv", str(csv), "--db", str(db), "--rows", str(rows)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        elapsed, busy = time.perf_counter() - started, _busy() - busy
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(
                f"{mode} child failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        result = json.loads(lines[-1][len("RESULT ") :])
        result["process_s"] = elapsed
        # cores kept busy by other processes while the child ran (its own CPU time taken out)
        result["others_cores"] = max(0.0, (busy - result.get("cpu_s", 0.0)) / elapsed)
        result["waited_s"] = waited
        result["db_mb"] = db.stat().st_size / 2**20 if db.exists() else None
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cx_state() -> str:
    """Which cx code was measured: HEAD plus a hash of the uncommitted diff under cx/ (if any)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, check=False, text=True
        ).stdout.strip()
        diff = subprocess.run(["git", "diff", "HEAD", "--", "cx"], cwd=ROOT, capture_output=True, check=False).stdout
        return head + (
            f" + uncommitted changes under cx/ (diff sha1 {hashlib.sha1(diff).hexdigest()[:10]})" if diff else ""
        )
    except OSError:
        return "unknown"


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


ATTEMPTS = 5


def _measure(mode: str, csv: Path, rows: int, quiet: float, max_others: float) -> dict:
    """One run; run again (up to `attempts` times) when other processes kept more than `max_others` cores
    busy during it, and keep the least disturbed."""
    best = None
    for attempt in range(ATTEMPTS):
        r = _run_child(mode, csv, rows, quiet)
        r["attempts"] = attempt + 1
        if best is None or r["others_cores"] < best["others_cores"]:
            best = r
        if r["others_cores"] <= max_others:
            break
        log(f"    {mode} disturbed (other processes {r['others_cores']:.2f} cores, {r['wall_s']:.2f} s): again")
    return best


def bench(rows: int, repeat: int, quiet: float, max_others: float = 0.25) -> dict:
    t = time.perf_counter()
    csv = generate_csv(rows)
    log(f"{rows:,} rows: {csv.name} {csv.stat().st_size / 1e6:,.0f} MB (ready in {time.perf_counter() - t:.0f} s)")
    modes = ("cx", "duckdb")
    runs: dict = {m: [] for m in modes}
    for i in range(repeat):
        for mode in modes if i % 2 == 0 else modes[::-1]:
            r = _measure(mode, csv, rows, quiet, max_others)
            runs[mode].append(r)
            log(
                f"  {rows:,} {mode:6} run {i + 1}: {r['wall_s']:.2f} s (CPU {r['cpu_s']:.1f} s), peak RSS "
                f"{r['peak_rss_mb']:,.0f} MiB; other processes {r['others_cores']:.2f} cores"
            )
    return {"rows": rows, "bytes": csv.stat().st_size, "runs": runs}


def summary(runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    med = statistics.median
    return {
        "median": med(walls),
        "min": min(walls),
        "max": max(walls),
        "n": len(runs),
        "peak_rss": max(r["peak_rss_mb"] for r in runs),
        "baseline": med(r["baseline_rss_mb"] for r in runs),
        "cpu": med(r["cpu_s"] for r in runs),
        "db_mb": med(r["db_mb"] or 0 for r in runs),
        "others": max(r["others_cores"] for r in runs),
    }


def results_table(results: list[dict]) -> str:
    out = [
        "| rows | importer | median wall (s) | min–max (s) | peak RSS (MiB) | CPU (s) | workspace file (MiB) | "
        "time vs DuckDB | CPU vs DuckDB | target: ≤ 1.5× DuckDB's time, < 1.5 GB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for res in results:
        cx, db = summary(res["runs"]["cx"]), summary(res["runs"]["duckdb"])
        ratio, gb = cx["median"] / db["median"], cx["peak_rss"] * 2**20 / 1e9
        verdict = (
            f"time {'met' if ratio <= 1.5 else '**not met**'} ({ratio:.2f}×); memory "
            f"{'met' if gb < 1.5 else '**not met**'} ({gb:.2f} GB)"
        )
        rows = f"{res['rows']:,} ({res['bytes'] / 1e6:,.0f} MB)"
        for name, s, extra, note in (
            ("cx `import_file`", cx, f"**{ratio:.2f}×**", verdict),
            ("DuckDB `read_csv`", db, "1.00×", ""),
        ):
            out.append(
                f"| {rows} | {name} | {s['median']:.2f} | {s['min']:.2f}–{s['max']:.2f} | "
                f"{s['peak_rss']:,.0f} | {s['cpu']:.1f} | {s['db_mb']:,.0f} | {extra} | "
                f"{s['cpu'] / db['cpu']:.2f}× | {note} |"
            )
    return "\n".join(out)


def write_doc(results: list[dict], info: dict, state: str, repeat: int) -> None:
    others = max(summary(runs)["others"] for r in results for runs in r["runs"].values())
    lines = [
        BEGIN,
        "## Import: cx vs DuckDB `read_csv` (`bench/ingest.py`)",
        "",
        f"Run on {info['date']}: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, duckdb {info['duckdb']}; cx code: {state}. Command: "
        f"`python bench/ingest.py --rows {' '.join(str(r['rows']) for r in results)} --repeat {repeat}`.",
        "",
        f"The input is a GA4-like events export generated by the script (seed {SEED}; 12 columns; µs epoch "
        "timestamps; `user_id` mostly empty; `load_time_ms` on page_view, `purchase_revenue` on purchase; a "
        "few quoted URLs). Each run is a fresh subprocess writing a fresh workspace file; wall time runs "
        "from opening the database to closing it (the close checkpoints) and excludes interpreter start-up; "
        "peak RSS is the child's `ru_maxrss`, which includes the interpreter and imports (~"
        f"{summary(results[0]['runs']['cx'])['baseline']:.0f} MiB for cx, "
        f"~{summary(results[0]['runs']['duckdb'])['baseline']:.0f} MiB for DuckDB alone). "
        f"{repeat} runs each, cx and DuckDB alternating, the CSV in the page cache. The DuckDB "
        "baseline, `create table events as select * from read_csv($p)`, does less than cx: auto-detected "
        "types (`event_timestamp` stays BIGINT), no trimming, no validation, no rejects, no pseudonymisation.",
        "",
        results_table(results),
        "",
    ]
    if others > 0.2:
        lines += [
            f"Note: the machine is shared; other processes kept up to {others:.1f} cores busy during some "
            f"runs. A disturbed measurement is run again (up to {ATTEMPTS} times, keeping the least "
            "disturbed), but wall times stay noisy: compare medians, and CPU times, which are steadier.",
            "",
        ]
    lines.append(END)
    text = DOC.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    global ATTEMPTS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="before each run, wait up to this many seconds for other processes to go quiet",
    )
    ap.add_argument(
        "--max-others",
        type=float,
        default=0.25,
        help="run a measurement again (see --attempts) when other processes kept more cores than this busy during it",
    )
    ap.add_argument("--attempts", type=int, default=ATTEMPTS, help="at most this many tries per measurement")
    ap.add_argument("--no-write", action="store_true", help=f"print only; leave {DOC.relative_to(ROOT)} alone")
    ap.add_argument("--json", type=Path, default=OUT / "ingest_results.json", help="raw results")
    ap.add_argument(
        "--from-json",
        type=Path,
        metavar="PATH",
        help="measure nothing: rewrite the docs section from results saved by --json",
    )
    ap.add_argument("--child", choices=("cx", "duckdb"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        {"cx": child_cx, "duckdb": child_duckdb}[args.child](args.csv, args.db, args.rows[0])
        return
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        write_doc(saved["results"], saved["machine"], saved["cx"], len(saved["results"][0]["runs"]["cx"]))
        log(f"rewrote {DOC.relative_to(ROOT)} from {args.from_json}")
        return
    from bench.analytics import machine

    ATTEMPTS = max(1, args.attempts)
    info, state = machine(), cx_state()
    log(f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; cx: {state}")
    results = [bench(n, args.repeat, args.quiet_wait, args.max_others) for n in args.rows]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "cx": state, "results": results}, indent=1, default=str))
    print(results_table(results))
    if not args.no_write:
        write_doc(results, info, state, args.repeat)
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
