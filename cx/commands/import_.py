import json
from pathlib import Path

from ..errors import CxError
from ..ingest import import_file
from ..schema import KINDS

NAME, HELP = "import", "import export files"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument(
        "--mapping",
        type=Path,
        help='JSON file {"source header": "canonical column", "header to leave out": null}; '
        "unmapped headers are kept as extra data",
    )
    parser.add_argument(
        "--constant",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="give every row this value of a required column the file lacks, e.g. --constant channel=email for "
        "a ticket export without a channel (channel: email, chat, phone or social)",
    )
    parser.add_argument("--sheet", help="XLSX sheet to read (default: the one that looks like data)")
    parser.add_argument("--replace", action="store_true", help="re-import a file already imported")
    parser.add_argument(
        "--keep-personal-data", action="store_true", help="do not pseudonymise e-mails and names (not recommended)"
    )


def show(doc: dict) -> None:
    for r in doc["imports"]:
        if r["status"] == "skipped":
            print(f"{r['file']}: already imported (import #{r['import_id']}), skipped; use --replace to reload")
            continue
        print(
            f"{r['file']}: {r['kind']}, import #{r['import_id']}: {r['rows_read']:,} read, "
            f"{r['rows_loaded']:,} loaded, {r['rows_rejected']:,} rejected"
        )
        for note in r.get("notes", []):
            print(f"    note: {note}")
        if r.get("currency"):
            print(f"    currency: {r['currency']}")
        for column, value in r.get("constants", {}).items():
            print(f"    {column}: {value} on every row (--constant)")
        for source, fate in r.get("columns", {}).items():
            what = f"→ {fate['column']}" if fate["fate"] == "mapped" else f"({fate['fate']})"
            print(f"    {source} {what}")
        for rej in r["rejects"][:20]:
            print(f"    line {rej['line']}, column {rej['column']!r}: {rej['reason']} ({rej['value']!r})")
        if len(r["rejects"]) > 20:
            print(f"    … {len(r['rejects']) - 20} more rejects")


def run(args, ws):
    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(args.mapping.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise CxError(
                f"cannot read the mapping file: {e}",
                file=str(args.mapping),
                fix='write it as {"source header": "canonical column"}',
            ) from None
    constants = {}
    for pair in args.constant:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise CxError(
                f"cannot read --constant {pair!r}", fix="write it as COLUMN=VALUE, e.g. --constant channel=email"
            )
        constants[column.strip()] = value.strip()
    reports = []
    for f in args.files:
        if not f.is_file():
            raise CxError("no such file", file=str(f), fix="check the path")
        reports.append(
            import_file(
                ws,
                f,
                kind=args.kind,
                mapping=mapping,
                sheet=args.sheet,
                on_duplicate="replace" if args.replace else "skip",
                pseudonymise=not args.keep_personal_data,
                constants=constants or None,
            ).as_dict()
        )
    return {"imports": reports}, show
