"""The staging table `stg` that every reader fills (text columns c0…cN) and reshapes replace."""

from __future__ import annotations


def replace_stg(cur, select: str) -> None:
    """Make `stg` (a view over a CSV, or a table) the result of `select`, which must not read `stg`."""
    is_view = cur.execute("select count(*) from duckdb_views() where view_name = 'stg' and temporary").fetchall()[0][0]
    cur.execute(f"drop {'view' if is_view else 'table'} if exists stg")
    cur.execute(f"create temp table stg as {select}")
