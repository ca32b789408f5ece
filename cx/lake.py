"""DuckLake: the DuckDB extensions it needs, loaded from the installed Python packages (never downloaded at run
time), and the setting that points a workspace at a lake (docs/SCALING.md).

The extensions ship as the pinned packages `duckdb-extension-ducklake`, `duckdb-extension-sqlite-scanner` and
`duckdb-extension-postgres-scanner` (requirements.txt), one file per DuckDB version inside each package.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from .errors import WorkspaceError

#: the extensions a lake may need: DuckLake itself and the two catalog databases
EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner")
#: connection settings that keep DuckDB from fetching an extension from the network
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def extension_path(name: str) -> Path:
    """The extension file `name` inside its installed package, for the DuckDB version running."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise WorkspaceError(f"the DuckDB extension {name} is not installed",
                             fix=f"pip install -r requirements.txt (it pins duckdb-extension-{name.replace('_', '-')})")
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        found = sorted(p.name for p in (folder / "extensions").glob("v*"))
        raise WorkspaceError(f"the installed DuckDB extension {name} is built for DuckDB {', '.join(found)}, not "
                             f"{duckdb.__version__}",
                             fix="pip install -r requirements.txt (duckdb and its extension packages share one release)")
    return path


def load_extensions(con, names=EXTENSIONS) -> None:
    """Load each extension of `names` into `con` from its installed package (a no-op when already loaded)."""
    loaded = {r[0] for r in con.execute("select extension_name from duckdb_extensions() where loaded").fetchall()}
    for name in names:
        if name not in loaded:
            con.execute(f"load '{extension_path(name)}'")
