"""Orders, tickets or answers that match no CRM customer, said at import (tester 7: a PrestaShop orders export keyed
by names beside a customers file keyed by ids made 700 "known customers" and every CRM customer a 0 € prospect). When
an import's customer keys match none, or under `FEW` of them, of the CRM customers loaded — or, a CRM loaded second,
when the orders, tickets or answers already loaded match none of it — the report says so and asks whether the export
holds the e-mail or the customer id. One query over the import's rows (`ingest_crm_match.sql`)."""

from __future__ import annotations

from ..models import Note
from ..workspace import run_sql

FEW = 0.05  # under this share of an import's customers found in the CRM, the link is as good as none
MIN_KEYS = 10  # fewer customers than this prove nothing (a handful of new customers)
SAID = {"orders": "orders", "tickets": "tickets", "responses": "survey answers"}


def crm_match_notes(cur, import_id: int, kind: str) -> list[Note]:
    """The notes on import `import_id` of `kind`: one per table whose customers match (almost) no CRM customer."""
    if kind not in ("customers", *SAID):
        return []
    found = run_sql(cur, "ingest_crm_match.sql", {"import_id": import_id, "crm": kind == "customers"}).fetchall()
    notes = []
    for table, keys, matched, crm in found:
        if not crm or keys < MIN_KEYS or matched >= FEW * keys:
            continue
        what = SAID[table]
        notes.append(
            Note(
                f"{matched} of the {keys} customers of these {what} match a customer of the CRM ({crm} loaded): does the "
                "export hold the e-mail or the customer id?",
                f"{'no' if matched == 0 else 'few'}_crm_match_{table}",
                matched=matched,
                keys=keys,
                crm=crm,
            )
        )
    return notes
