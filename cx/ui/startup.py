"""The server's start, before any visitor. `streamlit run app.py` finds app.py's `st.App` and starts it; its lifespan
(`warm_up`) imports, in a thread, what app.py and every page in `views/` import at their top — pandas, Altair,
PyArrow, the cx modules: ~1 CPU-s that the first visitor's script run paid (docs/BENCHMARKS.md) — while the server
already serves. The modules are read from the scripts' own import statements, so a page's new import is warmed too.
Then the objects made so far (the modules' code, classes, tables) are moved out of the garbage collector's sight
(`gc.freeze`): Streamlit runs a full collection after every script run, which went through all of them each time
(~0.07 CPU-s a run, holding the lock the server needs to answer the browser); they live as long as the process."""

from __future__ import annotations

import ast
import gc
import importlib
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def page_imports(root: Path) -> list[tuple[Path, ast.stmt]]:
    """The import statements at the top level of `root`'s app.py and of every page in its views/ folder (parsed, not
    run), each with its file."""
    scripts = [root / "app.py", *sorted((root / "views").glob("*.py"))]
    return [
        (script, node)
        for script in scripts
        for node in ast.parse(script.read_text(encoding="utf-8")).body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def import_pages(root: Path) -> None:
    """Import what the pages' top-level import statements import (`from cx import charts_funnel`: the submodule too).
    A failure is only logged: the page meets it again when it runs."""
    for script, node in page_imports(root):
        try:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    importlib.import_module(alias.name)
            elif node.level == 0:  # app.py and the pages import no relative module
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        importlib.import_module(f"{node.module}.{alias.name}")
        except Exception:
            log.warning("%s: importing %s failed", script.name, ast.unparse(node), exc_info=True)


def warm(root: Path) -> None:
    """Import what the pages import, then freeze what exists so far out of the garbage collector's passes."""
    import_pages(root)
    gc.freeze()


@asynccontextmanager
async def warm_up(app):
    """The lifespan of app.py's `st.App`: start warming the server (`warm`) and let it serve at once."""
    root = Path(app.script_path).parent
    threading.Thread(target=warm, args=(root,), name="warm up the pages' imports", daemon=True).start()
    yield
