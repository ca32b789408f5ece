from ..ingest import erase_import

NAME, HELP = "delete", "delete an import and erase every byte of it from the workspace"


def add_arguments(parser) -> None:
    parser.add_argument("import_id", type=int, metavar="IMPORT_ID", help="number shown in the import history")


def show(doc: dict) -> None:
    removed = ", ".join(f"{n:,} {t}" for t, n in doc["rows"].items() if n) or "no rows"
    print(f"import #{doc['deleted']} deleted and erased ({removed}); workspace rewritten in {doc['seconds']:.2f} s")


def run(args, ws):
    return erase_import(ws, args.import_id), show
