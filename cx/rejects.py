"""The rejected rows of imports as a person reads them, in French or English: the Data page's table (after a load
and in the import history, for any past import), its download and `python -m cx rejects` say the same words —
the reason first, where it is (line, column, value), what was kept of the line, and how to fix it.

What `rejects` keeps (cx/ingest/load.py): a line the reader could not split into cells (a CSV line broken by a
quote or a separator, a workbook row wider than its header) or a repeated row keeps the whole line as read; a row
held back by one bad value keeps only that cell, so the rest of its line is read in the file at its number."""

from __future__ import annotations

import pandas as pd

from .format import missing
from .i18n import t
from .workspace import Workspace, run_sql

#: the codes of a row kept whole (every code of the CSV reader, `csv_…`, is one too)
WHOLE_ROW_CODES = frozenset({"too_many_cells", "duplicate_row", "duplicate_customer"})


def rejected_rows(ws: Workspace, import_id: int | None = None) -> pd.DataFrame:
    """The rejected rows of import `import_id` (every import when None): import_id, file_name, line, column,
    value, code, reason (the stored English sentence), in import then file order."""
    with ws.cursor() as cur:
        return run_sql(cur, "rejects_rows.sql", {"import_id": import_id}).df()


def reject_counts(ws: Workspace) -> pd.DataFrame:
    """The imports holding rejected rows or cells: import_id, file_name, rejects (how many), newest first."""
    with ws.cursor() as cur:
        return run_sql(cur, "rejects_counts.sql", {}).df()


def keeps_whole_row(code: str) -> bool:
    """Whether a reject of `code` holds the whole line as read (else only the faulty cell)."""
    return code.startswith("csv_") or code in WHOLE_ROW_CODES


def reject_reason(code: str, reason: str, lang: str) -> str:
    """Why a row was rejected, in `lang` (`import.reject.<code>`; the range of `out_of_range` and the first line
    of `duplicate_row` are the end of the stored English sentence); the stored sentence for an unknown code."""
    key = f"import.reject.{code}"
    text = t(key, lang, range=str(reason).rsplit(" ", 1)[-1])
    return reason if text == key else text


def fix_text(code: str, lang: str) -> str:
    """What to change in the file so that the row loads, in `lang`; empty for an unknown code."""
    key = f"rejects.fix.{code}"
    text = t(key, lang)
    return "" if text == key else text


def rejects_table(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected rows (line, column, value, code, reason; with import_id and file_name when several imports are
    listed) as shown and downloaded, headers in `lang`: the import and file when given, the reason in words, line,
    column, value (an empty one blank, never "None"), what was kept of the line and the fix. The code, a name for
    programs, stays out (the JSON of the commands keeps it)."""
    out = pd.DataFrame(
        {
            **{c: rejects[c] for c in ("import_id", "file_name") if c in rejects},
            "reason": [reject_reason(c, r, lang) for c, r in zip(rejects["code"], rejects["reason"])],
            "line": rejects["line"],
            "column": rejects["column"],
            "value": ["" if missing(v) else v for v in rejects["value"]],
            "kept": [t(f"rejects.kept.{'row' if keeps_whole_row(c) else 'cell'}", lang) for c in rejects["code"]],
            "fix": [fix_text(c, lang) for c in rejects["code"]],
        }
    )
    return out.rename(columns={c: t(f"col.{'file' if c == 'file_name' else c}", lang) for c in out.columns})
