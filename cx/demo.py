"""The built-in sample data: realistic exports written by `sample_data/generate.py`.

A brand-new workspace opens on it (app.py, `should_load_demo`). "Use my own data" (`remove_demo`) is a lasting
choice stored in the workspace (cx_meta key `demo_dismissed`): the demo is never loaded again into that
workspace, even when it is empty, and everything done on the demo leaves with it — journey notes, persona
names, finding statuses, maturity workshops and thresholds, theme keywords saved while the workspace held
only the demo (`cx/sql/demo_era.sql`), and the stored persona membership of its customers — while the user's
own work stays. `python -m cx demo` (`load_demo`) still loads it on request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import keys
from .errors import CxError
from .models import ImportReport
from .workspace import ROOT, Workspace, edit, run_sql, sql_file

SAMPLE_DIR = ROOT / "sample_data"
DEMO_FILES = ("events_ga4.csv", "clients_crm.csv", "commandes.xlsx", "tickets_support.csv", "enquete_satisfaction.xlsx")
TEXT_FILES = ("tickets_support.csv", "enquete_satisfaction.xlsx")  # written in French, and in English in en/
DISMISSED_KEY = "demo_dismissed"


def load_demo(ws: Workspace, folder: Path | None = None, progress=None, lang: str = "fr") -> list[ImportReport]:
    """Import every sample file (those the demo already loaded, in either language, are skipped); the tickets'
    and comments' texts in `lang` (`TEXT_FILES`: their English copies are in `<folder>/en/`, with the same rows and
    figures). `progress(i, n, name)` is called before each file. An explicit request: it lifts an earlier "use
    my own data" choice."""
    from .ingest import import_file  # (the importers: only when the demo is loaded, not on each app start)

    folder = SAMPLE_DIR if folder is None else folder
    paths = {
        name: folder / lang / name if lang != "fr" and name in TEXT_FILES else folder / name for name in DEMO_FILES
    }
    missing = [str(path.relative_to(folder)) for path in paths.values() if not path.is_file()]
    if missing:
        raise CxError(
            f"the sample data is missing ({', '.join(missing)})", fix="run `python sample_data/generate.py` to write it"
        )
    with ws.cursor() as cur:
        cur.execute("delete from cx_meta where key = $k", {"k": DISMISSED_KEY})
        loaded = {r[0] for r in cur.execute("select file_name from imports where is_demo").fetchall()}
    reports = []
    for i, name in enumerate(DEMO_FILES):
        if progress:
            progress(i, len(DEMO_FILES), name)
        if name not in loaded:  # (a file of the other language is other bytes: it would load the rows twice)
            reports.append(import_file(ws, paths[name], is_demo=True))
    return reports


def _state(ws: Workspace) -> tuple[int, int, bool, bool]:
    """(imports, demo imports, an import was ever made, the demo was dismissed): cx/sql/demo_state.sql."""
    with ws.cursor() as cur:
        imports, demo, dismissed = run_sql(cur, "demo_state.sql", {"dismissed_key": DISMISSED_KEY}).fetchall()[0]
        return imports, demo, keys.ever_imported(cur), dismissed


def has_demo_data(ws: Workspace) -> bool:
    return _state(ws)[1] > 0


def demo_dismissed(ws: Workspace) -> bool:
    """Did the user choose their own data ("use my own data") in this workspace?"""
    return bool(_state(ws)[3])


def should_load_demo(ws: Workspace) -> bool:
    """Open on the demo only a brand-new workspace: no import was ever made in it (even one deleted since) and
    the user never chose their own data. A demo whose first load was cut short (only demo imports, some
    files missing) is finished (`load_demo` skips the files already there)."""
    imports, demo, ever_imported, dismissed = _state(ws)
    if dismissed:
        return False
    if imports and imports == demo < len(DEMO_FILES):
        return True
    return not imports and not ever_imported


@dataclass(frozen=True)
class DemoRemoval:
    """What "use my own data" would remove: the demo's imports and the rows they loaded, and the work saved on
    the demo (journey notes, persona names, finding statuses, maturity workshops and thresholds, theme keywords)."""

    imports: int
    rows: int
    notes: int
    persona_names: int
    statuses: int
    workshops: int
    thresholds: int
    keywords: int


def demo_removal(ws: Workspace) -> DemoRemoval:
    """What `remove_demo` would remove now (cx/sql/demo_preview.sql), to say so before the user confirms."""
    with ws.cursor() as cur:
        return DemoRemoval(*(int(v) for v in run_sql(cur, "demo_preview.sql", {}).fetchall()[0]))


def remove_demo(ws: Workspace) -> int:
    """ "Use my own data": delete every demo import and the work done on the demo (see the module docstring),
    and remember the choice so that the demo never comes back by itself. Returns how many imports this call
    erased (on a lake another replica may have erased some of them at the same moment: they are not counted)."""
    from .ingest.erase import erase_imports

    with ws.cursor() as cur:
        ids = [r[0] for r in cur.execute("select import_id from imports where is_demo").fetchall()]
        since, until = run_sql(cur, "demo_era.sql", {}).fetchall()[0]
    erased = erase_imports(ws, ids, missing_ok=True)["deleted"] if ids else []  # one rewrite for all of them
    _dismiss_demo(ws, since, until)
    return len(erased)


@edit
def _dismiss_demo(ws: Workspace, since, until) -> None:
    """Remember "use my own data" and forget the work saved during the demo era (a settings edit: on a lake it
    runs again whole when another writer committed first)."""
    with ws.transaction() as cur:
        keys.upsert(cur, "cx_meta", {"key": DISMISSED_KEY, "value": "1"}, ("key",))
        run_sql(cur, "demo_era_keep.sql", {"since": since, "until": until})
        cur.execute(sql_file("demo_forget.sql"))
        cur.execute("drop table demo_era")
