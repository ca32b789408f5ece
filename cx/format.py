"""Text helpers shared by the pages and the chart builders: the one home of number, percentage, duration and
date formatting by language, of the charts' number locale, and of markdown escaping."""

from __future__ import annotations

import re

# every character CommonMark, GFM, Streamlit's LaTeX ($) and directives (:red[…], :material/…:) give a meaning
MARKDOWN_SIGNS = frozenset("\\`*_{}[]()#+-.!|<>~$:=&")
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def escape_markdown(text) -> str:
    """Free text from the user's data (a file name, a CSV header, a persona name, a funnel group, an error
    text, a keyword) shown literally inside st.markdown / caption / info / warning / error / toast / metric
    and widget labels / subheader / radio options: every markdown sign is backslash-escaped, so it never
    becomes bold, a link (an e-mail address included), an image (no remote fetch), LaTeX, HTML, a colour or an
    icon directive; line breaks
    become spaces, so a value cannot open a heading, a list or a block quote.

    Not for `st.selectbox` / `st.multiselect` options or `st.dataframe` cells: those show plain text (the
    backslashes would show)."""
    text = _BREAKS.sub(" ", "" if text is None else str(text))
    # an e-mail address is made a mailto link from the rendered text, escapes or not: an invisible word joiner
    # after its @ keeps it plain text
    return "".join("\\" + ch if ch in MARKDOWN_SIGNS else "@\u2060" if ch == "@" else ch for ch in text)


# ------------------------------------------------------------------------------------------------ numbers


def missing(value) -> bool:
    """None or NaN (NaT): a value to show as "—"."""
    return value is None or value != value  # noqa: PLR0124 (NaN and NaT are the values unequal to themselves)


def number(value, lang: str, decimals: int = 0, signed: bool = False, unit: str = "") -> str:
    """1234.5 → '1 234,5' (French: narrow no-break space, decimal comma) or '1,234.5'; `signed`: '+21,3' (no
    sign on zero); `unit` follows: '12,0 h', '44,5 %' (French) / '44.5%' (English). '—' for None / NaN."""
    if missing(value):
        return "—"
    if round(value, decimals) == 0:
        value = 0.0  # never "-0,0" nor "+0"
    text = f"{value:{'+' if signed and value > 0 else ''},.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    if unit == "%":
        return text + ("\u202f%" if lang == "fr" else "%")
    return f"{text} {unit}" if unit else text


def percent(share, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A share (0–1) as a percentage: 0.4449 → '44,5 %' (French, narrow no-break space before %) or '44.5%';
    '—' for None / NaN."""
    return "—" if missing(share) else number(100 * share, lang, decimals, signed, unit="%")


def duration(seconds, lang: str) -> str:
    """Short enough for a narrow column: 45 → '45 s', 132 → '2,2 min' / '2.2 min', 5400 → '1,5 h',
    2.5 days → '2,5 j' / '2.5 d'; '—' for None / NaN."""
    if missing(seconds):
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return number(seconds / 60, lang, 1, unit="min")
    if seconds < 86400:
        return number(seconds / 3600, lang, 1, unit="h")
    return number(seconds / 86400, lang, 1, unit="j" if lang == "fr" else "d")


def reply_time(minutes, lang: str) -> str:
    """A waiting time given in minutes, in minutes up to 2 hours and in hours beyond, where a count of minutes no
    longer reads at a glance: 45 → '45,0 min', 120 → '2,0 h', 3825 → '63,8 h'; '—' for None / NaN."""
    if missing(minutes):
        return "—"
    return number(minutes, lang, 1, unit="min") if minutes < 120 else number(minutes / 60, lang, 1, unit="h")


def file_size(size: int, lang: str) -> str:
    """A file's size in bytes as a reader of `lang` writes it, 1 000 bytes to the kilo as Streamlit's drop zone
    counts them: 1229 → '1,2 Ko' (French: octets) / '1.2 KB'; 512 → '512 o' / '512 B'; 3 670 016 → '3,7 Mo'."""
    units = ("o", "Ko", "Mo", "Go") if lang == "fr" else ("B", "KB", "MB", "GB")
    power = 0
    while size >= 1000 ** (power + 1) and power < len(units) - 1:
        power += 1
    return number(size / 1000**power, lang, 1 if power else 0, unit=units[power])


def date(day, lang: str, time: bool = False) -> str:
    """31/12/2025 in French, 2025-12-31 in English (`time`: '31/12/2025 16:05'); '—' for None / NaT."""
    if missing(day):
        return "—"
    return day.strftime(("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d") + (" %H:%M" if time else ""))


def moment(when, lang: str) -> str:
    """A time with its zone written, for a reader elsewhere: '07/12/2026 18:15 (Europe/Paris, UTC+1)' in French,
    '2026-12-07 18:15 (Europe/Paris, UTC+1)' in English; a zone of no name or UTC itself: '(UTC)', '(UTC+5:30)'."""
    minutes = int(when.utcoffset().total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    utc = "UTC" + (f"{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "")
    name = getattr(when.tzinfo, "key", None)
    return f"{date(when, lang, time=True)} ({utc if name in (None, 'UTC') else f'{name}, {utc}'})"


def comparison(sign: str) -> str:
    """A stored comparison as a reader writes it: '>=' → '≥', '<=' → '≤' ('>' and '<' as they are)."""
    return {">=": "≥", "<=": "≤"}.get(sign, sign)


def month(day, lang: str) -> str:
    """A calendar month as a reader writes it: 'août 2025' in French, 'Aug 2025' in English; '—' for None / NaT."""
    if missing(day):
        return "—"
    names = VEGA_LOCALES["fr" if lang == "fr" else "en"]["time"]["shortMonths"]
    return f"{names[day.month - 1]} {day.year}"


# Vega's number and time format locales (d3-format / d3-time-format definitions, as in d3's fr-FR.json and
# en-US.json), set as an Altair chart's `config.locale`: axes, legends and tooltips then write "1 200", "44,5 %"
# and "janv. 2026" in French (`cx.ui` applies it to every chart of the pages; `chart_locale` for others).
VEGA_LOCALES = {
    "fr": {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u202f€"],
            "percent": "\u202f%",
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            "shortMonths": [
                "janv.",
                "févr.",
                "mars",
                "avr.",
                "mai",
                "juin",
                "juil.",
                "août",
                "sept.",
                "oct.",
                "nov.",
                "déc.",
            ],
        },
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
        "time": {
            "dateTime": "%x, %X",
            "date": "%-m/%-d/%Y",
            "time": "%-I:%M:%S %p",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        },
    },
}


def chart_locale(lang: str) -> dict:
    """The Vega `config.locale` of `lang`: `chart.configure(locale=chart_locale("fr"))`."""
    return VEGA_LOCALES["fr" if lang == "fr" else "en"]


# ------------------------------------------------------------------------------------------------ money

# How a reader of each language writes a currency (Unicode CLDR, fr and en): French puts the symbol after the
# amount ("1 234,56 €", "1 234,56 $US"), English before it ("€1,234.56", "$1,234.56"). A code not listed is
# written as its ISO code ("1 234,56 SEK" / "SEK 1,234.56").
CURRENCY_SYMBOLS = {
    "fr": {
        "EUR": "€",
        "USD": "$US",
        "GBP": "£GB",
        "CAD": "$CA",
        "AUD": "$AU",
        "CHF": "CHF",
        "JPY": "JPY",
        "CNY": "CNY",
        "NZD": "$NZ",
        "HKD": "$HK",
        "SGD": "$SG",
        "MXN": "$MX",
        "BRL": "R$",
        "INR": "₹",
    },
    "en": {
        "EUR": "€",
        "USD": "$",
        "GBP": "£",
        "CAD": "CA$",
        "AUD": "A$",
        "CHF": "CHF",
        "JPY": "¥",
        "CNY": "CN¥",
        "NZD": "NZ$",
        "HKD": "HK$",
        "SGD": "SGD",
        "MXN": "MX$",
        "BRL": "R$",
        "INR": "₹",
    },
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
    if missing(value):
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
