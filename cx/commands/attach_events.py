"""`python -m cx attach-events DIR`: read a folder of GA4 BigQuery export Parquet files as the workspace's events,
in place (nothing is copied; cx/attach.py, docs/SCALING.md). Run again on the same folder to count its rows
again; `--list` shows the attached folders; `python -m cx delete ID` detaches one."""

from .. import attach
from ..errors import CxError
from ..format import number
from ..i18n import t

NAME, HELP = "attach-events", "read a folder of GA4 BigQuery export Parquet files as events, in place (no copy)"


def add_arguments(parser) -> None:
    parser.add_argument(
        "folder", nargs="?", metavar="DIR", help="the folder the export lands in (*.parquet, one sub-folder per day)"
    )
    parser.add_argument("--list", action="store_true", help="list the attached folders instead")


def show(doc: dict, lang: str) -> None:
    if "attached" in doc:
        for a in doc["attached"]:
            print(f"#{a['import_id']}  {a['folder']}" + ("" if a["present"] else t("cli.attach.missing", lang)))
        if not doc["attached"]:
            print(t("cli.attach.none", lang))
        return
    what = t("cli.attach.refreshed" if doc["refreshed"] else "cli.attach.attached", lang, folder=doc["folder"])
    counts = {"files": doc["files"], "rows": doc["rows_loaded"], "rejected": doc["rows_rejected"]}
    print(
        t(
            "cli.attach.done",
            lang,
            import_id=doc["import_id"],
            what=what,
            **{k: number(n, lang) for k, n in counts.items()},
        )
    )


def run(args, ws):
    if args.list:
        return {"attached": attach.list_attached(ws)}, show
    if not args.folder:
        raise CxError("give the folder to attach", fix="python -m cx attach-events /path/to/ga4_export/")
    return attach.attach_events(ws, args.folder).as_dict(), show
