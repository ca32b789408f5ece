"""Choices for the global filters: the date span of the data and the values present in each dimension."""

from __future__ import annotations

from dataclasses import replace

from .models import Filters
from .personas import first_name, persona_names
from .workspace import Workspace, run_sql


def filter_options(ws: Workspace) -> dict:
    """{"first": date|None, "last": date|None, "device": [...], "channel": [...], "segment": [...],
    "persona": {id: "name (n customers)"}} — personas once the Personas page has built them."""
    with ws.cursor() as cur:
        first, last = data_span(cur)
        out = {"first": first, "last": last, "device": [], "channel": [], "segment": []}
        for dimension, value in run_sql(cur, "filters_values.sql", {}).fetchall():
            out[dimension].append(value)
        sizes = run_sql(cur, "filters_personas.sql", {}).fetchall()
    names = persona_names(ws)
    out["persona"] = {pid: f"{names.get(pid) or first_name(pid)} ({n:,})".replace(",", "\u202f") for pid, n in sizes}
    return out


def full_period(ws: Workspace) -> Filters:
    """The filters of a view nobody has narrowed: every day the data cover (`filter_options`' first and last day),
    no segment. The Overview, the background computation (cx/ui/background.py) and the command line use it, so
    they share the stored results (cx/results.py) of the pages' first views."""
    with ws.cursor() as cur:
        first, last = data_span(cur)
    return Filters(start=first, end=last)


def data_span(cur) -> tuple:
    """(first day, last day) of the data, every table's time column: (None, None) when empty."""
    return tuple(run_sql(cur, "filters_span.sql", {}).fetchall()[0])


def within_data(ws: Workspace, filters: Filters | None) -> Filters:
    """`filters` with a missing first or last day set to the data's (the same rows: the data hold none outside),
    so that `--from`-less command lines share the stored results of the pages."""
    filters = filters or Filters()
    if filters.start is not None and filters.end is not None:
        return filters
    whole = full_period(ws)
    return replace(filters, start=filters.start or whole.start, end=filters.end or whole.end)
