"""The writes that rely on a key, on both backends: a workspace file has primary keys and a sequence, a DuckLake
has neither (cx/lake.py). Every `insert or replace`, `insert or ignore` and import id goes through here."""

from __future__ import annotations

from . import lake

#: on a lake, the one-row table each kind of writer that must not commit beside another of its kind updates
#: (`take_turn`, cx/sql/lake_turns.sql). One table per kind: DuckLake on a PostgreSQL catalog finds a conflict per
#: table, not per row, so a shared table (`cx_meta`, as before) made a long mapping of an attached folder conflict
#: with every settings edit committed meanwhile (and map the whole folder again)
TURNS = {"settings": "cx_turn_settings", "attached": "cx_turn_attached", "results": "cx_turn_results"}


def _columns(row: dict, sql: dict | None) -> tuple[list[str], list[str]]:
    names = [*row, *(sql or {})]
    values = [f"${k}" for k in row] + list((sql or {}).values())
    return names, values


def upsert(cur, table: str, row: dict, key: tuple[str, ...], sql: dict | None = None, replace: bool = True) -> None:
    """Write `row` (column → value, bound) into `table`, plus `sql` (column → SQL expression such as
    `now()::timestamp`, never user input): the row whose `key` columns match is replaced (`replace`) or kept
    (`replace=False`: the new row is dropped). `table` and the column names come from the code, never from
    input. On a lake the replacement is a delete and an insert in the caller's transaction."""
    names, values = _columns(row, sql)
    cols = ", ".join(f'"{n}"' for n in names)
    if not lake.is_lake(cur):
        verb = "insert or replace" if replace else "insert or ignore"
        cur.execute(f'{verb} into "{table}" ({cols}) values ({", ".join(values)})', row)
        return
    match = " and ".join(f'"{k}" = ${k}' for k in key)
    keys = {k: row[k] for k in key}
    if replace:
        cur.execute(f'delete from "{table}" where {match}', keys)
        cur.execute(f'insert into "{table}" ({cols}) values ({", ".join(values)})', row)
    else:
        cur.execute(
            f'insert into "{table}" ({cols}) select {", ".join(values)} '
            f'where not exists (select 1 from "{table}" where {match})',
            row,
        )


def next_import_id(cur) -> int:
    """A new import id. A file takes it from its sequence. A lake has none: its one-row table `cx_import_ids`
    is updated in the import's own transaction, so two writers that take an id at the same time both change
    that row and DuckLake lets only the first commit (the second gets a conflict and its whole import runs
    again, `lake.retrying`): no id is ever handed out twice."""
    if not lake.is_lake(cur):
        return cur.execute("select nextval('import_ids')").fetchall()[0][0]
    from .workspace import sql_file  # (the workspace imports this module)

    cur.execute(sql_file("lake_next_import_id.sql"))
    return cur.execute("select last_id from cx_import_ids").fetchall()[0][0]


def take_turn(cur, turn: str = "settings") -> None:
    """On a lake, in a transaction that must not commit beside another of its kind: update the one row of the
    table `TURNS[turn]`. DuckLake commits two transactions that only insert, even rows with the same key (a lake has
    no keys): two replicas adding the same keyword at once would both add it, two replicas mapping the same
    attached folder would both insert its rows. Both updating this row, the second to commit gets a conflict and
    runs again (`lake.retrying`), as a file's keys would have it. The turns:

    - `settings`: every settings edit (`workspace.edit`);
    - `attached`: mapping an attached folder into the lake (`attach.lake_rows`) and erasing imports
      (`ingest.erase`, which detaches folders): a mapping never commits beside another one, nor beside the
      detach of its folder, and a settings edit never makes a mapping run again;
    - `results`: storing an analysis result (`results.store`) and an erasure's purge of the stored results
      (`Workspace.rewrite`): a store whose transaction began before the erasure's delete committed (it saw the erased
      data) and commits after the purge gets a conflict and stores nothing; one that commits before is purged."""
    cur.execute(f"update {TURNS[turn]} set turns = turns + 1")


def ever_imported(cur) -> bool:
    """Was an import id ever handed out, even to an import deleted since? A file's sequence has a value; a lake's
    counter `cx_import_ids` is above 0."""
    if lake.is_lake(cur):
        return bool(cur.execute("select coalesce(max(last_id), 0) > 0 from cx_import_ids").fetchall()[0][0])
    sql = "select count(*) > 0 from duckdb_sequences() where sequence_name = 'import_ids' and last_value is not null"
    return bool(cur.execute(sql).fetchall()[0][0])
