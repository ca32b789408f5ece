"""Statistics shared by the analyses: the smallest sample a comparison is made on, and the two-proportion z.
Pure functions of numbers (the friction detectors' exact tests live in `cx.friction.stats`)."""

from __future__ import annotations

import math

MIN_SAMPLE = 30  # below this many answers, sessions or people, no group is called significantly different


def two_proportion_z(x1: float, n1: float, x2: float, n2: float) -> float | None:
    """z of p1 = x1/n1 against p2 = x2/n2 with the pooled proportion; None when undefined."""
    if n1 <= 0 or n2 <= 0:
        return None
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return None if se == 0 else (x1 / n1 - x2 / n2) / se
