"""Rows repeated in one file with the same values in every column (a CRM export that lists a person twice, an
orders export whose lines were pasted twice): the first is loaded, the others are set aside before conversion,
listed among the rejected rows (line, "same values as line N") and said in the import report, so they are
neither counted twice nor absorbed in silence (a repeated line item would double an order's items).

Only where the file names its records (a customer id, an order number, a ticket id, a response id): two identical
orders without a number can be two real ones. Web events are left alone: two identical hits can be two real ones,
and an events file is the big one.
"""

from __future__ import annotations

from ..models import Note, Reject
from ..workspace import sql_file
from .staging import replace_stg

# a row repeats another only when the file names its records: two identical orders without an order number (or
# answers without a response id) can be two real ones, bought or given the same day
KEYS = {"customers": "customer_id", "orders": "order_id", "tickets": "ticket_id", "responses": "response_id"}
# ends with the first line's number: the pages' label takes it as its `range` (cx.rejects.reject_reason)
REASON = "the same values in every column as an earlier line: ignored (counted once), first at line {first}"


def set_aside(cur, kind: str, mapped: set[str], width: int, delimiter: str) -> list[tuple[int, int, str]]:
    """Replace `stg` by its rows without exact repeats when there are any; `stg_origin.src_row` keeps each
    kept row's index in the file's rows. Returns (row index, index of its first occurrence, the row's cells
    joined by `delimiter`, quoted where needed) of each row set aside, in file order (empty: `stg` unchanged)."""
    if KEYS.get(kind) not in mapped or width == 0:
        return []
    cells = ", ".join(f"c{i}" for i in range(width))
    # distinct hashes are distinct rows: the common case (no repeat) is proven by one cheap pass; equal hashes
    # (a repeat, or rarely a collision) are then compared value by value below
    rows, distinct = cur.execute(f"select count(*), count(distinct hash({cells})) from stg").fetchall()[0]
    if rows == distinct:
        return []
    cur.execute(
        """create or replace temp table stg_numbered as
        select row_number() over () - 1 as src_row, * from stg"""
    )
    # a null and a null are the same value here: `is not distinct from`, through `partition by`
    cur.execute(
        f"""create or replace temp table stg_repeats as
        select src_row, first_row, {_joined(width, delimiter)} as value from (
            select *, min(src_row) over (partition by {cells}) as first_row from stg_numbered
        ) where src_row <> first_row order by src_row"""
    )
    repeats = cur.execute("select src_row, first_row, value from stg_repeats order by src_row").fetchall()
    if not repeats:  # two rows of one hash, yet not the same values
        cur.execute("drop table stg_numbered")
        return []
    cur.execute(sql_file("ingest_repeats_kept.sql"))
    replace_stg(cur, "select * exclude (src_row) from stg_origin order by src_row")
    cur.execute("drop table stg_numbered")
    return [(int(a), int(b), v) for a, b, v in repeats]


def _joined(width: int, delimiter: str) -> str:
    """SQL: the cells c0…c<width-1> of a row as a line of the file (a cell holding the delimiter or a quote
    quoted), so the personal columns of a rejected line can be masked by position."""
    d = delimiter.replace("'", "''")
    cells = [
        f"""case when contains(coalesce(c{i}, ''), '{d}') or contains(coalesce(c{i}, ''), '"') """
        f"""then '"' || replace(c{i}, '"', '""') || '"' else coalesce(c{i}, '') end"""
        for i in range(width)
    ]
    return f"concat_ws('{d}', {', '.join(cells)})"


def rejects(repeats: list[tuple[int, int, str]], lines: dict[int, int]) -> list[Reject]:
    """The rows set aside as rejected rows: their line in the file, their cells and why (`lines`: the file
    line of each row index)."""
    return [
        Reject(lines[row], "", value[:500], REASON.format(first=lines[first]), "duplicate_row")
        for row, first, value in repeats
    ]


def note(n: int) -> Note:
    return Note(f"{n} repeated row(s) (same values in every column) ignored", "duplicates", n=n)


def compose_origin(cur) -> None:
    """After the orders' roll-up (whose `stg_origin.src_row` counts the rows left here, kept in `stg_kept`):
    `stg_origin.src_row` is again each row's index in the file's rows."""
    cur.execute(sql_file("ingest_repeats_origin.sql"))
    cur.execute("drop table stg_kept")
