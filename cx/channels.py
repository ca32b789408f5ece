"""One reading of the channel an export writes on an order or a ticket: 'Site web', 'web' and 'Website' are the
channel `web`, 'Magasin' and 'Visite magasin' are `store`; 'E-mail', 'courriel' and 'email' are `email`, as the
Support page groups them (`cx.support.EXPECTED_RESPONSE`, the same patterns its SQL matches). A Shopify
`source_name` that is a number is the id of a sales app, not a channel name: `other_app`. A channel no pattern knows is kept as the export spells it
(trimmed), as the Support page keeps it. The labels are `journey.channel.<code>`."""

from __future__ import annotations

import re

from .support import EXPECTED_RESPONSE

#: order channels, first matching pattern wins (on the lower-cased channel). Read by Python's `re` here and by
#: DuckDB's RE2 in `personas_features.sql`: only syntax both read alike (`\b` next to ASCII letters only: RE2 takes
#: an accented letter for a word's end)
ORDER_CHANNELS: tuple[tuple[str, str], ...] = (
    ("other_app", r"^\d+$"),  # a Shopify app's numeric id (source_name 5690175)
    ("mobile_app", r"mobile|iphone|android|\bios\b"),
    ("marketplace", r"marketplace|place de march|amazon|ebay|cdiscount|etsy|zalando"),
    # before the stores: Shopify's "Online Store" and a "boutique en ligne" are web; "site" only as a word, so a
    # "Visite magasin" (an in-store visit) is not the web site
    ("web", r"web|\bsite\b|online|en ligne|e-?shop|internet"),
    ("store", r"store|magasin|\bpos\b|point of sale|point de vente|boutique|retail"),
    ("app", r"^apps?\b|^appli"),
    # an order taken by e-mail, phone or chat: the codes (and labels) of the same support channels
    ("email", r"e-?mail|courriel"),
    ("phone", r"phone|^t[eé]l\.?$|appel|call"),
    ("chat", r"chat"),
)
#: ticket channels: the Support page's groups
TICKET_CHANNELS: tuple[tuple[str, str], ...] = tuple((e.channel, e.pattern) for e in EXPECTED_RESPONSE)
PATTERNS = {"order": ORDER_CHANNELS, "ticket": TICKET_CHANNELS}


def channel_code(channel: str, kind: str) -> str:
    """The channel code of an order's (`kind` 'order') or a ticket's ('ticket') channel as written in the export."""
    written = str(channel).strip()
    return next((code for code, pattern in PATTERNS[kind] if re.search(pattern, written.lower())), written)


def is_known(channel: str, kind: str) -> bool:
    """Whether a pattern of `kind` ('order' or 'ticket') reads the channel as written (else it is kept as spelt)."""
    written = str(channel).strip().lower()
    return any(re.search(pattern, written) for _, pattern in PATTERNS[kind])


def order_channel_params() -> dict:
    """ORDER_CHANNELS as bind values for SQL that reads order channels as `channel_code` does:
    `$order_channel_code`, `$order_channel_pattern` (first match wins, in list order)."""
    return {
        "order_channel_code": [code for code, _ in ORDER_CHANNELS],
        "order_channel_pattern": [pattern for _, pattern in ORDER_CHANNELS],
    }
