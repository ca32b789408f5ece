"""Choices for the global filters: the date span of the data and the values present in each dimension."""
from __future__ import annotations

from .personas import first_name, persona_names
from .workspace import Workspace, run_sql


def filter_options(ws: Workspace) -> dict:
    """{"first": date|None, "last": date|None, "device": [...], "channel": [...], "segment": [...],
    "persona": {id: "name (n customers)"}} — personas once the Personas page has built them."""
    with ws.cursor() as cur:
        first, last = run_sql(cur, "filters_span.sql", {}).fetchall()[0]
        out = {"first": first, "last": last, "device": [], "channel": [], "segment": []}
        for dimension, value in run_sql(cur, "filters_values.sql", {}).fetchall():
            out[dimension].append(value)
        sizes = run_sql(cur, "filters_personas.sql", {}).fetchall()
    names = persona_names(ws)
    out["persona"] = {pid: f"{names.get(pid) or first_name(pid)} ({n:,})".replace(",", "\u202f")
                      for pid, n in sizes}
    return out
