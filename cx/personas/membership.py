"""Who is in which persona: clustering the feature table and storing the membership so that it is stable
(see cx.personas), and reading it back."""

from __future__ import annotations

import logging

import duckdb
import numpy as np
import pandas as pd

from ..preload import preload
from ..workspace import Workspace, run_sql, sql_file
from .features import FEATURES, customer_features, feature_matrix, reference_instant
from .rfm import rfm_scores

log = logging.getLogger(__name__)
MIN_CUSTOMERS = 10
FRESH_OVERLAP = 0.5  # below this share of the stored members still present, start from scratch


def stored_membership(ws: Workspace) -> pd.DataFrame:
    """The stored persona of each customer: customer_id, persona_id."""
    with ws.cursor() as cur:
        return cur.execute("select customer_id, persona_id from persona_members order by customer_id").df()


def _store(ws: Workspace, membership: pd.DataFrame, data_version: tuple) -> bool:
    """Replace the stored membership, unless the data changed since the features were read (an import deleted
    meanwhile must not come back through its customers' pseudonyms) or another writer is storing one at the same
    moment (the background run and a page): then nothing is written and False is returned."""
    try:
        with ws.transaction() as cur:
            if tuple(run_sql(cur, "data_version.sql", {}).fetchall()[0]) != tuple(data_version):
                log.info("persona membership not stored: the data changed while it was computed")
                return False
            cur.register("incoming_members", membership[["customer_id", "persona_id"]])
            cur.execute(sql_file("personas_members_store.sql")).fetchall()
            cur.unregister("incoming_members")
    except duckdb.TransactionException as e:
        log.info("persona membership not stored: another writer stored one (%s)", e)
        return False
    return True


def _match_ids(labels: np.ndarray, stored: np.ndarray, previous: pd.DataFrame) -> dict[int, int]:
    """Group index → persona id: the previous persona it overlaps most (greedy, largest overlaps first); the
    others take new ids, largest group first. `stored` = each customer's stored persona id (NaN: none)."""
    groups = sorted(set(labels.tolist()), key=lambda g: (-(labels == g).sum(), g))
    mapping: dict[int, int] = {}
    overlap = pd.DataFrame({"g": labels, "persona_id": stored}).dropna().groupby(["g", "persona_id"]).size()
    for (g, pid), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if g not in mapping and pid not in mapping.values():
            mapping[int(g)] = int(pid)
    next_id = max([0, *mapping.values(), *(previous["persona_id"].tolist() if len(previous) else [])]) + 1
    for g in groups:
        if g not in mapping:
            mapping[int(g)] = next_id
            next_id += 1
    return mapping


def assign_personas(ws: Workspace, fresh: bool = False) -> tuple[pd.DataFrame, dict]:
    """Cluster the customers and store the membership (see cx.personas for stability).

    Returns
    -------
    (members, info): members = the feature table with persona_id, r, f, m, rfm_segment; info = {"k",
    "silhouettes", "features", "families", "reference", "started_from", "reason", "x"}: x = the clustering
    matrix, one row per member in the same order (None without personas).
    """
    data_version = ws.data_version()  # read before the features: checked again when the membership is stored
    reference = reference_instant(ws)
    if reference is not None:  # scikit-learn's import (~0.9 s) goes on beside the features' query (cx.preload)
        preload("cx.personas.clustering")
    features = customer_features(ws, reference)
    info = {
        "k": 0,
        "silhouettes": {},
        "features": (),
        "families": (),
        "reference": reference,
        "started_from": "fresh",
        "reason": None,
        "x": None,
    }
    if reference is None or len(features) < MIN_CUSTOMERS:  # no order, visit, answer or ticket at all: nothing to tell
        info["reason"] = "no_features" if reference is None else "too_few"
        return features.assign(persona_id=pd.Series(dtype="Int64")), info
    x, used = feature_matrix(features)
    info["features"] = used
    info["families"] = tuple(dict.fromkeys(FEATURES[f][0] for f in used))
    if not used:
        info["reason"] = "no_features"
        return features.assign(persona_id=pd.Series(dtype="Int64")), info
    # scikit-learn (~1 s of imports) only when clustering: `personas_key` (the background run's check of a stored
    # result, the Personas page's cache key) does not load it
    from .clustering import choose_k, refine, silhouette

    previous = stored_membership(ws)
    # each customer's stored persona id, NaN for a customer without one
    stored = previous.set_index("customer_id")["persona_id"].reindex(features["customer_id"]).to_numpy(float)
    present = ~np.isnan(stored)
    labels = None
    if not fresh and len(previous) and present.sum() >= FRESH_OVERLAP * len(previous):
        ids = np.unique(stored[present]).astype(int)
        labels = refine(x, np.array([x[stored == pid].mean(axis=0) for pid in ids]))
        mapping = dict(enumerate(int(p) for p in ids))
        info.update(
            k=len(ids), started_from="stored", silhouettes={len(ids): silhouette(x, labels)} if len(ids) > 1 else {}
        )
    if labels is None:
        k, labels, scores = choose_k(x)
        mapping = _match_ids(labels, stored, previous)
        info.update(k=k, silhouettes=scores)
    members = features.assign(persona_id=pd.Series(labels).map(mapping).to_numpy())
    members = pd.concat([members, rfm_scores(members)], axis=1)
    info["x"] = x
    if len(previous) != len(members) or not (stored == members["persona_id"].to_numpy()).all():
        _store(ws, members, data_version)
    return members, info


def reset_personas(ws: Workspace) -> None:
    """Recompute from scratch: choose the number of personas again (names follow the most overlapping group)."""
    assign_personas(ws, fresh=True)


def personas_key(ws: Workspace) -> tuple:
    """Changes when a persona is renamed or the stored membership changes: pass it as `key` to cached calls."""
    with ws.cursor() as cur:
        return cur.execute(
            "select (select count(*) from persona_members), "
            "(select coalesce(sum(hash(customer_id, persona_id)), 0)::varchar from persona_members), "
            "(select coalesce(string_agg(persona_id || ':' || name, '|' order by persona_id), '') "
            "from persona_names)"
        ).fetchall()[0]


def persona_members_sql() -> str:
    """SQL of the customer ids of one persona (bind `$persona`, an id; null keeps everyone): embed it as
    `customer_id in (…)` — for web events through `events.customer_id` — to apply a persona filter."""
    return sql_file("personas_members.sql")


def persona_customer_ids(ws: Workspace, persona_id: int) -> list[str]:
    """The customer ids of a persona (from the stored membership), sorted."""
    with ws.cursor() as cur:
        return [r[0] for r in cur.execute(persona_members_sql(), {"persona": int(persona_id)}).fetchall()]
