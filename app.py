"""Parcours — the Streamlit entrypoint, in two roles. `streamlit run app.py` finds `app` in this file (an `st.App`,
at the bottom) and imports the file to start it: when the server starts, before any visitor, it imports what the
pages import (cx/ui/startup.py), so the first visitor's run does not pay for it. Then each run of a visitor's session
runs this file as its script (`__main__`): page config, language, workspace (with the sample data on a first start),
then the navigation (`main`).

The screens live in `views/`, not `pages/`: Streamlit runs an app with a `pages/` folder in its legacy
multipage mode until `st.navigation` has run once in the process, so a first visit straight to /data would
skip this file (no language, no workspace set-up)."""

import streamlit as st

from cx.demo import load_demo, should_load_demo
from cx.timing import run_timer
from cx.ui import CxError, lang, language_picker, run_page, show_error, tr, workspace
from cx.ui.cache import background_progress, start_background
from cx.ui.filters import sidebar_filters
from cx.ui.gate import gate
from cx.ui.layout import page_layout
from cx.ui.report_button import report_sidebar_entry
from cx.ui.routing import open_unknown_addresses_on_default
from cx.ui.startup import warm_up
from cx.ui.streamlit_words import streamlit_words

UNFILTERED = {"", "overview", "data"}  # pages that show the workspace as it is ("" = the default page)


def main() -> None:
    """One script run: the page config, the language, the password, the workspace, the navigation, the page."""
    # with CX_TIMING_LOG set (bench/pages.py), this run's seconds are logged; off by default
    timer = run_timer()
    st.set_page_config(page_title="Parcours", page_icon=":material/explore:", layout="wide")
    language_picker()
    page_layout()  # nothing cut at 1280 px
    streamlit_words(lang())  # Streamlit's own words (its drop zone, its buttons' names) in the page's language
    gate()  # a shared deployment asks for its password before anything else

    try:
        ws = workspace()
    except CxError as e:  # disk full, locked, damaged, read-only, missing key: a sentence in the UI's language
        show_error(e)
        st.stop()
    # the navigation first: the sidebar lists every page at once, even while the sample data loads below
    pages = {
        "": [
            st.Page(
                "views/overview.py", title=tr("nav.overview"), icon=":material/home:", default=True, url_path="home"
            ),
            # the overview's former address (/overview); any other address that names no page opens it too (below)
            st.Page("views/overview.py", title=tr("nav.overview"), url_path="overview", visibility="hidden"),
        ],
        tr("nav.analyse"): [
            # analysis pages (they read the global filters) go here
            st.Page("views/journey.py", title=tr("nav.journey"), icon=":material/route:", url_path="journey"),
            st.Page("views/funnel.py", title=tr("nav.funnel"), icon=":material/filter_alt:", url_path="funnel"),
            st.Page("views/retention.py", title=tr("nav.retention"), icon=":material/autorenew:", url_path="retention"),
            st.Page("views/voice.py", title=tr("nav.voice"), icon=":material/record_voice_over:", url_path="voice"),
            st.Page("views/support.py", title=tr("nav.support"), icon=":material/support_agent:", url_path="support"),
            st.Page("views/friction.py", title=tr("nav.friction"), icon=":material/report:", url_path="friction"),
            st.Page("views/personas.py", title=tr("nav.personas"), icon=":material/groups:", url_path="personas"),
            st.Page(
                "views/maturity.py",
                title=tr("nav.maturity"),
                icon=":material/signal_cellular_alt:",
                url_path="maturity",
            ),
            st.Page("views/report.py", title=tr("nav.report"), icon=":material/summarize:", url_path="report"),
        ],
        tr("nav.manage"): [
            st.Page("views/data.py", title=tr("nav.data"), icon=":material/upload_file:", url_path="data")
        ],
    }
    pages = {section: entries for section, entries in pages.items() if entries}
    # an address that names no page (/home, a typo) opens the Overview without Streamlit's English "Page not found"
    open_unknown_addresses_on_default({p.url_path for entries in pages.values() for p in entries})
    current = st.navigation(pages)
    if not st.session_state.get("demo_checked"):
        # a brand-new workspace opens on the sample data, clearly labelled as demo data; never one that has had
        # imports, nor one whose user chose their own data ("use my own data" is remembered in the workspace);
        # a demo load cut short (the page left mid-way) is finished on the next visit
        if should_load_demo(ws):
            bar = st.progress(0.0, text=tr("demo.loading"))
            try:
                load_demo(  # its tickets and comments written in the language the app opened in
                    ws,
                    progress=lambda i, n, name: bar.progress(i / n, text=tr("demo.loading_file", file=name)),
                    lang=lang(),
                )
            except CxError as e:
                show_error(e)
            bar.empty()
        st.session_state["demo_checked"] = True
    # the heavy analyses of the first views (findings, personas, maturity, default funnel) are computed in the
    # background when the data or the settings changed, and stored in the workspace: the Overview opens at once
    start_background()
    with st.sidebar:
        background_progress()

    def draw_page() -> None:
        if current.url_path not in UNFILTERED:
            st.session_state["filters"] = sidebar_filters()
        report_sidebar_entry()
        timer.mark("page_began")
        current.run()

    try:
        run_page(draw_page)
    finally:  # st.stop(), st.rerun() and st.switch_page() end a run by raising
        timer.end(current.url_path or "home")


if __name__ == "__main__":  # a visitor's script run
    main()
else:  # imported by `streamlit run app.py` when the server starts
    app = st.App(__file__, lifespan=warm_up)
