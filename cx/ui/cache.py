"""Cached analyses: `analysis(find_kpis, filters, …)` runs `find_kpis(ws, filters, …)` once per data
version (imports added or deleted), filters and arguments, and shares the result between sessions."""
from __future__ import annotations

import importlib

import streamlit as st

from . import workspace


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(module: str, name: str, db_path: str, version: tuple, args: tuple, kwargs: tuple):
    function = getattr(importlib.import_module(module), name)
    return function(workspace(), *args, **dict(kwargs))


def analysis(function, *args, **kwargs):
    """Call a pure `cx` function `function(ws, *args, **kwargs)` through the cache. Use it for results
    that depend only on the loaded data and the arguments (not on notes or settings users edit)."""
    ws = workspace()
    return _cached_call(function.__module__, function.__name__, str(ws.path), ws.data_version(), args,
                        tuple(sorted(kwargs.items())))
