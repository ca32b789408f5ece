"""Every label the user reads, in French and English: `t("data.title", lang="fr")`.

Strings live in `cx/locales/<lang>/*.json`, one file per area (core, journey, voice…), merged; a key
missing from one language falls back to English and a key missing everywhere shows as itself, so a gap
is visible, never a crash. `{name}` placeholders are filled with `str.format`.

Plurals: a key may have a singular form `<key>_one` beside its plural form `<key>`; `t` picks it from the count,
`count=` when given (the number itself, e.g. when `{n}` is passed already written by cx.format), else `n` when
it is a number. French writes 0 and 1 in the singular ("0 constat", "1 constat"), English 1 only ("0 findings").
`count` is also a value like any other: a label may write it with a `{count}` placeholder.
"""

from __future__ import annotations

import json
import numbers
from functools import cache
from importlib import resources

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT = "fr"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files("cx.locales").joinpath(lang)
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if part.name.endswith(".json"):
            merged.update(json.loads(part.read_text(encoding="utf-8")))
    if lang == "fr":  # French typography: a narrow no-break space before ?, ! and ;, so a line never starts with
        # the sign alone (values filled in later, the user's data, are left as they are)
        merged = {
            k: v.replace(" ?", "\u202f?").replace(" !", "\u202f!").replace(" ;", "\u202f;") for k, v in merged.items()
        }
    return merged


def singular(count, lang: str) -> bool:
    """Whether `lang` writes `count` things in the singular: French below 2 (0, 1, 1,5), English exactly 1."""
    return bool(abs(count) < 2 if lang == "fr" else count == 1)


def t(key: str, lang: str = DEFAULT, **values) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT
    count = values.get("count", values.get("n"))
    if isinstance(count, numbers.Real) and not isinstance(count, bool) and singular(count, lang):
        key = f"{key}_one" if f"{key}_one" in catalogue(lang) else key
    text = catalogue(lang).get(key) or catalogue("en").get(key) or key
    return text.format(**values) if values else text


def cli_text(key: str, lang: str = DEFAULT, **values) -> str:
    """`key` as the command line says it: its `cli.<key>` wording when there is one, which names the command where
    the app's names a page ("python -m cx import FICHIER", not "sur la page Données"), else the app's."""
    return t(f"cli.{key}" if f"cli.{key}" in catalogue(lang) else key, lang, **values)


def report_text(key: str, lang: str = DEFAULT, **values) -> str:
    """`key` as the app's report says it: its `report.<key>` wording when there is one, where the page's wording
    points to a part of the page the report does not have ("the stage rules (below)"), else the page's."""
    return t(f"report.{key}" if f"report.{key}" in catalogue(lang) else key, lang, **values)


def dimension_value(dimension: str, value, lang: str = DEFAULT) -> str:
    """A stored value of a filter dimension as the UI shows it: its label `filters.<dimension>.<value>` when
    there is one ("mobile" → "Mobile", "desktop" → "Ordinateur"), else the value itself (a channel, a segment)."""
    key = f"filters.{dimension}.{value}"
    label = t(key, lang)
    return str(value) if label == key else label
