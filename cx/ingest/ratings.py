"""A support ticket's satisfaction as the tools export it, read as the ticket's CSAT on 1–5
(docs/IMPORT_FORMATS.md, "Ticket satisfaction"):

- Zendesk (its satisfaction rating: `Satisfaction`, `satisfaction_rating.score`): good → 5, bad → 1; offered,
  unoffered (a survey sent and not answered, or none sent) → no rating. Good/bad is the whole scale, so the CSAT
  (the share rated 4–5) is the share of good ratings.
- Zoho Desk (its happiness rating, `Happiness Rating`, « Évaluation de satisfaction »): Good → 5, Okay (Ok, Okey) → 3,
  Bad → 1 — a 3-point scale whose top box is Good, so the CSAT is the share of Good among the rated tickets (an Okay
  is neutral, not satisfied: CX_REFERENCE §2).
- Freshdesk (`Satisfaction survey`, `Survey result`): the rating's words on its 7-point scale, Extremely happy,
  Very happy → 5, Happy → 4, Neutral → 3, Unhappy → 2, Very unhappy, Extremely unhappy → 1 (the 3- and 5-point
  surveys use the same words); the classic survey's Awesome → 5, Just okay → 3, Not good → 1; the API's codes
  103 … -103 as their words.
- A number 1–5 as it is.
- The labels of a survey's satisfaction scale (Très satisfait / Satisfait / Neutre / Insatisfait / Très insatisfait,
  Very satisfied … Very dissatisfied) → 5 … 1: a survey answer's CSAT reads them too (cx/ingest/convert.py).

A value none of these reads is not a reason to lose the ticket: the ticket is loaded without its rating and the
cell is listed among the rejected values (code `unreadable_satisfaction`), as is a number outside 1–5.
"""

from __future__ import annotations

from cx.sql import literal

RATINGS = {
    # Zendesk
    "good": 5,
    "good with comment": 5,
    "bad": 1,
    "bad with comment": 1,
    "bon": 5,
    "mauvais": 1,
    # Zoho Desk's happiness rating: Good and Bad as Zendesk's, and its neutral middle
    "okay": 3,
    "ok": 3,
    "okey": 3,
    # Freshdesk (7-, 5- and 3-point surveys; the classic survey)
    "extremely happy": 5,
    "very happy": 5,
    "happy": 4,
    "neutral": 3,
    "unhappy": 2,
    "very unhappy": 1,
    "extremely unhappy": 1,
    "awesome": 5,
    "just okay": 3,
    "just ok": 3,
    "not good": 1,
    # survey labels (SurveyMonkey, Google Forms, Typeform), French (either gender) and English
    "très satisfait": 5,
    "très satisfaite": 5,
    "très satisfait(e)": 5,
    "satisfait": 4,
    "satisfaite": 4,
    "satisfait(e)": 4,
    "plutôt satisfait": 4,
    "neutre": 3,
    "ni satisfait ni insatisfait": 3,
    "plutôt insatisfait": 2,
    "insatisfait": 2,
    "insatisfaite": 2,
    "insatisfait(e)": 2,
    "très insatisfait": 1,
    "très insatisfaite": 1,
    "très insatisfait(e)": 1,
    "very satisfied": 5,
    "extremely satisfied": 5,
    "satisfied": 4,
    "somewhat satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "somewhat dissatisfied": 2,
    "dissatisfied": 2,
    "unsatisfied": 2,
    "very dissatisfied": 1,
    "very unsatisfied": 1,
    "extremely dissatisfied": 1,
}
# a survey offered and not answered, or never offered: no rating, and nothing wrong with the cell
NOT_RATED = ("offered", "unoffered", "not offered", "not_offered", "proposé", "non proposé", "not rated")
# Freshdesk's API writes a rating as a code
CODES = {103: 5, 102: 5, 101: 4, 100: 3, -101: 2, -102: 1, -103: 1}
WORDS = (*RATINGS, *NOT_RATED, *map(str, CODES))  # what a column of ratings holds (cx/ingest/profile.py)
# the rejected cells' codes: their row is loaded without the value (cx/ingest/load.py counts no rejected row)
# (and a survey answer's score that is not a number, "N/A": cx/ingest/convert.py)
CELL_CODES = ("unreadable_satisfaction", "satisfaction_out_of_range", "no_score")


def words_sql(r: str, otherwise: str) -> str:
    """SQL: the 1–5 rating the words of the trimmed text `r` say ("Très satisfait" → 5), else `otherwise`."""
    words = " ".join(f"when {literal(w)} then {n}" for w, n in RATINGS.items())
    return f"case lower({r}) {words} else {otherwise} end"


def rating_sql(r: str, v: str, number: str) -> tuple[str, str, list[tuple[str, str, str]]]:
    """(the parsed rating over the trimmed text `r`, whose parse as a number is `number`; the stored CSAT over the
    parsed `v`; the cell problems as (condition, code, reason))."""
    codes = " ".join(f"when {c} then {n}" for c, n in CODES.items())
    parse = words_sql(r, f"case {number} {codes} else {number} end")
    unrated = ", ".join(literal(w) for w in NOT_RATED)
    final = f"case when {v} between 1 and 5 and {v} = round({v}) then {v} end"
    cells = [
        (
            f"{r} is not null and {v} is null and lower({r}) not in ({unrated})",
            "unreadable_satisfaction",
            "not a satisfaction rating (1–5, good/okay/bad, a Freshdesk rating): the ticket is loaded without it",
        ),
        (
            f"{v} is not null and ({final}) is null",
            "satisfaction_out_of_range",
            "not a whole rating from 1 to 5: the ticket is loaded without it",
        ),
    ]
    return parse, final, cells
