"""Addresses that name no page (`/home`, an old bookmark, a typo) open the default page (the Overview) quietly.

Streamlit (1.67) runs the default page for such an address but first shows its own dialog, in English whatever
the UI's language ("Page not found … Running the app's main page"), with no option to word it or turn it off. The
address a browser asks for reaches the script as the page name of its run (`PagesManager.intended_page_name`,
set before the script runs): when that name is none of the app's pages, `st.navigation` is asked for the default
page instead, so it has nothing to report. Internal to Streamlit: if a later version moves it, the address still
opens the Overview, with Streamlit's dialog again (tests/e2e/test_routing.py would say so)."""

from __future__ import annotations

from streamlit.runtime.scriptrunner import get_script_run_ctx


def open_unknown_addresses_on_default(url_paths: set[str]) -> bool:
    """Call before `st.navigation(pages)`; `url_paths`: the pages' own addresses. True when this run's address
    named no page and was turned to the default page."""
    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    try:
        name = manager.intended_page_name
        by_hash = manager.intended_page_script_hash  # a link inside the app: Streamlit falls back quietly itself
        if not name or by_hash or name in url_paths:
            return False
        manager.set_script_intent("", "")
        return True
    except AttributeError:  # not run by Streamlit (a bare script), or a Streamlit that keeps it elsewhere
        return False
