import json
from pathlib import Path

from ..errors import CxError
from ..format import number
from ..i18n import t
from ..ingest import import_file
from ..models import Note
from ..rejects import reject_reason
from ..schema import KINDS

NAME, HELP = "import", "import export files"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument(
        "--mapping",
        type=Path,
        help='JSON file {"source header": "canonical column", "header to leave out": null}; '
        "the headers it does not name take the column Parcours guesses (as on the Data page), else are kept as "
        "extra data; the report lists the guessed ones",
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


def show(doc: dict, lang: str) -> None:
    """The import report for a person, in `lang`: the counts, what was reshaped, what became of each column and
    the first 20 rejected rows with their reason in words (the JSON keeps the English sentences and the codes)."""
    for r in doc["imports"]:
        if r["status"] == "skipped":
            print(t("cli.import.skipped", lang, file=r["file"], import_id=r["import_id"]))
            continue
        counts = {k: number(r[f"rows_{k}"], lang) for k in ("read", "loaded", "rejected")}
        kind = t(f"table.{r['kind']}", lang)
        print(t("cli.import.counts", lang, file=r["file"], kind=kind, import_id=r["import_id"], **counts))
        for note in r.get("notes", []):
            text = t(f"import.note.{note.key}", lang, **note.values) if isinstance(note, Note) else note
            print(t("cli.import.note", lang, note=text))
        if r.get("currency"):
            print(t("cli.import.currency", lang, currency=r["currency"]))
        for column, value in r.get("constants", {}).items():
            print(t("cli.import.constant", lang, column=column, value=value))
        guessed = set(r.get("guessed", ()))  # a partial --mapping: these took Parcours' guess
        for source, fate in r.get("columns", {}).items():
            said = "guessed" if source in guessed else fate["fate"]
            print(t(f"cli.import.{said}", lang, source=source, column=fate.get("column")))
        for rej in r["rejects"][:20]:
            value = t("cli.import.empty_value", lang) if rej["value"] is None else repr(rej["value"])
            reason = reject_reason(rej["code"], rej["reason"], lang)
            print(t("cli.import.reject", lang, line=rej["line"], column=rej["column"], reason=reason, value=value))
        if len(r["rejects"]) > 20:
            print(t("cli.import.more_rejects", lang, n=len(r["rejects"]) - 20))


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
                guess_others=True,
            ).as_dict()
        )
    return {"imports": reports}, show
