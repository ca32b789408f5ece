"""Personal data inside free text: e-mail addresses, phone numbers, and the names and postal addresses that can be
told from ordinary words, found in a comment or a ticket's text, are masked at import when personal data is
pseudonymised (the default), and in the Data page's previews before anything is loaded.

The masks stored are tokens, "[e-mail]", "[tel]", "[name]" and "[address]" ("e-mail" and "tel" are spelt so in
French and English, as on a business card), so a text reads the same in every export and JSON document whoever
exported it; a page, the report and the command line's printout show them in their language (`readable`:
"[téléphone]", "[phone]", "[nom]", "[adresse]"). Texts loaded before 2026-12-07 hold the French "[téléphone]":
shown the same way.

A name is recognised only where the text itself says it is one: after a sign-off ending the line ("Cordialement,
Jean Dupont", "Regards, John"), after a greeting opening a sentence ("Bonjour Marie,", "Dear Mr Smith,"), after
"je m'appelle" / "my name is"; one to three capitalised words (or a surname in capitals), never a title alone
("Bonjour Madame,") nor a team ("Cordialement, Le service client", "Thanks, Support"). A postal address only as a
street: a number, a street word and a capitalised name ("12 rue de la Paix", "3 bis, avenue Victor Hugo",
"221B Baker Street"), with the postcode and town that follow ("…, 75002 Paris"). A name alone in a sentence ("Jean
a été très aimable") or an address without its street word cannot be told from ordinary words: they stay.

The patterns leave prices ("1 234,56 €", "+12,50"), dates ("02/12/2025", "02-12-2025 10:30"), times, order
numbers ("#10006") and percentages alone: a French number is ten digits in five pairs with one separator
throughout; an international one starts with + (8 to 15 digits) or 00 (11 to 17, spaces only).
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from .i18n import t

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[tel]"
NAME_MASK = "[name]"
ADDRESS_MASK = "[address]"
# each mask as shown, by its label; the French phone mask of texts loaded before the neutral tokens too
SHOWN = {
    EMAIL_MASK: "privacy.email_mask",
    PHONE_MASK: "privacy.phone_mask",
    "[téléphone]": "privacy.phone_mask",
    NAME_MASK: "privacy.name_mask",
    ADDRESS_MASK: "privacy.address_mask",
}
_MASKS = re.compile("|".join(map(re.escape, SHOWN)))

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
PHONE = re.compile(
    r"(?<![\w+#])(?<!\d[.,:/-])"  # not the end of a word, an order number, a decimal, a time or a date
    r"(?:"
    r"(?:\+|00)\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\(?\d{1,4}\)?){2,6}"  # +33 6 12 34 56 78, +1 (555) 123-4567
    r"|0[1-9]([ .-]?)\d{2}(?:\1\d{2}){3}"  # 06 12 34 56 78, 06.12.34.56.78, 0612345678
    r"|\(\d{3}\) ?\d{3}[ .-]?\d{4}"  # (555) 123-4567
    r")"
    r"(?![.,]?\d)"
)
# a text holding none of these has nothing to mask (checked in SQL before calling Python)
# (RE2: no look-behind; a wider pattern than PHONE's, so no phone is missed): an @, or + / 00 / a French 0X
# opening a number that does not continue a word or a number, or (555)
SQL_CANDIDATE = (
    r"@|(^|[^0-9A-Za-z_#])(\+[0-9]|00[0-9]|0[1-9][ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2})"
    r"|\([0-9]{3}\)"
    # the words that announce a name (a sign-off, a greeting, an introduction), or a number before a street
    r"|(?i:\b(cordialement|bien à vous|salutations|sincèrement|regards|best wishes|sincerely|cheers|merci|thank"
    r"|bonjour|bonsoir|salut|hello|hi[ \t]|dear|cher|m['’]appelle|my name is"
    r"|[0-9]+[ \t,a-z]*(rue|av|boulevard|bd|place|chemin|allée|impasse|quai|square|passage|cours|route|faubourg|rés)"
    r"|[0-9]+[a-z]? ([a-z]+ ){1,3}(street|st\.|avenue|ave|road|rd\.|lane|drive|boulevard|blvd|way|court|place)))"
)


def _is_phone(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    if text.startswith("00"):
        # 00 + country code + a national number of 8 digits or more, spaces only ("0099-01-01 0.00" is a
        # date of the year 99 and a price)
        return 11 <= digits <= 17 and not any(c in text for c in ".-")
    return 8 <= digits <= 15


def _mask_phones(text: str) -> str:
    """Each phone number replaced; where a candidate is not one, the search starts again one character on
    (a number may begin inside it)."""
    out, kept, at = [], 0, 0
    while match := PHONE.search(text, at):
        if _is_phone(match.group(0)):
            out += [text[kept : match.start()], PHONE_MASK]
            kept = at = match.end()
        else:
            at = match.start() + 1
    return "".join(out) + text[kept:]


# a name: a capitalised first word (Jean, Jean-Luc, O'Neil), then up to two more, an initial (J.) or a surname in
# capitals (DUPONT) among them; a word in capitals alone (SAV, DPD) is no name
_WORD = r"(?:[A-ZÀ-ÖØ-Þ]['’])?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[-'’][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?"  # O'Neil, D'Almeida
_NEXT = rf"(?:{_WORD}|[A-ZÀ-ÖØ-Þ]\.|[A-ZÀ-ÖØ-Þ]{{2,}}(?:-[A-ZÀ-ÖØ-Þ]{{2,}})?)"
_NAME = rf"(?P<name>{_WORD}(?:[ \t]+{_NEXT}){{0,2}})"
# a person's name as a customer key, however a shop writes it ("G. THOMAS", "Anne de BOISSIEU", "jean dupont",
# "Thomas", "O'Neil"): letters, with spaces, dots, hyphens and apostrophes between them; no digit, no "@"
NAME_LIKE = re.compile(r"[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?")
NAME_LIKE_SQL = r"^\p{L}+(?:[ .'’-]+\p{L}+)*\.?$"  # the same in DuckDB's RE2, over a trimmed value


def name_like(value: str) -> bool:
    """Whether `value` reads as a person's name (`NAME_LIKE`): Python's letters (`[^\\W\\d_]`) also take a digit
    that is no decimal ("¹", "½"), which DuckDB's `\\p{L}` does not: those are left out here too."""
    return bool(NAME_LIKE.fullmatch(value)) and not any(c.isnumeric() and not c.isalpha() for c in value)


# the share of a customer id column's values that must read as names for the column to be taken as names
PERSON_KEYS_SHARE = 0.8


def keyed_by_names(values: list[str]) -> bool:
    """Whether a customer id column's values are people's names (PrestaShop's "Client" = "G. THOMAS"): then each
    value that reads as a name (`name_like`) is pseudonymised as names are, a code ("C-1002") stays as written.
    `PERSON_KEYS_SHARE` of the values read as names, one of them of two words at least (a column of single words
    may be codes: "GUEST", "ABC")."""
    filled = [v.strip() for v in values if v and v.strip()]
    named = [v for v in filled if name_like(v)]
    return bool(filled) and len(named) >= PERSON_KEYS_SHARE * len(filled) and any(" " in v for v in named)


_TITLE = r"(?:(?:M\.|Mme|Mlle|Madame|Monsieur|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Docteur)[ \t]+)?"
# a sign-off ends the text or its line with the name; after "merci" / "thanks" (words of any sentence) only past a
# comma or a line break ("Merci, Jean", not "merci Livraison !")
SIGN_OFF = re.compile(
    r"(?:(?i:\b(?:bien[ \t]+)?cordialement|\bbien[ \t]+à[ \t]+vous|\b(?:sincères[ \t]+)?salutations"
    r"(?:[ \t]+distinguées)?|\bsincèrement|\b(?:kind[ \t]+|best[ \t]+|warm[ \t]+)?regards|\bbest[ \t]+wishes"
    r"|\bsincerely|\bcheers)[ \t]*[,.!]?[ \t]*\r?\n?"
    r"|(?i:\bmerci(?:[ \t]+beaucoup)?|\bthanks|\bthank[ \t]+you|\bmany[ \t]+thanks)"
    r"[ \t]*(?:,[ \t]*\r?\n?|[.!]?[ \t]*\r?\n))"
    rf"[ \t]*{_TITLE}{_NAME}[ \t]*[.!]?[ \t]*$",
    re.MULTILINE,
)
GREETING = re.compile(
    r"(?:^|(?<=[.!?][ \t])|(?<=[.!?]\n))[ \t]*(?i:bonjour|bonsoir|salut|hello|hi|dear|cher|chère)[ \t]+"
    rf"{_TITLE}{_NAME}[ \t]*,",  # "Bonjour Marie," — not "Hello World!"
    re.MULTILINE,
)
INTRODUCTION = re.compile(rf"(?i:\bje[ \t]+m['’]appelle|\bmy[ \t]+name[ \t]+is)[ \t]+{_NAME}")
# what follows a sign-off or a greeting without being a person: a title alone, a team, everyone
NOT_A_NAME = frozenset(
    [
        "madame",
        "monsieur",
        "mademoiselle",
        "messieurs",
        "mesdames",
        "sir",
        "madam",
        "team",
        "équipe",
        "service",
        "support",
        "sav",
        "client",
        "clients",
        "customer",
        "le",
        "la",
        "les",
        "l",
        "the",
        "all",
        "tous",
        "toutes",
        "everyone",
        "everybody",
        "vous",
        "you",
        "again",
        "encore",
        "d",
        "de",
        "du",
        "des",
        "world",
        "monde",
        "folks",
        "friends",
        "amis",
        "there",
    ]
)
_STREET = (
    r"rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|square|passage|cours|route|faubourg|rés\.?"
    r"|résidence"
)
ADDRESS = re.compile(
    r"(?<![\w#.,/:-])\d{1,4}(?:[ \t]?(?:bis|ter|[a-dA-D]))?,?[ \t]+"  # 12, 3 bis, 221B
    r"(?:"
    rf"(?i:{_STREET})[ \t]+(?:(?:de[ \t]+la|de[ \t]+l['’]|du|des|de|d['’])[ \t]*)?{_WORD}(?:[ \t-]+{_NEXT}){{0,3}}"
    r"|(?:[A-Z][a-z]+[ \t]+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Lane|Drive|Boulevard|Blvd\.?|Way|Court|Place)\b"
    r")"
    r"(?:,?[ \t]+\d{5}[ \t]+[A-ZÀ-Þ][\w'’-]*(?:[ \t-]+[A-ZÀ-Þ][\w'’-]*){0,2})?"  # …, 75002 Paris
)


# a word of the shipped lexicons (themes, tone, negators) or a common short word is no part of a name: "Thanks,
# Keep It Up", "Cordialement, Très Déçu", "Regards, Delivery Was Late" are words of the comment, not a person
_COMMON = frozenset(
    [
        "it",
        "up",
        "was",
        "is",
        "are",
        "be",
        "keep",
        "very",
        "so",
        "too",
        "not",
        "no",
        "your",
        "my",
        "our",
        "for",
        "and",
        "et",
        "très",
        "trop",
        "pas",
        "bien",
        "déçu",
        "déçue",
        "great",
        "good",
        "bad",
        "late",
        "again",
        "soon",
        "ok",
        "okay",
    ]
)


@functools.cache
def _lexicon_words() -> frozenset:
    raw = json.loads(resources.files("cx.lexicons").joinpath("themes.json").read_text(encoding="utf-8"))
    phrases = [w for theme in raw["themes"].values() for words in theme["keywords"].values() for w in words]
    phrases += [w for tone in raw["tone"].values() for words in tone.values() for w in words]
    phrases += [w for words in raw["negators"].values() for w in words]
    return frozenset(word for phrase in phrases for word in phrase.lower().split()) | _COMMON


def _mask_names(text: str) -> str:
    """Each name a sign-off, a greeting or an introduction announces replaced by "[name]" (the words around it
    kept); a title alone or a team is left."""

    def name(match: re.Match) -> str:
        words = re.findall(r"[\w'’.-]+", match.group("name"))
        if any(w.lower().strip(".'’") in NOT_A_NAME or w.lower() in _lexicon_words() for w in words):
            return match.group(0)
        start, end = match.span("name")
        return match.group(0)[: start - match.start()] + NAME_MASK + match.group(0)[end - match.start() :]

    for pattern in (SIGN_OFF, GREETING, INTRODUCTION):
        text = pattern.sub(name, text)
    return text


def mask_text(text: str | None) -> str | None:
    """The text with its e-mail addresses, phone numbers, street addresses and announced names replaced by the
    tokens "[e-mail]", "[tel]", "[address]" and "[name]"."""
    if text is None:
        return None
    return _mask_names(ADDRESS.sub(ADDRESS_MASK, _mask_phones(EMAIL.sub(EMAIL_MASK, text))))


def readable(text: str | None, lang: str) -> str | None:
    """A stored text as shown to a reader of `lang`: each mask in their words ("[phone]", "[téléphone]")."""
    if not text:
        return text
    return _MASKS.sub(lambda m: t(SHOWN[m.group(0)], lang), text)
