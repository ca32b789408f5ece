"""The report "from any page": a small sidebar entry the app calls once per run (`report_sidebar_entry()`).
It links to the Rapport / Report page and, once a report was built there for the filters in force, offers it
for download straight from the sidebar."""

from __future__ import annotations

import streamlit as st

from . import lang, tr

STATE = "report_files"  # {"key": (filters, lang, data version), "html": str, "pdf": bytes, "summary": str}


def built_for(key) -> dict | None:
    """The report built in this session for `key`, or None."""
    files = st.session_state.get(STATE)
    return files if files and files.get("key") == key else None


def report_sidebar_entry(page: str = "views/report.py") -> None:
    """Sidebar: a link to the report page, or the HTML download when it is already built for these filters.
    Call it in app.py after `st.navigation(...)` and `sidebar_filters()` (the link needs the pages registered)."""
    from . import workspace
    from .filters import current_filters

    key = (current_filters(), lang(), workspace().data_version())
    with st.sidebar:
        files = built_for(key)
        if files:
            st.download_button(
                tr("report.sidebar"),
                files["html"].encode("utf-8"),
                file_name=files["html_name"],
                mime="text/html",
                icon=":material/download:",
                key="sidebar_report_html",
                on_click="ignore",
            )
        else:
            tour_link(page, tr("report.sidebar"), ":material/summarize:")


def tour_link(page: str, label: str, icon: str) -> None:
    """A link to another page of the demo tour; a plain caption when this page runs outside app.py's navigation
    (a test running the file alone), where Streamlit knows no other page."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(page, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.caption(label)


def findings_summary(shown: int, total: int) -> str:
    """How many findings the report holds: "5 findings", or "the 5 top findings (of 9)" when it holds the top
    ones only (the Frictions page lists all of them)."""
    return tr("report.summary_top", n=shown, total=total) if total > shown else tr("report.summary_all", n=shown)
