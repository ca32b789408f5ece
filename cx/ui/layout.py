"""Page layouts beyond Streamlit's own: the projector (workshop) layout of the Journey page."""

import streamlit as st

# Our own fixed rules, no user data: the sidebar and the toolbar hidden, the margins narrowed, and words kept
# whole (a stage name wraps between words or not at all, never "SENSIBILI-SATION").
PROJECTOR_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
  display: none;
}
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 0.8rem 1rem 0.5rem 1rem; max-width: 100%;
}
[data-testid="stColumn"] h4 { font-size: 1.05rem; overflow-wrap: normal; word-break: keep-all; hyphens: none; }
[data-testid="stColumn"] [data-testid="stMarkdownContainer"] p { font-size: 0.92rem; line-height: 1.35; }
</style>"""


def projector_layout() -> None:
    """The whole width for the page, for a room reading it on a 1024×768 projector."""
    st.html(PROJECTOR_CSS)
