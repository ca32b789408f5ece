"""NPS, CSAT and CES with honest statistics (CX_REFERENCE §2): shares, margins of error, a significance test of
each group against the rest, low-sample flags, and breakdowns by any dimension of an allow-list — the answers'
own (touchpoint, period…) and, through the customer id, the CRM, orders, tickets and web events.

NPS = %promoters − %detractors, never a mean. Var = 100² · ((p + d) − (p − d)²) / n and MoE = 1.96 · √Var;
two groups differ when |NPS_A − NPS_B| / √(Var_A + Var_B) > 1.96; fewer than 30 answers is a low sample, and a
low sample (on either side) is never called significant.
The work happens in DuckDB (`cx/sql/satisfaction_*.sql`); only results come back as DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import CxError
from .models import Filters
from .stats import MIN_SAMPLE
from .support import expectation_params
from .workspace import Workspace, sql_file

Z95 = 1.96

# Every breakdown the user may pick: name -> source. Each is a column that satisfaction_base.sql computes; only
# these names are ever put into SQL (double-quoted).
DIMENSIONS: dict[str, str] = {
    "touchpoint": "responses",
    "stage": "responses",
    "channel": "responses",
    "language": "responses",
    "week": "responses",
    "month": "responses",
    "segment": "customers",
    "loyalty_member": "customers",
    "country": "customers",
    "region": "customers",
    "gender": "customers",
    "acquisition_channel": "customers",
    "age_band": "customers",
    "late_delivery": "orders",
    "delivery_delay": "orders",
    "orders": "orders",
    "tickets": "tickets",
    "complained": "tickets",
    "ticket_wait": "tickets",
    "main_device": "events",
}
PERIODS = ("week", "month")
# Attributes the driver view tests against detractors (customer and experience facts, not the survey's own).
DRIVERS = (
    "touchpoint",
    "channel",
    "main_device",
    "ticket_wait",
    "late_delivery",
    "delivery_delay",
    "tickets",
    "complained",
    "orders",
    "segment",
    "loyalty_member",
    "age_band",
    "acquisition_channel",
    "language",
)

GROUP_COLUMNS = [
    "group",
    "n",
    "nps",
    "moe",
    "promoters",
    "passives",
    "detractors",
    "var",
    "rest_n",
    "rest_nps",
    "z",
    "significant",
    "low_sample",
    "csat_n",
    "csat",
    "ces_n",
    "ces_mean",
    "ces_low_effort_share",
]


@dataclass(frozen=True)
class NpsSummary:
    """NPS of a set of answers: `nps` in points (−100…100), shares 0–1, `moe` the 95 % margin in points."""

    n: int
    nps: float | None
    moe: float | None
    promoters: float | None
    passives: float | None
    detractors: float | None
    low_sample: bool


@dataclass(frozen=True)
class CsatSummary:
    """CSAT = share of the top 2 boxes × 100 (yes/no: share of yes); `scales` the scales it pooled."""

    n: int
    csat: float
    scales: tuple[int, ...]
    low_sample: bool


@dataclass(frozen=True)
class CesSummary:
    """CES in both forms, on one scale and direction: (a) `mean`, (b) `low_effort_share` (0–1)."""

    n: int
    scale: int
    higher_is_better: bool
    mean: float
    low_effort_share: float
    low_sample: bool
    moe: float | None  # the mean's margin of error at 95 %, on its scale (None for one answer)

    @property
    def low_effort_boxes(self) -> int:
        """How many boxes at the easy end count as low effort: 3 on a 1–7 scale, 2 on 1–5."""
        return 3 if self.scale >= 7 else 2


@dataclass(frozen=True)
class Satisfaction:
    nps: NpsSummary
    csat: CsatSummary | None
    ces: tuple[CesSummary, ...]  # one per form found, most answered first


def quote_dimension(name: str) -> str:
    """The double-quoted column of an allowed dimension; anything else is refused."""
    if name not in DIMENSIONS:
        raise CxError(f"unknown breakdown {name!r}", fix="choose one of " + ", ".join(DIMENSIONS))
    return f'"{name}"'


def query(name: str, columns: tuple[str, ...] = ()) -> str:
    """A satisfaction_*.sql text with the filtered answers (satisfaction_base.sql) and the dimensions put in."""
    text = sql_file(f"satisfaction_{name}.sql")
    return text.replace(
        "{columns}", ", ".join(quote_dimension(c) if c != "everyone" else '"everyone"' for c in columns)
    )


def params(filters: Filters | None) -> dict:
    expected = expectation_params()
    return {
        **(filters or Filters()).params(),
        **{key: expected[key] for key in ("exp_channel", "exp_pattern", "exp_max_minutes")},
    }


def group_stats(ws: Workspace, filters: Filters | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """NPS, CSAT and CES per group of each dimension in `columns`, each group against the rest of its dimension.

    Returns
    -------
    DataFrame with one row per (attribute, group): attribute, group (None = not known), n (NPS answers), nps,
    moe (95 % margin, points), promoters, passives, detractors (shares 0–1), var, rest_n, rest_nps, z,
    significant (bool; never when n or rest_n < 30), low_sample (n < 30), csat_n, csat (0–100), ces_n, ces_mean
    (None when the group mixes CES forms), ces_low_effort_share (0–1). Sorted by attribute then n, largest first.
    """
    with ws.cursor() as cur:
        df = cur.execute(query("groups", columns), params(filters)).df()
    df["significant"] = df["significant"].astype(bool)
    df["low_sample"] = df["low_sample"].astype(bool)
    return df.sort_values(["attribute", "n", "group"], ascending=[True, False, True], na_position="last").reset_index(
        drop=True
    )


def summarise(ws: Workspace, filters: Filters | None = None) -> Satisfaction:
    """Overall NPS (with margin of error and P/P/D shares), CSAT and CES in both forms."""
    overall = group_stats(ws, filters, ("everyone",))
    row = overall.iloc[0] if len(overall) else None
    n = int(row["n"]) if row is not None else 0
    value = lambda key: float(row[key]) if n and pd.notna(row[key]) else None
    nps = NpsSummary(
        n, value("nps"), value("moe"), value("promoters"), value("passives"), value("detractors"), n < MIN_SAMPLE
    )
    forms = satisfaction_forms(ws, filters)
    csat_forms = forms[forms["metric"] == "csat"]
    csat = None
    if len(csat_forms):
        total = int(csat_forms["n"].sum())
        csat = CsatSummary(
            total,
            float((csat_forms["score"] * csat_forms["n"]).sum() / total),
            tuple(int(s) for s in csat_forms["scale"]),
            total < MIN_SAMPLE,
        )
    ces = tuple(
        CesSummary(
            int(r.n),
            int(r.scale),
            bool(r.higher_is_better),
            float(r.score),
            float(r.low_effort_share),
            r.n < MIN_SAMPLE,
            None if pd.isna(r.moe) else float(r.moe),
        )
        for r in forms[forms["metric"] == "ces"].sort_values("n", ascending=False).itertuples()
    )
    return Satisfaction(nps, csat, ces)


@dataclass(frozen=True)
class AnswerCount:
    """Survey answers in the workspace (`loaded`) and those the filters keep (`kept`)."""

    loaded: int
    kept: int


def count_answers(ws: Workspace, filters: Filters | None = None) -> AnswerCount:
    """How many answers are loaded and how many the filters keep (tells "filtered out" from "not loaded")."""
    with ws.cursor() as cur:
        loaded, kept = cur.execute(query("count"), params(filters)).fetchall()[0]
    return AnswerCount(int(loaded), int(kept))


def satisfaction_forms(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """The CSAT and CES forms present.

    Returns
    -------
    DataFrame: metric ("csat" | "ces"), scale, higher_is_better, n, score (CSAT 0–100; CES mean on its scale),
    low_effort_share (CES only, 0–1), moe (CES only: the mean's margin of error at 95 %).
    """
    with ws.cursor() as cur:
        return cur.execute(query("forms"), params(filters)).df()


def breakdown(ws: Workspace, filters: Filters | None, by: str) -> pd.DataFrame:
    """NPS, CSAT and CES per value of the dimension `by` (one of DIMENSIONS), each compared with the rest.

    Returns
    -------
    DataFrame with the columns of `group_stats` less `attribute`; `group` None gathers the answers where the
    dimension is not known (anonymous answers for customer attributes).
    """
    quote_dimension(by)
    return group_stats(ws, filters, (by,)).drop(columns="attribute")


def nps_trend(ws: Workspace, filters: Filters | None, period: str = "week") -> pd.DataFrame:
    """NPS per week or month with its 95 % band.

    Returns
    -------
    DataFrame: period (ISO date of the Monday, or YYYY-MM), n, nps, moe, low, high (nps ∓ moe, clipped to
    ±100), low_sample, csat, csat_n; in time order.
    """
    if period not in PERIODS:
        raise CxError(f"unknown period {period!r}", fix="choose week or month")
    df = breakdown(ws, filters, period).dropna(subset=["group"])
    df = df[df["n"] > 0].rename(columns={"group": "period"}).sort_values("period").reset_index(drop=True)
    df["low"] = (df["nps"] - df["moe"]).clip(lower=-100)
    df["high"] = (df["nps"] + df["moe"]).clip(upper=100)
    return df[["period", "n", "nps", "moe", "low", "high", "low_sample", "csat", "csat_n"]]


def trend_period(ws: Workspace, filters: Filters | None) -> str:
    """The trend's default step: "week" when the median week with NPS answers holds at least MIN_SAMPLE (30) of
    them, else "month" (at ~4 answers a week, weekly points zig-zag across ±100 inside their margins)."""
    weekly = nps_trend(ws, filters, "week")
    return "week" if len(weekly) and weekly["n"].median() >= MIN_SAMPLE else "month"


def find_drivers(ws: Workspace, filters: Filters | None = None, attributes: tuple[str, ...] = DRIVERS) -> pd.DataFrame:
    """Which attribute values go with detractors: every known group of each attribute against the rest.

    Importance is the NPS the whole survey loses because of the group: (NPS_rest − NPS_group) × the group's share
    of answers (points; negative when the group lifts the score). Performance is the group's own NPS. Groups
    that rank high on importance and low on performance are the ones to fix first.

    Returns
    -------
    DataFrame: attribute, group, n, share (of the attribute's known answers, 0–1), nps, moe, rest_nps,
    detractors, rest_detractors (shares 0–1), importance (points), significant, low_sample, csat, rank (1 = the
    most important); sorted by importance, largest first. Attributes with fewer than two known groups are left
    out.
    """
    df = group_stats(ws, filters, tuple(a for a in attributes if a in DIMENSIONS))
    df = df[df["group"].notna() & (df["n"] > 0)].copy()
    # the comparison is within the known answers of each attribute
    known = df.groupby("attribute")["n"].transform("sum")
    groups = df.groupby("attribute")["group"].transform("count")
    df = df[groups >= 2].copy()
    known = known[df.index]
    pro, det = df["promoters"] * df["n"], df["detractors"] * df["n"]
    pro_all, det_all = pro.groupby(df["attribute"]).transform("sum"), det.groupby(df["attribute"]).transform("sum")
    rest_n = known - df["n"]
    rest_p = (pro_all - pro) / rest_n.where(rest_n > 0)
    rest_d = (det_all - det) / rest_n.where(rest_n > 0)
    rest_var = 100**2 * ((rest_p + rest_d) - (rest_p - rest_d) ** 2) / rest_n.where(rest_n > 0)
    df["share"] = df["n"] / known
    df["rest_detractors"] = rest_d
    df["rest_nps"] = 100 * (rest_p - rest_d)
    df["importance"] = (df["rest_nps"] - df["nps"]) * df["share"]
    spread = (df["var"] + rest_var) ** 0.5
    df["significant"] = (
        ((df["nps"] - df["rest_nps"]).abs() > Z95 * spread)
        & spread.notna()
        & (df["n"] >= MIN_SAMPLE)
        & (rest_n >= MIN_SAMPLE)
    )
    cols = [
        "attribute",
        "group",
        "n",
        "share",
        "nps",
        "moe",
        "rest_nps",
        "detractors",
        "rest_detractors",
        "importance",
        "significant",
        "low_sample",
        "csat",
    ]
    order = {a: i for i, a in enumerate(attributes)}
    df = df.assign(_order=df["attribute"].map(order))
    df = df.sort_values(["importance", "_order", "n"], ascending=[False, True, False])[cols].reset_index(drop=True)
    return df.assign(rank=range(1, len(df) + 1))


def nps_of(scores) -> NpsSummary:
    """NPS of a list of 0–10 scores, in Python (for checks and small lists; the app uses the SQL above)."""
    scores = [s for s in scores if s is not None and not pd.isna(s)]
    n = len(scores)
    if not n:
        return NpsSummary(0, None, None, None, None, None, True)
    p = sum(s >= 9 for s in scores) / n
    d = sum(s < 7 for s in scores) / n
    var = 100**2 * ((p + d) - (p - d) ** 2) / n
    return NpsSummary(n, 100 * (p - d), Z95 * var**0.5, p, 1 - p - d, d, n < MIN_SAMPLE)


def differ(a: NpsSummary, b: NpsSummary) -> bool:
    """Two NPS differ significantly at 95 %: |NPS_A − NPS_B| / √(Var_A + Var_B) > 1.96, both with 30 answers or
    more (a low sample is never significant)."""
    var = ((a.moe or 0) / Z95) ** 2 + ((b.moe or 0) / Z95) ** 2
    if a.nps is None or b.nps is None or a.low_sample or b.low_sample:
        return False
    return abs(a.nps - b.nps) > Z95 * var**0.5 if var else a.nps != b.nps
