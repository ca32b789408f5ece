"""Persona names: the generated first name, the label made from the traits, and the names users give."""

from __future__ import annotations

from .. import keys
from ..errors import CxError
from ..i18n import t
from ..workspace import Workspace, edit

FIRST_NAMES = (
    "Élodie",
    "Thomas",
    "Camille",
    "Julien",
    "Sarah",
    "Lucas",
    "Chloé",
    "Hugo",
    "Léa",
    "Nathan",
    "Emma",
    "Louis",
    "Inès",
    "Olivier",
)
#: which traits can head the label (a noun in French)
HEAD_TRAITS = ("frequency", "recency", "monetary", "nps", "sessions")
TRAIT_MIN_Z = 0.25  # a trait must differ by at least this many standard deviations to be named
#: traits one persona cannot be said to have together ("Dormant customer … loyal": long without an order, yet
#: ordering often; "Advocate … dissatisfied"): the more distinctive one names the persona, the other is left out
CONTRADICTIONS = (
    frozenset({("recency", "high"), ("frequency", "high")}),
    frozenset({("nps", "high"), ("csat", "low")}),
    frozenset({("nps", "low"), ("csat", "high")}),
)


def persona_names(ws: Workspace) -> dict[int, str]:
    with ws.cursor() as cur:
        return dict(cur.execute("select persona_id, name from persona_names").fetchall())


@edit
def rename_persona(ws: Workspace, persona_id: int, name: str | None) -> str | None:
    """Give a persona a name (kept across recomputations); an empty name brings the generated one back.
    Returns the stored name (None when cleared)."""
    name = " ".join(str(name or "").split())
    if len(name) > 60:
        raise CxError("the persona name is too long", fix="use at most 60 characters")
    with ws.transaction() as cur:
        taken = cur.execute(
            "select count(*) from persona_names where lower(name) = lower($name) and persona_id <> $id",
            {"name": name, "id": int(persona_id)},
        ).fetchall()[0][0]
        if name and taken:
            raise CxError(f"another persona is already called {name!r}", fix="choose another name")
        if not name:
            cur.execute("delete from persona_names where persona_id = $id", {"id": int(persona_id)}).fetchall()
            return None
        keys.upsert(
            cur,
            "persona_names",
            {"persona_id": int(persona_id), "name": name},
            ("persona_id",),
            sql={"renamed_at": "now()::timestamp"},
        )
    return name


def first_name(persona_id: int) -> str:
    """The generated first name of a persona: fixed by its id, so it never changes with the data."""
    return FIRST_NAMES[(int(persona_id) - 1) % len(FIRST_NAMES)]


def _consistent(traits: list) -> list:
    """`traits` (most distinctive first) without those that contradict a more distinctive one (CONTRADICTIONS)."""
    kept = []
    for tr in traits:
        if not any(frozenset({(tr.feature, tr.direction), (k.feature, k.direction)}) in CONTRADICTIONS for k in kept):
            kept.append(tr)
    return kept


def persona_label(traits, lang: str = "fr") -> str:
    """A one-line label from the most distinctive traits: a head ("Fidèle", "Prospect"…) from the first trait
    that can head one, then up to two qualifiers ("mobile", "à forte valeur"): "Fidèle mobile à forte valeur"."""
    traits = _consistent([tr for tr in traits if abs(tr.z) >= TRAIT_MIN_Z])
    head = next((tr for tr in traits if tr.feature in HEAD_TRAITS), None)
    prospect = next(
        (tr for tr in traits if tr.feature == "frequency" and tr.value is not None and tr.value < 0.5), None
    )
    if prospect:  # most members never bought: that says more than any amount
        head = prospect
        traits = [tr for tr in traits if tr.feature not in ("monetary", "aov")]
    words = [
        t("personas.head.prospect", lang)
        if prospect
        else t(f"personas.head.{head.feature}.{head.direction}", lang)
        if head
        else t("personas.head.default", lang)
    ]
    rest, seen = [], {head.feature} if head else set()
    for tr in traits:  # one money trait is enough: spent and average order say the same thing twice
        value_twice = tr.feature in ("monetary", "aov") and seen & {"monetary", "aov"}
        if tr is not head and not value_twice:
            rest.append(tr)
            seen.add(tr.feature)
    for tr in rest[:2]:
        words.append(t(f"personas.mod.{tr.feature}.{tr.direction}", lang))
    return t("personas.label_join", lang).join(words)
