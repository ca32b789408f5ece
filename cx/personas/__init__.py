"""Personas: living, data-driven customer portraits (CX_REFERENCE §4).

The same text is the page's help.

* **Feature table** (`customer_features`, `cx/sql/personas_features.sql`): one row per customer known anywhere
  (CRM, orders, web events through `customer_id`, survey answers, tickets), measured at the reference instant —
  the latest record of the workspace. **Orders**: one row per order id; a cancelled or abandoned order is not a
  purchase; a **returned or refunded order counts in neither the frequency nor the monetary value** (it was
  given back); a negative amount is a refund line taken off the monetary value; two orders on the same day
  are two orders. **Recency** = calendar days from the last kept order to the reference day, the data's "as of"
  date (`cx.asof`: the latest order, visit, answer or ticket — never today). **Status**: a buyer is *active*
  when their last kept order is less than `ACTIVE_DAYS` (180) days before it, else *lapsed* (the customer
  base rule of `cx.cohorts`); a customer without a kept order is "no purchase".
* **RFM segments** (`rfm_scores`): R = recency quintile (5 = the most recent fifth of buyers; ties share
  a score), F = orders (1, 2, 3, 4, 5 or more → 1…5), M = monetary quintile. Named by the first rule of
  `RFM_RULES` that holds (Champions: R ≥ 4 and F ≥ 4, …; the rules are data, not code); customers without a
  kept order are "No purchase".
* **Personas** (`find_personas`): k-means on standardised features — orders (F, log M, log AOV, recency),
  attitude (mean NPS, else CSAT), web (log sessions, mobile share) and support (log tickets); web and support
  weigh half (most customers are never seen on the web: their value is the mean). A family is used only when
  the workspace has that data, so orders-only, events-only or survey-only workspaces get fewer traits.
  The number of personas (3–7) is the one with the best silhouette (scikit-learn's k-means, 4 k-means++
  starts; the candidates fitted on at most 10,000 customers and scored on at most 3,000 of them, both drawn
  with a fixed seed); the chosen number is then fitted on every customer. The customers are sorted by id, so
  the result is deterministic. **Stability**: the membership is stored (`persona_members`); the next
  computation starts from the stored personas' centres, so the same customers stay in the same persona when
  nothing changed, and a persona keeps its id and name when the data grows.
  "Recompute from scratch" chooses k again; new groups then take the ids of the old ones they overlap most.
* **Cards**: traits = the features whose member mean differs most from everyone's (in standard deviations);
  the label is made from them, never two contradictory ones (dormant and loyal: the more distinctive wins); the
  quote is a real comment of the member closest to the persona's centre. **Order frequency**: the buyers' kept
  orders over the order period (the first kept order to the as-of date), given a year only when that period is
  `ACTIVE_DAYS` long at least — the rule of the Retention page's CLV; shorter, orders per buyer over the period.

The package, one job per module: `features` (the feature table and clustering matrix), `rfm` (scores and the
segment rules as data), `clustering` (k-means, silhouette, choice of k), `membership` (stable stored groups),
`names` (first names, labels, renaming), `cards` (the persona cards), `conversion` (each persona's funnel).
Names are imported from their module on first use, so `from cx.personas import first_name` does not load
scikit-learn.
"""

from __future__ import annotations

import importlib

#: public name -> the module of this package that defines it
_WHERE = {
    "features": (
        "ACTIVE_DAYS",
        "FEATURES",
        "customer_features",
        "customer_status",
        "feature_matrix",
        "plain_summary",
        "plain_values",
        "reference_instant",
    ),
    "rfm": ("RFM_RULES", "Condition", "Rule", "rfm_scores", "segments"),
    "clustering": ("K_RANGE", "choose_k", "kmeans", "silhouette"),
    "membership": (
        "assign_personas",
        "persona_customer_ids",
        "persona_members_sql",
        "personas_key",
        "reset_personas",
        "stored_membership",
    ),
    "names": ("first_name", "persona_label", "persona_names", "rename_persona"),
    "cards": (
        "MEMBER_COLUMNS",
        "OrderPeriod",
        "Persona",
        "PersonaSet",
        "Trait",
        "find_personas",
        "member_table",
        "order_period",
        "persona_names_of",
    ),
    "conversion": ("persona_funnel",),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str):
    if name not in _MODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE[name]}"), name)
    globals()[name] = value
    return value
