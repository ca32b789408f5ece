"""Rows repeated in one file with the same values in every column (a CRM export that lists a person twice, an
orders export whose lines were pasted twice): the first is loaded, the others are set aside before conversion,
listed among the rejected rows (line, "same values as line N") and said in the import report, so they are
neither counted twice nor absorbed in silence (a repeated line item would double an order's items). In a customers
file, a customer id listed again with other values is one customer: one row is kept (the most complete, else the
latest), the others set aside the same way ("same customer id, kept at line N").

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
# each ends with the other line's number: the pages' label takes it as its `range` (cx.rejects.reject_reason)
REASONS = {
    "duplicate_row": "the same values in every column as an earlier line: ignored (counted once), first at line {line}",
    "duplicate_customer": "the same customer id as another line, with different values: ignored (one row per "
    "customer: the most complete, else the latest, is kept), kept at line {line}",
}


def set_aside(
    cur, kind: str, key: int | None, width: int, delimiter: str, lowered: bool
) -> list[tuple[int, int, str, str]]:
    """Replace `stg` by its rows without repeats when there are any; `stg_origin.src_row` keeps each kept row's
    index in the file's rows. A repeat is a row with the same values in every column as an earlier one, or, in a
    customers file, a row naming the same customer id as another with different values: one row per customer is
    kept, the one with the most filled cells, else the latest in the file (an export that lists a customer again
    lists them as they are now), as the latest import wins between files (`staging/latest_customers.sql`).

    `key`: the index of the column mapped to the kind's record id (None: nothing names the records); `lowered`:
    an id holding an @ is compared lower-cased (it is pseudonymised so). Returns (row index, index of the row it
    repeats or that is kept instead, the row's cells joined by `delimiter`, quoted where needed, code) of each
    row set aside, in file order (empty: `stg` unchanged)."""
    if key is None or width == 0:
        return []
    cells = ", ".join(f"c{i}" for i in range(width))
    customers = kind == "customers"
    the_id = f"nullif(trim(c{key}), '')"
    if lowered:
        the_id = f"case when contains({the_id}, '@') then lower({the_id}) else {the_id} end"
    # distinct hashes are distinct rows: the common case (no repeat) is proven by one cheap pass; equal hashes
    # (a repeat, or rarely a collision) are then compared value by value below
    rows, distinct, ids, distinct_ids = cur.execute(
        f"select count(*), count(distinct hash({cells})), count({the_id}), count(distinct {the_id}) from stg"
    ).fetchall()[0]
    if rows == distinct and (not customers or ids == distinct_ids):
        return []
    cur.execute(
        """create or replace temp table stg_numbered as
        select row_number() over () - 1 as src_row, * from stg"""
    )
    filled = " + ".join(f"(nullif(trim(c{i}), '') is not null)::int" for i in range(width))
    # a null and a null are the same value here: `is not distinct from`, through `partition by`
    same_customer = (
        f"""union all
        select src_row, kept_row, 'duplicate_customer' from (
            select src_row, first_value(src_row) over (
                partition by {the_id} order by {filled} desc, src_row desc
            ) as kept_row
            from first_rows where {the_id} is not null
        ) where src_row <> kept_row"""
        if customers
        else ""
    )
    cur.execute(
        f"""create or replace temp table stg_repeats as
        with marked as (select *, min(src_row) over (partition by {cells}) as first_row from stg_numbered),
        first_rows as (select * from marked where src_row = first_row),
        repeats as (
            select src_row, first_row as other_row, 'duplicate_row' as code from marked where src_row <> first_row
            {same_customer}
        )
        select src_row, other_row, code, {_joined(width, delimiter)} as value
        from repeats join stg_numbered using (src_row) order by src_row"""
    )
    repeats = cur.execute("select src_row, other_row, value, code from stg_repeats order by src_row").fetchall()
    if not repeats:  # two rows of one hash, yet not the same values
        cur.execute("drop table stg_numbered")
        return []
    cur.execute(sql_file("ingest_repeats_kept.sql"))
    replace_stg(cur, "select * exclude (src_row) from stg_origin order by src_row")
    cur.execute("drop table stg_numbered")
    return [(int(a), int(b), v, code) for a, b, v, code in repeats]


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
        Reject(lines[row], "", value[:500], REASONS[code].format(line=lines[other]), code)
        for row, other, value, code in repeats
    ]


def notes(repeats: list[tuple[int, int, str, str]]) -> list[Note]:
    """The import report's lines: how many exact repeats, how many other rows of a customer already listed."""
    exact = sum(code == "duplicate_row" for *_, code in repeats)
    customers = len(repeats) - exact
    said = [Note(f"{exact} repeated row(s) (same values in every column) ignored", "duplicates", n=exact)]
    said += [
        Note(
            f"{customers} row(s) naming a customer id already listed, with other values: ignored, one row kept "
            "per customer (the most complete, else the latest)",
            "duplicate_customers",
            n=customers,
        )
    ]
    return [n for n in said if n.values["n"]]


def compose_origin(cur) -> None:
    """After the orders' roll-up (whose `stg_origin.src_row` counts the rows left here, kept in `stg_kept`):
    `stg_origin.src_row` is again each row's index in the file's rows."""
    cur.execute(sql_file("ingest_repeats_origin.sql"))
    cur.execute("drop table stg_kept")
