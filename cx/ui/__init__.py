"""The only part of cx that imports streamlit: the cached workspace, the language, error display."""

from __future__ import annotations

import altair as alt
import streamlit as st

from ..errors import UNREADABLE_ATTACHMENT, CxError, unexpected
from ..format import chart_locale, escape_markdown
from ..i18n import DEFAULT, LANGUAGES, t
from ..lake import Lake, setting as lake_setting
from ..tempfiles import sweep
from ..workspace import Workspace, default_path


@st.cache_resource(show_spinner=False)
def _workspace(path: str, lake: Lake | None = None) -> Workspace:
    sweep()  # temporary copies left by a Parcours process that was killed
    return Workspace(path, lake=lake)


def workspace() -> Workspace:
    """One workspace (one DuckDB root connection) per process and path, or per DuckLake when `$CX_LAKE` names
    one (docs/SCALING.md), shared by every session."""
    return _workspace(str(default_path()), lake_setting())


def lang() -> str:
    return st.session_state.get("lang", DEFAULT)


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


def text_columns(frame, **formats):
    """`frame` with each column of `formats` written as text by its function (value, lang) → str, e.g.
    `share=lambda v, lg: percent(v, lg, 0)`: Streamlit's number formats write English decimals ("12.5%")
    whatever the UI's language, so a table's decimals and percentages are written by cx.format."""
    return frame.assign(**{column: [show(v, lang()) for v in frame[column]] for column, show in formats.items()})


def short_column(label_key: str, full_key: str, **options):
    """A table column headed by the short label `label_key`, the full wording `full_key` in its header's tooltip: a
    header wider than its column is cut ("Délai médian depuis l’étape précéden…"), French labels first."""
    return st.column_config.Column(tr(label_key), help=tr(full_key), **options)


def date_format() -> str:
    """The `format` of a `st.column_config.DateColumn` in the UI's language: 31/12/2025 or 2025-12-31."""
    return "DD/MM/YYYY" if lang() == "fr" else "YYYY-MM-DD"


@alt.theme.register("parcours", enable=True)
def _chart_theme() -> alt.theme.ThemeConfig:
    """Every Altair chart the pages draw (`st.altair_chart` calls `to_dict` in the session's thread) writes its
    axes, legends and tooltips in the UI's language: "1 200", "44,5 %", "janv. 2026" in French."""
    return {"config": {"locale": chart_locale(lang())}}


def language_picker() -> None:
    """Sidebar language choice, kept in the URL (`?lang=en`) so a shared link opens in that language."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = (
            st.query_params.get("lang", DEFAULT) if st.query_params.get("lang") in LANGUAGES else DEFAULT
        )
    st.sidebar.selectbox("Langue / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
    st.query_params["lang"] = st.session_state["lang"]


def show_error(error: CxError) -> None:
    """The message as text: it names files, columns and values from the user's data, never markup."""
    st.error(escape_markdown(error.text(lang()) if isinstance(error, CxError) else str(error)), icon=":material/error:")


def run_page(draw) -> None:
    """`draw()` (the sidebar filters and the page); an attached events folder that cannot be read (moved away, a file of another schema) fails
    every query of the events: the page then says which folder and how to detach it, not a bare error."""
    try:
        draw()
    except Exception as e:  # DuckDB raises it from inside the query (cx/attach.py `unreadable_sql`)
        if UNREADABLE_ATTACHMENT not in str(e):
            raise
        show_error(unexpected(e, log=False))


__all__ = [
    "CxError",
    "date_format",
    "lang",
    "language_picker",
    "run_page",
    "show_error",
    "text_columns",
    "tr",
    "workspace",
]
