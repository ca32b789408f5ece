"""The persona cards: traits, figures, demographics, frustrations and a real quote of each persona."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..cohorts import YEAR_DAYS
from ..models import Filters
from ..text import lexicon, read_comment, user_keywords
from ..workspace import Workspace, sql_file
from .features import ACTIVE_DAYS, FEATURES, customer_features, plain_summary
from .membership import assign_personas, stored_membership
from .names import first_name, persona_label, persona_names
from .rfm import rfm_scores

MEMBER_COLUMNS = [
    "customer_id",
    "n_orders",
    "first_order",
    "last_order",
    "recency_days",
    "monetary",
    "persona",
    "persona_id",
    "rfm_segment",
    "r",
    "f",
    "m",
    "aov",
    "sessions",
    "nps_mean",
    "status",
]


@dataclass(frozen=True)
class Trait:
    """A feature on which a persona stands out: `z` = (members' mean − everyone's mean) / everyone's standard
    deviation, on the clustering scale; `value` and `population` the members' and everyone's figure in its own unit
    (`cx.personas.features.plain_summary`: the average order value per order, the median recency, else the mean)."""

    feature: str
    z: float
    value: float | None
    population: float | None

    @property
    def direction(self) -> str:
        return "high" if self.z > 0 else "low"


@dataclass(frozen=True)
class Persona:
    """One persona card. Shares are 0–1; `kpis` keys: orders (mean kept orders), orders_per_buyer (mean kept orders
    of the members who bought, over the set's `order_period`), orders_per_year (the same a year, None when that
    period is too short to annualise: `OrderPeriod`), aov (in the
    orders' currency, cx.money), monetary (mean spent), recency_days (median), active_share (active / buyers, None without buyers),
    sessions (mean), nps (points, None without answers), nps_n, csat (0–100), csat_n, tickets (mean),
    returned_share (returned / bought orders), given_back (orders of the members cancelled or returned: placed,
    not kept, so not purchases)."""

    persona_id: int
    name: str  # the name a user gave, else the generated first name
    first_name: str
    renamed: bool
    size: int
    share: float
    traits: tuple[Trait, ...]  # most distinctive first
    kpis: dict = field(hash=False)
    rfm: tuple = ()  # (segment, share) most common first
    demographics: dict = field(
        default_factory=dict, hash=False
    )  # age (median), age_bands, gender, country, city, segment, loyalty_member
    order_channels: tuple = ()  # (value, share of members whose main order channel it is)
    devices: tuple = ()
    web_channels: tuple = ()
    frustrations: tuple = ()  # (theme, detractor comments naming it)
    quote: str | None = None  # a real comment, raw: show it escaped
    quote_nps: float | None = None

    def label(self, lang: str = "fr") -> str:
        return persona_label(self.traits, lang)

    def title(self, lang: str = "fr") -> str:
        return self.name if self.renamed else f"{self.first_name}, {self.label(lang)}"


@dataclass(frozen=True)
class OrderPeriod:
    """The period the cards' orders are counted over: from the first kept order of the workspace to its as-of day,
    both counted. A yearly frequency is given only when it is `ACTIVE_DAYS` long at least, the rule of the
    Retention page's CLV (cx.cohorts: the churn needs the activity window's history, and a frequency annualised
    over a few days is mostly the shortness of the span: one order in 30 days is not 12.2 a year); otherwise the
    cards say the orders per buyer over this period, named."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def annualised(self) -> bool:
        return self.days >= ACTIVE_DAYS


def order_period(members: pd.DataFrame, reference) -> OrderPeriod | None:
    """The `OrderPeriod` of the feature table `members` at the reference instant; None without a kept order."""
    first = members["first_order"].min() if len(members) else None
    if first is None or pd.isna(first) or reference is None or pd.isna(reference):
        return None
    return OrderPeriod(pd.Timestamp(first).date(), pd.Timestamp(reference).date())


@dataclass(frozen=True)
class PersonaSet:
    """All personas of the workspace. `silhouettes` {k: mean silhouette} of the candidate numbers of groups
    (only the current k when it was inherited from the stored personas); `features` the clustering features used."""

    personas: tuple[Persona, ...]
    customers: int  # customers shown (after the segment filter)
    k: int
    silhouettes: dict = field(hash=False)
    features: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    reference: object = None  # the reference instant (latest record)
    started_from: str = "fresh"  # fresh | stored
    reason: str | None = None  # why there are no personas
    member_count: int = 0  # customers with a persona, whatever the segment filter: the rows of `member_table`
    order_period: OrderPeriod | None = None  # what the cards' orders per buyer (per year) are over


def _shares(values: pd.Series, top: int = 3) -> tuple:
    counts = values.dropna().value_counts()
    total = len(values)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
    return tuple((str(v), n / total) for v, n in ordered) if total else ()


def _comments(ws: Workspace) -> pd.DataFrame:
    with ws.cursor() as cur:
        df = cur.execute(sql_file("personas_comments.sql")).df()
    lex = lexicon(user_keywords(ws)) if len(df) else None  # building it costs ~0.25 s: not without a comment
    cache: dict = {}
    df["themes"] = [cache[c] if c in cache else cache.setdefault(c, read_comment(c, lex).themes) for c in df["comment"]]
    return df.sort_values(["customer_id", "responded_at"], ascending=[True, False], ignore_index=True)


def _kpis(m: pd.DataFrame, period: OrderPeriod | None = None) -> dict:
    bought = m["n_orders"].sum()
    nps_n = int(m["nps_n"].sum())
    csat_n = int(m["csat_n"].sum())
    buyers = m[m["n_orders"] > 0]
    per_buyer = float(buyers["n_orders"].mean()) if len(buyers) else None
    yearly = per_buyer is not None and period is not None and period.annualised
    return {
        "orders": float(m["n_orders"].mean()),
        "orders_per_buyer": per_buyer,  # over the set's order_period
        "orders_per_year": per_buyer / (period.days / YEAR_DAYS) if yearly else None,
        "aov": plain_summary(m, "aov"),
        "monetary": float(m["monetary"].mean()),
        "recency_days": float(buyers["recency_days"].median()) if len(buyers) else None,
        "active_share": float((buyers["status"] == "active").mean()) if len(buyers) else None,
        "sessions": float(m["sessions"].mean()),
        "nps": float(100 * (m["promoters"].sum() - m["detractors"].sum()) / nps_n) if nps_n else None,
        "nps_n": nps_n,
        "csat": float(100 * m["csat_satisfied"].sum() / csat_n) if csat_n else None,
        "csat_n": csat_n,
        "tickets": float(m["tickets"].mean()),
        "returned_share": float(m["returned"].sum() / (bought + m["returned"].sum()))
        if bought + m["returned"].sum()
        else None,
        "given_back": int(m["returned"].sum() + m["cancelled"].sum()),
    }


def _traits(group: pd.DataFrame, x: np.ndarray, mask: pd.Series, population: dict) -> tuple[Trait, ...]:
    """`group` = the members where `mask` holds; `population` = everyone's `plain_summary` of each feature used."""
    weights = np.array([FEATURES[f][1] for f in population])
    diff = x[mask.to_numpy()].mean(axis=0) / weights  # z-scores have mean 0 over everyone
    out = []
    for i, (f, everyone) in enumerate(population.items()):  # the figures as the card's other lines state them
        out.append(Trait(f, float(diff[i]), plain_summary(group, f), everyone))
    return tuple(sorted(out, key=lambda tr: (-abs(tr.z), tr.feature)))


def find_personas(ws: Workspace, filters: Filters | None = None, fresh: bool = False, key=None) -> PersonaSet:
    """The persona cards (computing and storing the membership; see cx.personas).

    A persona means the same customers on every page, so the membership is computed on all the data; the
    segment filter keeps only that segment's members on the cards (sizes and shares among them). `key` only
    keys caches (`personas_key(ws)`).
    """
    members, info = assign_personas(ws, fresh=fresh)
    common = {key: info[key] for key in ("k", "silhouettes", "features", "families", "reference", "started_from")}
    if info["reason"]:
        return PersonaSet((), len(members), reason=info["reason"], **common)
    used, x = info["features"], info["x"]
    segment = (filters or Filters()).segment
    shown = members["segment"] == segment if segment else pd.Series(True, index=members.index)
    names = persona_names(ws)
    comments = _comments(ws).merge(members.loc[shown, ["customer_id", "persona_id"]], on="customer_id")
    detractor = comments[comments["nps"] <= 6]
    quotable = comments[comments["comment"].str.strip().str.len() >= 15]
    personas = []
    total = int(shown.sum())
    population = {f: plain_summary(members, f) for f in used}
    period = order_period(members, info["reference"])
    for pid in sorted(members["persona_id"].unique()):
        in_persona = members["persona_id"] == pid
        mask = in_persona & shown
        m = members[mask]
        if m.empty:
            continue
        themes = pd.Series([th for ts in detractor.loc[detractor["persona_id"] == pid, "themes"] for th in ts])
        frustrations = tuple(
            (str(k), int(v)) for k, v in sorted(themes.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        )
        said = quotable[quotable["persona_id"] == pid].drop_duplicates("customer_id")  # each one's latest comment
        quote = quote_nps = None
        if len(said):  # the comment of the member closest to the persona's centre
            centre = x[in_persona.to_numpy()].mean(axis=0)
            distance = pd.DataFrame(
                {"customer_id": m["customer_id"].to_numpy(), "d": ((x[mask.to_numpy()] - centre) ** 2).sum(axis=1)}
            )
            closest = distance.merge(said, on="customer_id").sort_values(["d", "customer_id"]).iloc[0]
            quote = str(closest["comment"])
            quote_nps = None if pd.isna(closest["nps"]) else float(closest["nps"])
        demographics = {
            "age": float(m["age"].median()) if m["age"].notna().any() else None,
            "age_bands": _shares(m["age_band"], 2),
            "gender": _shares(m["gender"], 2),
            "country": _shares(m["country"], 2),
            "city": _shares(m["city"], 3),
            "segment": _shares(m["segment"], 2),
            "loyalty_member": float(m["loyalty_member"].astype("boolean").mean())
            if m["loyalty_member"].notna().any()
            else None,
        }
        rfm = _shares(m["rfm_segment"], 3)
        personas.append(
            Persona(
                persona_id=int(pid),
                name=names.get(int(pid)) or first_name(pid),
                first_name=first_name(pid),
                renamed=int(pid) in names,
                size=len(m),
                share=len(m) / total if total else 0.0,
                traits=_traits(members[in_persona], x, in_persona, population),
                kpis=_kpis(m, period),
                rfm=rfm,
                demographics=demographics,
                order_channels=_shares(m["main_order_channel"]),
                devices=_shares(m["main_device"]),
                web_channels=_shares(m["main_channel"]),
                frustrations=frustrations,
                quote=quote,
                quote_nps=quote_nps,
            )
        )
    personas.sort(key=lambda p: (-p.size, p.persona_id))
    return PersonaSet(tuple(personas), total, member_count=len(members), order_period=period, **common)


# ============================================================================ members, filter, funnel


def member_table(ws: Workspace, result: PersonaSet, lang: str = "fr") -> pd.DataFrame:
    """One row per customer of a computed `PersonaSet` (every customer, whatever the segment filter): the
    MEMBER_COLUMNS, persona = the persona's title in `lang`. Made when asked (a download), not kept in the result,
    which stays small to store and read: the feature table at the result's reference instant, the stored
    membership (what `find_personas` stored) and the RFM scores."""
    if result.reason or not result.member_count:
        return pd.DataFrame(columns=MEMBER_COLUMNS)
    features = customer_features(ws, result.reference)
    members = features.merge(stored_membership(ws).astype({"persona_id": "int64"}), on="customer_id", how="left")
    members = pd.concat([members, rfm_scores(members)], axis=1)
    names = persona_names_of(result)
    members["persona"] = members["persona_id"].map(lambda pid: names(pid, lang))
    return members[MEMBER_COLUMNS]


def persona_names_of(result: PersonaSet):
    """title(persona_id, lang) for every persona of `result`, also those the segment filter hid on the cards."""
    shown = {p.persona_id: p for p in result.personas}
    return lambda pid, lang: shown[pid].title(lang) if pid in shown else first_name(pid)
