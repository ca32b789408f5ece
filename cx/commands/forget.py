"""`python -m cx forget (--email E | --customer-id ID | --name N) [--dry-run]`: erase one person (a right-to-erasure request)
from every table, under their customer id and their e-mail alike; `--dry-run` says what would go, changing nothing."""

from __future__ import annotations

from ..format import number
from ..i18n import t
from ..ingest.forget import find_person, forget_person

NAME, HELP = "forget", "erase one person (right to erasure) from every table: --email E, --customer-id ID or --name N"


def add_arguments(parser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", metavar="E", help="their e-mail address, as written in your files")
    who.add_argument("--customer-id", metavar="ID", help="their customer id, as written in your files")
    who.add_argument("--name", metavar="N", help="their name, as an import that keys customers by name writes it")
    parser.add_argument("--dry-run", action="store_true", help="say what would be erased, change nothing")


def show(doc: dict, lang: str) -> None:
    """What was erased (or would be, or that nobody was found), in `lang`: rows per table, texts masked, folders
    read in place that Parcours cannot erase."""
    if not doc["found"]:
        print(t("cli.forget.nobody", lang))
    else:
        rows = ", ".join(
            t("cli.delete.count", lang, table=t(f"forget.table.{k}", lang), n=number(n, lang))
            for k, n in doc["rows"].items()
            if n
        )
        done = "cli.forget.erased" if doc["erased"] else "cli.forget.would_erase"
        print(t(done, lang, n=number(doc["total"], lang), count=doc["total"], rows=rows or "0"))
        if doc["mentions"]:
            said = "cli.forget.masked" if doc["erased"] else "cli.forget.would_mask"
            print(t(said, lang, n=number(doc["mentions"], lang), count=doc["mentions"]))
    for folder in doc["attached_folders"]:
        print(t("cli.forget.attached", lang, folder=folder))
    if doc["name_keyed_imports"] and doc["asked_with"] != "name":
        print(t("cli.forget.name_keyed", lang, imports=name_keyed_text(doc["name_keyed_imports"], lang)))


def name_keyed_text(imports: list[dict], lang: str) -> str:
    """The imports keyed by names, in words: "#3 commandes.csv (517 rows)"."""
    return ", ".join(
        t("forget.name_keyed_import", lang, id=i["import_id"], file=i["file_name"], n=number(i["rows"], lang))
        for i in imports
    )


def run(args, ws):
    asked_with, value = next(
        (a, v)
        for a, v in (("email", args.email), ("customer_id", args.customer_id), ("name", args.name))
        if v is not None
    )
    erase = find_person if args.dry_run else forget_person
    return erase(ws, value, asked_with).as_dict(), show
