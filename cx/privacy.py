"""Personal data inside free text: e-mail addresses and phone numbers found in a comment or a ticket's text are
masked at import when personal data is pseudonymised (the default), and in the Data page's previews before
anything is loaded.

The masks stored are language-neutral tokens, "[e-mail]" and "[tel]" (the spelling of both in French and English,
as on a business card), so a text reads the same in every export and JSON document whoever exported it; a page,
the report and the command line's printout show them in their language (`readable`: "[téléphone]", "[phone]").
Texts loaded before 2026-12-07 hold the French "[téléphone]": shown the same way.

The patterns leave prices ("1 234,56 €", "+12,50"), dates ("02/12/2025", "02-12-2025 10:30"), times, order
numbers ("#10006") and percentages alone: a French number is ten digits in five pairs with one separator
throughout; an international one starts with + (8 to 15 digits) or 00 (11 to 17, spaces only).
"""

from __future__ import annotations

import re

from .i18n import t

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[tel]"
# each mask as shown, by its label; the French phone mask of texts loaded before the neutral tokens too
SHOWN = {EMAIL_MASK: "privacy.email_mask", PHONE_MASK: "privacy.phone_mask", "[téléphone]": "privacy.phone_mask"}
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


def mask_text(text: str | None) -> str | None:
    """The text with its e-mail addresses and phone numbers replaced by the tokens "[e-mail]" and "[tel]"."""
    if text is None:
        return None
    return _mask_phones(EMAIL.sub(EMAIL_MASK, text))


def readable(text: str | None, lang: str) -> str | None:
    """A stored text as shown to a reader of `lang`: each mask in their words ("[phone]", "[téléphone]")."""
    if not text:
        return text
    return _MASKS.sub(lambda m: t(SHOWN[m.group(0)], lang), text)
