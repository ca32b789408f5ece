"""Support and complaint-rate benchmark: the Support page's analyses and the journey's stage KPIs (which hold the
same complaint rate) on the analytics shop with generated support tickets, each timed in a child process
(CPU seconds of all its threads, and wall time, best of --repeat), optionally with another checkout's code beside.

    python bench/support.py                                  # the 5M events / 200k customers shop + 120k tickets
    python bench/support.py --db /tmp/shop.duckdb            # an existing workspace (copied; tickets added if none)
    python bench/support.py --before /tmp/old --before-label "main at 5dff61a"   # that checkout's code too

The shop comes from `bench/analytics.py` (`build_workspace`); the tickets are generated in SQL, deterministically
(hashes of the row number): spread over the orders' span but its last 45 days (the helpdesk export ends before
the orders one), 15 % complaints, e-mail / chat / phone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.analytics import OUT, machine, replace_section, working_copy

BEGIN, END = "<!-- bench/support.py: begin -->", "<!-- bench/support.py: end -->"
ANALYSES = {  # label: (module, function)
    "Support headline (`summarise_support`)": ("cx.support", "summarise_support"),
    "tickets per channel (`support_by_channel`)": ("cx.support", "support_by_channel"),
    "complaints by category (`complaint_breakdown`)": ("cx.support", "complaint_breakdown"),
    "complaint rate alone (`complaint_rate`)": ("cx.support", "complaint_rate"),
    "stage KPIs (`find_stage_kpis`)": ("cx.journey", "find_stage_kpis"),
}
TICKETS_SQL = """
insert into tickets (import_id, ticket_id, customer_id, channel, created_at, first_response_at, resolved_at,
                     is_complaint, category, severity, csat)
select 0, 'T' || i, 'C' || lpad((hash(i) % 200000)::varchar, 6, '0'),
       ['email', 'chat', 'phone'][1 + (hash(i * 7) % 3)::bigint],
       t, t + interval 2 hour, t + interval 30 hour, hash(i * 13) % 100 < 15,
       ['livraison', 'produit', 'paiement'][1 + (hash(i * 17) % 3)::bigint], 'high', 1 + (hash(i * 19) % 5)::bigint
from (select i, $lo::timestamp
                + to_seconds((hash(i * 3) % (epoch($hi::timestamp - $lo::timestamp)::bigint - 45 * 86400))::double) as t
      from range($n) r(i))
"""


def child(code: str, module: str, function: str, db: str, repeat: int) -> None:
    """In a fresh process: `function(ws)` on `db` with `code`'s cx, best CPU and wall of `repeat` calls (JSON)."""
    sys.path.insert(0, code)
    import importlib

    from cx.workspace import Workspace

    call = getattr(importlib.import_module(module), function)
    ws = Workspace(db)
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        call(ws)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    ws.close()
    print(json.dumps({"cpu": min(cpu), "wall": min(wall)}))


def add_tickets(db: Path, n: int) -> None:
    from cx.workspace import Workspace

    ws = Workspace(db)
    with ws.cursor() as cur:
        if not cur.execute("select count(*) from tickets").fetchone()[0]:
            lo, hi = cur.execute("select min(order_time), max(order_time) from orders").fetchone()
            cur.execute(TICKETS_SQL, {"lo": lo, "hi": hi, "n": n})
    ws.close()


def measure(code: Path, db: Path, repeat: int) -> dict:
    out = {}
    for label, (module, function) in ANALYSES.items():
        argv = [sys.executable, __file__, "--child", str(code), module, function, str(db), str(repeat)]
        run = subprocess.run(
            argv, check=False, capture_output=True, text=True
        )  # an analysis absent from --before: None
        out[label] = json.loads(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else None
    return out


def section(results: dict) -> str:
    before = results.get("before")
    head = "| analysis | CPU s | wall s |" + (" before: CPU s | before: wall s |" if before else "")
    rows = [head, "|---|---:|---:|" + ("---:|---:|" if before else "")]
    for label in ANALYSES:
        now = results["after"].get(label)
        cells = [f"{now['cpu']:.2f}", f"{now['wall']:.2f}"] if now else ["—", "—"]
        if before:
            was = before.get(label)
            cells += [f"{was['cpu']:.2f}", f"{was['wall']:.2f}"] if was else ["(absent)", "(absent)"]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    m = results["machine"]
    return "\n".join(
        [
            BEGIN,
            "## Support and the complaint rate (`bench/support.py`)",
            "",
            f"{results['tables']}; best of {results['repeat']} calls in a fresh process each (CPU: all threads). "
            + (f"Before: the code of `{results['before_code']}`. " if before else "")
            + f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, shared (compare CPU seconds).",
            "",
            *rows,
            END,
        ]
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing workspace to copy (default: build the shop)")
    ap.add_argument("--events", type=int, default=5_000_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--tickets", type=int, default=120_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", type=Path, help="a checkout whose code is timed too, on the same copy")
    ap.add_argument("--before-label", help="how the doc names that code (default: its path), e.g. a commit")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    args = ap.parse_args()
    db = working_copy(args.db, args.events, args.customers, "support")
    add_tickets(db, args.tickets)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = ", ".join(
            f"{con.sql(f'select count(*) from {t}').fetchall()[0][0]:,} {t}" for t in ("events", "orders", "tickets")
        )
    results = {"machine": machine(), "tables": tables, "repeat": args.repeat, "after": measure(ROOT, db, args.repeat)}
    if args.before:
        results["before"] = measure(args.before, db, args.repeat)
        results["before_code"] = args.before_label or str(args.before)
    (OUT / "support.json").write_text(json.dumps(results, indent=1))
    print(section(results))
    if not args.no_write:
        replace_section(BEGIN, END, section(results))


if __name__ == "__main__":
    main()
