"""Page layouts beyond Streamlit's own: the Journey page's five columns, on a laptop or a projector, and its
workshop mode for a room; the Frictions page's four figures per finding."""

import streamlit as st

# Our own fixed rules, no user data. On every page: Streamlit cuts a metric's label and value with "…" when its
# column is narrow ("Réponses aux enqu…" at 1280 px with five figures side by side, "Visiteurs à l’ét…" on the
# Journey, a finding's confidence "Quasi cert…"): they wrap instead, between words only (a number's spaces are
# no-break: cx.format); and the element of the script that writes Streamlit's own words in the page's language
# (cx/ui/streamlit_words.py) takes no room.
PAGE_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: normal; word-break: normal; height: auto !important;
}
[data-testid="stElementContainer"]:has(script[data-cx-words]) { display: none; }
</style>"""

# The Journey's five stage columns are narrow (about 150 px at 1280×720 with the sidebar): Streamlit cuts a
# metric's value with "…" ("185,9…"). Here values shrink with the window and are never cut, and a stage name is
# kept whole (smaller, never "RECOMMANDATI / ON").
JOURNEY_CSS = """<style>
[data-testid="stColumn"] [data-testid="stMetricValue"],
[data-testid="stColumn"] [data-testid="stMetricValue"] * {
  white-space: nowrap !important; overflow: visible !important; text-overflow: clip !important;
  font-size: clamp(1.05rem, 1.65vw, 2.25rem);
}
[data-testid="stColumn"] [data-testid="stMarkdownContainer"] strong {
  overflow-wrap: normal; word-break: keep-all; hyphens: none;
}
[data-testid="stColumn"] [data-testid="stMarkdownContainer"] p:has(> strong:only-child) {
  font-size: clamp(0.72rem, 0.98vw, 1rem); letter-spacing: 0.01em;
}
[data-testid="stColumn"] { padding-left: 0.6rem !important; padding-right: 0.6rem !important; }
</style>"""

# The workshop mode, read from the back of a room: the sidebar and the toolbar hidden, the margins narrowed, the
# type sized on the screen's width (about 24 px of text on 1920 px, never below the page's), the stage columns as
# tall as the screen, words kept whole. A stage's one KPI line ("**273,75 €** panier moyen": a paragraph whose only
# element is its bold value) keeps that size, not the small type JOURNEY_CSS gives a bold-only title line.
PROJECTOR_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
  display: none;
}
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 0.8rem 1rem 0.5rem 1rem; max-width: 100%;
}
[data-testid="stMainBlockContainer"] h3 { font-size: clamp(1.4rem, 2vw, 3rem); }
[data-testid="stColumn"] h4 {
  font-size: clamp(1.1rem, 1.75vw, 2.6rem); overflow-wrap: normal; word-break: keep-all; hyphens: none;
}
[data-testid="stColumn"] [data-testid="stMarkdownContainer"] p,
[data-testid="stColumn"] [data-testid="stMarkdownContainer"] p:has(> strong:only-child) {
  font-size: clamp(0.95rem, 1.3vw, 2rem); line-height: 1.35;
}
[data-testid="stColumn"] textarea { font-size: clamp(0.95rem, 1.15vw, 1.8rem); min-height: 28vh; }
[data-testid="stColumn"] label p { font-size: clamp(0.9rem, 1.05vw, 1.6rem) !important; }
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] h4) { min-height: calc(100vh - 6rem); }
</style>"""


def page_layout() -> None:
    """What every page needs beyond Streamlit's own layout: nothing cut (metric labels and values wrap)."""
    st.html(PAGE_CSS)


def journey_layout() -> None:
    """The Journey page's five columns readable at any width: nothing cut (values shrink; labels wrap on every
    page: `page_layout`)."""
    st.html(JOURNEY_CSS)


def projector_layout() -> None:
    """The whole screen for the page, for a room reading it on a projector (1024×768 to 1920×1080)."""
    st.html(PROJECTOR_CSS)


# A finding's four figures side by side are about 175 px wide each at 1280×720 with the sidebar: their values shrink
# with the window ("Quasi certain" was cut to "Quasi cert…", tester 7; PAGE_CSS lets a value wrap rather than be cut).
FINDINGS_CSS = """<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: clamp(1.35rem, 2.3vw, 2.25rem); line-height: 1.15;
}
</style>"""


def findings_layout() -> None:
    """The Frictions page's figures readable at any width: a value is never cut."""
    st.html(FINDINGS_CSS)
