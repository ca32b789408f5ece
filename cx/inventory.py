"""What the workspace holds: rows and date range per table, data quality per import."""
from __future__ import annotations

import pandas as pd

from .workspace import Workspace

TIME_COLUMN = {"events": "event_time", "customers": "signup_date", "orders": "order_time",
               "tickets": "created_at", "responses": "responded_at"}


def summarise_tables(ws: Workspace) -> pd.DataFrame:
    """One row per canonical table: table, rows, first, last (its time column), imports."""
    rows = []
    with ws.cursor() as cur:
        for table, column in TIME_COLUMN.items():  # identifiers from this allow-list only
            n, first, last, imports = (cur.execute(
                f'select count(*), min("{column}")::date, max("{column}")::date, count(distinct import_id) from "{table}"'
            ).fetchall() or [None])[0]
            rows.append({"table": table, "rows": n, "first": first, "last": last, "imports": imports})
    return pd.DataFrame(rows)


def import_quality(ws: Workspace) -> pd.DataFrame:
    """Per import: import_id, file_name, kind, rows_read, rows_loaded, rows_rejected, rejected_share (0–1),
    currency (the import's single currency, None when none or several), is_demo."""
    with ws.cursor() as cur:
        return cur.execute(
            "select import_id, file_name, kind, rows_read, rows_loaded, rows_rejected, "
            "case when rows_read > 0 then rows_rejected / rows_read else 0 end as rejected_share, currency, is_demo "
            "from imports order by import_id").df()
