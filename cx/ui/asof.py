"""The caption that says which day the figures are measured from: the data's as-of date (cx.asof)."""

from __future__ import annotations

import streamlit as st

from ..asof import workspace_as_of
from . import lang, tr
from .cache import analysis


def as_of_text() -> str | None:
    """ "Données au 12/03/2018 (…)" / "Data as of 2018-03-12 (…)"; None in an empty workspace."""
    day = analysis(workspace_as_of)
    if day is None:
        return None
    return tr("asof.caption", date=day.strftime("%d/%m/%Y" if lang() == "fr" else "%Y-%m-%d"))


def as_of_caption() -> None:
    """Show the as-of caption under a page's title (nothing in an empty workspace)."""
    text = as_of_text()
    if text:
        st.caption(text, help=tr("asof.help"))
