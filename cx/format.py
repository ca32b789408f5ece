"""Text helpers shared by the pages and the chart builders."""
from __future__ import annotations

import re

# every character CommonMark, GFM, Streamlit's LaTeX ($) and directives (:red[…], :material/…:) give a meaning
MARKDOWN_SIGNS = frozenset("\\`*_{}[]()#+-.!|<>~$:=&")
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def escape_markdown(text) -> str:
    """Free text from the user's data (a file name, a CSV header, a persona name, a funnel group, an error
    text, a keyword) shown literally inside st.markdown / caption / info / warning / error / toast / metric
    and widget labels / subheader / radio options: every markdown sign is backslash-escaped, so it never
    becomes bold, a link, an image (no remote fetch), LaTeX, HTML, a colour or an icon directive; line breaks
    become spaces, so a value cannot open a heading, a list or a block quote.

    Not for `st.selectbox` / `st.multiselect` options or `st.dataframe` cells: those show plain text (the
    backslashes would show)."""
    text = _BREAKS.sub(" ", "" if text is None else str(text))
    return "".join("\\" + ch if ch in MARKDOWN_SIGNS else ch for ch in text)


# ------------------------------------------------------------------------------------------------ numbers

def number(value, lang: str, decimals: int = 0) -> str:
    """1234.5 → '1 234,5' (French: narrow no-break space, decimal comma) or '1,234.5'; '—' for None / NaN."""
    if value is None or value != value:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


# ------------------------------------------------------------------------------------------------ money

# How a reader of each language writes a currency (Unicode CLDR, fr and en): French puts the symbol after the
# amount ("1 234,56 €", "1 234,56 $US"), English before it ("€1,234.56", "$1,234.56"). A code not listed is
# written as its ISO code ("1 234,56 SEK" / "SEK 1,234.56").
CURRENCY_SYMBOLS = {
    "fr": {"EUR": "€", "USD": "$US", "GBP": "£GB", "CAD": "$CA", "AUD": "$AU", "CHF": "CHF", "JPY": "JPY",
           "CNY": "CNY", "NZD": "$NZ", "HKD": "$HK", "SGD": "$SG", "MXN": "$MX", "BRL": "R$", "INR": "₹"},
    "en": {"EUR": "€", "USD": "$", "GBP": "£", "CAD": "CA$", "AUD": "A$", "CHF": "CHF", "JPY": "¥", "CNY": "CN¥",
           "NZD": "NZ$", "HKD": "HK$", "SGD": "SGD", "MXN": "MX$", "BRL": "R$", "INR": "₹"},
}
CURRENCY_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "HUF": 2}  # ISO 4217 minor units, else 2


def currency_symbol(currency: str | None, lang: str) -> str:
    """'€', '$', '$US', '£'…; the ISO code for a currency without a usual symbol; '' when unknown (None)."""
    if not currency:
        return ""
    code = str(currency).upper()
    return CURRENCY_SYMBOLS.get("fr" if lang == "fr" else "en", {}).get(code, code)


def money(value, currency: str | None, lang: str, decimals: int = 2) -> str:
    """An amount in its currency as a reader of `lang` writes it: `1 234,56 €`, `1 234,56 $US`, `-5,00 £GB`
    (French) or `€1,234.56`, `$1,234.56`, `-£5.00`, `SEK 1,234.56` (English). `decimals` is capped by the
    currency's minor units (JPY: 0). `currency` None (unknown): the bare number. None / NaN → '—'."""
    if value is None or value != value:
        return "—"
    code = str(currency).upper() if currency else None
    decimals = min(decimals, CURRENCY_DIGITS.get(code, 2)) if code else decimals
    sign = "-" if round(float(value), decimals) < 0 else ""
    text = number(abs(float(value)), lang, decimals)
    symbol = currency_symbol(code, lang)
    if not symbol:
        return sign + text
    if lang == "fr":
        return f"{sign}{text}\u202f{symbol}"
    gap = "\u00a0" if symbol.isalpha() else ""  # "SEK 1,234.56" but "$1,234.56"
    return f"{sign}{symbol}{gap}{text}"
