"""Import benchmark: a GA4-like events CSV loaded through `cx` vs DuckDB's own `read_csv`.

    python bench/ingest.py                       # 1M and 5M rows, 3 repeats, profile at 1M, update docs
    python bench/ingest.py --what-if             # + cx with suggested fixes patched in at run time
    python bench/ingest.py --rows 1000000 --repeat 1 --no-profile --no-write
    python bench/ingest.py --from-json bench/out/ingest_results.json   # rewrite the docs section only

Every measurement runs in a fresh Python subprocess (so its peak RSS is its own) against a fresh
workspace file in a temp dir under bench/out/. See bench/README.md for what is measured and how.
The script never modifies `cx`: the profile and the what-if wrap cx functions and cursors at run time,
in the child process only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "BENCHMARKS.md"
BEGIN, END = "<!-- bench/ingest.py: begin -->", "<!-- bench/ingest.py: end -->"

# ============================================================================ the CSV

SEED = 20250101
GENERATOR_VERSION = 1
CHUNK_ROWS = 250_000
START_US = 1_735_689_600_000_000  # 2025-01-01T00:00:00Z
SPAN_US = 91 * 86_400 * 1_000_000  # a quarter of traffic, whatever the row count
HEADER = ["event_date", "event_timestamp", "event_name", "user_pseudo_id", "user_id", "ga_session_id",
          "page_location", "device_category", "session_source_medium", "geo_country", "load_time_ms",
          "purchase_revenue"]
SITE = "https://www.maisonlumen.fr"
EVENTS = ("page_view", "user_engagement", "scroll", "view_item", "view_item_list", "search", "add_to_cart",
          "begin_checkout", "add_payment_info", "purchase", "click", "file_download")
EVENT_P = (0.46, 0.15, 0.11, 0.09, 0.06, 0.025, 0.035, 0.015, 0.01, 0.008, 0.03, 0.007)
DEVICES, DEVICE_P = ("mobile", "desktop", "tablet"), (0.58, 0.36, 0.06)
SOURCES = ("google / organic", "google / cpc", "(direct) / (none)", "newsletter / email", "instagram / social",
           "facebook / paid_social", "bing / organic", "(not set)")
SOURCE_P = (0.31, 0.15, 0.24, 0.08, 0.11, 0.07, 0.03, 0.01)
COUNTRIES = ("France", "Belgium", "Switzerland", "Canada", "United Kingdom", "United States", "Germany",
             "(not set)")
COUNTRY_P = (0.72, 0.08, 0.06, 0.05, 0.04, 0.03, 0.015, 0.005)
WORDS = ("lampe", "laiton", "suspension", "rotin", "fauteuil", "bouclette", "table", "basse", "chene", "plaid",
         "coussin", "velours", "tapis", "berbere", "miroir", "soleil", "canape", "lin", "rideau", "nappe",
         "applique", "murale", "etagere", "noyer", "chaise", "cannee", "abat-jour", "jute", "gaze", "coton")
SEARCHES = ("lampe+laiton", "tapis+berb%C3%A8re", "fauteuil+bouclette", "table+basse+ch%C3%AAne", "plaid",
            "coussin+velours", "suspension+rotin", "miroir", "rideau+lin", "lampadaire", "canap%C3%A9")


def _pages(n_products: int = 400):
    """A fixed pool of page paths (the same for every chunk): home, categories, products, blog, search."""
    import numpy as np
    rng = np.random.default_rng([SEED, 999_999])
    w = rng.integers(0, len(WORDS), (n_products, 3))
    products = [f"/produit/{WORDS[a]}-{WORDS[b]}-{WORDS[c]}-{1000 + i}" for i, (a, b, c) in enumerate(w)]
    other = (["/", "/categorie/luminaires", "/categorie/mobilier", "/categorie/textile", "/nouveautes",
              "/soldes", "/aide/faq", "/aide/livraison", "/compte", "/panier"]
             + [f"/blog/{WORDS[i]}-{WORDS[-i - 1]}-guide" for i in range(12)]
             + [f"/recherche?q={s}" for s in SEARCHES])
    pages = other + products
    weights = np.array([30, 8, 8, 6, 5, 5, 2, 2, 2, 4] + [0.5] * 12 + [0.8] * len(SEARCHES)
                       + list(20 / (1 + np.arange(n_products)) ** 0.8), dtype=float)
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
    url[mail] = url[mail] + "?utm_source=newsletter&utm_medium=email&utm_campaign=lettre_" + \
        pd.Series(rng.integers(1, 14, n)[mail]).astype(str).str.zfill(2).to_numpy()
    cpc = landing & (src_row == SOURCES.index("google / cpc"))
    url[cpc] = url[cpc] + "?gclid=" + pd.Series(rng.integers(0, 2**62, n)[cpc]).map("{:016x}".format).to_numpy()
    comma = url.str.contains("recherche", regex=False).to_numpy() & (rng.random(n) < 0.05)
    url[comma] = url[comma] + ",rotin"

    local_day = (ts + 3_600_000_000).astype("datetime64[us]").astype("datetime64[D]")
    event_date = pd.Series(np.datetime_as_string(local_day, unit="D")).str.replace("-", "", regex=False)
    vis = visitor[session]
    pseudo = (pd.Series((vis * 2_654_435_761) % 2_047_483_647 + 100_000_000).astype(str) + "." +
              pd.Series(START_US // 1_000_000 - (vis * 7919) % (400 * 86_400)).astype(str))
    user_id = pd.Series("", index=range(n), dtype=object)
    li = logged_in[session]
    user_id[li] = "C" + pd.Series(vis[li] % 90_000).astype(str).str.zfill(7).to_numpy()
    is_pv = names == "page_view"
    load = pd.Series(pd.array(np.where(is_pv, np.clip(rng.lognormal(np.log(1100), 0.45, n), 80, 30000), 0)
                              .astype(np.int64), dtype="Int64"))
    load[~is_pv] = pd.NA
    is_buy = names == "purchase"
    revenue = pd.Series("", index=range(n), dtype=object)
    revenue[is_buy] = pd.Series(np.round(rng.lognormal(np.log(120), 0.7, n)[is_buy], 2)).map("{:.2f}".format
                                                                                               ).to_numpy()
    frame = pd.DataFrame({
        "event_date": event_date, "event_timestamp": ts, "event_name": names, "user_pseudo_id": pseudo,
        "user_id": user_id, "ga_session_id": sess_start[session] // 1_000_000, "page_location": url,
        "device_category": np.array(DEVICES, dtype=object)[device[session]],
        "session_source_medium": np.array(SOURCES, dtype=object)[src_row],
        "geo_country": np.array(COUNTRIES, dtype=object)[country[session]], "load_time_ms": load,
        "purchase_revenue": revenue})
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
    meta_path.write_text(json.dumps({**want, "bytes": path.stat().st_size,
                                     "seconds": round(time.perf_counter() - started, 1)}, indent=1))
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
        raise SystemExit(f"cx loaded {report.rows_loaded} rows of {rows} ({report.rows_rejected} rejected: "
                         f"{report.rejects[:3]})")
    _finish({"wall_s": t3 - t0, "open_s": t1 - t0, "import_s": t2 - t1, "close_s": t3 - t2,
             "baseline_rss_mb": baseline, "rows": report.rows_loaded})


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
    _finish({"wall_s": (t1 - t0) + (t3 - t2), "import_s": t1 - t0, "close_s": t3 - t2,
             "baseline_rss_mb": baseline, "rows": n})


def _passthrough(kind: str, mapping: dict) -> list[str]:
    """Mapped columns stored as text without any check: optional, not parsed, not pseudonymised."""
    from cx.schema import TABLES
    return [c.name for c in TABLES[kind].columns
            if c.name in mapping.values() and c.type in ("text", "id") and not c.required and not c.personal]


def _repair_sql(kind: str, import_id, names: list[str]) -> str:
    """Trim, after the load, the few stored values that needed it (DuckDB evaluates the test on the
    compressed column, so on a clean file this scan is cheap and updates nothing)."""
    sets = ", ".join(f'"{c}" = nullif(trim("{c}"), \'\')' for c in names)
    where = " or ".join(f'"{c}" <> trim("{c}")' for c in names)
    return f'update "{kind}" set {sets} where import_id = {import_id} and ({where})'


class _Fetched:
    """The rows of a statement already fetched (the cursor has run another statement since)."""

    def __init__(self, rows: list):
        self._rows = rows

    def fetchall(self) -> list:
        return self._rows

    def fetchone(self):
        return self._rows[0] if self._rows else None


def child_cx_whatif(csv: str, db: str, rows: int) -> None:
    """cx with the suggested fixes applied at run time (nothing under cx/ is edited):
    - `filter_pushdown`: the load's insert runs with DuckDB's filter pushdown disabled, so the `where ok`
      filter reads the parsed columns instead of parsing every value a second time;
    - `scan`: `load._scan` searches for b"\\r\\n" only in chunks that contain a CR (same result);
    - `number_sql`: a number's parse runs behind `case when r is null then null else … end`, so the
      clean-up regexps do not run on the empty values of a sparse column (same result);
    - `late_trim`: the optional pass-through text columns (page, channel, device…) are loaded untrimmed and
      an update right after trims the values that need it (same result; the update's test runs on the
      compressed columns, so it is cheap, and on a clean file it changes nothing).
    A fix cx already has (found in its source) is not applied again."""
    sys.path.insert(0, str(ROOT))
    from cx import workspace as ws_mod
    from cx.ingest import convert, load
    applied = []

    def source(fn) -> str:
        try:
            return inspect.getsource(fn)
        except (OSError, TypeError):
            return ""
    cx_has = {"number_sql": "is null then null" in source(getattr(convert, "number_sql", None)),
              "scan": "if cr" in source(getattr(load, "_scan", None)),
              "filter_pushdown": "filter_pushdown" in source(getattr(load, "_load", None)),
              "late_trim": "<> trim(" in source(getattr(load, "_load", None))}
    if hasattr(convert, "number_sql") and not cx_has["number_sql"]:
        number_sql = convert.number_sql

        def guarded_number_sql(expr, *args, **kwargs):
            return f"(case when {expr} is null then null else {number_sql(expr, *args, **kwargs)} end)"
        convert.number_sql = guarded_number_sql
        applied.append("number_sql")
    late: dict = {}
    if hasattr(convert, "load_sql") and hasattr(convert, "raw") and not cx_has["late_trim"]:
        load_sql, raw = convert.load_sql, convert.raw

        def late_trim_load_sql(kind, mapping, headers, *args, **kwargs):
            """Leave the optional pass-through text columns untrimmed in the load statement; the insert below
            is followed by an update that trims the values that need it."""
            late["kind"], late["names"] = kind, _passthrough(kind, mapping)
            skip = {headers.index(src) for src, t in mapping.items() if t in late["names"]}
            convert.raw = lambda i: f"nullif(c{i}, '')" if i in skip else raw(i)
            try:
                return load_sql(kind, mapping, headers, *args, **kwargs)
            finally:
                convert.raw = raw
        convert.load_sql = late_trim_load_sql
        applied.append("late_trim")
    fields = set(getattr(getattr(load, "_ByteScan", None), "__dataclass_fields__", {}))
    if hasattr(load, "_scan") and fields == {"sha256", "lines", "ascii"} and not cx_has["scan"]:
        def _scan(path):
            h, lines, lone_cr, ascii_only, last = hashlib.sha256(), 0, 0, True, b"\n"
            with open(path, "rb") as f:
                while chunk := f.read(8 * 1024 * 1024):
                    h.update(chunk)
                    lines += chunk.count(b"\n")
                    cr = chunk.count(b"\r")
                    if cr:
                        lone_cr += cr - chunk.count(b"\r\n")
                    ascii_only = ascii_only and chunk.isascii()
                    last = chunk[-1:]
            return load._ByteScan(h.hexdigest(), None if lone_cr else lines + (last != b"\n"), ascii_only)
        load._scan = _scan
        applied.append("scan")

    class PatchedCursor:
        """Runs the load's insert with the patches above: filter pushdown off, then the repair update."""

        def __init__(self, cur):
            self._cur = cur

        def execute(self, sql, *args, **kwargs):
            load_insert = re.match(r'\s*insert into "(\w+)" \(import_id, .*?\) select (\d+),', sql, re.I | re.S)
            if not load_insert:
                self._cur.execute(sql, *args, **kwargs)
                return self
            nopush = not cx_has["filter_pushdown"]
            if nopush:
                self._cur.execute("set disabled_optimizers = 'filter_pushdown'")
            try:
                result = self._cur.execute(sql, *args, **kwargs).fetchall()
            finally:
                if nopush:
                    self._cur.execute("reset disabled_optimizers")
            if nopush and "filter_pushdown" not in applied:
                applied.append("filter_pushdown")
            if late.get("names") and load_insert.group(1) == late["kind"]:
                self._cur.execute(_repair_sql(late["kind"], int(load_insert.group(2)), late["names"]))
            return _Fetched(result)  # the cursor ran other statements since

        def __getattr__(self, name):
            return getattr(self._cur, name)

    original_cursor = ws_mod.Workspace.cursor

    @contextmanager
    def cursor(self):
        with original_cursor(self) as cur:
            yield PatchedCursor(cur)
    ws_mod.Workspace.cursor = cursor
    baseline = _vm("VmRSS")
    t0 = time.perf_counter()
    ws = ws_mod.Workspace(db)
    report = load.import_file(ws, csv)
    t1 = time.perf_counter()
    ws.close()
    t2 = time.perf_counter()
    if report.rows_loaded != rows:
        raise SystemExit(f"cx (what-if) loaded {report.rows_loaded} rows of {rows}")
    _finish({"wall_s": t2 - t0, "import_s": t1 - t0, "close_s": t2 - t1, "baseline_rss_mb": baseline,
             "rows": report.rows_loaded, "applied": applied, "already_in_cx": [k for k, v in cx_has.items() if v]})


# ---------------------------------------------------------------------------- profile child

class _Prof:
    """Flat record of where the time goes: SQL statements, cursor calls and the own time of wrapped
    Python functions (their duration minus what ran inside them)."""

    def __init__(self):
        self.items: list[dict] = []
        self.stack: list[list] = []  # [phase name, nested seconds]

    def add(self, kind: str, label: str, seconds: float, sql: str | None = None) -> dict:
        item = {"kind": kind, "label": label, "phase": self.stack[-1][0] if self.stack else "import_file",
                "s": seconds}
        if sql is not None:
            item["sql"] = sql
        self.items.append(item)
        return item

    def _nested(self, seconds: float) -> None:
        if self.stack:
            self.stack[-1][1] += seconds

    def wrap(self, name: str, fn):
        def wrapped(*args, **kwargs):
            self.stack.append([name, 0.0])
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                d = time.perf_counter() - t
                _, nested = self.stack.pop()
                self.add("python", name, d - nested)
                self._nested(d)
        return wrapped

    @contextmanager
    def phase(self, name: str):
        self.stack.append([name, 0.0])
        t = time.perf_counter()
        try:
            yield
        finally:
            d = time.perf_counter() - t
            _, nested = self.stack.pop()
            self.add("python", name, d - nested)
            self._nested(d)


def _sql_label(sql: str) -> str:
    s = " ".join(sql.split())
    rules = [
        (r"^insert into \"events\"", "insert into events select … from (conv) where ok — reads the CSV, "
                                     "parses, inserts"),
        (r"^select count\(\*\) from stg$", "select count(*) from stg — a second full read of the CSV"),
        (r"^select distinct", "infer_options sample (select distinct … from stg limit 200000)"),
        (r"^create or replace temp view stg", "create temp view stg over read_csv"),
        (r"^create table if not exists cx_meta|^create sequence", "schema"),
    ]
    for pattern, label in rules:
        if re.search(pattern, s, re.I):
            return label
    return s[:90] + ("…" if len(s) > 90 else "")


class _TimedCursor:
    """Proxy for a DuckDB cursor that times every call; fetches count towards the statement before them."""
    FETCH = {"fetchone", "fetchall", "fetchmany", "df", "fetchdf", "fetch_df", "arrow", "pl", "fetchnumpy"}

    def __init__(self, cur, prof: _Prof):
        self._cur, self._prof, self._last = cur, prof, None

    def execute(self, sql, *args, **kwargs):
        t = time.perf_counter()
        self._cur.execute(sql, *args, **kwargs)
        d = time.perf_counter() - t
        self._last = self._prof.add("sql", _sql_label(sql), d, sql)
        self._prof._nested(d)
        return self

    def __getattr__(self, name):
        attr = getattr(self._cur, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            t = time.perf_counter()
            out = attr(*args, **kwargs)
            d = time.perf_counter() - t
            if name in self.FETCH and self._last is not None:
                self._last["s"] += d
            else:
                self._prof.add("call", f"cursor.{name}()", d)
            self._prof._nested(d)
            return self if out is self._cur else out
        return call


def child_profile(csv: str, db: str, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    from cx import workspace as ws_mod
    from cx.ingest import convert, load, readers, sniff
    prof = _Prof()
    original_cursor = ws_mod.Workspace.cursor

    @contextmanager
    def cursor(self):
        with original_cursor(self) as cur:
            yield _TimedCursor(cur, prof)
    ws_mod.Workspace.cursor = cursor
    targets = [(load, "_sha256", "sha256 of the file"),
               (load, "_scan", "_scan: sha256 + line count + ASCII check (one pass over the file)"),
               (sniff, "detect_file_type", "detect_file_type"),
               (sniff, "detect_encoding", "detect_encoding (decodes the whole file)"),
               (readers, "csv_header", "csv_header (delimiter, preamble)"), (readers, "stage_csv", "stage_csv"),
               (load, "_resolve_mapping", "_resolve_mapping"), (convert, "infer_options", "infer_options"),
               (convert, "load_sql", "convert.load_sql (build SQL)"), (load, "_load", "_load (own Python)"),
               (readers, "collect_csv_rejects", "collect_csv_rejects"), (load, "_lines_of", "_lines_of"),
               (load, "_save_mapping", "_save_mapping"), (load, "_duplicate_of", "_duplicate_of")]
    for module, attr, label in targets:
        if hasattr(module, attr):
            setattr(module, attr, prof.wrap(label, getattr(module, attr)))
    t0 = time.perf_counter()
    with prof.phase("Workspace(path): open, migrate"):
        ws = ws_mod.Workspace(db)
    t1 = time.perf_counter()
    with prof.phase("import_file (own Python)"):
        report = load.import_file(ws, csv)
    t2 = time.perf_counter()
    with prof.phase("ws.close() (checkpoint)"):
        ws.close()
    t3 = time.perf_counter()
    if report.rows_loaded != rows:
        raise SystemExit(f"cx loaded {report.rows_loaded} rows of {rows}")
    _finish({"wall_s": t3 - t0, "import_s": t2 - t1, "items": prof.items, "rows": report.rows_loaded})


# ---------------------------------------------------------------------------- variants child

QUIET_WAIT = 0.0  # the variants child waits for a quiet machine before each statement (--quiet-wait / 3)


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _timed(cur, sql: str, repeat: int = 3, rollback: bool = False, quiet: bool = False) -> dict:
    """Best wall time of `repeat` runs, with the process CPU time (all threads) of that run; statements that
    write run in a transaction that is rolled back, so every repeat starts from the same state."""
    best = {"s": float("inf"), "cpu": float("nan")}
    for _ in range(repeat):
        if quiet and QUIET_WAIT:
            wait_quiet(QUIET_WAIT)
        if rollback:
            cur.execute("begin")
        t, c = time.perf_counter(), _cpu()
        cur.execute(sql).fetchall()
        wall, cpu = time.perf_counter() - t, _cpu() - c
        if rollback:
            cur.execute("rollback")
        if wall < best["s"]:
            best = {"s": wall, "cpu": cpu}
    return best


def _operators(node: dict, out: list, depth: int = 0) -> None:
    info = node.get("extra_info") or {}
    detail = info.get("Function") or info.get("Expression") or info.get("Projections") or ""
    if isinstance(detail, list):
        detail = f"{len(detail)} expressions: " + ", ".join(map(str, detail))
    out.append({"type": node.get("type") or node.get("operator_type"), "detail": " ".join(str(detail).split())[:70],
                "timing": node.get("timing", node.get("operator_timing", 0.0)) or 0.0, "depth": depth,
                "rows": node.get("intermediate_rows", node.get("operator_cardinality"))})
    for child in node.get("children", []):
        _operators(child, out, depth + 1)


def _sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 * 1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _best(fn, repeat: int = 3) -> dict:
    best = {"s": float("inf"), "cpu": float("nan")}
    for _ in range(repeat):
        if QUIET_WAIT:
            wait_quiet(QUIET_WAIT)
        t, c = time.perf_counter(), _cpu()
        fn()
        wall, cpu = time.perf_counter() - t, _cpu() - c
        if wall < best["s"]:
            best = {"s": wall, "cpu": cpu}
    return best


def _python_passes(csv: str) -> list:
    """cx's whole-file Python passes, and a one-pass alternative."""
    from cx.ingest import load, sniff
    path = Path(csv)
    chunk = 8 * 1024 * 1024

    def sha_only():
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while c := f.read(chunk):
                h.update(c)

    def one_pass():
        """sha256 + 'is it pure ASCII' (then it is UTF-8 without decoding it) + newline count, one read."""
        h, ascii_only, lines = hashlib.sha256(), True, 0
        with open(path, "rb") as f:
            while c := f.read(chunk):
                h.update(c)
                ascii_only = ascii_only and c.isascii()
                lines += c.count(b"\n")

    def one_pass_cr():
        """The same, also counting lone CRs (old Mac line ends) the cheap way: the two-byte b'\\r\\n' search
        only runs on chunks that hold a CR at all."""
        h, ascii_only, lines, lone_cr = hashlib.sha256(), True, 0, 0
        with open(path, "rb") as f:
            while c := f.read(chunk):
                h.update(c)
                ascii_only = ascii_only and c.isascii()
                lines += c.count(b"\n")
                cr = c.count(b"\r")
                if cr:
                    lone_cr += cr - c.count(b"\r\n")

    def read_only():
        with open(path, "rb") as f:
            while f.read(chunk):
                pass

    rows = []
    if hasattr(load, "_scan"):  # cx's one-pass byte scan (hash, line count, ASCII check)
        rows.append(("cx: load._scan(path) (sha256 + line count + ASCII check in one pass)",
                     _best(lambda: load._scan(path))))
    if hasattr(load, "_sha256"):
        rows.append(("cx: load._sha256(path)", _best(lambda: load._sha256(path))))
    rows.append(("cx: sniff.detect_encoding(path) (incremental UTF-8 decode of every chunk)",
                 _best(lambda: sniff.detect_encoding(path, "x"))))
    return rows + [
        ("just reading the file in 8 MiB chunks", _best(read_only)),
        ("sha256 alone, 8 MiB chunks", _best(sha_only)),
        ("one pass: sha256 + bytes.isascii() + count(b'\\n') per chunk (ASCII ⇒ valid UTF-8, no decode)",
         _best(one_pass)),
        ("the same + lone-CR count, b'\\r\\n' searched only in chunks that contain a CR", _best(one_pass_cr))]


def _plan_counts(cur, select: str) -> dict:
    """How often the parse work appears in the physical plan (filter pushdown copies it into the filter)."""
    plan = " ".join(r[1] for r in cur.execute("explain " + select).fetchall())
    return {"TRY_CAST": plan.count("TRY_CAST("), "trim": plan.count('"trim"('),
            "regexp_replace": plan.count("regexp_replace("), "struct_pack": plan.count("struct_pack(")}


def child_variants(csv: str, db: str, rows: int) -> None:
    """Time the pieces of cx's load in isolation: the Python passes, the CSV scans, the insert statement
    and variants of it (DuckDB's operator profile of the real one), then parse expressions on a
    materialised copy of the staged text."""
    sys.path.insert(0, str(ROOT))
    from cx.ingest import convert, load as load_mod, mapping as mapping_mod, readers
    from cx.schema import TABLES
    from cx.workspace import Workspace
    v: dict = {"python": _python_passes(csv)}
    with open(csv, "rb") as f:
        v["newlines"] = sum(c.count(b"\n") for c in iter(lambda: f.read(8 * 1024 * 1024), b""))
    ws = Workspace(db)
    with ws.cursor() as cur:
        headers, delim, skip = readers.csv_header(Path(csv), "utf-8", "x")
        readers.stage_csv(cur, Path(csv), "utf-8", delim, skip, headers)
        mapping = mapping_mod.map_headers(headers, "events", mapping_mod.find_preset(headers))
        t, c = time.perf_counter(), _cpu()
        options = convert.infer_options(cur, "events", mapping, headers)  # first call: nothing cached yet
        infer = {"s": time.perf_counter() - t, "cpu": _cpu() - c}
        sql = convert.load_sql("events", mapping, headers, options, True)
        names = TABLES["events"].names
        columns = ", ".join(f'"{c}"' for c in names)
        insert = f'insert into "events" (import_id, {columns}, properties) '
        select = f"select 1, {columns}, properties from (select {sql.values} from ({sql.conv}) where ok)"
        unfiltered = f"select 1, {columns}, properties from (select {sql.values} from ({sql.conv}))"
        inverse = {t: s for s, t in mapping.items()}
        text_cols = ", ".join("now()::timestamp" if c == "event_time" else
                              f"{convert.raw(headers.index(inverse[c]))}" if c in inverse and
                              c not in ("load_time_ms", "revenue") else "null" for c in names)
        extra = [i for i, h in enumerate(headers) if h not in mapping]
        pairs = ", ".join(f"{convert.q(headers[i])}, c{i}" for i in extra)
        text_only = f"select 1, {text_cols}, json_object({pairs})::varchar from stg"
        text_only_raw = re.sub(r"nullif\(trim\((c\d+)\), ''\)", r"\1", text_only)
        all_cols = ", ".join(f"count(c{i})" for i in range(len(headers)))
        # does cx's _load run its insert without filter pushdown (as since 7ee5e82)?
        try:
            cx_nopush = "filter_pushdown" in inspect.getsource(load_mod._load)
        except (OSError, TypeError, AttributeError):
            cx_nopush = False
        mine = " ← what cx runs" if cx_nopush else ""

        def variant_sql(**patches) -> str:
            """The load statement rebuilt by convert.load_sql with some of its functions replaced."""
            saved = {name: getattr(convert, name) for name in patches}
            for name, fn in patches.items():
                setattr(convert, name, fn)
            try:
                q = convert.load_sql("events", mapping, headers, options, True)
            finally:
                for name, fn in saved.items():
                    setattr(convert, name, fn)
            return f"select 1, {columns}, properties from (select {q.values} from ({q.conv}) where ok)"

        def same_rows(other: str) -> int:
            return cur.execute(f"select count(*) from (({select}) except all ({other}))").fetchone()[0]

        number_sql = convert.number_sql
        guarded_numbers = variant_sql(number_sql=lambda e, *a, **k:
                                      f"(case when {e} is null then null else {number_sql(e, *a, **k)} end)")
        untrimmed = variant_sql(raw=lambda i: f"nullif(c{i}, '')")

        def guarded_raw(i: int) -> str:
            """trim() only where it can change something: an empty value, or one that starts or ends with a
            space, a control character or a non-ASCII character (DuckDB's trim also strips U+00A0 etc.)."""
            c = f"c{i}"
            return (f"(case when {c} = '' or ascii({c}) <= 32 or ascii({c}) > 126 or ascii(right({c}, 1)) <= 32 "
                    f"or ascii(right({c}, 1)) > 126 then nullif(trim({c}), '') else {c} end)")
        guarded_trim = variant_sql(raw=guarded_raw)
        checks = {"numbers": same_rows(guarded_numbers), "untrimmed": same_rows(untrimmed),
                  "guarded trim": same_rows(guarded_trim)}

        passthrough = _passthrough("events", mapping)
        pass_idx = {headers.index(src) for src, t in mapping.items() if t in passthrough}
        raw = convert.raw
        late_trim = variant_sql(raw=lambda i: f"nullif(c{i}, '')" if i in pass_idx else raw(i))
        late_repair = _repair_sql("events", 1, passthrough)

        def late_trim_timing() -> dict:
            """Insert with the pass-through columns untrimmed, then the repair update; same transaction."""
            best = {"s": float("inf"), "cpu": float("nan")}
            for _ in range(3):
                if QUIET_WAIT:
                    wait_quiet(QUIET_WAIT)
                cur.execute("begin")
                t, c = time.perf_counter(), _cpu()
                cur.execute(insert + late_trim).fetchall()
                cur.execute(late_repair).fetchall()
                wall, cpu = time.perf_counter() - t, _cpu() - c
                cur.execute("rollback")
                if wall < best["s"]:
                    best = {"s": wall, "cpu": cpu}
            return best

        trimmed_late = ", ".join(f'nullif(trim("{c}"), \'\') as "{c}"' for c in passthrough)
        checks["late trim"] = same_rows(f"select * replace ({trimmed_late}) from ({late_trim})")

        def with_hash_thread() -> dict:
            """The statement while a thread hashes the file (hashlib releases the GIL): time until both end."""
            best = {"s": float("inf"), "cpu": float("nan")}
            for _ in range(3):
                if QUIET_WAIT:
                    wait_quiet(QUIET_WAIT)
                cur.execute("begin")
                t, c = time.perf_counter(), _cpu()
                thread = threading.Thread(target=_sha256_file, args=(csv,))
                thread.start()
                cur.execute(insert + select).fetchall()
                thread.join()
                wall, cpu = time.perf_counter() - t, _cpu() - c
                cur.execute("rollback")
                if wall < best["s"]:
                    best = {"s": wall, "cpu": cpu}
            return best

        statements = [
            ("DuckDB baseline: create table x as select * from read_csv(p)",
             _timed(cur, f"create table x as select * from read_csv('{csv}')", rollback=True, quiet=True)),
            ("cx: convert.infer_options, first call (samples the file for decimal marks and date order; once)",
             infer),
            ("select count(*) from stg — a second full read of the file, to count its rows",
             _timed(cur, "select count(*) from stg", quiet=True)),
            ("read every column of stg as text (select count(c0), …, count(c11) from stg)",
             _timed(cur, f"select {all_cols} from stg", quiet=True)),
            ("text-only insert: the mapped columns trimmed, no parsing, no checks",
             _timed(cur, insert + text_only, rollback=True, quiet=True)),
            ("text-only insert without trim(): the CSV's strings as read",
             _timed(cur, insert + text_only_raw, rollback=True, quiet=True)),
            ("load statement (convert.load_sql), DuckDB's default settings" + ("" if cx_nopush else mine),
             _timed(cur, insert + select, rollback=True, quiet=True)),
            ("… without `where ok` (parsing, no checks), default settings",
             _timed(cur, insert + unfiltered, rollback=True, quiet=True)),
        ]
        plans = {"as generated": _plan_counts(cur, select)}
        cur.execute("set disabled_optimizers = 'filter_pushdown'")
        plans["filter_pushdown disabled"] = _plan_counts(cur, select)
        statements += [
            ("**load statement with `SET disabled_optimizers = 'filter_pushdown'`**" + (mine if cx_nopush else ""),
             _timed(cur, insert + select, rollback=True, quiet=True)),
            (f"… + number parse behind `case when r is null then null else … end` (rows differing: "
             f"{checks['numbers']})", _timed(cur, insert + guarded_numbers, rollback=True, quiet=True)),
            (f"… + no trim() at all: `nullif(c, '')` (an upper bound; rows differing on this file: "
             f"{checks['untrimmed']})", _timed(cur, insert + untrimmed, rollback=True, quiet=True)),
            (f"… + trim() only where it can change the value, by a CASE (rows differing: "
             f"{checks['guarded trim']})", _timed(cur, insert + guarded_trim, rollback=True, quiet=True)),
            (f"… + no trim() on the {len(passthrough)} optional pass-through text columns "
             f"({', '.join(passthrough)}), then `update … set c = nullif(trim(c), '') where c <> trim(c)` "
             f"(rows differing: {checks['late trim']})", late_trim_timing()),
            ("… + sha256 of the file hashed in a thread at the same time (until both end)", with_hash_thread()),
            ("sha256 of the file alone, for comparison", _best(lambda: _sha256_file(csv))),
        ]
        cur.execute("set preserve_insertion_order = false")
        statements.append(("… + `preserve_insertion_order = false`",
                           _timed(cur, insert + select, rollback=True, quiet=True)))
        cur.execute("reset preserve_insertion_order")

        # the statement as cx runs it, once more, with DuckDB's per-operator profile
        if not cx_nopush:
            cur.execute("reset disabled_optimizers")
        prof_path = Path(db).with_suffix(".profile.json")
        if QUIET_WAIT:
            wait_quiet(QUIET_WAIT)
        cur.execute("begin")
        cur.execute("PRAGMA enable_profiling = 'json'")
        cur.execute(f"PRAGMA profiling_output = '{prof_path}'")
        cur.execute(insert + select).fetchall()
        cur.execute("PRAGMA disable_profiling")
        cur.execute("rollback")
        cur.execute("reset disabled_optimizers")
        v.update(statements=statements, plans=plans, cx_nopush=cx_nopush)
        profile = json.loads(prof_path.read_text())
        ops: list = []
        for node in profile.get("operator", profile.get("children", [])):
            _operators(node, ops)
        v["operators"] = {"ops": ops, "latency": profile.get("query", {}).get("total_time"),
                          "settings": "filter_pushdown disabled" if cx_nopush else "default settings"}

        # parse expressions alone, on the staged text materialised once (no CSV reading in the timings)
        cur.execute("create temp table stg_t as select * from stg")

        def cost(expr: str, source: str = "stg_t") -> dict:
            return _timed(cur, f"select count(v), count(*) from (select {expr} as v from {source})")

        r = convert.raw(headers.index("event_timestamp"))
        order = options["date_order"].get("event_time", "dmy")
        cx_ts = convert.timestamp_sql(r, order)
        # the same expression with the text, its integer value and its length computed once, in a subquery
        once = cx_ts.replace(f"try_cast({r} as bigint)", "e").replace(f"length({r})", "l").replace(r, "r")
        inner = f"(select r, try_cast(r as bigint) as e, length(r) as l from (select {r} as r from stg_t))"
        vts = f"({cx_ts})"
        not_a_date = f"(case when {r} is not null and {vts} is null then 1 end) is null"
        timestamp = [
            ("text only: nullif(trim(c1), '')", cost(r)),
            ("cx: convert.timestamp_sql(r, order)", cost(cx_ts)),
            ("make_timestamp(try_cast(r as bigint)): the µs-epoch branch alone, no time zone",
             cost(f"make_timestamp(try_cast({r} as bigint))"))]
        if options.get("timezone"):
            tz = convert.q(options["timezone"])
            timestamp.append((f"timezone({tz}, make_timestamptz(try_cast(r as bigint))): the same, converted to "
                              "local time", cost(f"timezone({tz}, make_timestamptz(try_cast({r} as bigint)))")))
        timestamp += [
            ("cx's expression with try_cast(r as bigint) and length(r) computed once, in a subquery",
             cost(once, inner)),
            ("cx parse + not_a_date + year() range check (the two `ok` terms of this column)",
             cost(f"{not_a_date} and (case when year({vts}) < 1970 or year({vts}) > 2100 then 1 end) is null")),
            ("cx parse + not_a_date + range check as v < '1970-01-01' or v >= '2101-01-01'",
             cost(f"{not_a_date} and (case when {vts} < timestamp '1970-01-01' or {vts} >= "
                  f"timestamp '2101-01-01' then 1 end) is null")),
        ]
        v["timestamp"] = timestamp
        numbers = []
        for name in ("load_time_ms", "purchase_revenue"):
            rr = convert.raw(headers.index(name))
            dec = options["decimal"].get(mapping.get(name, ""), ".")
            cx_num = convert.number_sql(rr, dec)
            filled = cur.execute(f"select count({rr}) from stg_t").fetchone()[0]
            numbers += [
                (f"{name} ({100 * filled / rows:.1f} % filled): text only", cost(rr)),
                (f"{name}: cx convert.number_sql(r, '{dec}')", cost(cx_num)),
                (f"{name}: try_cast(r as double) alone", cost(f"try_cast({rr} as double)")),
                (f"{name}: cx, behind `case when r is null then null else … end`",
                 cost(f"case when {rr} is null then null else {cx_num} end")),
            ]
        v["numbers"] = numbers
        ru = convert.raw(headers.index("user_id"))
        v["others"] = [
            ("user_id → customer_id: case when contains(r, '@') then cx_pseudonymise(r) else r end",
             cost(f"case when contains({ru}, '@') then cx_pseudonymise({ru}) else {ru} end")),
            (f"properties: json_object({pairs})::varchar", cost(f"json_object({pairs})::varchar")),
        ]
        cur.execute("create or replace temp view stg as select * from stg_t")  # conv now reads the copy
        v["others"].append(("the whole conv select over the copy: select count(*) filter (where ok) from (conv)",
                            _timed(cur, f"select count(*) filter (where ok) from ({sql.conv})")))
        v["conv_sql"], v["values_sql"] = sql.conv, sql.values
    ws.close()
    _finish({"variants": v})


# ============================================================================ parent

def _busy() -> float:
    """CPU seconds spent by the whole machine (all processes, all cores) since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:9]]
    return (sum(vals) - vals[3] - vals[4]) / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_wait: float, threshold: float = 0.3) -> float:
    """Wait (up to max_wait s) for a second in which other processes keep under `threshold` cores busy.
    The machine may be shared (tests, a browser…): a busy neighbour slows both importers unevenly."""
    started = time.perf_counter()
    while True:
        b, t = _busy(), time.perf_counter()
        time.sleep(1.0)
        if (_busy() - b) / (time.perf_counter() - t) < threshold or time.perf_counter() - started > max_wait:
            return time.perf_counter() - started


def _run_child(mode: str, csv: Path, rows: int, quiet: float = 0, timeout: int = 3600) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=OUT))
    try:
        db = tmp / "workspace.duckdb"
        waited = wait_quiet(quiet) if quiet else 0.0
        started, busy = time.perf_counter(), _busy()
        proc = subprocess.run([sys.executable, __file__, "--child", mode, "--csv", str(csv), "--db", str(db),
                               "--rows", str(rows), "--quiet-wait", str(quiet)],
                              capture_output=True, text=True, timeout=timeout,
                              cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
        elapsed, busy = time.perf_counter() - started, _busy() - busy
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"{mode} child failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                               f"{proc.stderr[-4000:]}")
        result = json.loads(lines[-1][len("RESULT "):])
        result["process_s"] = elapsed
        # cores kept busy by other processes while the child ran (its own CPU time taken out)
        result["others_cores"] = max(0.0, (busy - result.get("cpu_s", 0.0)) / elapsed)
        result["waited_s"] = waited
        result["db_mb"] = db.stat().st_size / 2**20 if db.exists() else None
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def machine() -> dict:
    import duckdb
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = next((int(line.split()[1]) / 2**20 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem, 1), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "os": platform.platform(), "date": dt.date.today().isoformat()}


def cx_state() -> str:
    """Which cx code was measured: HEAD plus a hash of the uncommitted diff under cx/ (if any)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
        diff = subprocess.run(["git", "diff", "HEAD", "--", "cx"], cwd=ROOT, capture_output=True).stdout
        return head + (f" + uncommitted changes under cx/ (diff sha1 {hashlib.sha1(diff).hexdigest()[:10]})"
                       if diff else "")
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


def bench(rows: int, repeat: int, quiet: float, what_if: bool = False, max_others: float = 0.25) -> dict:
    t = time.perf_counter()
    csv = generate_csv(rows)
    log(f"{rows:,} rows: {csv.name} {csv.stat().st_size / 1e6:,.0f} MB (ready in {time.perf_counter() - t:.0f} s)")
    modes = ("cx", "duckdb") + (("cx_whatif",) if what_if else ())
    runs: dict = {m: [] for m in modes}
    for i in range(repeat):
        for mode in (modes if i % 2 == 0 else modes[::-1]):
            r = _measure(mode, csv, rows, quiet, max_others)
            runs[mode].append(r)
            log(f"  {rows:,} {mode:6} run {i + 1}: {r['wall_s']:.2f} s (CPU {r['cpu_s']:.1f} s), peak RSS "
                f"{r['peak_rss_mb']:,.0f} MiB; other processes {r['others_cores']:.2f} cores")
    return {"rows": rows, "bytes": csv.stat().st_size, "runs": runs}


def summary(runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    med = statistics.median
    return {"median": med(walls), "min": min(walls), "max": max(walls), "n": len(runs),
            "peak_rss": max(r["peak_rss_mb"] for r in runs), "baseline": med(r["baseline_rss_mb"] for r in runs),
            "cpu": med(r["cpu_s"] for r in runs), "db_mb": med(r["db_mb"] or 0 for r in runs),
            "others": max(r["others_cores"] for r in runs)}


def _fmt_rows(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def results_table(results: list[dict]) -> str:
    out = ["| rows | importer | median wall (s) | min–max (s) | peak RSS (MiB) | CPU (s) | workspace file (MiB) | "
           "time vs DuckDB | CPU vs DuckDB | target: ≤ 1.5× DuckDB's time, < 1.5 GB |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for res in results:
        cx, db = summary(res["runs"]["cx"]), summary(res["runs"]["duckdb"])
        ratio = cx["median"] / db["median"]
        gb = cx["peak_rss"] * 2**20 / 1e9
        verdict = (f"time {'met' if ratio <= 1.5 else '**not met**'} ({ratio:.2f}×); memory "
                   f"{'met' if gb < 1.5 else '**not met**'} ({gb:.2f} GB)")
        rows = f"{_fmt_rows(res['rows'])} ({res['bytes'] / 1e6:,.0f} MB)"
        entries = [("cx `import_file`", cx, f"**{ratio:.2f}×**", verdict), ("DuckDB `read_csv`", db, "1.00×", "")]
        if res["runs"].get("cx_whatif"):
            w = summary(res["runs"]["cx_whatif"])
            first = res["runs"]["cx_whatif"][0]
            fixes = " + ".join(f"`{a}`" for a in first.get("applied") or []) or "nothing"
            already = f" (already in cx: {', '.join(first['already_in_cx'])})" if first.get("already_in_cx") else ""
            wr, wgb = w["median"] / db["median"], w["peak_rss"] * 2**20 / 1e9
            entries.append((f"what-if: cx with {fixes} patched in at run time{already}", w, f"{wr:.2f}×",
                            f"time {'met' if wr <= 1.5 else 'not met'} ({wr:.2f}×); memory "
                            f"{'met' if wgb < 1.5 else 'not met'} ({wgb:.2f} GB)"))
        for name, s, extra, note in entries:
            out.append(f"| {rows} | {name} | {s['median']:.2f} | {s['min']:.2f}–{s['max']:.2f} | "
                       f"{s['peak_rss']:,.0f} | {s['cpu']:.1f} | {s['db_mb']:,.0f} | {extra} | "
                       f"{s['cpu'] / db['cpu']:.2f}× | {note} |")
    return "\n".join(out)


def _groups(profile: dict) -> dict:
    groups: dict = {}
    for it in profile["items"]:
        key = (it["kind"], it["label"], it["phase"] if it["kind"] != "python" else "")
        g = groups.setdefault(key, [0.0, 0])
        g[0] += it["s"]
        g[1] += 1
    return groups


def breakdown_md(profiles: list[dict]) -> str:
    """The run with the median wall time, step by step (so the rows add up), with each step's range over runs."""
    ordered = sorted(profiles, key=lambda p: p["wall_s"])
    median_run = ordered[len(ordered) // 2]
    total, groups = median_run["wall_s"], _groups(median_run)
    all_groups = [_groups(p) for p in profiles]
    walls = ", ".join(f"{p['wall_s']:.2f}" for p in profiles)
    out = [f"Instrumented cx imports of the {_fmt_rows(median_run['rows'])}-row file: {len(profiles)} runs of "
           f"{walls} s "
           "from `Workspace(path)` to `ws.close()`; the table is the median run, with each step's range over "
           "all runs. SQL rows are the statement's `execute` plus its fetch; Python rows are a function's own "
           "time (its duration minus the SQL and other timed calls inside it).", "",
           "| step | kind | called from | calls | seconds | range over runs | share |",
           "|---|---|---|---:|---:|---:|---:|"]
    small = [0.0, 0]
    for key, (sec, n) in sorted(groups.items(), key=lambda kv: -kv[1][0]):
        kind, label, phase = key
        if sec < 0.002 * total:
            small[0] += sec
            small[1] += n
            continue
        values = [g.get(key, [0.0])[0] for g in all_groups]
        out.append(f"| {label.replace('|', '/')} | {kind} | {phase} | {n} | {sec:.3f} | "
                   f"{min(values):.3f}–{max(values):.3f} | {100 * sec / total:.1f} % |")
    out.append(f"| every other step (each under 0.2 %) | | | {small[1]} | {small[0]:.3f} | | "
               f"{100 * small[0] / total:.1f} % |")
    rest = total - sum(sec for sec, _ in groups.values())
    out.append(f"| outside any timed call | | | | {rest:.3f} | | {100 * rest / total:.1f} % |")
    return "\n".join(out)


def _table(title: str, rows: list, note: str = "") -> str:
    first = rows[0][1]["s"]
    out = [f"**{title}**" + (f" {note}" if note else ""), "",
           "| variant | wall (s) | CPU (s) | wall vs first row |", "|---|---:|---:|---:|"]
    for label, r in rows:
        out.append(f"| {label.replace('|', '/')} | {r['s']:.3f} | {r['cpu']:.2f} | {r['s'] / first:.2f}× |")
    return "\n".join(out)


def variants_md(v: dict, rows: int) -> str:
    plans = v["plans"]
    counts = ", ".join(f"`{k}` {plans['as generated'][k]} → {plans['filter_pushdown disabled'][k]}"
                       for k in plans["as generated"])
    ops = v["operators"]
    total = sum(o["timing"] for o in ops["ops"]) or 1.0
    op_rows = [f"| {'· ' * o['depth']}{o['type']} | {o['detail'].replace('|', '/')} | "
               f"{o['rows'] if o['rows'] is not None else ''} | {o['timing']:.3f} | {100 * o['timing'] / total:.0f} % |"
               for o in ops["ops"] if o["timing"] >= 0.005 * total]
    parts = [
        _table("Whole-file Python passes", v["python"], "(best of 3; the file is in the page cache)"),
        f"The file has {v['newlines']:,} newline characters: the header plus {v['newlines'] - 1:,} lines for "
        f"{rows:,} rows. A line count taken in the hashing pass can stand in for `select count(*) from stg` "
        "whenever it equals loaded + structurally rejected rows (every row takes at least one line, so no row "
        "was held back by `where ok`); otherwise (quoted newlines, blank lines, rows with bad values) the "
        "second read is still needed.",
        _table(f"The load statement and its variants ({_fmt_rows(rows)} rows)", v["statements"],
               "(best of 3 each; inserts rolled back; CPU is the process's, all threads)"),
        f"With DuckDB's default settings, filter pushdown copies every parse expression into the `where ok` "
        f"filter, so each value is parsed twice. Occurrences in the physical plan (`EXPLAIN`) of the load "
        f"statement, default settings → `filter_pushdown` disabled: {counts}.",
        f"DuckDB's operator profile of the load statement as cx runs it ({ops.get('settings', 'default settings')}; "
        f"one run; operator time is summed over threads; latency {ops['latency'] or 0:.2f} s):",
        "| operator | detail | rows out | operator time (s) | share |\n|---|---|---:|---:|---:|\n" + "\n".join(op_rows),
        f"Parse expressions alone, on the staged text materialised in memory (`stg_t`, {_fmt_rows(rows)} rows; "
        "no CSV reading): `select count(v), count(*) from (select <expr> as v from stg_t)`, best of 3. The "
        "first row of each table only produces the trimmed text; the difference is the parsing.",
        _table("event_timestamp → event_time", v["timestamp"]),
        _table("Numbers", v["numbers"]),
        _table("Other columns, and the whole `conv` select", v["others"]),
    ]
    return "\n\n".join(parts)


def write_doc(results: list[dict], profiles: list[dict] | None, variants: dict | None, info: dict, state: str,
              args) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
    else:
        text = ("# Benchmarks\n\n"
                f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM; {info['os']}; "
                f"Python {info['python']}, duckdb {info['duckdb']}. File created {info['date']}.\n\n"
                "Each section below is written by the script it names; run it again to refresh the section.\n")
    others = max(summary(runs)["others"] for r in results for runs in r["runs"].values())
    lines = [BEGIN, "## Import: cx vs DuckDB `read_csv` (`bench/ingest.py`)", "",
             f"Run on {info['date']}: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, "
             f"Python {info['python']}, duckdb {info['duckdb']}; cx code: {state}. Command: "
             f"`python bench/ingest.py --rows {' '.join(str(r['rows']) for r in results)} --repeat {args.repeat}"
             f"{' --what-if' if any('cx_whatif' in r['runs'] for r in results) else ''}`.",
             "",
             f"The input is a GA4-like events export generated by the script (seed {SEED}; 12 columns; µs epoch "
             "timestamps; `user_id` mostly empty; `load_time_ms` on page_view, `purchase_revenue` on purchase; a "
             "few quoted URLs). Each run is a fresh subprocess writing a fresh workspace file; wall time runs "
             "from opening the database to closing it (the close checkpoints) and excludes interpreter start-up; "
             "peak RSS is the child's `ru_maxrss`, which includes the interpreter and imports (~"
             f"{summary(results[0]['runs']['cx'])['baseline']:.0f} MiB for cx with pandas, "
             f"~{summary(results[0]['runs']['duckdb'])['baseline']:.0f} MiB for DuckDB alone). "
             f"{args.repeat} runs each, cx and DuckDB alternating, the CSV in the page cache. The DuckDB "
             "baseline, `create table events as select * from read_csv($p)`, does less than cx: auto-detected "
             "types (`event_timestamp` stays BIGINT), no trimming, no validation, no rejects, no pseudonymisation.",
             "", results_table(results), ""]
    if others > 0.2:
        lines += [f"Note: the machine is shared; other processes (and kernel threads) kept up to {others:.1f} "
                  "cores busy during some runs. The script waits for a quiet second before each run and runs a "
                  f"disturbed measurement again (up to {ATTEMPTS} times, keeping the least disturbed), but wall "
                  "times stay "
                  "noisy: compare medians, and CPU times, which are steadier.", ""]
    if profiles:
        lines += ["### Where the time goes", "", breakdown_md(profiles), ""]
    if variants:
        lines += [variants_md(variants, profiles[0]["rows"] if profiles else args.profile_rows), ""]
    lines.append(END)
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    global ATTEMPTS, QUIET_WAIT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile-rows", type=int, default=1_000_000, help="rows of the profiled file; 0: no profile")
    ap.add_argument("--no-profile", action="store_true", help="skip the profile and the expression variants")
    ap.add_argument("--quiet-wait", type=float, default=60.0,
                    help="before each run, wait up to this many seconds for other processes to go quiet")
    ap.add_argument("--max-others", type=float, default=0.25,
                    help="run a measurement again (see --attempts) when other processes kept more cores than "
                         "this busy during it")
    ap.add_argument("--attempts", type=int, default=ATTEMPTS, help="at most this many tries per measurement")
    ap.add_argument("--no-write", action="store_true", help=f"print only; leave {DOC.relative_to(ROOT)} alone")
    ap.add_argument("--json", type=Path, default=OUT / "ingest_results.json", help="raw results")
    ap.add_argument("--from-json", type=Path, metavar="PATH",
                    help="measure nothing: rewrite the docs section from results saved by --json")
    ap.add_argument("--what-if", action="store_true",
                    help="also time cx with the suggested fixes applied at run time (see child_cx_whatif)")
    ap.add_argument("--child", choices=("cx", "duckdb", "profile", "variants", "cx_whatif"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        QUIET_WAIT = args.quiet_wait / 3 if args.child == "variants" else 0.0
        {"cx": child_cx, "duckdb": child_duckdb, "profile": child_profile, "variants": child_variants,
         "cx_whatif": child_cx_whatif}[args.child](args.csv, args.db, args.rows[0])
        return
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        args.repeat = len(saved["results"][0]["runs"]["cx"])
        write_doc(saved["results"], saved["profiles"], saved["variants"], saved["machine"], saved["cx"], args)
        log(f"rewrote {DOC.relative_to(ROOT)} from {args.from_json}")
        return
    ATTEMPTS = max(1, args.attempts)
    info, state = machine(), cx_state()
    log(f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; cx: {state}")
    results = [bench(n, args.repeat, args.quiet_wait, args.what_if, args.max_others) for n in args.rows]
    profiles = variants = None
    if args.profile_rows and not args.no_profile:
        csv = generate_csv(args.profile_rows)
        log(f"profiling cx at {args.profile_rows:,} rows")
        profiles = []
        for i in range(args.repeat):
            p = _measure("profile", csv, args.profile_rows, args.quiet_wait, args.max_others)
            profiles.append(p)
            log(f"  instrumented import {i + 1}: {p['wall_s']:.2f} s; other processes {p['others_cores']:.2f} cores")
        log("timing statement and expression variants")
        variants = _run_child("variants", csv, args.profile_rows, args.quiet_wait)["variants"]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "cx": state, "results": results, "profiles": profiles,
                                     "variants": variants}, indent=1, default=str))
    print(results_table(results))
    if profiles:
        print("\n" + breakdown_md(profiles))
    if variants:
        print("\n" + variants_md(variants, args.profile_rows))
    if not args.no_write:
        write_doc(results, profiles, variants, info, state, args)
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
