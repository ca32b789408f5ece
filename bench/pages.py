"""Pages benchmark: every analysis a page needs, timed as a whole `python -m cx …` process with its peak
memory, against the one-scan floor measured in the same run; then the first view of every page in the browser,
opened at its URL (the frontend boots each time) and reached through the app's sidebar (as a user goes on).

    python bench/pages.py                                   # the 5M events / 200k customers shop (built once)
    python bench/pages.py --db /tmp/shop5m.duckdb           # an existing workspace (copied, never modified)
    python bench/pages.py --events 500000 --customers 20000 --no-write   # a quick check, prints only
    python bench/pages.py --db STORED --no-commands --no-write   # the pages only, on a workspace's stored results

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
PAGE_TARGET = 2.0  # the target for a page's first view in the browser, seconds


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

    timed([sys.executable, "-m", "cx", "tables", "--db", str(db)])  # untimed: reads Python's and DuckDB's files
    # from the disk once, as any run after the first finds them in memory (the first `tables` of a session took
    # 0.76–0.98 s where the next took 0.35–0.45)
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


def _cpu_of(selected) -> float:
    """CPU seconds (user + system, every thread) used so far by this process's descendants that `selected(cmdline)`
    picks."""
    tick, parents, usage = os.sysconf("SC_CLK_TCK"), {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        if selected(cmdline):
            usage[pid] = (int(fields[11]) + int(fields[12])) / tick

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return sum(cpu for pid, cpu in usage.items() if ours(pid))


def app_cpu() -> float:
    """CPU seconds used so far by the Streamlit app this process started: the page's own work, the background
    run's (same process) and Streamlit's server (static files, websocket)."""
    return _cpu_of(lambda cmdline: b"streamlit" in cmdline)


def browser_cpu() -> float:
    """CPU seconds used so far by the headless Chromium this process drives (every live process of it: the pages'
    renderers are measured before they are closed): the frontend's JavaScript, layout, Vega's drawing."""
    return _cpu_of(lambda cmdline: b"chrom" in cmdline)


#: the page's title in English (its `st.title`): a page reached through the sidebar has been drawn when it shows
TITLES = {"friction": "friction.page_title", "report": "report.page_title"}
PROGRESS = '[data-testid="stMain"] [data-testid="stProgress"]'


def read_log(path: Path) -> list[dict]:
    """The script runs an app logged so far (`CX_TIMING_LOG`, cx/timing.py: one JSON object a line); none when the
    file does not exist (an app of a version before the log)."""
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _script_run(log: Path, name: str, since: float) -> dict:
    """The first script run of page `name` the app logged since `since` (epoch seconds): its wall and CPU seconds,
    and how many runs (a part drawn when ready runs the page again); NaN when the app logs none."""
    names = {name, "home"} if name == "overview" else {name}  # the Overview is the default page: /home
    runs = [r for r in read_log(log) if r["page"] in names and r["began"] >= since]
    if not runs:
        return {"run_s": float("nan"), "run_cpu": float("nan"), "runs": 0}
    return {"run_s": runs[0]["wall"], "run_cpu": runs[0]["cpu"], "runs": len(runs)}


def _drawn(page, t: float) -> dict:
    """Wait until the page is drawn and still (`shown`), then until a part computed in the background is drawn too;
    the seconds since `t` for both, and the charts drawn."""
    from tests.e2e.test_filter_changes import shown

    drawn = shown(page)
    first = time.perf_counter() - t - 0.25  # shown() waits for two identical reads 250 ms apart: still 250 ms earlier
    if page.locator(PROGRESS).count():
        page.locator(PROGRESS).first.wait_for(state="detached", timeout=300000)
        drawn = shown(page)
    return {
        "s": first,
        "complete_s": time.perf_counter() - t - 0.25,
        "charts": len(drawn["charts"]),
        "error": page.locator('[data-testid="stException"]').count() > 0,
    }


def _started_app(db: Path, log: Path, settle: float = 0.0):
    """(base URL, the generator that stops it, seconds until it answered its health check) of a Streamlit app freshly
    started on `db`, logging its runs to `log`; it returns `settle` seconds after the health check (a first visitor
    who comes a while after the server started, not at once)."""
    from tests.e2e.conftest import start_app

    log.unlink(missing_ok=True)
    os.environ["CX_TIMING_LOG"] = str(log)
    t = time.perf_counter()
    try:
        apps = start_app.__wrapped__(db.parent)
        base, _ = next(apps)(db)
    finally:
        del os.environ["CX_TIMING_LOG"]
    started = time.perf_counter() - t
    time.sleep(settle)
    return base, apps, started


def _visit(page, url: str, log: Path, name: str) -> dict:
    """Open `url` in `page` and time its first view (`_drawn`), the app's and the browser's CPU meanwhile, the
    frontend's boot (until its websocket opened) and the page's script run as the app logged it."""
    opened = {}
    page.on("websocket", lambda _: opened.setdefault("s", time.perf_counter()))
    since, t, cpu, bcpu = time.time(), time.perf_counter(), app_cpu(), browser_cpu()
    page.goto(url, timeout=300000)
    row = {"name": name, **_drawn(page, t), "cpu": app_cpu() - cpu, "browser_cpu": browser_cpu() - bcpu}
    row["frontend_s"] = opened.get("s", float("nan")) - t
    return {**row, **_script_run(log, name, since)}


def fresh_urls(db: Path, pages: tuple[str, ...], browser, settle: float) -> tuple[list[dict], list[dict], float]:
    """Each page opened at its URL in a browser profile of its own, on one freshly started app (the first page
    pays the app's first run: its imports, the workspace opened, the background run's check): the frontend boots
    for every page (HTML, ~400 JavaScript files, the websocket) before the script runs. Then the same page opened
    again in a new tab of that profile, as a returning visitor: the frontend's files come from the browser's cache
    (content-hashed, cached for a year), its scripts' compiled code too. (fresh rows, returning rows, seconds until
    the app answered its health check)."""
    log = db.parent / "runs.log"
    base, apps, started = _started_app(db, log, settle)
    fresh, returning = [], []
    try:
        for name in pages:
            profile = browser.new_context(viewport={"width": 1400, "height": 1200})
            for rows, how in ((fresh, "fresh URL"), (returning, "returning visitor")):
                page = profile.new_page()
                rows.append(_visit(page, f"{base}/{name}?lang=en", log, name))
                page.close()
                print(f"page {name} ({how}): {_said(rows[-1])}", file=sys.stderr)
            profile.close()
    finally:
        next(apps, None)
    return fresh, returning, started


def through_navigation(db: Path, pages: tuple[str, ...], browser, settle: float) -> list[dict]:
    """The first page opened at its URL on a freshly started app (the app's boot: the frontend's and the first
    script run's), then each next page reached by clicking its link in the sidebar, as a user does: the frontend
    stays loaded, only the page's script runs and its elements are drawn."""
    from cx.i18n import t as label

    log = db.parent / "runs.log"
    base, apps, _ = _started_app(db, log, settle)
    rows = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        for i, name in enumerate(pages):
            since, t, cpu, bcpu = time.time(), time.perf_counter(), app_cpu(), browser_cpu()
            if i == 0:
                page.goto(f"{base}/{name}?lang=en", timeout=300000)
            else:
                nav = page.locator('[data-testid="stSidebarNav"]')
                nav.get_by_role("link", name=label(f"nav.{name}", "en"), exact=True).click()
            title = label(TITLES.get(name, f"{name}.title"), "en")
            page.locator('[data-testid="stMain"] h1', has_text=title).first.wait_for(timeout=300000)
            row = {"name": name, **_drawn(page, t), "cpu": app_cpu() - cpu, "browser_cpu": browser_cpu() - bcpu}
            rows.append({**row, **_script_run(log, name, since)})
            print(f"page {name} ({'first URL' if i == 0 else 'sidebar link'}): {_said(rows[-1])}", file=sys.stderr)
        page.close()
    finally:
        next(apps, None)
    return rows


def _said(row: dict) -> str:
    return (
        f"{row['s']:.1f} s (complete {row['complete_s']:.1f} s), app CPU {row['cpu']:.1f} s, browser CPU "
        f"{row['browser_cpu']:.1f} s, script run {row['run_s']:.2f} s (CPU {row['run_cpu']:.2f} s)"
    )


def _copy(db: Path, how: str) -> Path:
    """A copy of `db` and its key in a folder of its own: each app sees the same stored results, not the other's."""
    import shutil

    copy = db.parent / how / db.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir()
    shutil.copy(db, copy)
    shutil.copy(db.with_suffix(".key"), copy.with_suffix(".key"))
    return copy


def measure_pages(db: Path, pages: tuple[str, ...] = PAGES, settle: float = 0.0) -> dict:
    """The first view of each page, timed in headless Chromium three ways, on two apps freshly started on their own
    copy of the workspace: opened at its URL in a new browser profile (`fresh`), then again in a new tab of that
    profile (`returning`: its HTTP cache warm), and reached through the app's navigation (`navigation`). A first
    view lasts from opening the URL (clicking the link) until the script run has ended and everything it drew
    (charts included) is still (`s`); then, when a part of the page shows a progress bar while the background run
    computes it (the Overview's findings), until it is drawn (`complete_s`). `cpu`: the app process's CPU seconds
    meanwhile (its background run and Streamlit's server included); `browser_cpu`: Chromium's; `run_s`, `run_cpu`:
    the page's script run as the app logged it (`CX_TIMING_LOG`, cx/timing.py). `app_start_s`: from starting the
    first app until it answered its health check; the first page is opened `settle` seconds after it."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import ARGS, CHROMIUM

    measured = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            fresh = fresh_urls(_copy(db, "fresh"), pages, browser, settle)
            measured["fresh"], measured["returning"], measured["app_start_s"] = fresh
            measured["navigation"] = through_navigation(_copy(db, "navigation"), pages, browser, settle)
        finally:
            browser.close()
    return measured


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
            f"import (`--stored`: cx.ui.background.default_jobs — findings, filter options, currencies, Journey, "
            f"default funnel, Retention, Voice when there are answers, personas, maturity; {st['s']:.1f} s, CPU "
            f"{st.get('cpu', float('nan')):.1f} s, {st['gb']:.2f} GB in a process of its own"
            f"{'' if st['ok'] else ', **incomplete**'}), on an app "
            "started afterwards (nothing in its memory cache).",
        ]
    pages = results.get("pages") or {}
    if pages.get("fresh"):
        returning = pages.get("returning") or [None] * len(pages["fresh"])
        lines += [
            "",
            "**Each page opened at its URL** (`fresh URL`: a browser profile of its own, so the frontend boots — "
            "the HTML, ~400 JavaScript files, the websocket — before the script runs), one app freshly started on "
            f"the workspace (it answered its health check {pages.get('app_start_s', float('nan')):.1f} s after its "
            f"start; the first page opened {results.get('settle', 0):g} s after that), pages opened in this order (the first one pays the app's first run; an analysis a "
            "page shares with an earlier one comes from the app's cache): from opening the URL until the script "
            "run has ended and its charts and metrics are drawn. Frontend: until the websocket opened; script "
            "run: the page's run as the app logs it (`CX_TIMING_LOG`), wall (CPU). **Returning visitor**: right "
            "after, the same URL in a new tab of the same browser profile (the frontend's files from its cache).",
            "",
            "| page | first view (s) | all drawn (s) | frontend (s) | script run (s) | app CPU (s) | browser CPU (s) "
            f"| charts | ≤ {PAGE_TARGET:g} s | returning: first view (s) | frontend (s) | browser CPU (s) | "
            f"≤ {PAGE_TARGET:g} s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
        ]
        lines += [
            f"| {r['name']} | {r['s']:.1f} | {r['complete_s']:.1f} | {r['frontend_s']:.1f} | "
            f"{r['run_s']:.2f} ({r['run_cpu']:.2f}) | {r['cpu']:.1f} | {r['browser_cpu']:.1f} | {r['charts']} | "
            f"{_met(r)} | "
            + (
                f"{again['s']:.1f} | {again['frontend_s']:.1f} | {again['browser_cpu']:.1f} | {_met(again)} |"
                if again
                else "| | | |"
            )
            for r, again in zip(pages["fresh"], returning)
        ]
    if pages.get("navigation"):
        lines += [
            "",
            "**Each page reached through the app's navigation** (its sidebar link clicked, as a user goes from page "
            "to page: the frontend stays loaded), on another app freshly started on a copy of the same workspace; "
            f"the first row is the first URL opened ({pages['navigation'][0]['name']}): the app's boot, frontend "
            "and first script run.",
            "",
            f"| page | first view (s) | all drawn (s) | script run (s) | app CPU (s) | browser CPU (s) | charts | "
            f"≤ {PAGE_TARGET:g} s |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        lines += [
            f"| {r['name']}{' (first URL: the boot)' if i == 0 else ''} | {r['s']:.1f} | {r['complete_s']:.1f} | "
            f"{r['run_s']:.2f} ({r['run_cpu']:.2f}) | {r['cpu']:.1f} | {r['browser_cpu']:.1f} | {r['charts']} | "
            f"{_met(r)} |"
            for i, r in enumerate(pages["navigation"])
        ]
    lines += [
        "",
        "Re-run: `python bench/pages.py --db WORKSPACE` (or without `--db` to build the 5M/200k shop "
        "under bench/out/); `--no-browser` skips the pages.",
        END,
    ]
    return "\n".join(lines)


def _met(row: dict) -> str:
    return ("yes" if row["s"] <= PAGE_TARGET and not row["error"] else "**no**") + (
        " (error shown)" if row["error"] else ""
    )


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
        "--settle",
        type=float,
        default=0.0,
        help="seconds between the app's health check and the first page (default 0: a visitor at the start)",
    )
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
        "settle": args.settle,
        "pages": None if args.no_browser else measure_pages(db, tuple(args.pages.split(",")), args.settle),
    }
    (OUT / "pages.json").write_text(json.dumps(results, indent=1))
    print(section(results))
    if not args.no_write:
        write_doc(results)


if __name__ == "__main__":
    main()
