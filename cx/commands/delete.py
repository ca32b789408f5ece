from ..format import number
from ..i18n import t
from ..ingest import erase_import

NAME, HELP = "delete", "delete an import and erase every byte of it from the workspace"


def add_arguments(parser) -> None:
    parser.add_argument("import_id", type=int, metavar="IMPORT_ID", help="number shown in the import history")


def show(doc: dict, lang: str) -> None:
    """What was erased, in `lang`: the rows per table, the time the rewrite took."""
    removed = ", ".join(
        t(
            "cli.delete.count",
            lang,
            table=t(f"cli.delete.table.{k}" if k == "rejects" else f"table.{k}", lang),
            n=number(n, lang),
        )
        for k, n in doc["rows"].items()
        if n
    )
    seconds = number(doc["seconds"], lang, 2)
    print(
        t(
            "cli.delete.done",
            lang,
            import_id=doc["deleted"],
            removed=removed or t("cli.delete.no_rows", lang),
            seconds=seconds,
        )
    )


def run(args, ws):
    return erase_import(ws, args.import_id), show
