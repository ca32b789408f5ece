"""`python -m cx lake init|maintain`: create the DuckLake `$CX_LAKE` names (idempotent), or maintain it."""

from .. import lake, lake_presence
from ..errors import CxError
from ..format import number
from ..i18n import t

NAME, HELP = "lake", "create the DuckLake named by CX_LAKE (init) or merge its small files and expire old snapshots"


def add_arguments(parser) -> None:
    parser.add_argument(
        "action",
        choices=("init", "maintain"),
        help="init: create the lake's tables (safe to run again); maintain: merge small files, "
        "expire snapshots older than --keep-days, delete the files they alone used and the orphan files "
        "no snapshot refers to (left by a killed import: those unmodified for --orphan-hours and older than the oldest "
        "cursor open in a live Parcours process, less 30 s; in a local data folder only: skipped, and said, in object "
        "storage)",
    )
    parser.add_argument(
        "--keep-days",
        type=int,
        default=7,
        metavar="DAYS",
        help="maintain: how far back time travel reaches afterwards (default 7)",
    )
    parser.add_argument(
        "--orphan-hours",
        type=float,
        default=lake.ORPHAN_HOURS,
        metavar="HOURS",
        help="maintain: delete an orphan file once unmodified for this long (default "
        f"{lake.ORPHAN_HOURS}): a file an import is writing now belongs to no snapshot yet either, and a client that "
        "keeps no presence row (an older release, a notebook) is not seen; 0: trust the presence rows alone, as an "
        "erasure does (every replica of this release or later, no other writer)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="maintain: count the snapshots that would expire and the orphan files that would be deleted, change nothing",
    )


def show(doc: dict, lang: str) -> None:
    def say(key: str, **counts) -> None:
        print(
            t(f"cli.lake.{key}", lang, **{k: number(n, lang) if isinstance(n, int) else n for k, n in counts.items()})
        )

    say("state", lake=doc["lake"], schema_version=doc["schema_version"], imports=doc["imports"])
    if doc.get("dry_run"):
        say("dry_run", snapshots=doc["snapshots_expired"], orphans=doc["orphan_files"])
    elif "files_merged" in doc:
        say(
            "maintained",
            merged=doc["files_merged"],
            snapshots=doc["snapshots_expired"],
            deleted=doc["files_deleted"],
            orphans=doc["orphan_files"],
        )
    if doc.get("orphan_rule_because"):
        say("orphan_rule", because=doc["orphan_rule_because"])
    if doc.get("orphan_files_kept"):
        say("kept", n=doc["orphan_files_kept"], because=doc["orphan_files_kept_because"])
    if doc.get("orphan_files_skipped_because"):
        say("not_looked_for", because=doc["orphan_files_skipped_because"])
    if doc.get("foreign_files"):
        say("foreign", n=doc["foreign_files"])


def run(args, ws):
    if ws.lake is None:
        raise CxError(
            "CX_LAKE is not set: this command works on a DuckLake, not on a workspace file",
            fix="set CX_LAKE=ducklake:sqlite:/path/catalog.sqlite (or ducklake:postgres:dbname=… host=…) "
            "and CX_LAKE_DATA=/path/data/, see docs/SCALING.md",
        )
    if args.keep_days < 0:
        raise CxError("--keep-days cannot be negative", fix="give a number of days, 0 or more")
    if args.orphan_hours < 0:
        raise CxError("--orphan-hours cannot be negative", fix="give a number of hours, 0 or more")
    with ws.cursor() as cur:
        version = cur.execute("select max(value::integer) from cx_meta where key = 'schema_version'").fetchall()
        doc = {
            "lake": ws.lake.label,
            "catalog": ws.lake.kind,
            "schema_version": int(version[0][0]),
            "imports": cur.execute("select count(*) from imports").fetchall()[0][0],
        }
        if args.action == "maintain":
            # orphan files old enough that no client can still be writing them, and that no live process can own
            before, unread = lake_presence.maintenance_horizon(
                cur, ws.lake.sqlite_file, ws.lake.schema, args.orphan_hours
            )
            doc.update(lake.maintain(cur, args.keep_days, before, args.dry_run, ws.lake.schema))
            waited = (args.orphan_hours or lake.ORPHAN_HOURS) if unread is not None else args.orphan_hours
            hours = f"{waited:g} hours"
            doc["orphan_rule"] = hours if unread is not None else "presence" if waited == 0 else f"{hours} and presence"
            if unread is not None:  # the value in --lang, as every reason a command gives (kpis' `reason`)
                hours = number(waited, args.lang, 0 if waited == int(waited) else 1)
                doc["orphan_rule_because"] = t("cli.lake.presence_unread", args.lang, error=unread, hours=hours)
    return doc, show
