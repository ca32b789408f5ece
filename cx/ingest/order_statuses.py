"""What an orders import's statuses are read as: the import report names each status value the pages read as no
sale (cancelled, a payment that failed or never came, a lost deal) or as returned, with its orders, so a user sees
which of their tool's statuses were left out of the purchases before reading a figure (the reading itself:
`cx/sql/staging/order_status.sql`)."""

from __future__ import annotations

from ..models import Note
from ..workspace import run_sql

LISTED = 10  # statuses named per note, the most frequent first


def status_notes(cur, import_id: int) -> list[Note]:
    """The import report's notes on the statuses of orders import `import_id` read as no sale and as returned
    (one note each, when some are)."""
    rows = run_sql(cur, "ingest_order_statuses.sql", {"import_id": import_id}).fetchall()
    notes = []
    for reading, words in (("no_sale", "no sale (neither purchases nor revenue)"), ("returned", "returned")):
        counts = [(status, int(n)) for status, read, n in rows if read == reading]
        if not counts:
            continue
        orders = sum(n for _, n in counts)
        listed = ", ".join(f"{status} ({n})" for status, n in counts[:LISTED]) + (", …" if len(counts) > LISTED else "")
        notes.append(
            Note(
                f"{orders} order(s) read as {words} from their status: {listed} (orders per status)",
                f"statuses_{reading}",
                n=orders,
                statuses=listed,
            )
        )
    return notes
