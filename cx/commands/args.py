"""What several commands read from their arguments."""

from __future__ import annotations

import datetime as dt

from ..errors import CxError


def day(value: str | None, flag: str) -> dt.date | None:
    """The date an option such as `--from 2025-10-31` gives, None when it is not given."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CxError(f"{flag} {value!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2025-10-31") from None
