"""Erase one person (a right-to-erasure request): every row keyed by them in every table, found under all the keys
that name them — the customer id or e-mail typed, pseudonymised as imports pseudonymise them, one step on to their CRM
id and its e-mails held by it alone (`forget_keys.sql`) —, their mentions in other people's rows masked, then the
workspace file rewritten as for a deleted import (`Workspace.rewrite`: no byte left, stored results purged). What
"their row" means is written once, in `cx/sql/forget_setup.sql`. The erasure is recorded in `erasures` with its
counts and never the identifier.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from ..attach import attachments
from ..errors import CxError
from ..keys import take_turn
from ..lake import is_lake, retrying
from ..workspace import Workspace, run_sql, sql_file

#: what an erasure counts: the data tables, the rejected rows, the persona memberships
TABLES = ("events", "customers", "orders", "tickets", "responses", "rejects", "persona_members")
ASKED_WITH = ("email", "customer_id", "name")  # name: as written in an import keyed by names


@dataclass(frozen=True)
class Erasure:
    """What erasing one person finds or erased: `rows` per table (`TABLES`), `mentions` (other people's rows whose free
    text holds their e-mail in clear, or whose kept extra columns hold their e-mail or pseudonym: masked, kept), `attached` (folders read in place, which Parcours cannot erase),
    `erased` (False for a look without erasing), the rewrite's time and the file's sizes; `name_keyed`: the imports
    whose customers are keyed by their names (import id, file name, rows), whose rows a search by e-mail or id cannot
    reach: search by the name as written there (`asked_with="name"`)."""

    asked_with: str
    rows: dict
    mentions: int
    attached: tuple[str, ...]
    erased: bool
    seconds: float = 0.0
    bytes_before: int = 0
    bytes_after: int = 0
    name_keyed: tuple[tuple[int, str, int], ...] = ()

    @property
    def found(self) -> bool:
        return bool(sum(self.rows.values()) or self.mentions)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def as_dict(self) -> dict:
        return {
            "asked_with": self.asked_with,
            "found": self.found,
            "erased": self.erased,
            "rows": self.rows,
            "total": self.total,
            "mentions": self.mentions,
            "attached_folders": list(self.attached),
            "seconds": round(self.seconds, 3),
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
            "name_keyed_imports": [{"import_id": i, "file_name": f, "rows": n} for i, f, n in self.name_keyed],
        }


def given_keys(ws: Workspace, value: str, asked_with: str) -> list[str]:
    """The keys a typed identifier can be stored under: as typed (an id, a name, or an e-mail loaded in clear), its
    pseudonym (a name keying customers is pseudonymised as a name: "G. THOMAS"), and an e-mail in lower case. An empty
    value, or an e-mail without "@", is refused."""
    if asked_with not in ASKED_WITH:
        raise ValueError(asked_with)
    value = (value or "").strip()
    if not value:
        raise CxError(
            "no e-mail address or customer id given",
            key="forget_empty",
            fix="type the e-mail address or the customer id exactly as it is written in your files",
        )
    if asked_with == "email" and "@" not in value:
        raise CxError(
            f"{value!r} is not an e-mail address",
            key="forget_not_email",
            fix="type the whole e-mail address (name@example.com), or search by customer id",
        )
    keys = {value, ws.pseudonymise(value)}
    if "@" in value:
        keys.add(value.lower())
    return sorted(keys)


def person_keys(ws: Workspace, cur, keys: list[str]) -> list[str]:
    """`keys`, the person's customer id and their e-mails held by them alone, one step from what was typed
    (`forget_keys.sql`), with the pseudonym of every clear e-mail (a CRM loaded in clear, orders pseudonymised). A
    typed key naming several people is refused, with the way out: an e-mail several CRM customers hold (erase by
    customer id), a customer id of several imports with different e-mails (erase by e-mail)."""
    holders = run_sql(cur, "forget_shared.sql", {"keys": keys}).fetchall()[0][0]
    if holders > 1:
        raise CxError(
            f"this e-mail address is held by {holders} customers of the CRM: it names none of them alone",
            key="forget_shared",
            values={"n": holders},
            fix="erase each person by their customer id (--customer-id), as written in the CRM file",
        )
    imports = run_sql(cur, "forget_people.sql", {"keys": keys}).fetchall()
    if len(imports) > 1 and imports[0][4] > 1:
        where = "; ".join(f"#{i} {name!r} ({n}/{e})" for i, name, n, e, _ in imports)
        raise CxError(
            f"this customer id names {len(imports)} people, one per import with different e-mails "
            f"({where}: import, file, rows/e-mails)",
            key="forget_several",
            values={"n": len(imports), "imports": where},
            fix="erase the person by their e-mail address (--email), which tells them apart",
        )
    found = {r[0] for r in run_sql(cur, "forget_keys.sql", {"keys": keys}).fetchall()}
    return sorted(found | {ws.pseudonymise(k) for k in found if "@" in k})


def _prepare(cur, keys: list[str]) -> None:
    """The person's keys, the patterns of their clear e-mails (`pattern`, looked for in free texts) and of their
    e-mails and pseudonyms (`named`, masked in kept extra columns) and the macros of `forget_setup.sql` on `cur`,
    which reads the stored events (an attached folder's are read in place: not Parcours' to erase)."""
    cur.execute("drop view if exists temp.main.events")  # the view of attached folders (cx/attach.py): stored rows
    cur.execute("create or replace temp table forget_person as select unnest($k::varchar[]) as key", {"k": keys})
    emails = sorted({k.lower() for k in keys if "@" in k})
    named = emails + sorted(k for k in keys if k.startswith("px_"))
    cur.execute(
        "create or replace temp table forget_mention as select $p::varchar as pattern, $n::varchar as named",
        {"p": _alternatives(emails), "n": _alternatives(named)},
    )
    cur.execute(sql_file("forget_setup.sql"))


def _alternatives(words: list[str]) -> str | None:
    """A case-insensitive pattern matching any of `words` (None for none)."""
    return "(?i)(" + "|".join(map(re.escape, words)) + ")" if words else None


def _counts(cur) -> tuple[dict, int]:
    counts = dict(run_sql(cur, "forget_counts.sql", {}).fetchall())
    return {t: int(counts[t]) for t in TABLES}, int(counts["mentions"])


def _attached(ws: Workspace, cur) -> tuple[str, ...]:
    return tuple(sorted(options["folder"] for _, options in attachments(cur, ws.lake)))


def name_keyed(cur) -> tuple[tuple[int, str, int], ...]:
    """The imports whose customers are keyed by their names: (import id, file name, rows loaded)."""
    return tuple(run_sql(cur, "forget_name_keyed.sql", {}).fetchall())


def find_person(ws: Workspace, value: str, asked_with: str) -> Erasure:
    """How many rows of each table erasing this person would erase (nothing is changed)."""
    keys = given_keys(ws, value, asked_with)
    with ws.cursor() as cur:
        attached = _attached(ws, cur)
        _prepare(cur, person_keys(ws, cur, keys))
        rows, mentions = _counts(cur)
        named = name_keyed(cur)
    return Erasure(asked_with, rows, mentions, attached, erased=False, name_keyed=named)


def forget_person(ws: Workspace, value: str, asked_with: str) -> Erasure:
    """Erase every row of this person (`find_person` says which), mask their e-mail where another row's free text
    writes it in clear, record the erasure (counts, never the identifier) and rewrite the workspace so that no byte
    of them is left. Nothing found: nothing is changed or recorded (`Erasure.found` is False)."""
    keys = given_keys(ws, value, asked_with)

    def delete_rows() -> tuple[dict, int, tuple[str, ...]]:
        with ws.transaction(finish_erasure=False) as cur:
            attached = _attached(ws, cur)
            named[:] = name_keyed(cur)  # (a retried transaction reads them again)
            _prepare(cur, person_keys(ws, cur, keys))
            rows, mentions = _counts(cur)
            if not (sum(rows.values()) or mentions):  # nothing written, not even a lake snapshot
                return rows, mentions, attached
            if is_lake(cur):  # one erasure at a time, never beside the mapping of an attached folder
                take_turn(cur, "attached")
            cur.execute(sql_file("forget_person.sql"))
            if mentions:  # a scan of every extra column and text otherwise spared
                cur.execute(sql_file("forget_mask.sql"))
            cur.execute(sql_file("forget_erased_keys.sql"))  # a file loaded again leaves them out
            cur.execute(
                "insert into erasures values (now()::timestamp, $asked, $rows, $total)",
                {"asked": asked_with, "rows": json.dumps(rows), "total": sum(rows.values())},
            )
            ws.mark_rewrite_pending(cur)
        return rows, mentions, attached

    named: list = []
    rows, mentions, attached = retrying(delete_rows)
    if not (sum(rows.values()) or mentions):
        return Erasure(asked_with, rows, mentions, attached, erased=False, name_keyed=tuple(named))
    done = ws.rewrite()
    return Erasure(
        asked_with, rows, mentions, attached, True, done.seconds, done.bytes_before, done.bytes_after, tuple(named)
    )


def list_erasures(ws: Workspace) -> pd.DataFrame:
    """The erasures of one person done here, newest first: erased_at, asked_with, rows (JSON text), total."""
    with ws.cursor() as cur:
        return run_sql(cur, "forget_history.sql", {}).df()
