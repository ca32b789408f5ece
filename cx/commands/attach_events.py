"""`python -m cx attach-events DIR`: read a folder of GA4 BigQuery export Parquet files as the workspace's events,
in place (nothing is copied; cx/attach.py, docs/SCALING.md). Run again on the same folder to count its rows
again; `--list` shows the attached folders; `python -m cx delete ID` detaches one."""

from .. import attach
from ..errors import CxError

NAME, HELP = "attach-events", "read a folder of GA4 BigQuery export Parquet files as events, in place (no copy)"


def add_arguments(parser) -> None:
    parser.add_argument(
        "folder", nargs="?", metavar="DIR", help="the folder the export lands in (*.parquet, one sub-folder per day)"
    )
    parser.add_argument("--list", action="store_true", help="list the attached folders instead")


def show(doc: dict) -> None:
    if "attached" in doc:
        for a in doc["attached"]:
            state = "" if a["present"] else "  (folder missing: its events are not read)"
            print(f"#{a['import_id']}  {a['folder']}{state}")
        if not doc["attached"]:
            print("no folder attached")
        return
    verb = "counted again" if doc["refreshed"] else "attached"
    print(
        f"import #{doc['import_id']}: {doc['folder']} {verb}, {doc['files']:,} Parquet files, "
        f"{doc['rows_loaded']:,} events ({doc['rows_rejected']:,} rows left out: no time, name or visitor); "
        "read in place, nothing copied"
    )


def run(args, ws):
    if args.list:
        return {"attached": attach.list_attached(ws)}, show
    if not args.folder:
        raise CxError("give the folder to attach", fix="python -m cx attach-events /path/to/ga4_export/")
    return attach.attach_events(ws, args.folder).as_dict(), show
