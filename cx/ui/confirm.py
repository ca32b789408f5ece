"""Irreversible actions asked twice, and their outcome said after the rerun that follows them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from . import tr

FLASH = "flash_message"


def confirmed(
    key: str, label: str, consequences: Callable[[], str], confirm: str, subject: object = None, **button
) -> bool:
    """A button for an action that cannot be undone, in two steps: the first click shows what will be removed
    (`consequences()`, called only then) with a button to confirm and one to cancel; True once confirmed.
    `subject`: what the action is about (e.g. the import picked): when it is no longer what the first click was
    about (another pick, or the import gone and the picker moved), the question is dropped, never confirmed.
    `button`: further arguments of the first button (type, help, icon)."""
    asking = f"confirming_{key}"
    if st.button(label, key=key, **button):
        st.session_state[asking] = (subject,)
    held = st.session_state.get(asking)
    if not held:
        return False
    if held != (subject,):
        del st.session_state[asking]
        return False
    with st.container(border=True):
        st.warning(consequences(), icon=":material/warning:")
        yes, no = st.columns(2)
        if yes.button(confirm, key=f"{key}_confirm", type="primary", icon=":material/delete_forever:"):
            del st.session_state[asking]
            return True
        if no.button(tr("confirm.cancel"), key=f"{key}_cancel"):
            del st.session_state[asking]
            st.rerun()
    return False


def flash(message: str) -> None:
    """A success message for the next run of the page (an action ends with `st.rerun` or `st.switch_page`, which
    would drop a message written now)."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """The success message left by `flash`, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")
