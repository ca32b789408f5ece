"""The per-customer feature table (SQL, `personas_features.sql`) and the clustering matrix built from it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..asof import data_as_of
from ..channels import order_channel_params
from ..journey import session_params
from ..workspace import Workspace, bind_params, sql_file

#: clustering features: name -> (family, weight). Web and support weigh half (see cx.personas).
FEATURES = {
    "frequency": ("orders", 1.0),
    "monetary": ("orders", 1.0),
    "aov": ("orders", 1.0),
    "recency": ("orders", 1.0),
    "nps": ("survey", 1.0),
    "csat": ("survey", 1.0),
    "sessions": ("web", 0.5),
    "mobile": ("web", 0.5),
    "tickets": ("support", 0.5),
}
#: the plain column behind each clustering feature (what a card shows)
PLAIN = {
    "frequency": "n_orders",
    "monetary": "monetary",
    "aov": "aov",
    "recency": "recency_days",
    "nps": "nps_mean",
    "sessions": "sessions",
    "mobile": "mobile_share",
    "tickets": "tickets",
}
ACTIVE_DAYS = 180  # the default activity window of cx.cohorts (DEFAULT_ACTIVE_DAYS): active = bought within it


def reference_instant(ws: Workspace):
    """The data's "as of" instant (`cx.asof.data_as_of`: the latest order, web event, answer or ticket):
    recency and tenure are measured from it (None if empty)."""
    with ws.cursor() as cur:
        return data_as_of(cur)


def customer_status(recency_days: pd.Series, active_days: int = ACTIVE_DAYS) -> pd.Series:
    """active (last kept order less than `active_days` days before the as-of date), lapsed, or no_purchase
    (no kept order: recency is null)."""
    days = pd.to_numeric(recency_days, errors="coerce").astype(float)
    return pd.Series(
        np.where(days.isna(), "no_purchase", np.where(days < active_days, "active", "lapsed")),
        index=recency_days.index,
        dtype=object,
    )


def customer_features(ws: Workspace, reference=None) -> pd.DataFrame:
    """The per-customer feature table, sorted by customer_id (rules in cx.personas).

    Returns
    -------
    DataFrame: customer_id, n_orders (kept orders), monetary (net spent, orders’ currency), aov, first_order, last_order (kept
    orders), recency_days (from the as-of date), status (active / lapsed / no_purchase), returned, cancelled, main_order_channel (over the kept orders, a code of
    `cx.channels.channel_code`: web, store…, as the Journey's touchpoints), sessions, page_views, active_days,
    mobile_share (share of sessions on mobile), main_device, main_channel (traffic source), answers, nps_n,
    nps_mean, promoters, detractors, csat_n, csat_satisfied, tickets, complaints, tenure_days, age, age_band
    (cx_age_band of macros.sql), gender,
    city, country, segment, loyalty_member.
    """
    reference = reference if reference is not None else reference_instant(ws)
    if reference is None:
        return pd.DataFrame(columns=["customer_id"])
    sql = sql_file("personas_features.sql")
    with ws.cursor() as cur:
        params = {**session_params(None), **order_channel_params(), "ref": reference}
        df = cur.execute(sql, bind_params(sql, params)).df()
    df.insert(df.columns.get_loc("recency_days") + 1, "status", customer_status(df["recency_days"]))
    return df


def feature_matrix(features: pd.DataFrame) -> tuple[np.ndarray, tuple[str, ...]]:
    """The standardised, weighted clustering matrix (rows = customers in `features` order) and the features
    used. Missing values take the mean; a feature of a family absent from the workspace, or constant, is left
    out."""
    has_orders = bool((features["n_orders"] > 0).any())
    has_web = bool((features["sessions"] > 0).any())
    has_nps = bool((features["nps_n"] > 0).any())
    has_csat = bool((features["csat_n"] > 0).any())
    has_tickets = bool((features["tickets"] > 0).any())
    raw = {}
    if has_orders:
        raw["frequency"] = features["n_orders"].astype(float)
        raw["monetary"] = np.log1p(features["monetary"].astype(float).clip(lower=0))
        raw["aov"] = np.log1p(features["aov"].astype(float))  # no order: the mean (a basket they never had)
        raw["recency"] = features["recency_days"].astype(float)  # no order: the mean
    if has_nps:
        raw["nps"] = features["nps_mean"].astype(float)
    elif has_csat:
        raw["csat"] = features["csat_satisfied"] / features["csat_n"].replace(0, np.nan)
    if has_web:
        raw["sessions"] = np.log1p(features["sessions"].astype(float))
        raw["mobile"] = features["mobile_share"].astype(float)
    if has_tickets:
        raw["tickets"] = np.log1p(features["tickets"].astype(float))
    frame = pd.DataFrame(raw, index=features.index)
    frame = frame.fillna(frame.mean())
    std = frame.std(ddof=0)
    frame = frame.loc[:, std > 1e-12]
    z = (frame - frame.mean()) / frame.std(ddof=0)
    weights = np.array([FEATURES[c][1] for c in frame.columns])
    return z.to_numpy(dtype=float) * weights, tuple(frame.columns)


def plain_summary(features: pd.DataFrame, feature: str) -> float | None:
    """A group's figure for a clustering feature, as its card states it (None when nothing is known):
    `aov` the group's average order value, per order (net spent / kept orders of the group: the card's
    "panier moyen par commande", never a mean of each customer's average); `recency` the median days since the
    last kept order (over the buyers); any other feature the mean of `plain_values`."""
    if feature == "aov":  # over the orders with a currency (personas_features.sql sets those of none apart)
        orders = features["priced_orders" if "priced_orders" in features else "n_orders"].sum()
        return float(features["monetary"].sum() / orders) if orders else None
    values = plain_values(features, feature)
    value = values.median() if feature == "recency" else values.mean()
    return None if pd.isna(value) else float(value)


def plain_values(features: pd.DataFrame, feature: str) -> pd.Series:
    """A clustering feature in its own unit, per customer: orders, money, days, NPS points (0–10 mean), shares."""
    if feature == "csat":
        return features["csat_satisfied"] / features["csat_n"].replace(0, np.nan)
    return features[PLAIN[feature]].astype(float)
