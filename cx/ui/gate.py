"""The optional password of a shared deployment: when `CX_PASSWORD` (environment) or `password` in
`.streamlit/secrets.toml` is set, every session must give it before any page runs (app.py calls `gate()`
first). Without either, the app is open — it listens on localhost only by default (.streamlit/config.toml)."""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from . import tr

STATE = "cx_authenticated"


def expected_password() -> str | None:
    if os.environ.get("CX_PASSWORD"):
        return os.environ["CX_PASSWORD"]
    try:
        value = st.secrets.get("password")
    except Exception:  # no secrets file: no password
        return None
    return str(value) if value else None


def gate() -> None:
    """Return when this session may see the app; otherwise draw the password form and stop the script."""
    expected = expected_password()
    if expected is None or st.session_state.get(STATE):
        return
    st.title("Parcours")
    with st.form("cx_login"):
        given = st.text_input(tr("gate.password"), type="password", key="cx_password")
        submitted = st.form_submit_button(tr("gate.enter"), type="primary")
    if submitted:
        if hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            st.session_state[STATE] = True
            st.session_state.pop("cx_password", None)
            st.rerun()
        time.sleep(1)  # slows down guessing
        st.error(tr("gate.wrong"), icon=":material/lock:")
    st.caption(tr("gate.help"))
    st.stop()
