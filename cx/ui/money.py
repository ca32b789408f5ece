"""The currency of a page's money and the notes that go with it (mixed currencies, assumed currency)."""

from __future__ import annotations

import streamlit as st

from ..models import Filters
from ..money import CurrencyScope, assumed_message, default_currency, mixed_message, scope_currency, set_apart_message
from . import lang
from .cache import analysis


def page_currency(filters: Filters) -> CurrencyScope:
    """The currency of the orders and web revenue `filters` cover (cached with the data version and setting)."""
    return analysis(scope_currency, filters, default=default_currency())


def currency_notes(scope: CurrencyScope, set_apart: bool = True) -> None:
    """Say it when the money is in several currencies (amounts shown per currency, sums not available), when
    the currency was assumed (no file said it), or when orders without a currency were set apart from the money
    (`set_apart=False`: the page says it itself, over its own orders)."""
    if scope.mixed:
        st.warning(mixed_message(scope, lang()), icon=":material/currency_exchange:")
    elif scope.assumed:
        st.caption(assumed_message(scope, lang()))
    apart = set_apart_message(scope, lang()) if set_apart else None
    if apart:
        st.caption(apart)
