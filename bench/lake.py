"""The workspace file against a DuckLake (SQLite catalog, Parquet files) and against events attached in place from
a GA4 BigQuery export folder (`python -m cx attach-events`): stage KPIs, a 5-step funnel and the monthly cohorts on
the same generated data, and the lake / file and attached / file time ratios of each (issue 16).

    python bench/lake.py                                   # 2M events, 100k customers, 3 repeats, update docs
    python bench/lake.py --events 200000 --customers 10000 --repeat 1 --no-write

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
    OUT,
    best_of,
    fill,
    generate_customers_orders,
    generate_events,
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


def cpu_of(fn, repeat: int):
    """(best wall time, CPU seconds of that run, answer): CPU is user + sys of this process (DuckDB's threads)."""
    best = None
    for _ in range(repeat):
        c = os.times()
        wall, answer = best_of(fn, 1)
        c2 = os.times()
        cpu = (c2.user - c.user) + (c2.system - c.system)
        if best is None or wall < best[0]:
            best = (wall, cpu, answer)
    return best


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def kpi_figures(stages) -> list:
    """The stage KPIs' figures, to 9 significant digits (sums taken in another order differ in the last bits)."""

    def r(x):
        return None if x is None else float(f"{x:.9g}")

    return [(s.stage, [(k.key, r(k.value), r(k.previous)) for k in s.kpis]) for s in stages]


BACKENDS = ("file", "lake", "attached")


def run(n_events: int, n_customers: int, repeat: int, backends=BACKENDS) -> dict:
    from cx import attach, cohorts, funnel, lake
    from cx.journey import find_stage_kpis
    from cx.models import Filters
    from cx.workspace import Workspace

    t = time.perf_counter()
    events = round_trip(generate_events(n_events, n_customers).assign(load_time_ms=float("nan")))
    customers, orders = generate_customers_orders(n_customers)
    generated_s = time.perf_counter() - t
    frames = (("events", events), ("customers", customers), ("orders", orders))
    folder = OUT / f"lake_{n_events}_{n_customers}"
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
        "events": len(events),
        "customers": len(customers),
        "orders": len(orders),
        "generated_s": generated_s,
        "rows": [],
    }
    timings, answers = {}, {}
    os.environ["CX_TIMEZONE"] = TZ
    for backend in backends:
        t = time.perf_counter()
        if backend == "lake":
            ws = Workspace(lake=the_lake)
            fill(ws, frames)
            with ws.cursor() as cur:
                lake.maintain(cur, keep_days=0)
        elif backend == "file":
            ws = Workspace(folder / "w.duckdb")
            fill(ws, frames)
        else:
            as_ga4_export(events, export)
            results["export_written_s"] = time.perf_counter() - t
            ws = Workspace(folder / "attached.duckdb")
            fill(ws, frames[1:])
            attach.attach_events(ws, export)
            c, built = os.times(), time.perf_counter()
            with ws.cursor():  # the first cursor maps the folder into memory (attach.kept_rows)
                pass
            c2 = os.times()
            results["kept_s"] = time.perf_counter() - built
            results["kept_cpu_s"] = (c2.user - c.user) + (c2.system - c.system)
        results[f"{backend}_load_s"] = time.perf_counter() - t
        print(f"{backend}: data written in {results[f'{backend}_load_s']:.1f} s", file=sys.stderr, flush=True)
        for name, check in checks.items():
            timings[(backend, name)] = cpu_of(lambda check=check, ws=ws: check(ws), repeat)
            answers[(backend, name)] = timings[(backend, name)][2]
            print(f"  {name}: {timings[(backend, name)][0]:.2f} s", file=sys.stderr, flush=True)
        ws.close()
    results["file_bytes"] = size(folder / "w.duckdb") if "file" in backends else None
    results["lake_bytes"] = size(folder / "lake") if "lake" in backends else None
    results["export_bytes"] = size(export) if "attached" in backends else None
    for name in checks:
        row = {"name": name}
        for b in backends:
            row[f"{b}_s"], row[f"{b}_cpu_s"] = timings[(b, name)][:2]
            if b != "file":
                row[f"{b}_ratio"] = row[f"{b}_s"] / row["file_s"]
                row[f"{b}_same"] = answers[(b, name)] == answers[("file", name)]
        results["rows"].append(row)
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
        "included, and mapping it into memory at the first cursor: "
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
        "--customers 2000000 --repeat 1` on a quiet machine with ~32 GB of memory.",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    args = ap.parse_args()
    info = machine()
    results = run(args.events, args.customers, args.repeat)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "lake.json").write_text(json.dumps({"machine": info, "repeat": args.repeat, **results}, indent=1))
    print(section(results, info, args.repeat))
    if not args.no_write:
        replace_section(BEGIN, END, section(results, info, args.repeat))


if __name__ == "__main__":
    main()
