"""Verbatims: themes and tone in French and English, with nothing to download.

Curated lexicons ship in `cx/lexicons/themes.json`; users add keywords in the app (table `theme_keywords`).
A comment is folded (accents, œ, case), cut into sentences and tokens, and each token lightly stemmed
(`stem`: common FR/EN suffixes), so "livrée / livraison / livré" and "delivered / delivery" meet. Keywords are
matched as stem sequences, longest first: a phrase ("rapport qualité prix") hides the words inside it from
shorter keywords of other themes. Tone is a sum of positive and negative words, flipped by a negation in the
three words before ("pas rapide", "not good", "sans souci"), weighted after "mais / but" (×1.5, before ×0.5)
and damped after "malgré / despite" (×0.5); a theme's tone is that of the sentences naming it.

The lexicons are French and English: each comment's language is detected (`detect_language`, py3langid,
offline) and a comment in another language (a Portuguese review) is not read at all, so it neither gets a
false "no theme" nor dilutes the share of comments naming a theme; `comment_languages` counts them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from . import keys
from .errors import CxError
from .models import Filters
from .satisfaction import params as satisfaction_params, query as satisfaction_query
from .workspace import Workspace, edit, run_sql

LANGUAGES = ("fr", "en")
TONES = ("positive", "neutral", "negative")
_SUFFIXES = sorted(
    {
        # French
        "issements",
        "issement",
        "atrices",
        "ateurs",
        "ations",
        "ements",
        "aisons",
        "ement",
        "ation",
        "aison",
        "atrice",
        "ateur",
        "euses",
        "euse",
        "eurs",
        "eur",
        "ives",
        "ive",
        "ees",
        "ee",
        "es",
        "e",
        "er",
        "ez",
        # English
        "ings",
        "ing",
        "ied",
        "ies",
        "ed",
        "ers",
        "ly",
        "ness",
        "ment",
        "s",
        "y",
    },
    key=len,
    reverse=True,
)
_NEGATION_WINDOW = 3
#: Below this probability a language other than French or English is not believed: one or two words ("ok",
#: "Bom", "Nickel !") carry too little text, and such comments are read with the lexicons like any other.
_LANGUAGE_CONFIDENCE = 0.5


def fold(text: str) -> str:
    """Lower case, accents removed, ligatures and typographic apostrophes replaced: "Œuvre Livrée’" →
    "oeuvre livree'"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    text = re.sub(r"[’‘`´]", "'", text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=50000)
def stem(token: str) -> str:
    """Strip common French and English endings (at most three), keeping a stem of 4 letters (3 for a plural
    s): livraison/livrée/livré → livr, delivery/delivered → deliv, bugs → bug."""
    if token in _lexicon_raw()["keep"]:
        return token
    for _ in range(3):
        for suffix in _SUFFIXES:
            keep = 3 if suffix == "s" else 4
            if (
                token.endswith(suffix)
                and len(token) - len(suffix) >= keep
                and not (suffix == "s" and token.endswith("ss"))
            ):
                token = token[: -len(suffix)]
                break
        else:
            break
    return token


def tokens(text: str) -> list[list[str]]:
    """Folded text cut into sentences of tokens; None marks a comma-like break (a negation stops there)."""
    text = re.sub(r"n't\b", " not", fold(text))
    text = re.sub(r"\bcan not\b|\bca not\b", "cannot", text)
    out = []
    for sentence in re.split(r"[.!?;\n]+", text):
        words = [w if w[0].isalnum() else None for w in re.findall(r"[a-z0-9]+|[,:()–—/]|(?<=\s)-(?=\s)", sentence)]
        if any(words):
            out.append(words)
    return out


def stems_of(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for sentence in tokens(phrase) for w in sentence if w)


@lru_cache(maxsize=1)
def _lexicon_raw() -> dict:
    raw = json.loads(resources.files("cx.lexicons").joinpath("themes.json").read_text(encoding="utf-8"))
    raw["keep"] = frozenset(raw["keep"])
    return raw


@dataclass(frozen=True)
class Lexicon:
    """The keyword tables, indexed for matching (see `lexicon`)."""

    themes: dict  # first stem -> [(stems tuple, theme names)], see _index
    tone: dict  # first stem -> [(stems tuple, +1 / 0 / -1)]
    negators: frozenset
    verbal: frozenset  # negations of a verb ("ne", "not"): a complaint even without a tone word
    contrast: dict  # first stem -> [(stems tuple, "contrast" | "concession")]
    labels: dict  # theme -> {"fr": label, "en": label}
    waits: dict = field(default_factory=dict)  # amounts, units, links, leads: frozensets of stems (see `_is_a_wait`)


def theme_names() -> tuple[str, ...]:
    return tuple(_lexicon_raw()["themes"])


def theme_label(theme: str, lang: str = "fr") -> str:
    return _lexicon_raw()["themes"].get(theme, {}).get("label", {}).get(lang, theme)


@lru_cache(maxsize=64)
def lexicon(extra: tuple[tuple[str, str], ...] = ()) -> Lexicon:
    """The shipped lexicon plus `extra` (theme, keyword) pairs added by users."""
    raw = _lexicon_raw()
    themes: dict[tuple, set] = {}
    pairs = [
        (theme, word) for theme, spec in raw["themes"].items() for words in spec["keywords"].values() for word in words
    ] + list(extra)
    for theme, word in pairs:
        key = stems_of(word)
        if key:
            themes.setdefault(key, set()).add(theme)
    tone = {}
    for polarity, sign in (("neutral", 0), ("positive", 1), ("negative", -1)):  # neutral: "bon de retour"
        for words in raw["tone"][polarity].values():
            for word in words:
                if stems_of(word):
                    tone[stems_of(word)] = sign
    contrast = {stems_of(w): kind for kind in ("contrast", "concession") for ws in raw[kind].values() for w in ws}
    negators = frozenset(stem(w) for lang, ws in raw["negators"].items() if lang != "verbal" for w in ws)
    verbal = frozenset(stem(w) for w in raw["negators"]["verbal"])
    waits = {
        part: frozenset(stem(w) for ws in raw["waits"][part].values() for w in ws)
        for part in ("amounts", "units", "links", "leads")
    }
    return Lexicon(
        _index({k: tuple(sorted(v)) for k, v in themes.items()}),
        _index(tone),
        negators,
        verbal,
        _index(contrast),
        {t: spec["label"] for t, spec in raw["themes"].items()},
        waits,
    )


def _index(table: dict) -> dict:
    """First stem → [(key, value)], longest keys first: the keywords that may start at a position."""
    index: dict = {}
    for key, value in sorted(table.items(), key=lambda kv: -len(kv[0])):
        index.setdefault(key[0], []).append((key, value))
    return index


def _match(stems: list, index: dict) -> list[tuple[int, int, object]]:
    """(start, length, value) of every keyword of an `_index` in `stems`, longest first; a position taken by
    a longer phrase is not matched again by a shorter one."""
    candidates = []
    for i, first in enumerate(stems):
        for key, value in index.get(first, ()):
            if tuple(stems[i : i + len(key)]) == key:
                candidates.append((i, len(key), value))
    if not candidates:
        return []
    taken = [False] * len(stems)
    found = []
    for length in sorted({n for _, n, _ in candidates}, reverse=True):
        new = [c for c in candidates if c[1] == length and not any(taken[c[0] : c[0] + length])]
        for i, n, _ in new:
            taken[i : i + n] = [True] * n
        found += new
    return found


@dataclass(frozen=True)
class Reading:
    """What a comment says: its themes, its overall tone, and the tone of each theme."""

    themes: tuple[str, ...]
    tone: str
    score: float
    theme_tones: dict


def _tone_label(score: float) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def _is_a_wait(stems: list, waits: dict) -> bool:
    """'dix jours pour un remboursement', 'it took three weeks', 'il a fallu un mois': an amount of two or more
    then a unit then a link word, or a lead word at most three words before a unit (lexicon `waits`)."""
    for j, s in enumerate(stems):
        if s not in waits["units"]:
            continue
        amount = stems[j - 1] if j else None
        counted = amount in waits["amounts"] or (amount or "").isdigit() and int(amount) >= 2
        if counted and j + 1 < len(stems) and stems[j + 1] in waits["links"]:
            return True
        if any(w in waits["leads"] for w in stems[max(0, j - 3) : j] if w):
            return True
    return False


def _sentence_score(stems: list, lex: Lexicon) -> float:
    marks = _match(stems, lex.contrast)
    marked = {j for i, n, _ in marks for j in range(i, i + n)}
    hits = [h for h in _match(stems, lex.tone) if h[0] not in marked]  # "bien que" is not praise
    taken = {j for i, n, _ in hits for j in range(i, i + n)} | marked
    but = min((i for i, _, kind in marks if kind == "contrast"), default=None)
    concessions = [i for i, _, kind in marks if kind == "concession"]
    score = 0.0

    def weight(i: int) -> float:
        w = 1.0 if but is None else 1.5 if i > but else 0.5
        for c in concessions:  # "malgré un léger retard": damped until the next comma
            if c < i and None not in stems[c:i]:
                w *= 0.5
        return w

    for i, n, sign in hits:
        negated = False
        if not any(s in lex.negators for s in stems[i : i + n]):  # "toujours pas" carries its own negation
            for j in range(i - 1, max(-1, i - 1 - _NEGATION_WINDOW), -1):
                if stems[j] is None:
                    break
                if stems[j] in lex.negators and j not in taken:
                    negated = True
                    break
        score += (-sign if negated else sign) * weight(i)
    # "le livreur n'a jamais sonné", "did not apply": a negated verb with no tone word after it is a complaint
    starts = [i for i, _, sign in hits if sign]
    for j, s in enumerate(stems):
        if s in lex.verbal and j not in taken and not any(j < i <= j + 4 and None not in stems[j:i] for i in starts):
            score -= weight(j)
            break
    if not starts and lex.waits and _is_a_wait(stems, lex.waits):  # "ten days for a refund": a complaint
        score -= 1.0
    return score


def read_comment(text: str | None, lex: Lexicon | None = None) -> Reading:
    """Themes and tone of one comment."""
    lex = lex or lexicon()
    if not text or not str(text).strip():
        return Reading((), "neutral", 0.0, {})
    theme_scores: dict[str, float] = {}
    total = 0.0
    for sentence in tokens(str(text)):
        stems = [stem(w) if w else None for w in sentence]
        score = _sentence_score(stems, lex)
        total += score
        for _, _, names in _match(stems, lex.themes):
            for name in names:
                theme_scores[name] = theme_scores.get(name, 0.0) + score
    themes = tuple(sorted(theme_scores))
    tones = {t: _tone_label(s if s else total) for t, s in theme_scores.items()}
    return Reading(themes, _tone_label(total), total, tones)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=50000)
def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of a comment ("fr", "en", "pt"…). A language other than French or
    English needs a probability of at least 0.5, else the comment is French or English, whichever is likelier
    (a very short comment says too little to be set aside)."""
    language, probability = _identifier().classify(text)
    if language in LANGUAGES or probability >= _LANGUAGE_CONFIDENCE:
        return language
    ranks = dict(_identifier().rank(text))
    return max(LANGUAGES, key=lambda lang: ranks.get(lang, 0.0))


def nps_group(score) -> str | None:
    if score is None or pd.isna(score):
        return None
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


# ----------------------------------------------------------------------------------------- workspace


def list_theme_keywords(ws: Workspace) -> pd.DataFrame:
    """Keywords users added. Returns a DataFrame: theme, keyword, language, added_at (oldest first)."""
    with ws.cursor() as cur:
        return run_sql(cur, "text_theme_keywords.sql", {}).df()


@edit
def add_theme_keyword(ws: Workspace, theme: str, keyword: str, language: str = "fr") -> tuple[str, str]:
    """Add a keyword (a word or a short phrase) to a theme; it is used from the next reading on.
    Returns the (theme, keyword) pair stored."""
    keyword = " ".join(str(keyword or "").split())
    if theme not in theme_names():
        raise CxError(f"unknown theme {theme!r}", fix="choose one of " + ", ".join(theme_names()))
    if language not in LANGUAGES:
        raise CxError(f"unknown language {language!r}", fix="choose fr or en")
    if not stems_of(keyword):
        raise CxError("the keyword is empty", fix="type a word or a short phrase, e.g. « transporteur »")
    if len(keyword) > 60 or len(stems_of(keyword)) > 6:
        raise CxError("the keyword is too long", fix="use a word or a phrase of at most 6 words")
    with ws.transaction() as cur:
        keys.upsert(
            cur,
            "theme_keywords",
            {"theme": theme, "keyword": keyword, "language": language},
            ("theme", "keyword"),
            sql={"added_at": "now()::timestamp"},
            replace=False,
        )
    return theme, keyword


@edit
def remove_theme_keyword(ws: Workspace, theme: str, keyword: str) -> None:
    with ws.transaction() as cur:
        cur.execute(
            "delete from theme_keywords where theme = $theme and keyword = $keyword",
            {"theme": theme, "keyword": keyword},
        ).fetchall()


def user_keywords(ws: Workspace) -> tuple[tuple[str, str], ...]:
    """(theme, keyword) pairs users added: pass them as `extra_keywords` to cached readings."""
    added = list_theme_keywords(ws)
    return tuple(zip(added["theme"], added["keyword"]))


def _comments(ws: Workspace, filters: Filters | None) -> pd.DataFrame:
    with ws.cursor() as cur:
        return cur.execute(satisfaction_query("comments"), satisfaction_params(filters)).df()


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """The comments in a language the lexicons read (`LANGUAGES`), with their detected_language."""
    detected = df["comment"].map(detect_language)
    return df.assign(detected_language=detected)[detected.isin(LANGUAGES)]


def read_comments(
    ws: Workspace, filters: Filters | None = None, extra_keywords: tuple[tuple[str, str], ...] | None = None
) -> pd.DataFrame:
    """Every non-empty comment kept by the filters and written in French or English, read. Comments in other
    languages are left out (`comment_languages` counts them): themes and their trends are shares of the comments
    the lexicons can read.

    Returns
    -------
    DataFrame: responded_at, nps, group (promoter | passive | detractor | None), language (as exported),
    touchpoint, comment, detected_language ("fr" | "en"), themes (tuple), tone (positive | neutral | negative),
    theme_tones (dict theme -> tone).
    """
    comments = _readable(_comments(ws, filters))
    if comments.empty:  # nothing to read: the lexicon (~0.3 s to build) is not built
        return _read(comments, None)
    return _read(comments, lexicon(tuple(extra_keywords) if extra_keywords is not None else user_keywords(ws)))


def comment_languages(ws: Workspace, filters: Filters | None = None) -> pd.DataFrame:
    """The languages of the comments kept by the filters.

    Returns
    -------
    DataFrame: language (ISO 639-1 code, `detect_language`), comments, read (bool: the lexicons read this
    language, so its comments count in themes, tone and quotes); most comments first.
    """
    detected = _comments(ws, filters)["comment"].map(detect_language)
    counts = detected.value_counts().rename_axis("language").reset_index(name="comments")
    counts["read"] = counts["language"].isin(LANGUAGES)
    return counts.sort_values(["comments", "language"], ascending=[False, True], ignore_index=True)


def _read(df: pd.DataFrame, lex: Lexicon | None) -> pd.DataFrame:
    cache: dict = {}  # surveys repeat comments ("RAS", "Très bien"…): read each text once
    readings = [cache[c] if c in cache else cache.setdefault(c, read_comment(c, lex)) for c in df["comment"]]
    df["group"] = [nps_group(s) for s in df["nps"]]
    df["themes"] = [r.themes for r in readings]
    df["tone"] = [r.tone for r in readings]
    df["theme_tones"] = [r.theme_tones for r in readings]
    return df


def find_themes(
    ws: Workspace, filters: Filters | None = None, extra_keywords: tuple[tuple[str, str], ...] | None = None
) -> pd.DataFrame:
    """Themes of the verbatims and how they split between promoters, passives and detractors.

    `extra_keywords` (theme, keyword) pairs replace the workspace's user keywords (pass `user_keywords(ws)`
    when caching, so the cache key changes with them).

    Returns
    -------
    DataFrame, one row per theme of the lexicon, most mentioned first: theme, mentions, share (of comments,
    0–1), promoters, passives, detractors (mentions by NPS group), detractor_share / promoter_share /
    passive_share (share of that group's comments naming the theme, 0–1), nps (NPS of the answers naming the
    theme, None without scores), positive, neutral, negative (mentions by tone of the theme), negative_share.
    """
    df = read_comments(ws, filters, extra_keywords)
    per_group = df["group"].value_counts()
    rows = []
    for theme in theme_names():
        hit = df[df["themes"].map(lambda t, theme=theme: theme in t).astype(bool)]
        groups = hit["group"].value_counts()
        tones = hit["theme_tones"].map(lambda t, theme=theme: t[theme]).value_counts()
        scored = hit["group"].notna().sum()
        row = {"theme": theme, "mentions": len(hit), "share": len(hit) / len(df) if len(df) else 0.0}
        for g in ("promoter", "passive", "detractor"):
            row[g + "s"] = int(groups.get(g, 0))
            row[g + "_share"] = groups.get(g, 0) / per_group[g] if per_group.get(g) else None
        row["nps"] = 100 * (groups.get("promoter", 0) - groups.get("detractor", 0)) / scored if scored else None
        for tone in TONES:
            row[tone] = int(tones.get(tone, 0))
        row["negative_share"] = row["negative"] / len(hit) if len(hit) else None
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(["mentions", "theme"], ascending=[False, True]).reset_index(drop=True)


def find_quotes(
    ws: Workspace,
    filters: Filters | None = None,
    theme: str | None = None,
    search: str | None = None,
    limit: int = 50,
    extra_keywords: tuple[tuple[str, str], ...] | None = None,
) -> pd.DataFrame:
    """Real comments, newest first, optionally naming `theme` and containing `search` (accents and case
    ignored: "livree" finds "Livrée").

    Returns
    -------
    DataFrame: responded_at, nps, group, language, touchpoint, comment, detected_language, themes (tuple), tone;
    at most `limit` rows, French and English comments only (`read_comments`). The comment is the customer's raw
    text: show it escaped.
    """
    lex = lexicon(tuple(extra_keywords) if extra_keywords is not None else user_keywords(ws))
    df = _comments(ws, filters).sort_values("responded_at", ascending=False, kind="stable")
    needle = " ".join(fold(search or "").split())
    if needle:  # the search first: it is cheaper than reading every comment
        df = df[df["comment"].map(lambda c: needle in " ".join(fold(c).split())).astype(bool)]
    df = _readable(df)
    if theme:  # read newest first, only until `limit` comments name the theme
        keep, cache = [], {}
        for i, comment in zip(df.index, df["comment"]):
            if comment not in cache:
                cache[comment] = theme in read_comment(comment, lex).themes
            if cache[comment]:
                keep.append(i)
                if len(keep) >= limit:
                    break
        df = df.loc[keep]
    df = _read(df.head(limit), lex)
    return df.drop(columns=["theme_tones"]).reset_index(drop=True)
