"""The Data page's "Erase one person" section (a right-to-erasure request): type an e-mail or a customer id, see
how many rows of theirs each table holds, confirm, erase (`cx.ingest.forget`); and the log of erasures, which
keeps counts and never the identifier."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ..errors import CxError, unexpected
from ..format import date, escape_markdown, number
from ..i18n import t
from ..ingest.forget import ASKED_WITH, Erasure, find_person, forget_person, list_erasures
from . import lang, show_error, tr
from .cache import uncached
from .confirm import confirmed, flash

FOUND = "forget_found"  # (how it was asked, the value typed, what was found): shown until the value changes


def rows_text(rows: dict) -> str:
    """ "Customers: 1, Orders: 2" for the tables with rows, in the page's language."""
    return ", ".join(
        tr("forget.count", table=tr(f"forget.table.{k}"), n=number(n, lang())) for k, n in rows.items() if n
    )


def found_table(look: Erasure) -> pd.DataFrame:
    """The tables where this person has rows, with how many: counts only, never a value."""
    return pd.DataFrame(
        {
            tr("forget.col.table"): [tr(f"forget.table.{k}") for k, n in look.rows.items() if n],
            tr("forget.col.rows"): [number(n, lang()) for n in look.rows.values() if n],
        }
    )


def erasure_log(history: pd.DataFrame) -> pd.DataFrame:
    """The log of `list_erasures` in words: when, searched by what kind of identifier, how many rows, per table."""
    return pd.DataFrame(
        {
            tr("forget.col.erased_at"): [date(d, lang(), time=True) for d in history["erased_at"]],
            tr("forget.col.asked_with"): [tr(f"forget.by.{a}") for a in history["asked_with"]],
            tr("forget.col.total"): [number(n, lang()) for n in history["total"]],
            tr("forget.col.by_table"): [rows_text(json.loads(r)) for r in history["rows"]],
        }
    )


def erase_one_person(ws) -> None:
    """The section: search, what was found (or a hint when nobody), confirmation, erasure, the log."""
    st.subheader(tr("forget.title"))
    st.caption(tr("forget.intro"))
    round_ = st.session_state.setdefault("forget_round", 0)  # a new round after an erasure: the field is emptied
    lg = lang()  # bound now: the widget calls its format_func outside the page's run too (AppTest)
    asked_with = st.radio(
        tr("forget.asked_with"),
        ASKED_WITH,
        format_func=lambda a: t(f"forget.by.{a}", lg),
        horizontal=True,
        key="forget_by",
    )
    value = st.text_input(tr(f"forget.value.{asked_with}"), key=f"forget_value_{round_}", help=tr("forget.value_help"))
    if st.button(tr("forget.find"), key="forget_find", icon=":material/person_search:"):
        st.session_state.pop(FOUND, None)
        try:
            st.session_state[FOUND] = (asked_with, value, uncached(find_person, value, asked_with))
        except CxError as e:
            show_error(e)
        except Exception as e:  # never a traceback on screen
            show_error(unexpected(e))
    found = st.session_state.get(FOUND)
    if found and found[:2] == (asked_with, value):
        _found(ws, *found)
    st.caption(tr("forget.texts"))
    with st.expander(tr("forget.log"), icon=":material/history:"):
        history = uncached(list_erasures)
        if history.empty:
            st.info(tr("forget.log_empty"))
        else:
            st.caption(tr("forget.log_caption"))
            st.dataframe(erasure_log(history), hide_index=True, width="stretch")


def _found(ws, asked_with: str, value: str, look: Erasure) -> None:
    for folder in look.attached:
        st.warning(tr("forget.attached", folder=escape_markdown(folder)), icon=":material/folder_off:")
    if look.name_keyed and asked_with != "name":  # rows a search by e-mail or id cannot reach: say so, offer the name
        imports = ", ".join(
            tr("forget.name_keyed_import", id=i, file=escape_markdown(f), n=number(n, lang()))
            for i, f, n in look.name_keyed
        )
        st.warning(tr("forget.name_keyed", imports=imports), icon=":material/badge:")
    if not look.found:
        st.info(tr(f"forget.nobody.{asked_with}"), icon=":material/person_off:")
        return
    st.markdown(tr("forget.found", n=number(look.total, lang()), count=look.total))
    if look.total:
        st.dataframe(found_table(look), hide_index=True)
    if look.mentions:
        st.caption(tr("forget.mentions", n=number(look.mentions, lang()), count=look.mentions))
    if not confirmed(
        "forget_erase",
        tr("forget.erase"),
        lambda: tr("forget.consequences", n=number(look.total, lang()), count=look.total),
        tr("forget.confirm"),
        subject=(asked_with, value),
        type="primary",
        icon=":material/person_remove:",
    ):
        return
    try:
        with st.spinner(tr("forget.erasing")):
            done = forget_person(ws, value, asked_with)
    except CxError as e:
        show_error(e)
        return
    except Exception as e:  # never a traceback on screen
        show_error(unexpected(e))
        return
    st.session_state.pop(FOUND, None)
    st.session_state["forget_round"] += 1  # the identifier leaves the field (and the session)
    if done.total:
        flash(tr("forget.done", n=number(done.total, lang()), count=done.total, rows=rows_text(done.rows)))
    else:
        flash(tr("forget.done_masked", n=number(done.mentions, lang()), count=done.mentions))
    st.rerun()
