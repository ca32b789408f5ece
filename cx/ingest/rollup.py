"""Orders exported one row per line item (Shopify, WooCommerce, most shop back-offices): the rows of one
order share its number, the first carries the order's totals and the others only their product. Rolled up
here into one staged row per order, before conversion: each column keeps its first filled value, and the
mapped `items` column becomes the sum of the line quantities (or the number of lines when there is none).
"""

from __future__ import annotations

from ..models import Note
from .staging import replace_stg


def _filled(i: int) -> str:
    return f"nullif(trim(c{i}), '')"


def roll_up_line_items(cur, headers: list[str], mapping: dict[str, str]) -> str | None:
    """Replace `stg` by one row per order when an order number repeats; `stg_origin.src_row` keeps the
    staged row index of each order's first line. Returns a note for the import report, or None."""
    inverse = {t: s for s, t in mapping.items()}
    if "order_id" not in inverse:
        return None
    key = headers.index(inverse["order_id"])
    rows, orders = cur.execute(
        f"select count(*), count(distinct {_filled(key)}) + count(*) - count({_filled(key)}) from stg"
    ).fetchall()[0]
    if orders == rows:
        return None
    items = headers.index(inverse["items"]) if "items" in inverse else None
    columns = []
    for i in range(len(headers)):
        if i == items:
            total = f"sum(try_cast(replace({_filled(i)}, ',', '.') as double))"
            columns.append(
                f"case when count({_filled(i)}) = count(*) then cast({total} as varchar) "
                f"else cast(count(*) as varchar) end as c{i}"
            )
        else:
            columns.append(f"arg_min(c{i}, rn) filter (where {_filled(i)} is not null) as c{i}")
    cur.execute(f"""create or replace temp table stg_origin as
        select min(rn) as src_row, {", ".join(columns)}
        from (select row_number() over () - 1 as rn, * from stg)
        group by coalesce({_filled(key)}, '~row ' || rn)
        order by src_row""")
    replace_stg(cur, "select * exclude (src_row) from stg_origin order by src_row")
    return Note(f"{rows} line-item rows rolled up into {orders} orders", "rolled_up", rows=rows, orders=orders)
