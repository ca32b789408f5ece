"""The workspace file against a DuckLake (SQLite catalog, Parquet files): stage KPIs, a 5-step funnel and the
monthly cohorts on the same generated data, and the lake / file time ratio of each (issue 16).

    python bench/lake.py                                   # 2M events, 100k customers, 3 repeats, update docs
    python bench/lake.py --events 200000 --customers 10000 --repeat 1 --no-write

The data are those of bench/analytics.py (same generator, same seed), written once into a fresh workspace file
and once into a fresh lake under bench/out/ (`insert … select` from a DataFrame; the lake gets them as one
Parquet write per table, then `lake maintain` merges the files). Timings are the best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import json
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


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def run(n_events: int, n_customers: int, repeat: int) -> dict:
    from cx import cohorts, funnel, lake
    from cx.journey import find_stage_kpis
    from cx.models import Filters
    from cx.workspace import Workspace

    events = generate_events(n_events, n_customers)
    customers, orders = generate_customers_orders(n_customers)
    frames = (("events", events), ("customers", customers), ("orders", orders))
    folder = OUT / f"lake_{n_events}_{n_customers}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    the_lake = lake.Lake(f"ducklake:sqlite:{folder / 'lake' / 'catalog.sqlite'}", f"{folder / 'lake' / 'data'}/")
    filters = Filters()
    checks = {
        "stage KPIs": lambda ws: find_stage_kpis(ws, filters),
        "5-step funnel, ordered, 7 days, by device": lambda ws: (
            funnel.find_funnel(ws, filters, FUNNEL, window="7d", mode="ordered", by="device").steps["users"].tolist()
        ),
        "monthly cohorts by first visit": lambda ws: len(
            cohorts.find_cohorts(ws, filters, period="month", mode="on", by_first="activity")
        ),
    }
    results = {"events": len(events), "customers": len(customers), "orders": len(orders), "rows": []}
    timings, answers = {}, {}
    for backend in ("file", "lake"):
        ws = Workspace(folder / "w.duckdb") if backend == "file" else Workspace(lake=the_lake)
        t = time.perf_counter()
        fill(ws, frames)
        if backend == "lake":
            with ws.cursor() as cur:
                lake.maintain(cur, keep_days=0)
        results[f"{backend}_load_s"] = time.perf_counter() - t
        for name, check in checks.items():
            timings[(backend, name)], answers[(backend, name)] = best_of(lambda check=check, ws=ws: check(ws), repeat)
        ws.close()
    results["file_bytes"] = size(folder / "w.duckdb")
    results["lake_bytes"] = size(folder / "lake")
    for name in checks:
        file_s, lake_s = timings[("file", name)], timings[("lake", name)]
        same = None if name == "stage KPIs" else answers[("file", name)] == answers[("lake", name)]
        results["rows"].append(
            {"name": name, "file_s": file_s, "lake_s": lake_s, "ratio": lake_s / file_s, "same": same}
        )
    shutil.rmtree(folder, ignore_errors=True)
    return results


def section(results: dict, info: dict, repeat: int) -> str:
    lines = [
        BEGIN,
        "## Workspace file vs DuckLake (`bench/lake.py`)",
        "",
        f"Generated data of bench/analytics.py: {results['events']:,} events, {results['customers']:,} customers, "
        f"{results['orders']:,} orders. The lake has a SQLite catalog and its Parquet files on the same disk. "
        f"Best of {repeat} run(s). Machine: {info['cpu']}, {info['cores']} cores (shared with other work); "
        f"DuckDB {info['duckdb']}; {info['date']}.",
        "",
        f"Size on disk: file {results['file_bytes'] / 2**20:.0f} MiB, lake {results['lake_bytes'] / 2**20:.0f} MiB "
        f"(catalog and Parquet files). Writing the data: file {results['file_load_s']:.1f} s, lake "
        f"{results['lake_load_s']:.1f} s (with `lake maintain`).",
        "",
        "| analysis | file (s) | lake (s) | lake / file | same answer |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results["rows"]:
        lines.append(
            f"| {r['name']} | {r['file_s']:.2f} | {r['lake_s']:.2f} | {r['ratio']:.1f}× | "
            f"{'not compared' if r['same'] is None else 'yes' if r['same'] else '**no**'} |"
        )
    lines += [
        "",
        "Not yet measured: the 50M-event run of issue 16 (this machine is shared; run "
        "`python bench/lake.py --events 50000000 --customers 2000000` on a quiet one).",
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
