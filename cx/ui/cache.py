"""Cached analyses: `analysis(find_kpis, filters, …)` runs `find_kpis(ws, filters, …)` once per data version
(imports added or deleted), settings version (stage rules, theme keywords, thresholds… edited), filters and
arguments, and shares the result between sessions."""
from __future__ import annotations

import importlib

import streamlit as st

from . import workspace


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(module: str, name: str, db_path: str, version: tuple, args: tuple, kwargs: tuple):
    function = getattr(importlib.import_module(module), name)
    return function(workspace(), *args, **dict(kwargs))


def analysis(function, *args, **kwargs):
    """Call a pure `cx` function `function(ws, *args, **kwargs)` through the cache: computed again when the data
    or a setting users edit (`Workspace.settings_version`) changes."""
    ws = workspace()
    return _cached_call(function.__module__, function.__name__, str(ws.path),
                        (ws.data_version(), ws.settings_version()), args, tuple(sorted(kwargs.items())))
