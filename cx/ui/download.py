"""Every table download in the app: a CSV button and an XLSX button, both made by `cx.export` (formulas
neutralised, CR/LF quoted). The XLSX file is built only when clicked (openpyxl is slow on big tables). A table made
on the click (a heavy query) is made on a lake like an analysis: run again when another replica's erasure deleted a
file under its reads (`results.reading`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import results
from ..export import to_csv_bytes, to_xlsx_bytes
from . import tr, workspace


def download_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    label: str,
    stem: str,
    key: str,
    *,
    disabled: bool = False,
    rows: int | None = None,
    where=st,
) -> None:
    """`label` names the CSV button; `stem` is the file name without extension. `frame` may be a function
    that makes the table, called only when a button is clicked (a heavy query nobody may ask for); `rows`
    then says whether there is anything to download."""
    if callable(frame):
        disabled = disabled or not rows
        ws = workspace()  # now: the click's callable runs outside the page's run
        make = lambda: results.reading(ws, frame)
    else:
        disabled = disabled or frame is None or frame.empty
        make = lambda: frame
    where.download_button(
        label,
        (lambda: to_csv_bytes(make())) if not disabled else b"",
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=key,
        disabled=disabled,
        icon=":material/download:",
        on_click="ignore",
    )
    where.download_button(
        tr("export.xlsx"),
        (lambda: to_xlsx_bytes(make(), stem)) if not disabled else b"",
        file_name=f"{stem}.xlsx",
        key=f"{key}_xlsx",
        disabled=disabled,
        type="secondary",  # the CSV button's kind: a tertiary one read as a link beside it
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
    )
