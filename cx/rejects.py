"""The rejected rows of an import as a person reads them, in French or English: the page's table, its download
and the command line's report say the same words."""

from __future__ import annotations

import pandas as pd

from .format import missing
from .i18n import t


def reject_reason(code: str, reason: str, lang: str) -> str:
    """Why a row was rejected, in `lang` (`import.reject.<code>`; the range of `out_of_range` is the end of the
    stored English sentence, '0–10'); the stored sentence when the code has no label."""
    key = f"import.reject.{code}"
    text = t(key, lang, range=str(reason).rsplit(" ", 1)[-1])
    return reason if text == key else text


def rejects_table(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected rows (line, column, value, code, reason) as shown and downloaded: the reason in words first,
    then where it is; an empty value blank (never "None"); headers in `lang`. The code, a name for programs,
    stays out (the JSON of `python -m cx import` keeps it)."""
    out = pd.DataFrame(
        {
            "reason": [reject_reason(c, r, lang) for c, r in zip(rejects["code"], rejects["reason"])],
            "line": rejects["line"],
            "column": rejects["column"],
            "value": ["" if missing(v) else v for v in rejects["value"]],
        }
    )
    return out.rename(columns={c: t(f"col.{c}", lang) for c in out.columns})
