"""`python -m cx rejects [--import N] [--csv FILE]`: the rejected rows of past imports (every import, or one),
each with its line, column, value, reason and fix; `--csv` (or `.xlsx`) writes them as the Data page downloads them."""

from __future__ import annotations

from pathlib import Path

from ..errors import CxError
from ..export import to_csv_bytes, to_xlsx_bytes
from ..format import number
from ..i18n import t
from ..ingest import list_imports
from ..rejects import fix_text, keeps_whole_row, reject_reason, rejected_rows, rejects_table

NAME, HELP = "rejects", "rejected rows of past imports (line, column, value, reason, fix); --csv FILE to save them"
READS = True  # only reads (the file it writes is written whole): run again on a lake after an erasure


def add_arguments(parser) -> None:
    parser.add_argument("--import", dest="import_id", type=int, metavar="N", help="only import N (see `tables`)")
    parser.add_argument("--csv", metavar="FILE", help="also write them to FILE (.csv, or .xlsx for a workbook)")


def rejects_doc(ws, import_id: int | None = None, csv: str | None = None, lang: str = "fr") -> dict:
    """{"rejects": [{import_id, file, line, column, value, code, reason (stored, English), whole_row}]}; the
    listed import must exist. With `csv`, the table in `lang` is written there too."""
    if import_id is not None and import_id not in set(list_imports(ws)["import_id"]):
        raise CxError(f"there is no import {import_id}", fix="run `python -m cx rejects` to list every import's")
    rows = rejected_rows(ws, import_id)
    if csv:
        path = Path(csv)
        table = rejects_table(rows, lang)
        try:
            path.write_bytes(to_xlsx_bytes(table, "rejects") if path.suffix.lower() == ".xlsx" else to_csv_bytes(table))
        except OSError as e:
            raise CxError(f"cannot write {csv!r} ({e.strerror})", fix="choose a folder you can write to") from None
    return {
        "rejects": [
            {
                "import_id": int(r.import_id),
                "file": r.file_name,
                "line": None if r.line != r.line else int(r.line),
                "column": r.column or None,
                "value": None if r.value != r.value else r.value,
                "code": r.code,
                "reason": r.reason,
                "whole_row": keeps_whole_row(r.code),
            }
            for r in rows.itertuples()
        ],
        "csv": csv,
    }


def show(doc: dict, lang: str = "fr") -> None:
    """Each import's rejected rows for a person, in `lang`."""
    rows = doc["rejects"]
    quoted = lambda text: t("cli.rejects.quoted", lang, text=text)
    if not rows:
        print(t("cli.rejects.none", lang))
    for i, r in enumerate(rows):
        if i == 0 or rows[i - 1]["import_id"] != r["import_id"]:
            n = sum(1 for o in rows if o["import_id"] == r["import_id"])
            print(t("cli.rejects.import", lang, import_id=r["import_id"], file=r["file"], n=number(n, lang), count=n))
        kept = t(f"rejects.kept.{'row' if r['whole_row'] else 'cell'}", lang)
        print(
            t(
                "cli.rejects.row",
                lang,
                line=r["line"],
                column=quoted(r["column"]) if r["column"] else t("cli.rejects.no_column", lang),
                value="∅" if r["value"] is None else quoted(r["value"]),
                kept=kept,
                reason=reject_reason(r["code"], r["reason"], lang),
                fix=fix_text(r["code"], lang),
            ).rstrip()
        )
    if doc["csv"]:
        n = len(rows)
        print(t("cli.rejects.written", lang, n=number(n, lang), file=doc["csv"], count=n))


def run(args, ws):
    return rejects_doc(ws, args.import_id, args.csv, args.lang), show
