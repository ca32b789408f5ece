"""Which stage each record is in under the rules: the stage of each (event name, page), and the touchpoints
each stage is made of."""

from __future__ import annotations

import pandas as pd

from ..channels import PATTERNS, channel_code
from ..models import Filters
from ..workspace import Workspace, sql_file
from .query import run_query
from .roles import EVENT_ROLES
from .rules import STAGES, stage_rules_param


def assign_stages(ws: Workspace, filters: Filters | None = None, rules: tuple | None = None) -> pd.DataFrame:
    """The stage of each distinct (event name, page) of the filtered web events under the rules (the stored
    ones when `rules` is None).

    Returns
    -------
    DataFrame: event_name, page (None when the event has none), path (page without scheme, host, query or
    trailing slash, lower-case), stage (None: no rule matches), rule_order (of the matching rule), events
    (count); most frequent first. Join it to `events` on event_name and coalesce(page, '').
    """
    params = {**(filters or Filters()).params(), "rules": stage_rules_param(ws, rules)}
    df = run_query(ws, "journey_event_keys.sql", params)
    df = df.rename(columns={"page_key": "page"})
    df["page"] = df["page"].replace("", None)
    return df.sort_values(["events", "event_name"], ascending=[False, True], ignore_index=True)


def event_stages_sql() -> str:
    """SQL of `assign_stages` (with `page_key` = coalesce(page, '')), to join inside another query; bind
    `$rules` (`stage_rules_param(ws)`) and the filters' values."""
    return sql_file("journey_event_keys.sql")


def find_touchpoints(
    ws: Workspace, filters: Filters | None = None, rules: tuple | None = None, top: int = 3
) -> pd.DataFrame:
    """What each stage is made of: the most frequent touchpoints of each kind the rules assign to it.

    Returns
    -------
    DataFrame: stage (None: records no rule assigns), kind ('event' name, 'page' section such as
    '/produit/…', 'order' channel, 'ticket' channel, 'survey' touchpoint), touchpoint, n (records); at most
    `top` per (stage, kind), by stage order, kind, then n descending. Page-view events are left out of
    'event' (their pages say more). Order and ticket channels are their codes (`cx.channels.channel_code`: 'Site
    web' and 'web' are one `web`), counted together.
    """
    params = {**(filters or Filters()).params(), "rules": stage_rules_param(ws, rules)}
    df = run_query(ws, "journey_touchpoints.sql", params)
    df = df[
        df["touchpoint"].notna()
        & ~((df["kind"] == "event") & df["touchpoint"].str.lower().isin(EVENT_ROLES["page_view"]))
    ]
    channels = df["kind"].isin(list(PATTERNS))
    df = df.assign(
        touchpoint=[channel_code(tp, k) if c else tp for tp, k, c in zip(df["touchpoint"], df["kind"], channels)]
    )
    df = df.groupby(["stage", "kind", "touchpoint"], dropna=False, as_index=False)["n"].sum()
    df = df.assign(
        order=df["stage"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES)),
        kind_order=df["kind"].map({k: i for i, k in enumerate(("event", "page", "order", "ticket", "survey"))}),
    )
    df = df.sort_values(["order", "kind_order", "n", "touchpoint"], ascending=[True, True, False, True])
    df = df.groupby(["order", "kind_order"], dropna=False).head(top)
    return df[["stage", "kind", "touchpoint", "n"]].astype({"n": "int64"}).reset_index(drop=True)
