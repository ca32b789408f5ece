"""Pages benchmark: every analysis a page needs, timed as a whole `python -m cx …` process with its peak
memory, against the one-scan floor measured in the same run; then the first view of every page in the browser.

    python bench/pages.py                                   # the 5M events / 200k customers shop (built once)
    python bench/pages.py --db /tmp/shop5m.duckdb           # an existing workspace (copied, never modified)
    python bench/pages.py --events 500000 --customers 20000 --no-write   # a quick check, prints only

The shop comes from `bench/analytics.py`'s generator (`build_workspace`). The workspace is copied to
bench/out/pages.duckdb first, so every run starts from the same state (no personas stored, no cache).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.analytics import FUNNEL, OUT, _busy, machine, replace_section, working_copy

BEGIN, END = "<!-- bench/pages.py: begin -->", "<!-- bench/pages.py: end -->"
FLOOR = (
    "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).sql("
    "'select event_name, device, count(*) from events group by all').fetchall()"
)
COMMANDS = {  # what each page needs, as the command line computes it
    "start-up, no work (`tables`)": ["tables"],
    "stage KPIs (`kpis`)": ["kpis"],
    "5-step funnel by device, 7 days (`funnel`)": ["funnel", "--steps", ",".join(FUNNEL), "--by", "device"],
    "monthly cohorts (`cohorts`)": ["cohorts"],
    "NPS (`nps`)": ["nps"],
    "friction findings (`findings`)": ["findings"],
    "personas (`personas`)": ["personas"],
    "maturity (`maturity`)": ["maturity"],
}
PAGES = (
    "overview",
    "journey",
    "funnel",
    "retention",
    "voice",
    "support",
    "friction",
    "personas",
    "maturity",
    "report",
    "data",
)
RATIO, MEMORY_GB = 3.0, 1.5  # the targets: at most 3× the floor, under 1.5 GB


def timed(argv: list[str]) -> tuple[float, float, int, float, float]:
    """(wall seconds, peak RSS in GB, exit status, cores other processes kept busy meanwhile, CPU seconds of the
    process and its threads) of one whole process. The CPU time moves far less than the wall time when other
    processes share the cores: compare it between runs on a busy machine."""
    with tempfile.TemporaryFile() as err:
        t, busy = time.perf_counter(), _busy()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory and CPU time
        wall, code = time.perf_counter() - t, os.waitstatus_to_exitcode(status)
        others = max(0.0, (_busy() - busy - usage.ru_utime - usage.ru_stime) / wall)
        if code:
            err.seek(0)
            print(err.read().decode(), file=sys.stderr)
    return wall, usage.ru_maxrss / 2**20, code, others, usage.ru_utime + usage.ru_stime


def forget_results(db: Path) -> None:
    """The commands store what they compute (cx/results.py): forget it before each run, so that every figure is a
    computation (maturity runs the findings again, as a first visit does)."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        if con.sql("select count(*) from duckdb_tables() where table_name = 'analysis_results'").fetchall()[0][0]:
            con.execute("delete from analysis_results")


def measure_commands(db: Path, repeat: int) -> tuple[dict, list[dict]]:
    """The floor, then each command: best wall time of `repeat` runs, highest peak memory."""

    def best(argv):
        runs = [(forget_results(db), timed(argv))[1] for _ in range(repeat)]
        return {
            "s": min(r[0] for r in runs),
            "gb": max(r[1] for r in runs),
            "ok": all(r[2] == 0 for r in runs),
            "others": min(r[3] for r in runs),
            "cpu": min(r[4] for r in runs),
        }

    floor = best([sys.executable, "-c", FLOOR, str(db)])
    print(f"floor: {floor['s']:.2f} s, CPU {floor['cpu']:.2f} s", file=sys.stderr)
    rows = []
    for name, args in COMMANDS.items():
        row = {"name": name, **best([sys.executable, "-m", "cx", *args, "--db", str(db)])}
        rows.append(row)
        print(f"{name}: {row['s']:.2f} s, CPU {row['cpu']:.2f} s, {row['gb']:.2f} GB", file=sys.stderr)
    return floor, rows


def store_results(db: Path) -> dict:
    """Fill the workspace's stored results as the app's background run does after an import (cx/ui/background.py),
    in a process of its own: its wall time and peak memory."""
    code = (
        "import sys; from cx.workspace import Workspace; from cx.ui.background import ensure; "
        "ws = Workspace(sys.argv[1]); run = ensure(ws); run.wait(); "
        "sys.exit(0 if run.complete and not run.errors else 1)"
    )
    wall, gb, code_, _, cpu = timed([sys.executable, "-c", code, str(db)])
    print(f"background results stored: {wall:.1f} s, CPU {cpu:.1f} s, {gb:.2f} GB", file=sys.stderr)
    return {"s": wall, "gb": gb, "ok": code_ == 0, "cpu": cpu}


def app_cpu() -> float:
    """CPU seconds (user + system, every thread) used so far by the Streamlit apps this process started: the
    page's own work and the background run's, which share the app's process."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"streamlit" in cmdline:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure_pages(db: Path, pages: tuple[str, ...] = PAGES) -> list[dict]:
    """The first view of each page on a freshly started app: from opening the URL until the script run has ended
    and everything it drew (charts included) is still (`s`); then, when a part of the page shows a progress bar
    while the background run computes it (the Overview's findings), until it is drawn (`complete_s`). `cpu`: the
    app process's CPU seconds meanwhile (its background run included)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import ARGS, CHROMIUM, start_app
    from tests.e2e.test_filter_changes import shown

    apps = start_app.__wrapped__(db.parent)
    base, _ = next(apps)(db)
    rows = []
    progress = '[data-testid="stMain"] [data-testid="stProgress"]'
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name in pages:
                page = browser.new_page(viewport={"width": 1400, "height": 1200})
                t, cpu = time.perf_counter(), app_cpu()
                page.goto(f"{base}/{name}?lang=en", timeout=300000)
                drawn = shown(page)
                # shown() waits for two identical reads 250 ms apart: the page was still 250 ms earlier
                first = time.perf_counter() - t - 0.25
                if page.locator(progress).count():
                    page.locator(progress).first.wait_for(state="detached", timeout=300000)
                    drawn = shown(page)
                rows.append(
                    {
                        "name": name,
                        "s": first,
                        "complete_s": time.perf_counter() - t - 0.25,
                        "cpu": app_cpu() - cpu,
                        "charts": len(drawn["charts"]),
                        "error": page.locator('[data-testid="stException"]').count() > 0,
                    }
                )
                print(
                    f"page {name}: {rows[-1]['s']:.1f} s (complete {rows[-1]['complete_s']:.1f} s), "
                    f"app CPU {rows[-1]['cpu']:.1f} s",
                    file=sys.stderr,
                )
                page.close()
            browser.close()
    finally:
        next(apps, None)
    return rows


def section(results: dict) -> str:
    floor = results["floor"]["s"]
    lines = [
        BEGIN,
        "## Pages: every analysis as a whole process, and each page's first view (`bench/pages.py`)",
        "",
        f"Workspace: {results['tables']}. Machine: {results['machine']['cpu']}, {results['machine']['cores']} "
        f"cores; Python {results['machine']['python']}, DuckDB {results['machine']['duckdb']}; "
        f"{results['machine']['date']}. Best of {results['repeat']} run(s); a shared machine adds noise.",
        "",
        f"The floor: a bare DuckDB process that opens the file and groups the events once: **{floor:.2f} s** "
        f"(CPU {results['floor'].get('cpu', float('nan')):.2f} s; other processes kept {results['floor']['others']:.1f} cores busy meanwhile, out of "
        f"{results['machine']['cores']}: compare with each row's). "
        f"Targets: at most {RATIO:g}× the floor, peak memory under {MEMORY_GB} GB.",
        "",
        "| analysis (`python -m cx …`, whole process) | time (s) | × floor | CPU (s) | peak memory (GB) | "
        "target met | other processes (cores) |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for r in results["commands"]:
        met = r["ok"] and r["s"] <= RATIO * floor and r["gb"] < MEMORY_GB
        lines.append(
            f"| {r['name']} | {r['s']:.2f} | {r['s'] / floor:.1f} | {r.get('cpu', float('nan')):.2f} | "
            f"{r['gb']:.2f} | "
            f"{'yes' if met else '**no**'}{'' if r['ok'] else ' (failed)'} | {r['others']:.1f} |"
        )
    if results.get("stored"):
        st = results["stored"]
        lines += [
            "",
            f"Pages opened after the results were stored, as the app's background run stores them after an "
            f"import (`--stored`: findings, personas, maturity, default funnel; {st['s']:.1f} s, "
            f"{st['gb']:.2f} GB in a process of its own{'' if st['ok'] else ', **incomplete**'}), on an app "
            "started afterwards (nothing in its memory cache).",
        ]
    if results.get("pages"):
        lines += [
            "",
            "First view of each page in headless Chromium, one app started on the workspace, pages opened "
            "in this order (an analysis a page shares with an earlier one comes from the app's cache): from "
            "opening the URL until the script run has ended and its charts and metrics are drawn.",
            "",
            "| page | first view (s) | all drawn (s) | app CPU (s) | charts | target met (≤ 3× floor) |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for r in results["pages"]:
            met = r["s"] <= RATIO * floor and not r["error"]
            lines.append(
                f"| {r['name']} | {r['s']:.1f} | {r.get('complete_s', r['s']):.1f} | {r.get('cpu', float('nan')):.1f} | "
                f"{r['charts']} | {'yes' if met else '**no**'}{' (error shown)' if r['error'] else ''} |"
            )
    lines += [
        "",
        "Re-run: `python bench/pages.py --db WORKSPACE` (or without `--db` to build the 5M/200k shop "
        "under bench/out/); `--no-browser` skips the pages.",
        END,
    ]
    return "\n".join(lines)


def write_doc(results: dict) -> None:
    replace_section(BEGIN, END, section(results))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing workspace to copy (default: build the shop)")
    ap.add_argument("--events", type=int, default=5_000_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-browser", action="store_true", help="time the commands only")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    ap.add_argument("--pages", default=",".join(PAGES), help="the pages to open, comma-separated (default: all)")
    ap.add_argument("--no-commands", action="store_true", help="time the pages only")
    ap.add_argument(
        "--stored",
        action="store_true",
        help="first store the results as the app's background run does, then start the app on them",
    )
    args = ap.parse_args()
    db = working_copy(args.db, args.events, args.customers, "pages")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = ", ".join(
            f"{con.sql(f'select count(*) from {t}').fetchall()[0][0]:,} {t}"
            for t in ("events", "customers", "orders", "tickets", "responses")
        )
    if args.no_commands:
        floor, commands = {"s": float("nan"), "others": 0.0}, []
    else:
        floor, commands = measure_commands(db, args.repeat)
    stored = store_results(db) if args.stored else None
    results = {
        "machine": machine(),
        "tables": tables,
        "repeat": args.repeat,
        "floor": floor,
        "commands": commands,
        "stored": stored,
        "pages": None if args.no_browser else measure_pages(db, tuple(args.pages.split(","))),
    }
    (OUT / "pages.json").write_text(json.dumps(results, indent=1))
    print(section(results))
    if not args.no_write:
        write_doc(results)


if __name__ == "__main__":
    main()
