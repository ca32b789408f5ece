"""What the loaded data can support: how many rows of a canonical table hold a value in an optional column.

A figure built on an empty column reads as a false 0 % or 100 % ("return rate 0.0 %" when the orders have no
status); pages and commands ask here first and say "not available" with the reason instead.
"""

from __future__ import annotations

from .errors import CxError
from .schema import TABLES
from .workspace import Workspace, quote_ident


def filled(ws: Workspace, table: str, column: str) -> int:
    """Rows of the canonical `table` (`cx.schema.TABLES`) with a value in `column`; 0 when the table is empty.
    Only names of the schema are put into the SQL."""
    if table not in TABLES or column not in TABLES[table].stored:
        raise CxError(f"unknown column {table}.{column}", fix="use a table and column of cx.schema")
    with ws.cursor() as cur:
        return cur.execute(f"select count({quote_ident(column)}) from {quote_ident(table)}").fetchall()[0][0]
