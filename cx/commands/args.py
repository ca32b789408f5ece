"""What several commands read from their arguments."""

from __future__ import annotations

import datetime as dt

from ..errors import CxError
from ..i18n import DEFAULT, LANGUAGES


def add_lang(parser) -> None:
    """`--lang fr|en`, given to every command (cx/__main__.py): the language of what it prints for a person
    (default the app's language, French)."""
    parser.add_argument(
        "--lang", choices=list(LANGUAGES), default=DEFAULT, help=f"language of what it prints (default {DEFAULT})"
    )


def day(value: str | None, flag: str) -> dt.date | None:
    """The date an option such as `--from 2025-10-31` gives, None when it is not given."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CxError(f"{flag} {value!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2025-10-31") from None
