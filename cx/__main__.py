"""`python -m cx …`: the command line (a stable contract, see DESIGN.md).

Every command takes `--db PATH` (default `$CX_DB`, else the app's workspace) and `--json`; exit status 0
on success, 2 on bad input with a clear message on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import CxError, unexpected
from .ingest import import_file
from .schema import KINDS
from .workspace import Workspace


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cx", description="Parcours: customer-experience analytics")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="workspace file (default: $CX_DB, else data/parcours.duckdb)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", parents=[common], help="load the built-in sample data")
    imp = sub.add_parser("import", parents=[common], help="import export files")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--kind", choices=KINDS)
    imp.add_argument("--mapping", type=Path, help='JSON file {"source header": "canonical column"}')
    imp.add_argument("--sheet", help="XLSX sheet to read (default: the one that looks like data)")
    imp.add_argument("--replace", action="store_true", help="re-import a file already imported")
    imp.add_argument("--keep-personal-data", action="store_true",
                     help="do not pseudonymise e-mails and names (not recommended)")
    sub.add_parser("tables", parents=[common], help="rows per table")
    return p


def _tables(ws: Workspace) -> dict:
    return {"tables": ws.table_counts()}


def _print_tables(doc: dict) -> None:
    for name, rows in doc["tables"].items():
        print(f"{name:<10} {rows:>10,}")


def _print_imports(doc: dict) -> None:
    for r in doc["imports"]:
        if r["status"] == "skipped":
            print(f"{r['file']}: already imported (import #{r['import_id']}), skipped; use --replace to reload")
            continue
        print(f"{r['file']}: {r['kind']}, import #{r['import_id']}: {r['rows_read']:,} read, "
              f"{r['rows_loaded']:,} loaded, {r['rows_rejected']:,} rejected")
        for source, target in r["mapping"].items():
            print(f"    {source} → {target}")
        for rej in r["rejects"][:20]:
            print(f"    line {rej['line']}, column {rej['column']!r}: {rej['reason']} ({rej['value']!r})")
        if len(r["rejects"]) > 20:
            print(f"    … {len(r['rejects']) - 20} more rejects")


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        ws = Workspace(args.db)
        if args.command == "demo":
            from .demo import load_demo
            load_demo(ws)
            doc, show = _tables(ws), _print_tables
        elif args.command == "tables":
            doc, show = _tables(ws), _print_tables
        elif args.command == "import":
            mapping = None
            if args.mapping:
                try:
                    mapping = json.loads(args.mapping.read_text(encoding="utf-8"))
                except (OSError, ValueError) as e:
                    raise CxError(f"cannot read the mapping file: {e}", file=str(args.mapping),
                                  fix='write it as {"source header": "canonical column"}') from None
            reports = []
            for f in args.files:
                if not f.is_file():
                    raise CxError("no such file", file=str(f), fix="check the path")
                reports.append(import_file(ws, f, kind=args.kind, mapping=mapping, sheet=args.sheet,
                                           on_duplicate="replace" if args.replace else "skip",
                                           pseudonymise=not args.keep_personal_data).as_dict())
            doc, show = {"imports": reports}, _print_imports
        ws.close()
    except CxError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a sentence, never a traceback
        print(f"error: {unexpected(e, log=False)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, default=str))
    else:
        show(doc)
    return 0


if __name__ == "__main__":
    sys.exit(run())
