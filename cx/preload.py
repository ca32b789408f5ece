"""Import a slow library in a thread while the caller's query runs.

DuckDB lets go of Python's lock while a statement runs, so an import started just before a long query goes on
beside it: on two cores the import costs no wall time (scikit-learn ~0.9 s before the personas' k-means, SciPy's
special functions ~0.2 s before the friction statistics). The code that needs the module imports it as usual
when it gets there; Python's import lock makes it wait for the thread if the import is not finished.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

log = logging.getLogger(__name__)


def preload(name: str) -> None:
    """Start importing module `name` in a daemon thread and return at once (nothing when it is imported already).
    A failure is only logged: the code that needs the module imports it again and meets the error there."""
    if name in sys.modules:
        return
    threading.Thread(target=_import, args=(name,), name=f"preload {name}", daemon=True).start()


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception:
        log.warning("preloading %s failed", name, exc_info=True)
