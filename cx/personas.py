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
* **RFM segments** (`rfm_segments`): R = recency quintile (5 = the most recent fifth of buyers; ties share
  a score), F = orders (1, 2, 3, 4, 5 or more → 1…5), M = monetary quintile. Named by the first rule of
  `RFM_RULES` that holds (Champions: R ≥ 4 and F ≥ 4, …); customers without a kept order are "No purchase".
* **Personas** (`find_personas`): k-means on standardised features — orders (F, log M, log AOV, recency),
  attitude (mean NPS, else CSAT), web (log sessions, mobile share) and support (log tickets); web and support
  weigh half (most customers are never seen on the web: their value is the mean). A family is used only when
  the workspace has that data, so orders-only, events-only or survey-only workspaces get fewer traits.
  The number of personas (3–7) is the one with the best silhouette; k-means++ starts from a fixed seed on
  the customers sorted by id, so the result is deterministic. **Stability**: the membership is stored
  (`persona_members`); the next computation starts from the stored personas' centres, so the same customers
  stay in the same persona when nothing changed, and a persona keeps its id and name when the data grows.
  "Recompute from scratch" chooses k again; new groups then take the ids of the old ones they overlap most.
* **Cards**: traits = the features whose member mean differs most from everyone's (in standard deviations);
  the label is made from them; the quote is a real comment of the member closest to the persona's centre.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .asof import data_as_of
from .errors import CxError
from .i18n import t
from .journey import journey_sql, session_params
from .models import Filters
from .workspace import Workspace, bind_params, run_sql, sql_file

K_RANGE = (3, 4, 5, 6, 7)
SEEDS = (0, 1, 2, 3)  # k-means++ restarts; the lowest inertia wins
MAX_ITER = 100
SILHOUETTE_SAMPLE = 2000
MIN_CUSTOMERS = 10
FRESH_OVERLAP = 0.5  # below this share of the stored members still present, start from scratch
TRAIT_MIN_Z = 0.25   # a trait must differ by at least this many standard deviations to be named

#: clustering features: name -> (family, weight). Web and support weigh half (see the module docstring).
FEATURES = {
    "frequency": ("orders", 1.0), "monetary": ("orders", 1.0), "aov": ("orders", 1.0), "recency": ("orders", 1.0),
    "nps": ("survey", 1.0), "csat": ("survey", 1.0),
    "sessions": ("web", 0.5), "mobile": ("web", 0.5),
    "tickets": ("support", 0.5),
}
#: the plain column behind each clustering feature (what a card shows)
PLAIN = {"frequency": "n_orders", "monetary": "monetary", "aov": "aov", "recency": "recency_days", "nps": "nps_mean",
         "sessions": "sessions", "mobile": "mobile_share", "tickets": "tickets"}
#: what the card says for a distinctive feature: which traits can head the label (a noun in French)
HEAD_TRAITS = ("frequency", "recency", "monetary", "nps", "sessions")
FIRST_NAMES = ("Élodie", "Thomas", "Camille", "Julien", "Sarah", "Lucas", "Chloé", "Hugo", "Léa", "Nathan",
               "Emma", "Louis", "Inès", "Olivier")
#: RFM segment rules, tried in order (first match); shown on the page as they are written here.
RFM_RULES = (
    ("champions", "R >= 4 and F >= 4"),
    ("loyal", "R >= 3 and F >= 3"),
    ("new", "R >= 4 and F == 1"),
    ("promising", "R >= 3 and F <= 2"),
    ("cant_lose", "R <= 2 and F >= 4"),
    ("at_risk", "R <= 2 and F == 3"),
    ("hibernating", "R <= 2 and F <= 2"),
)
RFM_SEGMENTS = tuple(name for name, _ in RFM_RULES) + ("no_purchase",)
ACTIVE_DAYS = 180  # the default activity window of cx.cohorts (DEFAULT_ACTIVE_DAYS): active = bought within it
STATUSES = ("active", "lapsed", "no_purchase")
MEMBER_COLUMNS = ["customer_id", "n_orders", "first_order", "last_order", "recency_days", "monetary", "persona",
                  "persona_id", "rfm_segment", "r", "f", "m", "aov", "sessions", "nps_mean", "status"]


@dataclass(frozen=True)
class Trait:
    """A feature on which a persona stands out: `z` = (members' mean − everyone's mean) / everyone's standard
    deviation, on the clustering scale; `value` and `population` are the plain means (orders, money in the orders’ currency, days…)."""
    feature: str
    z: float
    value: float | None
    population: float | None

    @property
    def direction(self) -> str:
        return "high" if self.z > 0 else "low"


@dataclass(frozen=True)
class Persona:
    """One persona card. Shares are 0–1; `kpis` keys: orders (mean kept orders), orders_per_year, aov (in the
    orders' currency, cx.money), monetary (mean spent), recency_days (median), active_share (active / buyers, None without buyers),
    sessions (mean), nps (points, None without answers), nps_n, csat (0–100), csat_n, tickets (mean),
    returned_share (returned / bought orders)."""
    persona_id: int
    name: str                   # the name a user gave, else the generated first name
    first_name: str
    renamed: bool
    size: int
    share: float
    traits: tuple[Trait, ...]   # most distinctive first
    kpis: dict = field(hash=False)
    rfm: tuple = ()             # (segment, share) most common first
    demographics: dict = field(default_factory=dict, hash=False)  # age (median), age_bands, gender, country, city, segment, loyalty_member
    order_channels: tuple = ()  # (value, share of members whose main order channel it is)
    devices: tuple = ()
    web_channels: tuple = ()
    frustrations: tuple = ()    # (theme, detractor comments naming it)
    quote: str | None = None    # a real comment, raw: show it escaped
    quote_nps: float | None = None

    def label(self, lang: str = "fr") -> str:
        return persona_label(self.traits, lang)

    def title(self, lang: str = "fr") -> str:
        return self.name if self.renamed else f"{self.first_name}, {self.label(lang)}"


@dataclass(frozen=True)
class PersonaSet:
    """All personas of the workspace. `silhouettes` {k: mean silhouette} of the candidate numbers of groups
    (only the current k when it was inherited from the stored personas); `features` the clustering features used."""
    personas: tuple[Persona, ...]
    customers: int              # customers shown (after the segment filter)
    k: int
    silhouettes: dict = field(hash=False)
    features: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    reference: object = None    # the reference instant (latest record)
    started_from: str = "fresh"  # fresh | stored
    reason: str | None = None   # why there are no personas
    members: pd.DataFrame | None = field(default=None, hash=False, compare=False, repr=False)  # feature table + persona_id, r, f, m, rfm_segment


# ============================================================================ tables and the feature table


def reference_instant(ws: Workspace):
    """The data's "as of" instant (`cx.asof.data_as_of`: the latest order, web event, answer or ticket):
    recency and tenure are measured from it (None if empty)."""
    with ws.cursor() as cur:
        return data_as_of(cur)


def customer_status(recency_days: pd.Series, active_days: int = ACTIVE_DAYS) -> pd.Series:
    """active (last kept order less than `active_days` days before the as-of date), lapsed, or no_purchase
    (no kept order: recency is null)."""
    days = pd.to_numeric(recency_days, errors="coerce").astype(float)
    return pd.Series(np.where(days.isna(), "no_purchase", np.where(days < active_days, "active", "lapsed")),
                     index=recency_days.index, dtype=object)


def customer_features(ws: Workspace, reference=None) -> pd.DataFrame:
    """The per-customer feature table, sorted by customer_id (rules in the module docstring).

    Returns
    -------
    DataFrame: customer_id, n_orders (kept orders), monetary (net spent, orders’ currency), aov, first_order, last_order (kept
    orders), recency_days (from the as-of date), status (active / lapsed / no_purchase), returned, cancelled, main_order_channel, sessions, page_views, active_days,
    mobile_share (share of sessions on mobile), main_device, main_channel (traffic source), answers, nps_n,
    nps_mean, promoters, detractors, csat_n, csat_satisfied, tickets, complaints, tenure_days, age, gender,
    city, country, segment, loyalty_member.
    """
    reference = reference if reference is not None else reference_instant(ws)
    if reference is None:
        return pd.DataFrame(columns=["customer_id"])
    sql = journey_sql("personas_features.sql")
    with ws.cursor() as cur:
        df = cur.execute(sql, bind_params(sql, {**session_params(None), "ref": reference})).df()
    df.insert(df.columns.get_loc("recency_days") + 1, "status", customer_status(df["recency_days"]))
    return df.sort_values("customer_id", ignore_index=True)


# ============================================================================ RFM


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
    out["rfm_segment"] = [_rfm_segment(r, f) for r, f in zip(out["r"], out["f"])]
    return out


def _rfm_segment(r, f) -> str:
    if r is pd.NA or f is pd.NA or r is None or f is None:
        return "no_purchase"
    env = {"R": int(r), "F": int(f)}
    for name, rule in RFM_RULES:
        if eval(rule, {"__builtins__": {}}, env):  # noqa: S307 — the rules are the constants above
            return name
    return "hibernating"


# ============================================================================ clustering


def feature_matrix(features: pd.DataFrame) -> tuple[np.ndarray, tuple[str, ...], pd.DataFrame]:
    """The standardised, weighted clustering matrix (rows = customers in `features` order), the features used
    and the raw (transformed, unweighted, unscaled) frame. Missing values take the mean; a feature of a family
    absent from the workspace, or constant, is left out."""
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
    return z.to_numpy(dtype=float) * weights, tuple(frame.columns), frame


def _sq_distances(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)


def _lloyd(x: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd iterations from `centres`; an emptied group takes the point farthest from its centre."""
    centres = centres.copy()
    labels = None
    for _ in range(MAX_ITER):
        d = _sq_distances(x, centres)
        new = d.argmin(axis=1)  # ties: the lowest group index, deterministic
        for j in range(len(centres)):
            if not (new == j).any():
                far = int(d[np.arange(len(x)), new].argmax())
                new[far] = j
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        centres = np.array([x[labels == j].mean(axis=0) for j in range(len(centres))])
    d = _sq_distances(x, centres)
    return labels, centres, float(d[np.arange(len(x)), labels].sum())


def kmeans(x: np.ndarray, k: int, seeds=SEEDS) -> tuple[np.ndarray, np.ndarray]:
    """k-means with k-means++ starts from fixed seeds (deterministic for rows in a fixed order); the run
    with the lowest inertia. Returns (labels, centres)."""
    best = None
    for seed in seeds:
        rng = np.random.default_rng(seed)
        centres = [x[int(rng.integers(len(x)))]]
        d = ((x - centres[0]) ** 2).sum(axis=1)
        for _ in range(1, k):
            total = d.sum()
            i = int(rng.choice(len(x), p=d / total)) if total > 0 else int(rng.integers(len(x)))
            centres.append(x[i])
            d = np.minimum(d, ((x - x[i]) ** 2).sum(axis=1))
        labels, centres, inertia = _lloyd(x, np.array(centres))
        if best is None or inertia < best[2] - 1e-9:
            best = (labels, centres, inertia)
    return best[0], best[1]


def euclidean_distances(x: np.ndarray) -> np.ndarray:
    """Pairwise Euclidean distances between the rows of x (n × n), row block by row block so that memory
    stays at n² floats whatever the number of features."""
    out = np.empty((len(x), len(x)))
    for start in range(0, len(x), 256):
        block = x[start:start + 256]
        out[start:start + len(block)] = np.sqrt(((block[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    return out


def silhouette(x: np.ndarray, labels: np.ndarray, sample: int = SILHOUETTE_SAMPLE) -> float:
    """Mean silhouette (−1…1) over at most `sample` evenly spaced rows (deterministic)."""
    idx = np.unique(np.linspace(0, len(x) - 1, min(sample, len(x))).astype(int))
    xs, ls = x[idx], labels[idx]
    d = euclidean_distances(xs)
    groups = np.unique(ls)
    if len(groups) < 2:
        return -1.0
    mean_to = np.stack([d[:, ls == g].sum(axis=1) / max((ls == g).sum(), 1) for g in groups], axis=1)
    own_n = np.array([(ls == g).sum() for g in groups])
    pos = np.searchsorted(groups, ls)
    a = np.array([d[i, ls == ls[i]].sum() / max(own_n[pos[i]] - 1, 1) for i in range(len(ls))])
    mean_to[np.arange(len(ls)), pos] = np.inf
    b = mean_to.min(axis=1)
    s = np.where(own_n[pos] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def choose_k(x: np.ndarray) -> tuple[int, np.ndarray, dict]:
    """The number of groups in K_RANGE with the best silhouette (ties: fewer groups), its labels and every
    candidate's silhouette. With fewer distinct customers than 3, as many groups as distinct customers."""
    distinct = len(np.unique(np.round(x, 9), axis=0))
    candidates = [k for k in K_RANGE if k <= distinct]
    if not candidates:
        k = max(distinct, 1)
        labels = kmeans(x, k)[0] if k > 1 else np.zeros(len(x), dtype=int)
        return k, labels, {}
    scores, runs = {}, {}
    for k in candidates:
        runs[k] = kmeans(x, k)[0]
        scores[k] = silhouette(x, runs[k])
    k = max(candidates, key=lambda c: (round(scores[c], 6), -c))
    return k, runs[k], scores


# ============================================================================ snapshot


def stored_membership(ws: Workspace) -> pd.DataFrame:
    """The stored persona of each customer: customer_id, persona_id."""
    with ws.cursor() as cur:
        return cur.execute("select customer_id, persona_id from persona_members order by customer_id").df()


def _store(ws: Workspace, membership: pd.DataFrame) -> None:
    with ws.transaction() as cur:
        cur.execute("delete from persona_members").fetchall()
        cur.register("incoming_members", membership[["customer_id", "persona_id"]])
        cur.execute("insert into persona_members select customer_id, persona_id from incoming_members").fetchall()
        cur.unregister("incoming_members")


def _match_ids(labels: np.ndarray, ids: pd.Series, previous: pd.DataFrame) -> dict[int, int]:
    """Group index → persona id: the previous persona it overlaps most (greedy, largest overlaps first); the
    others take new ids, largest group first."""
    groups = sorted(set(labels.tolist()), key=lambda g: (-(labels == g).sum(), g))
    mapping: dict[int, int] = {}
    if len(previous):
        now = pd.DataFrame({"customer_id": ids.to_numpy(), "g": labels})
        overlap = now.merge(previous, on="customer_id").groupby(["g", "persona_id"]).size()
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
    """Cluster the customers and store the membership (see the module docstring for stability).

    Returns
    -------
    (members, info): members = the feature table with persona_id, r, f, m, rfm_segment and the clustering
    coordinates `_x` (an array per row); info = {"k", "silhouettes", "features", "families", "reference",
    "started_from", "reason"}.
    """
    reference = reference_instant(ws)
    features = customer_features(ws, reference)
    info = {"k": 0, "silhouettes": {}, "features": (), "families": (), "reference": reference,
            "started_from": "fresh", "reason": None}
    if reference is None or len(features) < MIN_CUSTOMERS:  # no order, visit, answer or ticket at all: nothing to tell
        info["reason"] = "no_features" if reference is None else "too_few"
        return features.assign(persona_id=pd.Series(dtype="Int64")), info
    x, used, _ = feature_matrix(features)
    info["features"] = used
    info["families"] = tuple(dict.fromkeys(FEATURES[f][0] for f in used))
    if not used:
        info["reason"] = "no_features"
        return features.assign(persona_id=pd.Series(dtype="Int64")), info
    previous = stored_membership(ws)
    present = previous[previous["customer_id"].isin(set(features["customer_id"]))]
    labels = None
    if not fresh and len(previous) and len(present) >= FRESH_OVERLAP * len(previous):
        ids = sorted(present["persona_id"].unique())
        index = features.reset_index().merge(present, on="customer_id")
        centres = np.array([x[index.loc[index["persona_id"] == pid, "index"]].mean(axis=0) for pid in ids])
        labels, _, _ = _lloyd(x, centres)
        mapping = dict(enumerate(int(p) for p in ids))
        info.update(k=len(ids), started_from="stored",
                    silhouettes={len(ids): silhouette(x, labels)} if len(ids) > 1 else {})
    if labels is None:
        k, labels, scores = choose_k(x)
        mapping = _match_ids(labels, features["customer_id"], previous)
        info.update(k=k, silhouettes=scores)
    members = features.assign(persona_id=[mapping[int(g)] for g in labels])
    members = pd.concat([members, rfm_scores(members)], axis=1)
    members["_x"] = list(x)
    now = set(zip(members["customer_id"], members["persona_id"].astype(int)))
    if now != set(zip(previous["customer_id"], previous["persona_id"].astype(int))):
        _store(ws, members)
    return members, info


def reset_personas(ws: Workspace) -> None:
    """Recompute from scratch: choose the number of personas again (names follow the most overlapping group)."""
    assign_personas(ws, fresh=True)


# ============================================================================ names


def persona_names(ws: Workspace) -> dict[int, str]:
    with ws.cursor() as cur:
        return dict(cur.execute("select persona_id, name from persona_names").fetchall())


def rename_persona(ws: Workspace, persona_id: int, name: str | None) -> str | None:
    """Give a persona a name (kept across recomputations); an empty name brings the generated one back.
    Returns the stored name (None when cleared)."""
    name = " ".join(str(name or "").split())
    if len(name) > 60:
        raise CxError("the persona name is too long", fix="use at most 60 characters")
    with ws.cursor() as cur:
        taken = cur.execute("select count(*) from persona_names where lower(name) = lower($name) and persona_id <> $id",
                            {"name": name, "id": int(persona_id)}).fetchall()[0][0]
        if name and taken:
            raise CxError(f"another persona is already called {name!r}", fix="choose another name")
        if not name:
            cur.execute("delete from persona_names where persona_id = $id", {"id": int(persona_id)}).fetchall()
            return None
        cur.execute("insert or replace into persona_names values ($id, $name, now()::timestamp)",
                    {"id": int(persona_id), "name": name}).fetchall()
    return name


def first_name(persona_id: int) -> str:
    """The generated first name of a persona: fixed by its id, so it never changes with the data."""
    return FIRST_NAMES[(int(persona_id) - 1) % len(FIRST_NAMES)]


def persona_label(traits, lang: str = "fr") -> str:
    """A one-line label from the most distinctive traits: a head ("Fidèle", "Prospect"…) from the first trait
    that can head one, then up to two qualifiers ("mobile", "à forte valeur"): "Fidèle mobile à forte valeur"."""
    traits = [tr for tr in traits if abs(tr.z) >= TRAIT_MIN_Z]
    head = next((tr for tr in traits if tr.feature in HEAD_TRAITS), None)
    prospect = next((tr for tr in traits if tr.feature == "frequency" and tr.value is not None and tr.value < 0.5), None)
    if prospect:  # most members never bought: that says more than any amount
        head = prospect
        traits = [tr for tr in traits if tr.feature not in ("monetary", "aov")]
    words = [t("personas.head.prospect", lang) if prospect else
             t(f"personas.head.{head.feature}.{head.direction}", lang) if head else t("personas.head.default", lang)]
    rest, seen = [], {head.feature} if head else set()
    for tr in traits:  # one money trait is enough: spent and average order say the same thing twice
        value_twice = tr.feature in ("monetary", "aov") and seen & {"monetary", "aov"}
        if tr is not head and not value_twice:
            rest.append(tr)
            seen.add(tr.feature)
    for tr in rest[:2]:
        words.append(t(f"personas.mod.{tr.feature}.{tr.direction}", lang))
    return t("personas.label_join", lang).join(words)


# ============================================================================ cards


def _shares(values: pd.Series, top: int = 3) -> tuple:
    counts = values.dropna().value_counts()
    total = len(values)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
    return tuple((str(v), n / total) for v, n in ordered) if total else ()


def _age_band(age) -> str | None:
    if age is None or pd.isna(age) or age < 0 or age > 120:
        return None
    for upper, band in ((25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64")):
        if age < upper:
            return band
    return "65+"


def _comments(ws: Workspace) -> pd.DataFrame:
    from .text import lexicon, read_comment, user_keywords
    with ws.cursor() as cur:
        df = cur.execute(sql_file("personas_comments.sql")).df()
    lex = lexicon(user_keywords(ws))
    cache: dict = {}
    df["themes"] = [cache[c] if c in cache else cache.setdefault(c, read_comment(c, lex).themes)
                    for c in df["comment"]]
    return df.sort_values(["customer_id", "responded_at"], ascending=[True, False], ignore_index=True)


def _kpis(m: pd.DataFrame) -> dict:
    bought = m["n_orders"].sum()
    nps_n = int(m["nps_n"].sum())
    csat_n = int(m["csat_n"].sum())
    buyers = m[m["n_orders"] > 0]
    years = (buyers["tenure_days"].clip(lower=30) / 365.25)
    return {
        "orders": float(m["n_orders"].mean()),
        "orders_per_year": float((buyers["n_orders"] / years).mean()) if len(buyers) else None,
        "aov": float(m["monetary"].sum() / bought) if bought else None,
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
        if bought + m["returned"].sum() else None,
    }


def plain_values(features: pd.DataFrame, feature: str) -> pd.Series:
    """A clustering feature in its own unit, per customer: orders, money, days, NPS points (0–10 mean), shares."""
    if feature == "csat":
        return features["csat_satisfied"] / features["csat_n"].replace(0, np.nan)
    return features[PLAIN[feature]].astype(float)


def _traits(members: pd.DataFrame, mask: pd.Series, used: tuple[str, ...]) -> tuple[Trait, ...]:
    x = np.stack(members["_x"].to_numpy())
    weights = np.array([FEATURES[f][1] for f in used])
    diff = x[mask.to_numpy()].mean(axis=0) / weights  # z-scores have mean 0 over everyone
    out = []
    for i, f in enumerate(used):
        plain = plain_values(members, f)
        value, population = plain[mask].mean(), plain.mean()
        out.append(Trait(f, float(diff[i]), None if pd.isna(value) else float(value),
                         None if pd.isna(population) else float(population)))
    return tuple(sorted(out, key=lambda tr: (-abs(tr.z), tr.feature)))


def personas_key(ws: Workspace) -> tuple:
    """Changes when a persona is renamed or the stored membership changes: pass it as `key` to cached calls."""
    with ws.cursor() as cur:
        return cur.execute("select (select count(*) from persona_members), "
                           "(select coalesce(sum(hash(customer_id, persona_id)), 0)::varchar from persona_members), "
                           "(select coalesce(string_agg(persona_id || ':' || name, '|' order by persona_id), '') "
                           "from persona_names)").fetchall()[0]


def find_personas(ws: Workspace, filters: Filters | None = None, fresh: bool = False, key=None) -> PersonaSet:
    """The persona cards (computing and storing the membership; see the module docstring).

    A persona means the same customers on every page, so the membership is computed on all the data; the
    segment filter keeps only that segment's members on the cards (sizes and shares among them). `key` only
    keys caches (`personas_key(ws)`).
    """
    members, info = assign_personas(ws, fresh=fresh)
    common = dict(k=info["k"], silhouettes=info["silhouettes"], features=info["features"],
                  families=info["families"], reference=info["reference"], started_from=info["started_from"])
    if info["reason"]:
        return PersonaSet((), len(members), reason=info["reason"], **common)
    used = info["features"]
    segment = (filters or Filters()).segment
    shown = members["segment"] == segment if segment else pd.Series(True, index=members.index)
    names = persona_names(ws)
    comments = _comments(ws)
    detractor = comments[comments["nps"] <= 6]
    personas = []
    total = int(shown.sum())
    for pid in sorted(members["persona_id"].unique()):
        in_persona = members["persona_id"] == pid
        mask = in_persona & shown
        m = members[mask]
        if m.empty:
            continue
        ids = set(m["customer_id"])
        themes = pd.Series([th for ts in detractor.loc[detractor["customer_id"].isin(ids), "themes"] for th in ts])
        frustrations = tuple((str(k), int(v)) for k, v in sorted(themes.value_counts().items(),
                                                                  key=lambda kv: (-kv[1], kv[0]))[:3])
        x = np.stack(m["_x"].to_numpy())
        centre = np.stack(members.loc[in_persona, "_x"].to_numpy()).mean(axis=0)
        order = pd.DataFrame({"customer_id": m["customer_id"].to_numpy(),
                              "d": ((x - centre) ** 2).sum(axis=1)}).sort_values(["d", "customer_id"])
        said = comments[comments["customer_id"].isin(ids) & (comments["comment"].str.strip().str.len() >= 15)]
        quote = quote_nps = None
        if len(said):
            first = said.drop_duplicates("customer_id").set_index("customer_id")
            for cid in order["customer_id"]:
                if cid in first.index:
                    quote, quote_nps = str(first.at[cid, "comment"]), first.at[cid, "nps"]
                    quote_nps = None if pd.isna(quote_nps) else float(quote_nps)
                    break
        demographics = {
            "age": float(m["age"].median()) if m["age"].notna().any() else None,
            "age_bands": _shares(m["age"].map(_age_band), 2),
            "gender": _shares(m["gender"], 2), "country": _shares(m["country"], 2), "city": _shares(m["city"], 3),
            "segment": _shares(m["segment"], 2),
            "loyalty_member": float(m["loyalty_member"].astype("boolean").mean())
            if m["loyalty_member"].notna().any() else None,
        }
        rfm = _shares(m["rfm_segment"], 3)
        personas.append(Persona(
            persona_id=int(pid), name=names.get(int(pid)) or first_name(pid), first_name=first_name(pid),
            renamed=int(pid) in names, size=len(m), share=len(m) / total if total else 0.0,
            traits=_traits(members, in_persona, used), kpis=_kpis(m), rfm=rfm, demographics=demographics,
            order_channels=_shares(m["main_order_channel"]), devices=_shares(m["main_device"]),
            web_channels=_shares(m["main_channel"]), frustrations=frustrations, quote=quote, quote_nps=quote_nps))
    personas.sort(key=lambda p: (-p.size, p.persona_id))
    return PersonaSet(tuple(personas), total, members=members.drop(columns="_x"), **common)


# ============================================================================ members, filter, funnel


def members_frame(result: PersonaSet, lang: str = "fr") -> pd.DataFrame:
    """One row per customer of a computed `PersonaSet` (every customer, whatever the segment filter): the
    MEMBER_COLUMNS, persona = the persona's title in `lang`."""
    if result.reason or result.members is None:
        return pd.DataFrame(columns=MEMBER_COLUMNS)
    names = persona_names_of(result)
    members = result.members.assign(persona=result.members["persona_id"].map(lambda pid: names(pid, lang)))
    return members[MEMBER_COLUMNS].reset_index(drop=True)


def persona_names_of(result: PersonaSet):
    """title(persona_id, lang) for every persona of `result`, also those the segment filter hid on the cards."""
    shown = {p.persona_id: p for p in result.personas}
    return lambda pid, lang: shown[pid].title(lang) if pid in shown else first_name(pid)


def persona_members(ws: Workspace, lang: str = "fr", key=None) -> pd.DataFrame:
    """One row per customer for the download: the MEMBER_COLUMNS (persona = its title in `lang`)."""
    return members_frame(find_personas(ws), lang)


def persona_members_sql() -> str:
    """SQL of the customer ids of one persona (bind `$persona`, an id; null keeps everyone): embed it as
    `customer_id in (…)` — for web events through `events.customer_id` — to apply a persona filter."""
    return sql_file("personas_members.sql")


def persona_customer_ids(ws: Workspace, persona_id: int) -> list[str]:
    """The customer ids of a persona (from the stored membership), sorted."""
    with ws.cursor() as cur:
        return [r[0] for r in cur.execute(persona_members_sql(), {"persona": int(persona_id)}).fetchall()]


def persona_funnel(ws: Workspace, filters: Filters | None, steps, window="7d", key=None) -> pd.DataFrame:
    """How each persona's web visitors move through the funnel `steps` (ordered mode, cx.funnel semantics
    under the global filters). A visitor belongs to the persona of their customer (the greatest customer id
    seen on their events); visitors not linked to a customer are left out. `key` only keys caches.

    Returns
    -------
    DataFrame: persona_id, step (1-based), name, users, conversion (vs step 1, 0–1), step_conversion, dropped.
    """
    from . import funnel
    steps, window_s = funnel._check(steps, window, "ordered", None)
    with ws.cursor() as cur:
        params = funnel._compute(cur, filters or Filters(), steps, window_s, "ordered", None)
        run_sql(cur, "funnel_segments.sql", params, "create or replace temp table fx_customers as ")
        counts = cur.execute(sql_file("personas_funnel.sql")).df()
    frames = []
    for pid, part in counts.groupby("persona_id", sort=True):
        frame = funnel._step_frame(steps, funnel._accumulate(part, len(steps)))
        frames.append(frame.assign(persona_id=int(pid)))
    if not frames:
        return pd.DataFrame(columns=["persona_id", "step", "name", "users", "conversion", "step_conversion",
                                     "dropped"])
    out = pd.concat(frames, ignore_index=True)
    return out[["persona_id", "step", "name", "users", "conversion", "step_conversion", "dropped"]]
