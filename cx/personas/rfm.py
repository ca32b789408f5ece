"""RFM scores and segments. The segment rules are data — (feature, operator, threshold) conditions, all of which
must hold — evaluated without `eval()`, on whole columns at once."""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import pandas as pd

OPERATORS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class Condition:
    """`feature` (a column: R, F or M) `op` (a key of OPERATORS) `threshold`."""

    feature: str
    op: str
    threshold: float

    def __post_init__(self):
        if self.op not in OPERATORS:
            raise ValueError(f"unknown operator {self.op!r}; use one of {', '.join(OPERATORS)}")

    def __str__(self) -> str:
        return f"{self.feature} {self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Rule:
    """A named segment: the customers for whom every condition holds."""

    segment: str
    conditions: tuple[Condition, ...]

    def __str__(self) -> str:
        return " and ".join(str(c) for c in self.conditions)

    def holds(self, values: pd.DataFrame) -> np.ndarray:
        """A boolean per row of `values` (one column per feature; a missing value never satisfies a condition)."""
        out = np.ones(len(values), dtype=bool)
        for c in self.conditions:
            column = values[c.feature].astype("Float64")
            out &= OPERATORS[c.op](column, c.threshold).fillna(False).to_numpy(dtype=bool)
        return out


def rule(segment: str, *conditions: tuple[str, str, float]) -> Rule:
    return Rule(segment, tuple(Condition(*c) for c in conditions))


#: RFM segment rules, tried in order (first match); shown on the page as written by `str(rule)`.
RFM_RULES = (
    rule("champions", ("R", ">=", 4), ("F", ">=", 4)),
    rule("loyal", ("R", ">=", 3), ("F", ">=", 3)),
    rule("new", ("R", ">=", 4), ("F", "==", 1)),
    rule("promising", ("R", ">=", 3), ("F", "<=", 2)),
    rule("cant_lose", ("R", "<=", 2), ("F", ">=", 4)),
    rule("at_risk", ("R", "<=", 2), ("F", "==", 3)),
    rule("hibernating", ("R", "<=", 2), ("F", "<=", 2)),
)
NO_PURCHASE = "no_purchase"


def segments(values: pd.DataFrame, rules=RFM_RULES, default: str = "hibernating") -> list[str]:
    """The segment of each row of `values` (columns named as the rules' features): the first rule that holds,
    `default` when none does; a row with a missing value in any rule's feature is "no_purchase"."""
    used = sorted({c.feature for r in rules for c in r.conditions})
    out = np.full(len(values), NO_PURCHASE, dtype=object)
    known = values[used].notna().all(axis=1).to_numpy()
    out[known] = default
    taken = ~known
    for r in rules:
        hit = r.holds(values) & ~taken
        out[hit] = r.segment
        taken |= hit
    return out.tolist()


def rfm_scores(features: pd.DataFrame) -> pd.DataFrame:
    """R, F, M scores (1–5) and the named segment of every customer.

    R and M are quintiles among buyers (customers with a kept order) with ties sharing a score: score =
    ceil(5 × percentile rank), the rank averaged over ties (R on −recency: 5 = most recent). F is explicit:
    1, 2, 3, 4, 5+ orders → 1…5. Returns a DataFrame (same index): r, f, m (None without an order), rfm_segment.
    """
    buyers = features["n_orders"] > 0
    out = pd.DataFrame(index=features.index, columns=["r", "f", "m"], dtype="Int64")

    def quintile(values: pd.Series) -> pd.Series:
        pct = values.rank(method="average", pct=True)
        return np.ceil(pct * 5).clip(1, 5).astype("Int64")

    if buyers.any():
        out.loc[buyers, "r"] = quintile(-features.loc[buyers, "recency_days"].astype(float))
        out.loc[buyers, "m"] = quintile(features.loc[buyers, "monetary"].astype(float))
        out.loc[buyers, "f"] = features.loc[buyers, "n_orders"].clip(upper=5).astype("Int64")
    out["rfm_segment"] = segments(out.rename(columns=str.upper))
    return out
