"""What the workspace holds: rows and date range per table, data quality per import."""

from __future__ import annotations

import pandas as pd

from .workspace import Workspace, run_sql

#: the time column of each data table (its first and last day: cx/sql/inventory_tables.sql)
TIME_COLUMN = {
    "events": "event_time",
    "customers": "signup_date",
    "orders": "order_time",
    "tickets": "created_at",
    "responses": "responded_at",
}


def summarise_tables(ws: Workspace) -> pd.DataFrame:
    """One row per canonical table: table, rows, first, last (its time column), imports, customers (the
    customers table's distinct customer ids, null for the other tables) and shared_emails (of the customers table:
    the e-mails several customers hold, which the identity link gives to none of them; null for the others)."""
    with ws.cursor() as cur:
        spans = {r[0]: r for r in run_sql(cur, "inventory_tables.sql", {}).fetchall()}
    return pd.DataFrame(
        [
            dict(zip(("table", "rows", "first", "last", "imports", "customers", "shared_emails"), spans[table]))
            for table in TIME_COLUMN
        ]
    )


def import_quality(ws: Workspace) -> pd.DataFrame:
    """Per import: import_id, file_name, kind, rows_read, rows_loaded, rows_rejected, rejected_share (0–1),
    currency (the import's single currency, None when none or several), is_demo."""
    with ws.cursor() as cur:
        return run_sql(cur, "inventory_imports.sql", {}).df()
