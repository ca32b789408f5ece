"""One reading of the channel an export writes on an order or a ticket: 'Site web', 'web' and 'Website' are the
channel `web`; 'E-mail', 'courriel' and 'email' are `email`, as the Support page groups them
(`cx.support.EXPECTED_RESPONSE`, the same patterns its SQL matches). A Shopify `source_name` that is a number is the
id of a sales app, not a channel name: `other_app`. A channel no pattern knows is kept as the export spells it
(trimmed), as the Support page keeps it. The labels are `journey.channel.<code>`."""

from __future__ import annotations

import re

from .support import EXPECTED_RESPONSE

#: order channels, first matching pattern wins (on the lower-cased channel)
ORDER_CHANNELS: tuple[tuple[str, str], ...] = (
    ("other_app", r"^\d+$"),  # a Shopify app's numeric id (source_name 5690175)
    ("mobile_app", r"mobile|iphone|android|^ios$"),
    ("marketplace", r"marketplace|place de march|amazon|ebay|cdiscount|etsy|zalando"),
    ("web", r"web|site|online|en ligne|e-?shop|internet"),  # before the stores: Shopify's "Online Store" is web
    ("store", r"store|magasin|^pos$|point of sale|point de vente|boutique physique|retail"),
    ("app", r"^app|^appli"),
)
#: ticket channels: the Support page's groups
TICKET_CHANNELS: tuple[tuple[str, str], ...] = tuple((e.channel, e.pattern) for e in EXPECTED_RESPONSE)
PATTERNS = {"order": ORDER_CHANNELS, "ticket": TICKET_CHANNELS}


def channel_code(channel: str, kind: str) -> str:
    """The channel code of an order's (`kind` 'order') or a ticket's ('ticket') channel as written in the export."""
    written = str(channel).strip()
    return next((code for code, pattern in PATTERNS[kind] if re.search(pattern, written.lower())), written)
