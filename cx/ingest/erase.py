"""Delete imports so that they are erased: their rows in every data table, their rejects, their line in
`imports`, the mapping they left for files of the same shape and the persona memberships of customers no
longer in any table go in one transaction; then the workspace file is rewritten (`Workspace.rewrite`) so
that no byte of them is left in the file or its write-ahead log.
"""

from __future__ import annotations

import json

from ..attach import forget_mapped, stored_table
from ..errors import CxError
from ..keys import take_turn
from ..lake import is_lake, retrying
from ..schema import TABLES
from ..workspace import DATA_TABLES, Workspace, run_sql
from .ratings import CELL_CODES

ERASED_TABLES = (*TABLES, "rejects")


def erase_imports(ws: Workspace, import_ids: list[int], missing_ok: bool = False) -> dict:
    """Erase the imports `import_ids` (all or none: an unknown id raises `CxError` before anything is
    deleted, unless `missing_ok`) with a single rewrite of the workspace file.

    On a lake another replica may erase some of them at the same moment: then this erasure loses the commit
    race and runs again, and the ids gone by then are skipped (erased by the other replica; never an error), as
    are ids gone since the caller read them (`missing_ok`, `cx.demo.remove_demo`). Only what this call erased is
    counted.

    Returns
    -------
    dict: ``{"deleted": [import ids this call erased], "rows": {table: rows removed}, "seconds": rewrite time,
    "bytes_before": file size, "bytes_after": file size}`` — tables are the data tables and ``rejects``.
    """
    ids = sorted({int(i) for i in import_ids})
    found_before: set[int] = set()  # ids an earlier attempt found: gone now, another replica erased them

    def delete_rows() -> tuple[dict, list[int]]:
        rows = dict.fromkeys(ERASED_TABLES, 0)
        with ws.transaction(finish_erasure=False) as cur:
            if is_lake(cur):  # conflicts with a replica mapping an attached folder at the same moment (cx/attach.py)
                take_turn(cur, "attached")
            known = {
                r[0]: (r[1], r[2])
                for r in cur.execute(
                    "select import_id, kind, mapping from imports where list_contains($ids, import_id)", {"ids": ids}
                ).fetchall()
            }
            missing = [i for i in ids if i not in known and i not in found_before]
            if missing and not missing_ok:
                raise CxError(
                    f"there is no import #{missing[0]}",
                    fix="pick one from the import history (`python -m cx delete` takes the number shown "
                    "in the history of the Data page)",
                )
            found_before.update(known)
            present = sorted(known)
            if not present:  # nothing left to erase here
                return rows, present
            for table in ERASED_TABLES:
                rows[table] = cur.execute(
                    f"delete from {stored_table(cur, table)} where list_contains($ids, import_id)", {"ids": present}
                ).fetchall()[0][0]
            rows["events"] += forget_mapped(cur, present)  # an attached folder's rows a lake mapped into its own files
            cur.execute("delete from imports where list_contains($ids, import_id)", {"ids": present})
            cur.execute("delete from import_claims where list_contains($ids, import_id)", {"ids": present})
            _erase_mapping_leftovers(cur, known.values())
            _erase_orphan_persona_members(cur)
            ws.mark_rewrite_pending(cur)
        return rows, present

    # on a lake, a replica mapping an attached folder (or erasing) at the same moment makes one of the two run again
    rows, erased = retrying(delete_rows)
    done = ws.rewrite() if erased else None
    return {
        "deleted": erased,
        "rows": rows,
        "seconds": round(done.seconds, 3) if done else 0.0,
        "bytes_before": done.bytes_before if done else 0,
        "bytes_after": done.bytes_after if done else 0,
    }


def removal_counts(ws: Workspace, import_id: int) -> dict:
    """What deleting import `import_id` erases, counted now: ``{"rows"}`` its rows left in its table (an erased
    person's are gone already, so this can be fewer than it loaded), ``{"rejected"}`` its rows rejected whole and
    ``{"cells"}`` the unreadable values left empty in rows it loaded (listed with the rejected rows)."""
    with ws.cursor() as cur:
        kind = cur.execute("select kind from imports where import_id = $id", {"id": import_id}).fetchall()[0][0]
        rows = cur.execute(
            f"select count(*) from {stored_table(cur, kind)} where import_id = $id", {"id": import_id}
        ).fetchall()[0][0]
        rejected, cells = run_sql(
            cur, "erase_preview_rejects.sql", {"import_id": import_id, "cells": list(CELL_CODES)}
        ).fetchall()[0]
    return {"rows": rows, "rejected": rejected, "cells": cells}


def erase_import(ws: Workspace, import_id: int) -> dict:
    """Erase one import: ``{"deleted": import_id, "rows": {table: rows removed}, "seconds", …}``."""
    doc = erase_imports(ws, [import_id])
    return {**doc, "deleted": int(import_id)}


def delete_import(ws: Workspace, import_id: int) -> int:
    """Erase an import and every row it loaded; returns the number of data rows removed."""
    rows = erase_import(ws, import_id)["rows"]
    return sum(rows[t] for t in DATA_TABLES)


def _erase_mapping_leftovers(cur, deleted: list[tuple[str, str]]) -> None:
    """The mapping saved for files of this shape holds source headers (which can be personal, e.g. a
    survey export with one column per respondent): it goes unless a remaining import used the same."""

    def key(kind, mapping):
        try:
            return kind, json.dumps(json.loads(mapping) if isinstance(mapping, str) else mapping, sort_keys=True)
        except (TypeError, ValueError):
            return kind, str(mapping)

    gone = {key(k, m) for k, m in deleted if m is not None}
    kept = {key(k, m) for k, m in cur.execute("select kind, mapping from imports").fetchall()}
    for signature, kind, mapping in cur.execute("select signature, kind, mapping from mappings").fetchall():
        if key(kind, mapping) in gone - kept:
            cur.execute("delete from mappings where signature = $s", {"s": signature})


def _erase_orphan_persona_members(cur) -> None:
    """The persona snapshot keeps customer ids (clear e-mails when pseudonymisation was off)."""
    present = " union ".join(
        f'select customer_id from "{t}" where customer_id is not null'
        for t in ("customers", "orders", "tickets", "responses", "events")
    )
    cur.execute(f"delete from persona_members where customer_id not in ({present})")
