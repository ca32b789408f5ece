"""Maturity: the six-level CX pyramid and the six pillars (CX_REFERENCE §5), from the data and from a workshop.

The same text is the page's help.

* **Criteria are data, not code.** The default table ships in `cx/maturity_criteria.json` (level, key, metric,
  comparison, threshold, source); a threshold a user edits is stored in the workspace (`maturity_thresholds`)
  and overrides the default. Every metric is oriented so that **higher is better** (shares and scores 0–100,
  NPS in points), so with the default `>=` comparisons raising a measured value never lowers the placement.
* **Placement** (`place`; `place_maturity`, the one the page, the CLI and the report show): a level *holds* when each of its criteria is met; it is *reached*
  when it holds and so does every level below (each level builds on the previous one). A criterion whose data
  is missing is neither met nor failed: the level cannot be reached on data alone, and a workshop answer tied
  to that criterion (score ≥ 75/100) may stand in for it. The placement says why it stops: the criteria of the
  next level that fail or lack data, with the friction findings (`cx.friction`) that block them.
* **Measured values** come from the existing analyses: journey KPIs (bounce, engagement, checkout completion,
  repeat purchase, advocacy events), support (resolution rate, first reply within the expected time — measured
  only when enough tickets have a first-reply time, `cx.support.replies_on_time` — complaint recurrence), satisfaction (CSAT, CES low-effort share, NPS, promoters), text (tone of verbatims) and the
  delivery promise of orders (`cx/sql/maturity_delivery.sql`).
* **Pillars** scored 0–100 from data where possible: resolution = ticket resolution rate; time and effort =
  mean of CES low-effort share and first replies within the expected time; expectations = mean of CSAT and
  on-time delivery share (the promise); empathy = positive share of the toned comments after a support
  contact. Personalisation and integrity have no source in the canonical tables: the workshop scores them.
* **Questionnaire** (18 questions): answers 1–5 score (a − 1) × 25, yes/no scores 100/0. A level holds for the
  workshop when the mean score of its questions is ≥ 75; the self-assessed level is the highest level such
  that it and every level below hold. A pillar's self score is the mean of its questions. Data and workshop
  disagree on a level when one says it holds and the other not; on a pillar when they differ by ≥ 25 points.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import cohorts, journey, satisfaction, support, text
from .errors import CxError
from .friction import apply_statuses, find_friction, load_statuses
from .models import Filters
from .workspace import Workspace, edit, run_sql

LEVELS = (1, 2, 3, 4, 5, 6)
LEVEL_KEYS = {1: "inform", 2: "solve", 3: "respond", 4: "anticipate", 5: "move", 6: "excel"}
PILLARS = ("personalisation", "integrity", "resolution", "time_effort", "expectations", "empathy")
#: the measured values each pillar is the mean of (module docstring); none for the two no canonical table measures
PILLAR_METRICS = {
    "personalisation": (),
    "integrity": (),
    "resolution": ("resolution_rate",),
    "time_effort": ("low_effort_share", "reply_on_time_share"),
    "expectations": ("csat", "on_time_delivery_share"),
    "empathy": ("_empathy",),
}
COMPARISONS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
CRITERIA_FILE = Path(__file__).with_name("maturity_criteria.json")
HOLD_SCORE = 75.0  # a workshop answer (or a level's mean answer) at or above this says "it holds"
DISAGREE_POINTS = 25.0  # pillar scores from data and workshop further apart than this disagree

#: metric -> friction finding codes that push it down (linked when the criterion fails or lacks data)
METRIC_FINDINGS = {
    "no_bounce_share": ("SLOW_PAGE", "DWELL_EXIT", "NAVIGATION_LOOP"),
    "engagement_rate": ("REPEATED_SEARCH", "NAVIGATION_LOOP", "DWELL_EXIT"),
    "resolution_rate": ("SLOW_SUPPORT", "RISING_COMPLAINTS"),
    "reply_on_time_share": ("SLOW_SUPPORT",),
    "non_recurrent_complaint_share": ("RISING_COMPLAINTS",),
    "checkout_completion": ("FUNNEL_INCIDENT", "ERROR_EVENTS", "CHECKOUT_TROUBLE", "SEGMENT_GAP"),
    "csat": ("LOW_CSAT_TOUCHPOINT", "LATE_DELIVERY_NPS"),
    "low_effort_share": ("HIGH_EFFORT",),
    "repeat_purchase_rate": ("RISING_RETURNS",),
    "on_time_delivery_share": ("LATE_DELIVERY_NPS",),
    "proactive_contact_share": (),
    "nps": ("DETRACTOR_THEME", "LATE_DELIVERY_NPS"),
    "positive_verbatim_share": ("DETRACTOR_THEME", "RISING_THEME"),
    "promoter_share": ("DETRACTOR_THEME",),
    "advocacy_per_100_buyers": (),
}
METRICS = tuple(METRIC_FINDINGS)
SUPPORT_TOUCHPOINTS = ("sav", "support", "service", "contact", "ticket", "chat")


@dataclass(frozen=True)
class Question:
    """A workshop question (text: `maturity.q.<id>`), tied to a level criterion's metric or to a pillar."""

    id: str
    kind: str  # "scale" (1–5) | "yesno" (1 yes, 0 no)
    level: int | None = None
    metric: str | None = None
    pillar: str | None = None


QUESTIONS = (
    Question("q01", "scale", 1, "no_bounce_share"),
    Question("q02", "yesno", 1, "engagement_rate"),
    Question("q03", "scale", 2, "resolution_rate"),
    Question("q04", "yesno", 2, "reply_on_time_share"),
    Question("q05", "scale", 3, "checkout_completion"),
    Question("q06", "scale", 3, "csat"),
    Question("q07", "yesno", 4, "proactive_contact_share"),
    Question("q08", "scale", 4, "repeat_purchase_rate"),
    Question("q09", "scale", 5, "nps"),
    Question("q10", "scale", 5, "positive_verbatim_share"),
    Question("q11", "yesno", 6, "advocacy_per_100_buyers"),
    Question("q12", "scale", 6, "promoter_share"),
    Question("q13", "scale", pillar="personalisation"),
    Question("q14", "scale", pillar="integrity"),
    Question("q15", "scale", pillar="resolution"),
    Question("q16", "scale", pillar="time_effort"),
    Question("q17", "scale", pillar="expectations"),
    Question("q18", "scale", pillar="empathy"),
)
QUESTION_BY_ID = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Criterion:
    """One criterion judged: value None with `missing` True when the data cannot give it; met None then, unless
    a workshop answer stood in (`answered_by` "workshop")."""

    level: int
    key: str
    metric: str
    comparison: str
    threshold: float
    source: str
    value: float | None
    met: bool | None
    missing: bool
    answered_by: str | None  # "data" | "workshop" | None
    findings: tuple[str, ...] = ()
    answer: int | None = None  # the workshop answer that settled it (answered_by "workshop"): 1–5, or 1 yes / 0 no
    answer_kind: str | None = None  # its question's kind: "scale" | "yesno"


@dataclass(frozen=True)
class Level:
    level: int
    key: str  # i18n: maturity.level.<key>
    holds: bool  # every criterion met
    reached: bool  # holds, and every level below holds
    criteria: tuple[Criterion, ...]

    @property
    def blocking(self) -> tuple[Criterion, ...]:
        """The criteria that keep this level from holding (failed or without data)."""
        return tuple(c for c in self.criteria if not c.met)


@dataclass(frozen=True)
class PillarScore:
    pillar: str
    score: float | None  # 0–100, None when no data measures it
    evidence: tuple[dict, ...] = ()  # {"metric", "value", "n"} the score is the mean of


@dataclass(frozen=True)
class Placement:
    """Where the company sits on the pyramid: `level` reached (0 = not even level 1), per level its criteria,
    `next_level` (None at the top), `missing` (criteria of the next level that fail or lack data) and the
    friction finding codes that block them, and the six pillars."""

    level: int
    levels: tuple[Level, ...]
    pillars: tuple[PillarScore, ...]
    next_level: int | None
    missing: tuple[Criterion, ...]
    findings: tuple[str, ...]
    values: dict = field(default_factory=dict, compare=False)
    workshop: int | None = None  # the saved workshop whose answers stood in for missing data (place_maturity)
    loaded: frozenset = frozenset()  # sources (tables) holding rows: a criterion of one without a value lacks a column


# --------------------------------------------------------------------------------------- criteria (data)


def default_criteria() -> pd.DataFrame:
    """The shipped criteria table (`cx/maturity_criteria.json`).

    Returns
    -------
    DataFrame: level, key, metric, comparison, threshold, source.
    """
    rows = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))["criteria"]
    df = pd.DataFrame(rows, columns=["level", "key", "metric", "comparison", "threshold", "source"])
    df["threshold"] = df["threshold"].astype(float)
    return df


def check_criteria(df: pd.DataFrame) -> pd.DataFrame:
    """Refuse a criteria table the placement cannot use (unknown level, metric or comparison, no threshold)."""
    for row in df.itertuples():
        if row.level not in LEVELS:
            raise CxError(f"criterion {row.key!r}: level {row.level!r} is not 1–6", fix="use a level from 1 to 6")
        if row.metric not in METRIC_FINDINGS:
            raise CxError(
                f"criterion {row.key!r}: unknown metric {row.metric!r}", fix="use one of " + ", ".join(METRICS)
            )
        if row.comparison not in COMPARISONS:
            raise CxError(f"criterion {row.key!r}: unknown comparison {row.comparison!r}", fix="use >=, >, <= or <")
        if row.threshold is None or pd.isna(row.threshold):
            raise CxError(f"criterion {row.key!r} has no threshold", fix="give a number")
    return df


def maturity_criteria(ws: Workspace | None = None, thresholds: dict | None = None) -> pd.DataFrame:
    """The criteria in force: the defaults, overridden by the workspace's edits, then by `thresholds`
    ({criterion key: threshold} or {key: (comparison, threshold)}) when given.

    Returns
    -------
    DataFrame: level, key, metric, comparison, threshold, source, default_threshold, edited (bool).
    """
    df = default_criteria()
    df["default_threshold"] = df["threshold"]
    edits: dict = {}
    if ws is not None:
        with ws.cursor() as cur:
            edits = {k: (c, t) for k, c, t in run_sql(cur, "maturity_thresholds.sql", {}).fetchall()}
    for key, value in (thresholds or {}).items():
        edits[key] = value if isinstance(value, tuple) else (None, value)
    for key, (comparison, threshold) in edits.items():
        at = df["key"] == key
        if not at.any():
            continue  # a criterion removed from the defaults: its old edit no longer applies
        if comparison:
            df.loc[at, "comparison"] = comparison
        df.loc[at, "threshold"] = float(threshold)
    df["edited"] = (df["threshold"] != df["default_threshold"]) | (df["comparison"] != default_criteria()["comparison"])
    return check_criteria(df)


@edit
def save_threshold(ws: Workspace, key: str, threshold: float, comparison: str | None = None) -> None:
    """Store a user's threshold (and comparison) for one criterion; the default value removes the edit."""
    defaults = default_criteria().set_index("key")
    if key not in defaults.index:
        raise CxError(f"unknown maturity criterion {key!r}", fix="use one of " + ", ".join(defaults.index))
    comparison = comparison or defaults.at[key, "comparison"]
    if comparison not in COMPARISONS:
        raise CxError(f"unknown comparison {comparison!r}", fix="use >=, >, <= or <")
    if threshold is None or pd.isna(threshold):
        raise CxError(f"criterion {key!r} needs a number as threshold", fix="type a number, e.g. 75")
    with ws.transaction() as cur:
        cur.execute("delete from maturity_thresholds where criterion = $k", {"k": key})
        if float(threshold) != defaults.at[key, "threshold"] or comparison != defaults.at[key, "comparison"]:
            cur.execute(
                "insert into maturity_thresholds values ($k, $c, $t, current_timestamp::timestamp)",
                {"k": key, "c": comparison, "t": float(threshold)},
            )


@edit
def reset_thresholds(ws: Workspace) -> None:
    """Forget every edited threshold: the defaults apply again."""
    with ws.transaction() as cur:
        cur.execute("delete from maturity_thresholds")


# --------------------------------------------------------------------------------------- measured values


def _share(part, whole):
    return None if not whole else 100.0 * float(part) / float(whole)


def _mean(values):
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def measure_maturity(ws: Workspace, filters: Filters | None = None) -> tuple[dict, dict]:
    """Every metric of `METRICS` over the filtered period, oriented higher-is-better, from the existing analyses.

    Returns
    -------
    (values, counts): values {metric: float or None (the data cannot give it)}, counts {metric: how many
    records it rests on, or None}.
    """
    filters = filters or Filters()
    kpis = {
        k.key: k.value
        for stage in journey.find_stage_kpis(ws, filters)
        for k in stage.kpis
        if k.key != "stage_visitors"
    }
    summary = support.summarise_support(ws, filters)
    channels = support.support_by_channel(ws, filters)
    on_time = support.replies_on_time(channels)  # not measured on too few tickets (3 of 48 say nothing)
    sat = satisfaction.summarise(ws, filters)
    buyers = cohorts.count_buyers(ws, filters)  # customers with a purchase in the period
    comments = text.read_comments(ws, filters)
    if "tone" not in comments:  # no comment in the period: nothing to read
        comments = pd.DataFrame({"tone": pd.Series(dtype=str), "touchpoint": pd.Series(dtype=str)})
    toned = comments[comments["tone"] != "neutral"]
    with ws.cursor() as cur:
        delivery = run_sql(cur, "maturity_delivery.sql", filters.params()).df().iloc[0]
    ces = sat.ces[0] if sat.ces else None
    advocacy = kpis.get("advocacy_events")
    v = {
        "no_bounce_share": None if kpis.get("bounce_rate") is None else 100.0 - kpis["bounce_rate"],
        "engagement_rate": kpis.get("engagement_rate"),
        "resolution_rate": None if summary.resolution_rate is None else 100.0 * summary.resolution_rate,
        "reply_on_time_share": 100.0 * on_time.share if on_time.enough else None,
        "non_recurrent_complaint_share": None
        if summary.recurrent_share is None
        else 100.0 * (1 - summary.recurrent_share),
        "checkout_completion": kpis.get("checkout_completion"),
        "csat": sat.csat.csat if sat.csat else None,
        "low_effort_share": 100.0 * ces.low_effort_share if ces else None,
        "repeat_purchase_rate": kpis.get("repeat_purchase_rate"),
        "on_time_delivery_share": _share(delivery["on_time"], delivery["delivered_with_promise"]),
        "proactive_contact_share": None,  # no canonical table records proactive contacts: the workshop answers
        "nps": sat.nps.nps,
        "positive_verbatim_share": _share((toned["tone"] == "positive").sum(), len(toned)),
        "promoter_share": None if sat.nps.promoters is None else 100.0 * sat.nps.promoters,
        "advocacy_per_100_buyers": _share(advocacy, buyers) if advocacy is not None else None,
    }
    n = {
        "no_bounce_share": kpis.get("visits"),
        "engagement_rate": kpis.get("visits"),
        "resolution_rate": summary.tickets,
        "reply_on_time_share": on_time.timed,
        "non_recurrent_complaint_share": summary.complaints,
        "checkout_completion": None,
        "csat": sat.csat.n if sat.csat else 0,
        "low_effort_share": ces.n if ces else 0,
        "repeat_purchase_rate": buyers,
        "on_time_delivery_share": int(delivery["delivered_with_promise"]),
        "proactive_contact_share": None,
        "nps": sat.nps.n,
        "positive_verbatim_share": len(toned),
        "promoter_share": sat.nps.n,
        "advocacy_per_100_buyers": buyers,
    }
    after_support = [
        bool(set(re.findall(r"\w+", text.fold(s or ""))) & set(SUPPORT_TOUCHPOINTS))
        for s in toned["touchpoint"].fillna("")
    ]
    support_toned = toned.loc[pd.Series(after_support, index=toned.index, dtype=bool)]
    v["_empathy"] = _share((support_toned["tone"] == "positive").sum(), len(support_toned))
    n["_empathy"] = len(support_toned)
    clean = {k: (None if x is None or pd.isna(x) else float(x)) for k, x in v.items()}
    return clean, {k: (None if x is None else int(x)) for k, x in n.items()}


def score_pillars(values: dict, counts: dict | None = None) -> tuple[PillarScore, ...]:
    """The six pillars 0–100 from measured values (see the module docstring); None when no data measures one."""
    counts = counts or {}

    def pillar(name, metrics):
        evidence = tuple(
            {"metric": m, "value": values.get(m), "n": counts.get(m)} for m in metrics if values.get(m) is not None
        )
        score = _mean([e["value"] for e in evidence])
        return PillarScore(name, None if score is None else max(0.0, min(100.0, score)), evidence)

    return tuple(pillar(name, PILLAR_METRICS[name]) for name in PILLARS)


# --------------------------------------------------------------------------------------- placement


def answer_score(question: Question, answer) -> float | None:
    """A workshop answer on 0–100: scale 1–5 → (a − 1) × 25; yes/no → 100 / 0; None when unanswered."""
    if answer is None or (isinstance(answer, float) and pd.isna(answer)):
        return None
    answer = int(answer)
    if question.kind == "yesno":
        if answer not in (0, 1):
            raise CxError(f"question {question.id}: {answer} is not yes (1) or no (0)", fix="answer yes or no")
        return 100.0 * answer
    if not 1 <= answer <= 5:
        raise CxError(f"question {question.id}: {answer} is not between 1 and 5", fix="answer from 1 to 5")
    return (answer - 1) * 25.0


def place(
    values: dict,
    criteria: pd.DataFrame | None = None,
    answers: dict | None = None,
    finding_codes=(),
    pillars: tuple[PillarScore, ...] = (),
) -> Placement:
    """The placement from measured `values` ({metric: value or None}), the `criteria` table in force, optional
    workshop `answers` ({question id: answer}, standing in for missing data) and the open friction codes."""
    criteria = check_criteria(default_criteria() if criteria is None else criteria)
    answers = answers or {}
    by_metric = {q.metric: q for q in QUESTIONS if q.metric}
    open_codes = set(finding_codes)
    levels, below_hold = [], True
    for level in LEVELS:
        judged = []
        for row in criteria[criteria["level"] == level].itertuples():
            value = values.get(row.metric)
            missing = value is None
            linked = tuple(c for c in METRIC_FINDINGS.get(row.metric, ()) if c in open_codes)
            answer = kind = None
            if not missing:
                met = bool(COMPARISONS[row.comparison](value, row.threshold))
                by = "data"
            else:
                q = by_metric.get(row.metric)
                score = answer_score(q, answers.get(q.id)) if q else None
                met, by = (None, None) if score is None else (score >= HOLD_SCORE, "workshop")
                if score is not None:
                    answer, kind = int(answers[q.id]), q.kind
            judged.append(
                Criterion(
                    level,
                    row.key,
                    row.metric,
                    row.comparison,
                    float(row.threshold),
                    row.source,
                    value,
                    met,
                    missing,
                    by,
                    linked if not met else (),
                    answer,
                    kind,
                )
            )
        holds = bool(judged) and all(c.met for c in judged)
        levels.append(Level(level, LEVEL_KEYS[level], holds, holds and below_hold, tuple(judged)))
        below_hold = below_hold and holds
    reached = max([lv.level for lv in levels if lv.reached], default=0)
    next_level = reached + 1 if reached < len(LEVELS) else None
    missing = levels[next_level - 1].blocking if next_level else ()
    findings = tuple(dict.fromkeys(code for c in missing for code in c.findings))
    return Placement(reached, tuple(levels), tuple(pillars), next_level, missing, findings, dict(values))


def place_maturity(
    ws: Workspace,
    filters: Filters | None = None,
    thresholds: dict | None = None,
    workshop: int | None = None,
    measured: tuple[dict, dict] | None = None,
    findings=None,
) -> Placement:
    """The placement the page, the CLI and the report show: measure, score the pillars, take the open friction
    findings and place the company on the pyramid, the answers of a saved workshop standing in for criteria
    without data.

    `workshop`: the id of that workshop, the latest one (`latest_workshop`) when None; `thresholds`
    ({criterion key: threshold}) overrides the criteria in force for this call only; `measured`
    (`measure_maturity`'s result) and `findings` (`find_friction(…, with_status=False).findings`) when the
    caller already holds them (the page's cached ones); their statuses are read here.
    """
    values, counts = measured or measure_maturity(ws, filters)
    if findings is None:
        findings = find_friction(ws, filters, with_status=False).findings
    codes = tuple(f.code for f in apply_statuses(findings, load_statuses(ws)) if f.status != "dismissed")
    workshop = latest_workshop(ws) if workshop is None else workshop
    answers = workshop_answers(ws, workshop) if workshop is not None else {}
    placement = place(values, maturity_criteria(ws, thresholds), answers, codes, score_pillars(values, counts))
    loaded = frozenset(table for table, rows in ws.table_counts().items() if rows)
    return replace(placement, workshop=workshop, loaded=loaded)


# --------------------------------------------------------------------------------------- workshop


@dataclass(frozen=True)
class SelfAssessment:
    level: int  # highest level such that it and every level below hold for the workshop
    level_scores: dict  # {level: mean score 0–100 of its answered questions, or None}
    pillars: dict  # {pillar: score 0–100 or None}


def assess_answers(answers: dict) -> SelfAssessment:
    """Score a workshop's answers (see the module docstring)."""
    scores = {q.id: answer_score(q, answers.get(q.id)) for q in QUESTIONS}
    level_scores = {lv: _mean([scores[q.id] for q in QUESTIONS if q.level == lv]) for lv in LEVELS}
    pillars = {p: _mean([scores[q.id] for q in QUESTIONS if q.pillar == p]) for p in PILLARS}
    level = 0
    for lv in LEVELS:
        if level_scores[lv] is None or level_scores[lv] < HOLD_SCORE:
            break
        level = lv
    return SelfAssessment(level, level_scores, pillars)


def compare_assessment(placement: Placement, answers: dict) -> pd.DataFrame:
    """Data side by side with the workshop, per level and per pillar.

    Returns
    -------
    DataFrame: kind ("level" | "pillar"), item (level number as text or pillar name), data (level: True/False
    whether it holds on data, None when data is missing; pillar: score), workshop (level: True/False/None;
    pillar: score), disagree (bool).
    """
    self_ = assess_answers(answers)
    rows = []
    for lv in placement.levels:
        data = True if lv.holds else False if any(c.met is False for c in lv.criteria) else None
        score = self_.level_scores[lv.level]
        mine = None if score is None else score >= HOLD_SCORE
        rows.append(
            {
                "kind": "level",
                "item": str(lv.level),
                "data": data,
                "workshop": mine,
                "disagree": data is not None and mine is not None and data != mine,
            }
        )
    for p in placement.pillars:
        mine = self_.pillars.get(p.pillar)
        rows.append(
            {
                "kind": "pillar",
                "item": p.pillar,
                "data": p.score,
                "workshop": mine,
                "disagree": p.score is not None and mine is not None and abs(p.score - mine) >= DISAGREE_POINTS,
            }
        )
    return pd.DataFrame(rows, columns=["kind", "item", "data", "workshop", "disagree"])


@edit
def save_workshop(ws: Workspace, name: str, held_on: dt.date, answers: dict) -> int:
    """Store a workshop's answers (every answer checked); returns its id."""
    name = (name or "").strip()
    if not name:
        raise CxError("a workshop needs a name", fix="name it, e.g. 'Comité CX de mars'")
    unknown = set(answers) - set(QUESTION_BY_ID)
    if unknown:
        raise CxError(f"unknown questions {sorted(unknown)}", fix="answer the questions of the questionnaire")
    kept = {q: int(a) for q, a in answers.items() if answer_score(QUESTION_BY_ID[q], a) is not None}
    with ws.transaction() as cur:
        new_id = cur.execute("select coalesce(max(workshop_id), 0) + 1 from maturity_workshops").fetchall()[0][0]
        cur.execute(
            "insert into maturity_workshops values ($id, $name, $held_on, current_timestamp::timestamp)",
            {"id": new_id, "name": name, "held_on": held_on},
        )
        for question, answer in kept.items():
            cur.execute("insert into maturity_answers values ($id, $q, $a)", {"id": new_id, "q": question, "a": answer})
    return int(new_id)


def workshop_answers(ws: Workspace, workshop_id: int) -> dict:
    """{question id: answer} of one saved workshop."""
    with ws.cursor() as cur:
        return dict(run_sql(cur, "maturity_answers.sql", {"workshop_id": int(workshop_id)}).fetchall())


def latest_workshop(ws: Workspace) -> int | None:
    """The id of the workshop held last (the last of `list_workshops`), None when none was saved."""
    shops = list_workshops(ws)
    return int(shops["workshop_id"].iloc[-1]) if len(shops) else None


def list_workshops(ws: Workspace) -> pd.DataFrame:
    """The saved workshops, oldest first, each scored — to compare them over time.

    Returns
    -------
    DataFrame: workshop_id, name, held_on, answered (questions answered), level (self-assessed), then one
    column per pillar (self score 0–100 or None).
    """
    with ws.cursor() as cur:
        shops = run_sql(cur, "maturity_workshops.sql", {}).df()
    rows = []
    for shop in shops.itertuples():
        assessed = assess_answers(workshop_answers(ws, shop.workshop_id))
        rows.append(
            {
                "workshop_id": int(shop.workshop_id),
                "name": shop.name,
                "held_on": shop.held_on,
                "answered": int(shop.answered),
                "level": assessed.level,
                **assessed.pillars,
            }
        )
    return pd.DataFrame(rows, columns=["workshop_id", "name", "held_on", "answered", "level", *PILLARS])
