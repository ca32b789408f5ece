"""Rows repeated in one file with the same values in every column (a CRM export that lists a person twice, an
orders export whose lines were pasted twice): the first is loaded, the others are set aside before conversion,
listed among the rejected rows (line, "same values as line N") and said in the import report, so they are
neither counted twice nor absorbed in silence (a repeated line item would double an order's items). In a customers
file, a customer id listed again with other values is one customer: one row is kept, chosen once the rows are
converted (`choose_customers`: a row that loads, then the most complete, then the one of the latest date, then the
latest in the file), the other rows that load are set aside the same way ("same customer id, kept at line N"), and
the rows that do not load are rejected for their own faults, so a customer is never lost to a row that fails.

Only where the file names its records (a customer id, an order number, a ticket id, a response id): two identical
orders without a number can be two real ones. Web events are left alone: two identical hits can be two real ones,
and an events file is the big one.

Between files, nothing is set aside: a customer's newer row wins (`staging/latest_customers.sql`), and an answer or a
ticket an earlier import loaded too (same id and date) is read as the newest import has it
(`staging/linked_responses.sql`, `staging/linked_tickets.sql`; the report's note: `load.already_loaded`), so deleting
either import loses nothing.
"""

from __future__ import annotations

from ..models import Note, Reject
from ..workspace import sql_file
from .staging import replace_stg

# a row repeats another only when the file names its records: two identical orders without an order number (or
# answers without a response id) can be two real ones, bought or given the same day
KEYS = {"customers": "customer_id", "orders": "order_id", "tickets": "ticket_id", "responses": "response_id"}
# the customers' column whose latest date makes a row the customer's current one (a newest-first export, such as
# HubSpot's or Shopify's, lists the current row first: the file's order alone would keep the oldest)
DATED = "signup_date"
# the rows `choose_customers` converts: those of the customers listed more than once
CANDIDATES = "stg_customer_rows"
# each ends with the other line's number: the pages' label takes it as its `range` (cx.rejects.reject_reason)
REASONS = {
    "duplicate_row": "the same values in every column as an earlier line: ignored (counted once), first at line {line}",
    "duplicate_customer": "the same customer id as another line, with different values: ignored (one row per "
    "customer is kept: one that loads, the most complete, then the one of the latest signup date, then the latest "
    "in the file), kept at line {line}",
}


def set_aside(cur, key: int | None, width: int, delimiter: str) -> list[tuple[int, int, str, str]]:
    """Replace `stg` by its rows without exact repeats when there are any: a row with the same values in every
    column as an earlier one; `stg_origin.src_row` keeps each kept row's index in the file's rows.

    `key`: the index of the column mapped to the kind's record id (None: nothing names the records). Returns (row
    index, index of the row it repeats, the row's cells joined by `delimiter`, quoted where needed, code) of each
    row set aside, in file order (empty: `stg` unchanged)."""
    if key is None or width == 0:
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
        with marked as (select *, min(src_row) over (partition by {cells}) as first_row from stg_numbered)
        select src_row, first_row as other_row, 'duplicate_row' as code, {_joined(width, delimiter)} as value
        from marked where src_row <> first_row order by src_row"""
    )
    return _replace_stg(cur)


def choose_customers(
    cur, key: int, width: int, delimiter: str, lowered: bool, conv: str, dated: bool, numbered: bool
) -> list[tuple[int, int, str, str]]:
    """In a customers file, keep one row per customer id, chosen among the rows as converted: a row that loads,
    then the one with the most filled cells, then the one of the latest `signup_date` (`dated`: the column is
    mapped), then the latest in the file (an export that lists a customer again lists them as they are now), as
    the latest import wins between files (`staging/latest_customers.sql`). The other rows of the customer that
    load are set aside; those that do not load stay, to be rejected for their own faults (a customer none of whose
    rows loads is rejected row by row).

    `key`: the index of the customer id's column; `lowered`: an id holding an @ is compared lower-cased (it is
    pseudonymised so); `conv`: the load's conversion (`convert.load_sql(…, rows=CANDIDATES).conv`), run on
    the rows of the customers listed more than once only; `numbered`: exact repeats were set aside before
    (`set_aside`), so `stg_origin.src_row` is each row's index in the file. Returns the rows set aside as
    `set_aside` does, with file indexes."""
    the_id = f"nullif(trim(c{key}), '')"
    if lowered:
        the_id = f"case when contains({the_id}, '@') then lower({the_id}) else {the_id} end"
    ids, distinct_ids = cur.execute(f"select count({the_id}), count(distinct {the_id}) from stg").fetchall()[0]
    if ids == distinct_ids:
        return []
    origin = (
        "select row_number() over (order by src_row) - 1 as k, src_row from stg_origin"
        if numbered
        else "select range as k, range as src_row from range((select count(*) from stg))"
    )
    cur.execute(
        f"""create or replace temp table stg_numbered as
        select o.src_row, n.* from (select row_number() over () - 1 as k, * from stg) n join ({origin}) o using (k)"""
    )
    # the rows of the customers listed more than once, in file order: the conversion reads them in that order
    cur.execute(
        f"""create or replace temp table {CANDIDATES} as
        select * from stg_numbered
        where {the_id} in (select {the_id} from stg_numbered group by all having count(*) > 1)
        order by k"""
    )
    at = '"v_signup_date"' if dated else "null"
    filled = " + ".join(f"(nullif(trim(c{i}), '') is not null)::int" for i in range(width))
    cur.execute(
        f"""create or replace temp table stg_repeats as
        with converted as (
            select row_number() over () - 1 as n, ok as converts, {at} as dated_at from ({conv})
        ),
        ranked as (
            select *, first_value(src_row) over (
                partition by {the_id} order by converts desc, {filled} desc, dated_at desc nulls last, k desc
            ) as kept_row
            from (select row_number() over (order by k) - 1 as n, * from {CANDIDATES}) join converted using (n)
        )
        select src_row, kept_row as other_row, 'duplicate_customer' as code, {_joined(width, delimiter)} as value
        from ranked
        where converts and src_row <> kept_row
        order by src_row"""
    )
    cur.execute(f"drop table {CANDIDATES}")
    cur.execute("alter table stg_numbered drop column k")
    return _replace_stg(cur)


def _replace_stg(cur) -> list[tuple[int, int, str, str]]:
    """`stg` made of the rows of `stg_numbered` (src_row, cells) not in `stg_repeats`, `stg_origin` of them with
    their `src_row`; returns the rows of `stg_repeats` (empty: nothing changed)."""
    repeats = cur.execute("select src_row, other_row, value, code from stg_repeats order by src_row").fetchall()
    if repeats:  # else two rows of one hash, yet not the same values; or no other row of a customer loads
        cur.execute(sql_file("ingest_repeats_kept.sql"))
        replace_stg(cur, "select * exclude (src_row) from stg_origin order by src_row")
    cur.execute("drop table stg_numbered")
    cur.execute("drop table stg_repeats")
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
            "per customer (one that loads, the most complete, then the one of the latest signup date, then the latest)",
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
