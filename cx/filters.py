"""Choices for the global filters: the date span of the data and the values present in each dimension."""
from __future__ import annotations

from .personas import first_name, persona_names
from .workspace import Workspace


def filter_options(ws: Workspace) -> dict:
    """{"first": date|None, "last": date|None, "device": [...], "channel": [...], "segment": [...],
    "persona": {id: "name (n customers)"}} — personas once the Personas page has built them."""
    with ws.cursor() as cur:
        first, last = cur.execute(
            "select min(d)::date, max(d)::date from ("
            "select event_time as d from events union all select order_time from orders "
            "union all select created_at from tickets union all select responded_at from responses)"
        ).fetchall()[0]
        out = {"first": first, "last": last}
        for key, table in (("device", "events"), ("channel", "events"), ("segment", "customers")):
            out[key] = [r[0] for r in cur.execute(
                f'select distinct "{key}" from "{table}" where "{key}" is not null order by 1').fetchall()]
        sizes = cur.execute("select persona_id, count(*) from persona_members group by 1 order by 1").fetchall()
    names = persona_names(ws)
    out["persona"] = {pid: f"{names.get(pid) or first_name(pid)} ({n:,})".replace(",", "\u202f")
                      for pid, n in sizes}
    return out
