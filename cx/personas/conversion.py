"""Each persona's funnel: the funnel's visitors linked to a customer, grouped by that customer's persona."""

from __future__ import annotations

import pandas as pd

from ..funnel import DEFAULT_WINDOW, customer_reach, normalise_steps, steps_frame
from ..models import Filters
from ..workspace import Workspace
from .membership import stored_membership

COLUMNS = ["persona_id", "step", "name", "users", "conversion", "step_conversion", "dropped"]


def persona_funnel(ws: Workspace, filters: Filters | None, steps, window=DEFAULT_WINDOW, key=None) -> pd.DataFrame:
    """How each persona's web visitors move through the funnel `steps` (ordered mode, cx.funnel semantics
    under the global filters). A visitor belongs to the persona of their customer (the greatest customer id
    seen on their events); visitors not linked to a customer, or of a customer without a persona, are left
    out. `key` only keys caches.

    Returns
    -------
    DataFrame: persona_id, step (1-based), name, users, conversion (vs step 1, 0–1), step_conversion, dropped.
    """
    reach = customer_reach(ws, filters or Filters(), steps, window).merge(stored_membership(ws), on="customer_id")
    frames = [
        steps_frame(normalise_steps(steps), part).assign(persona_id=int(pid))
        for pid, part in reach.groupby("persona_id", sort=True)
    ]
    return pd.concat(frames, ignore_index=True)[COLUMNS] if frames else pd.DataFrame(columns=COLUMNS)
