"""Tables out to CSV and XLSX that spreadsheets open safely — the one export path of every download and of
the command line (`cx/ui/download.py` draws the buttons).

- CSV: UTF-8 with BOM (so Excel shows accents right), CRLF line ends, every text field quoted (so a CR, a LF,
  a `;` or a `,` inside a value never starts a new row or a new cell, whatever separator the spreadsheet
  guesses); numbers stay bare numbers.
- XLSX: text cells are written as text (never as a formula); characters a workbook cannot hold are dropped.
- In both, a text cell that would start a formula (`=`, `+`, `-`, `@`, tab, CR, LF) is prefixed with `'`,
  and so is a formula start right after a line break or a `;` / `,` / tab inside the value (a spreadsheet
  that splits such a value on import would otherwise get a live formula). Only text is touched: a genuine
  negative number (numeric dtype) stays a number.
"""

from __future__ import annotations

import io
import numbers
import re

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_INNER = re.compile(r"([\r\n;,\t])(?=[=+\-@])")  # a formula start right after a break or a delimiter
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE


def neutralise(value):
    """A text value made inert for a spreadsheet; anything else unchanged."""
    if not isinstance(value, str):
        return value
    value = _INNER.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(neutralise).astype(object)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV file (see the module docstring): text fields always quoted, numbers bare."""
    safe = neutralise_frame(frame)
    lines = [",".join(_quote(str(c)) for c in safe.columns)]
    for row in safe.itertuples(index=False, name=None):
        lines.append(",".join(_field(v) for v in row))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value) -> str:
    if value is None or (not isinstance(value, (str, list, tuple, dict, np.ndarray)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return _quote(value.isoformat(sep=" "))
    return _quote(neutralise(str(value)))


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The frame as one XLSX sheet: text cells stored as text, never as formulas."""
    safe = neutralise_frame(frame)
    for col in safe.columns:
        if _is_text(safe[col]):
            safe[col] = safe[col].map(lambda v: _XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v)
    safe.columns = [_XLSX_ILLEGAL.sub("", c) for c in safe.columns]
    for col in safe.columns:  # openpyxl cannot store time-zone-aware datetimes
        if isinstance(safe[col].dtype, pd.DatetimeTZDtype):
            safe[col] = safe[col].dt.tz_localize(None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        name = re.sub(r"[\x00-\x1f\[\]:*?/\\']", "", sheet)[:31] or "data"
        safe.to_excel(writer, index=False, sheet_name=name)
        for row in writer.sheets[name].iter_rows():
            for cell in row:
                if cell.data_type == "f":  # belt and braces: a formula never leaves as a formula
                    cell.value, cell.data_type = str(cell.value), "s"
    return buffer.getvalue()
