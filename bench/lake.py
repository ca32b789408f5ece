"""The workspace file against a DuckLake (SQLite catalog, Parquet files) and against events attached in place from
a GA4 BigQuery export folder (`python -m cx attach-events`): stage KPIs, a 5-step funnel and the monthly cohorts on
the same generated data, and the lake / file and attached / file time ratios of each (issue 16).

    python bench/lake.py                                   # 2M events, 100k customers, 3 repeats, update docs
    python bench/lake.py --events 200000 --customers 10000 --repeat 1 --no-write
    nice -n 15 python bench/lake.py --events 50000000 --customers 2000000 --replicate 25 --repeat 1   # ~30 min

`--replicate K` (the 50M run): the generator's events/K events copied K times in DuckDB SQL, each copy with
visitors and customers of its own, written once as one Parquet file under bench/out/gen_* (reused by later runs)
and filled into the file and the lake by `insert … select` (never through pandas); file and lake only, into its
own section of docs/BENCHMARKS.md. Peak memory is sampled beside the times.

The data are those of bench/analytics.py (same generator, same seed), written once into a fresh workspace file
and once into a fresh lake under bench/out/ (`insert … select` from a DataFrame; the lake gets them as one
Parquet write per table, then `lake maintain` merges the files). For the attached run the same events are written
as a GA4 BigQuery export (nested event_params, device, geo, session_traffic_source_last_click, ecommerce; µs UTC
timestamps; one `event_date=YYYYMMDD` folder per day, by DuckDB's COPY … PARTITION_BY) and attached to a workspace
file holding the customers and orders. GA4 exports carry no page load time: the generated `load_time_ms` is left
out everywhere, so the three workspaces hold the same rows and every answer is compared. Timings are the best of
`--repeat` runs; CPU seconds (user + sys of this process, DuckDB's threads included) are given beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analytics import (
    FUNNEL,
    LOAD,
    OUT,
    best_of,
    fill,
    generate_customers_orders,
    generate_events,
    insert_frames,
    machine,
    replace_section,
)

BEGIN, END = "<!-- bench/lake.py: begin -->", "<!-- bench/lake.py: end -->"


# the generated events as a GA4 BigQuery export: local wall-clock times back to µs UTC, the channel as the
# session's last-click manual campaign (source / medium), one folder per day
GA4_COPY = """copy (
    select strftime(event_time, '%Y%m%d') as event_date,
           epoch_us(timezone($tz, event_time)) as event_timestamp,
           event_name,
           [{'key': 'ga_session_id', 'value': {'string_value': null::varchar, 'int_value': session_id::bigint,
              'float_value': null::double, 'double_value': null::double}},
            {'key': 'page_location', 'value': {'string_value': page, 'int_value': null::bigint,
              'float_value': null::double, 'double_value': null::double}}] as event_params,
           customer_id as user_id,
           visitor_id as user_pseudo_id,
           {'category': device, 'operating_system': null::varchar} as device,
           {'country': country, 'city': null::varchar} as geo,
           {'manual_campaign': {'source': split_part(channel, ' / ', 1), 'medium': split_part(channel, ' / ', 2)}}
               as session_traffic_source_last_click,
           case when revenue is not null then {'purchase_revenue': revenue, 'transaction_id': null::varchar} end
               as ecommerce
    from frame order by event_time
) to {folder} (format parquet, partition_by (event_date), row_group_size 122880)"""
# what a GA4 round trip (local → µs UTC → local) gives: the hour skipped when clocks go forward moves by one hour
ROUND_TRIP = (
    "select * replace (timezone($tz, make_timestamptz(epoch_us(timezone($tz, event_time)))) as event_time) from frame"
)
TZ = "Europe/Paris"


def as_ga4_export(events, folder: Path) -> None:
    """Write `events` (canonical rows) into `folder` as a GA4 BigQuery export, one folder per day."""
    import duckdb

    folder.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.register("frame", events)
    con.execute(GA4_COPY.replace("{folder}", "'" + str(folder).replace("'", "''") + "'"), {"tz": TZ})
    con.close()


def round_trip(events):
    """`events` with the times a GA4 export gives back (see ROUND_TRIP), so every workspace holds the same rows."""
    import duckdb

    con = duckdb.connect()
    con.register("frame", events)
    out = con.execute(ROUND_TRIP, {"tz": TZ}).df()
    con.close()
    return out


# --replicate K: the generator's events of N / K events (N / K customers' share), copied K times in DuckDB SQL, each
# copy with visitors and customers of its own (the same times, pages and funnel shape), sorted by time as the
# generator sorts them; customers and orders generated for all of them. Written once to Parquet and reused.
REPLICATE = """copy (
    select import_id, event_time,
           case when k = 0 then visitor_id else visitor_id || '.' || k end as visitor_id,
           event_name, session_id,
           printf('C%06d', substr(customer_id, 2)::bigint + k * $per) as customer_id,  -- as zfill(6): wider ids kept whole
           page, channel, device, country, load_time_ms, revenue
    from read_parquet({base}), range($copies) r(k)
    order by event_time, k
) to {out} (format parquet, row_group_size 122880)"""


def replicated(n_events: int, n_customers: int, copies: int, folder: Path) -> tuple[Path, object, object, float]:
    """(the Parquet file of the events, customers, orders, seconds to generate the events): `copies` copies of
    the generator's n_events / copies events, written once under `folder` and reused by later runs."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "events.parquet"
    customers, orders = generate_customers_orders(n_customers)
    t = time.perf_counter()
    if not out.exists():
        base = round_trip(generate_events(n_events // copies, n_customers // copies).assign(load_time_ms=float("nan")))
        con = duckdb.connect()
        con.execute("set preserve_insertion_order = false")
        con.execute("set memory_limit = '6GB'")
        con.register("frame", base)
        con.execute("copy frame to '" + str(folder / "base.parquet") + "' (format parquet)")
        del base
        con.execute(
            REPLICATE.replace("{base}", _quoted(folder / "base.parquet")).replace("{out}", _quoted(out)),
            {"per": n_customers // copies, "copies": copies},
        )
        con.close()
    return out, customers, orders, time.perf_counter() - t


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


EVENT_COLUMNS = (
    "import_id, event_time, visitor_id, event_name, session_id, customer_id, page, channel, device, country, "
    "load_time_ms, revenue"
)


def fill_parquet(ws, events: Path, frames) -> None:
    """`fill` (bench/analytics.py) with the events read from a Parquet file by DuckDB (`insert … select`, never
    through pandas): import 1 the events, 2 the customers, 3 the orders, as `fill` numbers them."""
    with ws.transaction() as cur:
        cur.execute(f"insert into events ({EVENT_COLUMNS}) select {EVENT_COLUMNS} from read_parquet({_quoted(events)})")
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, rows_read, rows_loaded, rows_rejected, "
            "status) select 1, 'bench_events', 'bench-events', 'events', count(*), count(*), 0, 'loaded' from events"
        )
        insert_frames(cur, frames, first_import_id=2)


def rss() -> int:
    """The resident memory of this process now, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_of(fn, repeat: int):
    """(best wall time, CPU seconds of that run, answer, peak resident memory of the process during that run):
    CPU is user + sys of this process (DuckDB's threads); the memory is sampled every 50 ms."""
    import threading

    best = None
    for _ in range(repeat):
        peak, done = [rss()], threading.Event()

        def sample(peak=peak, done=done):
            while not done.wait(0.05):
                peak[0] = max(peak[0], rss())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        c = os.times()
        wall, answer = best_of(fn, 1)
        c2 = os.times()
        done.set()
        sampler.join()
        cpu = (c2.user - c.user) + (c2.system - c.system)
        if best is None or wall < best[0]:
            best = (wall, cpu, answer, max(peak[0], rss()))
    return best


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def kpi_figures(stages) -> list:
    """The stage KPIs' figures, to 9 significant digits (sums taken in another order differ in the last bits)."""

    def r(x):
        return None if x is None else float(f"{x:.9g}")

    return [(s.stage, [(k.key, r(k.value), r(k.previous)) for k in s.kpis]) for s in stages]


BACKENDS = ("file", "lake", "attached")
OPTIONAL = ("attached-lake",)  # an attached folder on a lake (mapped into the lake): --backends file,attached-lake


def run(n_events: int, n_customers: int, repeat: int, backends=BACKENDS, copies: int = 1, keep: bool = False) -> dict:
    from cx import attach, cohorts, funnel, lake
    from cx.journey import find_stage_kpis
    from cx.models import Filters
    from cx.workspace import Workspace

    folder = OUT / f"lake_{n_events}_{n_customers}"
    t = time.perf_counter()
    if copies > 1:
        parquet, customers, orders, generated_s = replicated(
            n_events,
            n_customers,
            copies,
            OUT / f"gen_{n_events}_{n_customers}_{copies}_v2",  # v2: ids of 7 digits kept whole
        )
        events = None
    else:
        events = round_trip(generate_events(n_events, n_customers).assign(load_time_ms=float("nan")))
        customers, orders = generate_customers_orders(n_customers)
        generated_s = time.perf_counter() - t
    frames = (("events", events), ("customers", customers), ("orders", orders))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    the_lake = lake.Lake(f"ducklake:sqlite:{folder / 'lake' / 'catalog.sqlite'}", f"{folder / 'lake' / 'data'}/")
    export = folder / "ga4_export"
    filters = Filters()
    checks = {
        "stage KPIs": lambda ws: kpi_figures(find_stage_kpis(ws, filters)),
        "5-step funnel, ordered, 7 days, by device": lambda ws: (
            funnel.find_funnel(ws, filters, FUNNEL, window="7d", mode="ordered", by="device").steps["users"].tolist()
        ),
        "monthly cohorts by first visit": lambda ws: cohorts.find_cohorts(
            ws, filters, period="month", mode="on", by_first="activity"
        ).to_dict("list"),
    }
    results = {
        "events": None,
        "customers": len(customers),
        "orders": len(orders),
        "generated_s": generated_s,
        "copies": copies,
        "backends": list(backends),
        "rows": [],
    }
    timings, answers = {}, {}
    os.environ["CX_TIMEZONE"] = TZ
    for backend in backends:
        t, c = time.perf_counter(), os.times()
        if backend == "lake":
            ws = Workspace(lake=the_lake)
            fill(ws, frames) if events is not None else fill_parquet(ws, parquet, frames[1:])
            with ws.cursor() as cur:
                lake.maintain(cur, keep_days=0, orphans_before=time.time() - lake.ORPHAN_HOURS * 3600)
        elif backend == "file":
            ws = Workspace(folder / "w.duckdb")
            fill(ws, frames) if events is not None else fill_parquet(ws, parquet, frames[1:])
        else:
            if events is None:
                raise SystemExit("the attached backends need the events in memory: run them without --replicate")
            if not export.exists():
                as_ga4_export(events, export)
                results["export_written_s"] = time.perf_counter() - t
            on_lake = backend == "attached-lake"
            the_place = (
                lake.Lake(f"ducklake:sqlite:{folder / 'alake' / 'catalog.sqlite'}", f"{folder / 'alake' / 'data'}/")
                if on_lake
                else None
            )
            ws = Workspace(lake=the_place) if on_lake else Workspace(folder / "attached.duckdb")
            fill(ws, frames[1:])
            # attaching counts the rows; the cursor that follows (attach_events opens one) maps the folder: into
            # memory on a file (attach.kept_rows), into the lake's own table on a lake (attach.lake_rows)
            ck, built, r0 = os.times(), time.perf_counter(), rss()
            attach.attach_events(ws, export)
            with ws.cursor():
                pass
            ck2 = os.times()
            prefix = "lake_mapped" if on_lake else "kept"
            results[f"{prefix}_s"] = time.perf_counter() - built
            results[f"{prefix}_cpu_s"] = (ck2.user - ck.user) + (ck2.system - ck.system)
            results[f"{prefix}_rss_bytes"] = rss() - r0
            if on_lake:  # another replica of the same lake: opens and reads, maps nothing
                ck, built, r0 = os.times(), time.perf_counter(), rss()
                replica = Workspace(lake=the_place)
                with replica.cursor():
                    pass
                ck2 = os.times()
                results["replica_open_s"] = time.perf_counter() - built
                results["replica_open_cpu_s"] = (ck2.user - ck.user) + (ck2.system - ck.system)
                results["replica_rss_bytes"] = rss() - r0
                replica.close()
        c2 = os.times()
        results[f"{backend}_load_s"] = time.perf_counter() - t
        results[f"{backend}_load_cpu_s"] = (c2.user - c.user) + (c2.system - c.system)
        if results["events"] is None:
            with ws.cursor() as cur:
                results["events"] = cur.execute("select count(*) from events").fetchall()[0][0]
        print(f"{backend}: data written in {results[f'{backend}_load_s']:.1f} s", file=sys.stderr, flush=True)
        for name, check in checks.items():
            timings[(backend, name)] = cpu_of(lambda check=check, ws=ws: check(ws), repeat)
            answers[(backend, name)] = timings[(backend, name)][2]
            print(
                f"  {name}: {timings[(backend, name)][0]:.2f} s, {timings[(backend, name)][1]:.1f} CPU s, "
                f"{timings[(backend, name)][3] / 2**30:.2f} GiB",
                file=sys.stderr,
                flush=True,
            )
        ws.close()
    results["file_bytes"] = size(folder / "w.duckdb") if "file" in backends else None
    results["lake_bytes"] = size(folder / "lake") if "lake" in backends else None
    results["export_bytes"] = size(export) if "attached" in backends else None
    if "lake" in backends:
        results["lake_files"] = len(list((folder / "lake" / "data").rglob("*.parquet")))
        results["lake_event_files"] = len(list((folder / "lake" / "data" / "main" / "events").glob("*.parquet")))
    results["busy_cores"] = sum(LOAD) / len(LOAD) if LOAD else None
    for name in checks:
        row = {"name": name}
        for b in backends:
            row[f"{b}_s"], row[f"{b}_cpu_s"], _, row[f"{b}_peak_bytes"] = timings[(b, name)]
            if b != "file" and "file" in backends:
                row[f"{b}_ratio"] = row[f"{b}_s"] / row["file_s"]
                row[f"{b}_cpu_ratio"] = row[f"{b}_cpu_s"] / max(row["file_cpu_s"], 1e-9)
                row[f"{b}_same"] = answers[(b, name)] == answers[("file", name)]
        results["rows"].append(row)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def section(results: dict, info: dict, repeat: int) -> str:
    mib = {k: (results[f"{k}_bytes"] or 0) / 2**20 for k in ("file", "lake", "export")}
    lines = [
        BEGIN,
        "## Workspace file vs DuckLake vs attached GA4 Parquet (`bench/lake.py`)",
        "",
        f"Generated data of bench/analytics.py: {results['events']:,} events, {results['customers']:,} customers, "
        f"{results['orders']:,} orders (generated in {results['generated_s']:.0f} s). The lake has a SQLite catalog "
        "and its Parquet files on the same disk; *attached* is a workspace file holding the customers and orders, "
        "with the same events attached in place from a GA4 BigQuery export folder (nested schema, one "
        "`event_date=` folder per day, `python -m cx attach-events`), mapped into memory by the first cursor of the "
        f"process (the default; timed apart below). Best of {repeat} run(s), wall time, and the CPU seconds (user + sys) of that run. Machine: "
        f"{info['cpu']}, {info['cores']} cores (shared with other work: compare the CPU seconds too); DuckDB "
        f"{info['duckdb']}; {info['date']}.",
        "",
        f"Size on disk: file {mib['file']:.0f} MiB, lake {mib['lake']:.0f} MiB (catalog and Parquet files), GA4 "
        f"export {mib['export']:.0f} MiB. Writing the data: file {results['file_load_s']:.1f} s, lake "
        f"{results['lake_load_s']:.1f} s (with `lake maintain`), GA4 export {results['export_written_s']:.1f} s "
        f"(attaching it: {results['attached_load_s'] - results['export_written_s']:.1f} s, customers and orders "
        "included, of which counting its rows and mapping it into memory: "
        f"{results.get('kept_s', 0):.1f} s, {results.get('kept_cpu_s', 0):.1f} CPU s).",
        "",
        "| analysis | file (s) | lake (s) | lake / file | attached (s) | attached / file | CPU s: file / lake / "
        "attached | same answer (lake, attached) |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results["rows"]:
        same = ", ".join("yes" if r[f"{b}_same"] else "**no**" for b in ("lake", "attached"))
        lines.append(
            f"| {r['name']} | {r['file_s']:.2f} | {r['lake_s']:.2f} | {r['lake_ratio']:.1f}× | {r['attached_s']:.2f} "
            f"| {r['attached_ratio']:.1f}× | {r['file_cpu_s']:.1f} / {r['lake_cpu_s']:.1f} / "
            f"{r['attached_cpu_s']:.1f} | {same} |"
        )
    lines += [
        "",
        "An attached folder is mapped once per process (params picked from `event_params`, µs → local time, each "
        "session's first source) into an in-memory table the analyses read; with `CX_ATTACHED_IN_MEMORY=0` each "
        "reference to `events` maps the nested export again. The 50M-event run of issue 16: `python bench/lake.py --events 50000000 "
        "--customers 2000000 --replicate 25 --repeat 1` (below).",
        END,
    ]
    return "\n".join(lines)


BEGIN_LARGE, END_LARGE = "<!-- bench/lake.py --replicate: begin -->", "<!-- bench/lake.py --replicate: end -->"


def section_large(results: dict, info: dict, repeat: int, took_s: float) -> str:
    """The file-vs-lake table of a `--replicate` run (no attached backend: its events would be kept in memory)."""
    gib = 2**30
    lines = [
        BEGIN_LARGE,
        f"### {results['events'] / 1e6:.0f}M events: file vs DuckLake (`bench/lake.py --replicate`)",
        "",
        f"{results['events']:,} events: the generator's {results['events'] // results['copies']:,} events copied "
        f"{results['copies']} times in DuckDB SQL (each copy with visitors and customers of its own), "
        f"{results['customers']:,} customers, {results['orders']:,} orders; generating the events and writing them "
        f"as one Parquet file took {results['generated_s']:.0f} s (reused by later runs). Each backend gets them by "
        f"`insert … select` from that file: file {results['file_load_s']:.0f} s ({results['file_load_cpu_s']:.0f} "
        f"CPU s), lake {results['lake_load_s']:.0f} s ({results['lake_load_cpu_s']:.0f} CPU s, `lake maintain` "
        f"included). Size on disk: file {(results['file_bytes'] or 0) / 2**20:,.0f} MiB, lake "
        f"{(results['lake_bytes'] or 0) / 2**20:,.0f} MiB ({results.get('lake_files', 0)} Parquet files in all, the "
        f"events in {results.get('lake_event_files', '?')}; SQLite catalog, Parquet on the same local disk). "
        f"{repeat} run(s) each; peak = the process's resident memory during the analysis (sampled every 50 ms; "
        "DuckDB keeps its buffers between analyses, so it includes what earlier ones left). Machine: "
        f"{info['cpu']}, {info['cores']} cores shared with four other engineers' work (compare the CPU seconds); "
        f"DuckDB {info['duckdb']}; {info['date']}; the whole run took {took_s / 60:.0f} min under `nice -n 15`"
        + (
            f", while other processes kept {results['busy_cores']:.1f} of the 2 cores busy on average during the "
            "timed calls: the wall times measure that contention as much as the backends, the CPU seconds do not."
            if results.get("busy_cores") is not None
            else "."
        ),
        "",
        "| analysis | file (s) | lake (s) | lake / file | CPU s file / lake | CPU lake / file | peak GiB file / lake "
        "| same answer |",
        "|---|---:|---:|---:|---|---:|---|---|",
    ]
    for r in results["rows"]:
        lines.append(
            f"| {r['name']} | {r['file_s']:.1f} | {r['lake_s']:.1f} | {r['lake_ratio']:.1f}× | "
            f"{r['file_cpu_s']:.1f} / {r['lake_cpu_s']:.1f} | {r['lake_cpu_ratio']:.1f}× | "
            f"{r['file_peak_bytes'] / gib:.1f} / {r['lake_peak_bytes'] / gib:.1f} | "
            f"{'yes' if r['lake_same'] else '**no**'} |"
        )
    lines.append(END_LARGE)
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--replicate",
        type=int,
        default=1,
        metavar="K",
        help="generate events/K events and copy them K times in DuckDB (file and lake only; e.g. 50M: "
        "--events 50000000 --customers 2000000 --replicate 25 --repeat 1); the generated Parquet is kept in "
        "bench/out/gen_* and reused",
    )
    ap.add_argument("--backends", default=None, help="comma-separated, of file,lake,attached,attached-lake")
    ap.add_argument("--keep", action="store_true", help="keep the workspaces under bench/out/lake_*")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    args = ap.parse_args()
    backends = (
        tuple(args.backends.split(",")) if args.backends else (("file", "lake") if args.replicate > 1 else BACKENDS)
    )
    info = machine()
    t = time.perf_counter()
    results = run(args.events, args.customers, args.repeat, backends, args.replicate, args.keep)
    took = time.perf_counter() - t
    OUT.mkdir(parents=True, exist_ok=True)
    name = "lake.json" if args.replicate == 1 else f"lake_{args.events}.json"
    (OUT / name).write_text(json.dumps({"machine": info, "repeat": args.repeat, "took_s": took, **results}, indent=1))
    if args.replicate > 1 and {"file", "lake"} <= set(backends):
        text, begin, end = section_large(results, info, args.repeat, took), BEGIN_LARGE, END_LARGE
    elif args.replicate == 1 and set(BACKENDS) <= set(backends):
        text, begin, end = section(results, info, args.repeat), BEGIN, END
    else:  # a partial run: the figures are in bench/out, the section needs every backend
        print(json.dumps(results, indent=1, default=str))
        return
    print(text)
    if not args.no_write:
        replace_section(begin, end, text)


if __name__ == "__main__":
    main()
