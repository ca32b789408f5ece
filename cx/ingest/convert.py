"""Turn staged text into typed canonical columns in one SQL pass, with a list of problems per row.

For each mapped column we build two SQL expressions over the staged text: the parsed value and, when the
text cannot be parsed or breaks a rule, a struct {column, value, code, reason}. Decimal marks and the
order of day and month are decided per column from a sample of its values, so `1 234,56 €`, `1,234.56`
and `31/12/2025` all read right, and a column is never half day-first and half month-first.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from dataclasses import dataclass

from cx.sql import literal

from ..errors import CxError
from ..privacy import NAME_LIKE_SQL, SQL_CANDIDATE, keyed_by_names
from ..schema import FREE_TEXT, TABLES, Column, normalise_header
from . import ratings

# Formats tried for dates and times; the `dmy`/`mdy` families are exclusive within a column.
_TIMES = ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f")
ISO = (
    [f"%Y-%m-%d {t}" for t in _TIMES]
    + [f"%Y-%m-%dT{t}" for t in _TIMES]
    + ["%Y-%m-%d", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y%m%d"]
)
DMY = [f"%d/%m/%Y {t}" for t in _TIMES] + [
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%y %H:%M",
]
MDY = [f"%m/%d/%Y {t}" for t in _TIMES] + [
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %H:%M",
]
# a 12-hour clock, as Google Forms and US tools write it ("2:14:33 PM"; 12 AM is 00h, 12 PM noon): tried after
# the others, so their values do not pay for these (a value pays for each format it fails: placed before the
# day-first ones, they cost 600k day-first times ~+30 % CPU)
_CLOCK12 = ("%I:%M:%S %p", "%I:%M %p")
CLOCK12 = {
    "dmy": [f"{d} {t}" for d in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y") for t in _CLOCK12],
    "mdy": [f"{d} {t}" for d in ("%Y/%m/%d", "%Y-%m-%d") for t in _CLOCK12],
}
# Time-zone abbreviations a timestamp may end with (Google Forms writes the form owner's: "2:14:33 PM CET"), as
# minutes east of UTC. Those that name two zones are read as the tool that writes them means them: CST is the US
# Central (Google, en-US), IST India's. "UTC" and "GMT" may carry an offset ("GMT+1", "UTC-05:30").
ZONES = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,
    "SGT": 480,
    "HKT": 480,
    "AWST": 480,
    "JST": 540,
    "KST": 540,
    "ACST": 570,
    "ACDT": 630,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "AST": -240,
    "ADT": -180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
}
_ZONE_SUFFIX = r"\s(?:(?:UTC|GMT)[+-]\d{1,2}(?::?\d\d)?|" + "|".join(ZONES) + r")$"
# the shapes of date Parcours reads (the formats above, an ISO offset, a zone): a value in one of them that is no
# date does not exist (13/45/2024, 30 February); any other value is written in a way Parcours does not read
DATE_SHAPE = (
    r"(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})|\d{8}|\d{10}|\d{13}|\d{16})"
    r"([ T]\d{1,2}:\d\d(:\d\d(\.\d+)?)?(\s?[AaPp][Mm])?)?(Z|\s?[+-]\d\d(:?\d\d)?|" + _ZONE_SUFFIX[:-1] + ")?"
)
DEFAULT_TIMEZONE = "Europe/Paris"
TRUE = ("yes", "oui", "true", "vrai", "1", "y", "o", "x", "subscribed", "opt-in", "optin")
FALSE = ("no", "non", "false", "faux", "0", "n", "not_subscribed", "unsubscribed", "opt-out")
_STRIP_NUMBER = r"CA\$|US\$|A\$|R\$|C\$|[\s\x{00A0}\x{202F}'€$£¥%]|EUR|USD|GBP|CHF|CAD|AUD|JPY|BRL"


def trimmed(expr: str, ascii: bool = False) -> str:
    """`trim(expr)`, called only where it can change the value (DuckDB's trim is slow, ~100 ns a value).
    A text that starts at or above '!' (byte order: no space nor control character first), does not end
    with a space and is pure ASCII (as many bytes as characters) has no Unicode space at either end, so
    trim would return it unchanged; any other text is trimmed. `ascii`: the text is known to be pure ASCII
    (it comes from a file of ASCII bytes), so the ASCII test is left out."""
    unicode = "" if ascii else f" or strlen({expr}) <> length({expr})"
    return f"case when {expr} < '!' or ends_with({expr}, ' '){unicode} then trim({expr}) else {expr} end"


def raw(source_index: int, ascii: bool = False) -> str:
    """Column c<i> of `stg` trimmed, an empty text as null (`ascii`: see `trimmed`)."""
    return f"nullif({trimmed(f'c{source_index}', ascii)}, '')"


def number_sql(expr: str, decimal: str) -> str:
    """Parse a number whose decimal mark is `decimal`: plain values take the fast cast; the others lose
    currency signs and spaces (incl. non-breaking ones), and the other mark counts as a thousands
    separator only in groups of three digits (`1.234,56`, `1,234.56`), else as the decimal mark (`3,5`)."""
    other = "." if decimal == "," else ","
    s = f"regexp_replace({expr}, {literal(_STRIP_NUMBER)}, '', 'g')"
    # an accounting-style "(12.50)" is negative
    s = f"regexp_replace({s}, '^\\((.*)\\)$', '-\\1')"
    pattern = r"[-+]?\d{1,3}(" + re.escape(other) + r"\d{3})+(" + re.escape(decimal) + r"\d*)?"
    s = (
        f"case when regexp_full_match({s}, {literal(pattern)}) then replace({s}, {literal(other)}, '') "
        f"else replace({s}, {literal(other)}, {literal(decimal)}) end"
    )
    if decimal == ",":
        s = f"replace({s}, ',', '.')"
    fast = f"replace({expr}, ',', '.')" if decimal == "," else expr
    # behind a null check: the clean-up regexps would otherwise run on every empty cell of a sparse column
    return (
        f"case when {expr} is null then null else "
        f"coalesce(try_cast(case when not contains({expr}, {literal(other)}) then {fast} end as double), "
        f"try_cast({s} as double)) end"
    )


def ordered_formats(order: str) -> list[str]:
    """The formats a plain date or time is tried with, in order, for a column of day/month `order` (`dmy`/`mdy`):
    two-digit years before four-digit ones (`28/02/25` is 2025), ISO, the others, the 12-hour clock last."""
    family = MDY if order == "mdy" else DMY
    return [f for f in family if "%y" in f] + ISO + [f for f in family if "%y" not in f] + CLOCK12[order]


def date_formats(cur, values: list[str], order: str) -> list[str]:
    """The formats of `ordered_formats(order)` a column's values are written in, decided once from `values` (its
    distinct sample): the first format that reads each value, in their order, and before a four-digit year's its
    two-digit one (`%Y` would read "28/02/25" as the year 25). A column converted with these alone costs one
    format per value (~0.1 µs) where trying the whole list costs ~7 µs for a day-first date; `timestamp_sql` tries
    the whole list, zones included, only on the values these do not read."""
    formats = ordered_formats(order)
    if not values:
        return []
    tried = ", ".join(f"try_strptime(v, {literal(f)}) is not null" for f in formats)  # a format must be a constant
    found = cur.execute(
        f"select distinct list_position([{tried}], true) as i from (select unnest($v) as v) where i is not null",
        {"v": values},
    ).fetchall()
    chosen = {formats[r[0] - 1] for r in found}
    return [f for f in formats if f in chosen or ("%y" in f and f.replace("%y", "%Y") in chosen)]


def timestamp_sql(
    expr: str,
    order: str,
    timezone: str = DEFAULT_TIMEZONE,
    utc: bool = False,
    zone_days: str | None = None,
    formats: list[str] | tuple = (),
) -> str:
    """Parse a date or time into the workspace's local wall-clock time.

    Unix epochs (s, ms, µs as GA4 exports) and ISO texts with `Z` or an offset name an instant: they are
    converted to `timezone`, so web events line up with the CRM, orders and surveys, which exports write
    in local time (`-0400`, `-04:00`, `+02`, with or without a space before). A column whose header says
    UTC (`Submit Date (UTC)`) has its plain texts read as UTC too. Other texts are taken as written: ISO first, then the day-first (or month-first)
    formats chosen for this column, two-digit years before four-digit ones (`28/02/25` is 2025).
    `zone_days`: the table `zone_days` made for `timezone` on this cursor, which converts epochs without
    calling `timezone()` on each row (`local_epoch_sql`). A text ending with a zone abbreviation or a GMT offset
    (`ZONES`: "2024/03/05 2:14:33 PM CET", "… GMT+1") is converted like an offset. `formats`: the column's own
    formats (`date_formats`), tried first, alone; the values they do not read go through everything above.
    """
    fmt_list = "[" + ", ".join(literal(f) for f in ordered_formats(order)) + "]"
    # the offset after a time left out (not the year of "31-12-2025", which looks like one)
    bare = f"regexp_replace({expr}, '(\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?)(Z|\\s*[+-]\\d\\d:?\\d\\d|\\s*UTC)$', '\\1')"
    epoch = f"try_cast({expr} as bigint)"
    tz = literal(timezone)
    offset = f"regexp_replace({expr}, '\\s*([+-]\\d\\d):?(\\d\\d)$', '\\1:\\2')"
    instant = (
        f"case when regexp_matches({expr}, '^\\d{{4}}-\\d\\d-\\d\\d.*(Z|UTC|[+-]\\d\\d(:?\\d\\d)?)$') "
        f"then timezone({tz}, try_cast({offset} as timestamptz)) end"
    )
    iso = f"case when regexp_matches({expr}, '^\\d{{4}}-') then try_cast({expr} as timestamp) end"
    written = f"coalesce({iso}, try_strptime({bare}, {fmt_list}))"
    if utc:
        written = f"timezone({tz}, timezone('UTC', {written}))"
    # a zone is looked for only in a text that may end with one (its regexps cost ~13 µs a value)
    zone = f"right({expr}, 1) between 'A' and 'Z' or contains({expr}, 'GMT') or contains({expr}, 'UTC')"
    written = f"coalesce(case when {zone} then {zoned_sql(expr, fmt_list, tz)} end, {written})"
    # µs, ms or s since 1970 (GA4 writes µs): one conversion, so the zone's table is read in one place
    micros = f"case length({expr}) when 16 then {epoch} when 13 then {epoch} * 1000 when 10 then {epoch} * 1000000 end"
    every = (
        f"case when {epoch} is null then coalesce({instant}, {written}) "
        f"when length({expr}) in (16, 13, 10) then {local_epoch_sql(micros, timezone, zone_days)} "
        f"else try_strptime({expr}, {fmt_list}) end"
    )
    if not formats:
        return every
    own = f"try_strptime({expr}, [{', '.join(literal(f) for f in formats)}])"
    if any("%Y" in f for f in formats):  # `%Y` reads "01/01/01" as the year 1: a two-digit year goes through `every`
        own = f"case when year({own}) >= 1000 then {own} end"
    if utc:
        own = f"timezone({tz}, timezone('UTC', {own}))"
    return f"coalesce({own}, {every})"


def zoned_sql(expr: str, fmt_list: str, tz: str) -> str:
    """A text ending with a zone of `ZONES` or a GMT/UTC offset, read with the formats `fmt_list` and converted
    from that zone to the local zone `tz` (a quoted literal); null for any other text."""
    word = f"regexp_extract({expr}, '\\s([A-Z]{{2,5}})([+-]\\d{{1,2}}(:?\\d\\d)?)?$', 1)"
    known = " ".join(f"when {literal(name)} then {minutes}" for name, minutes in ZONES.items())
    gmt = f"regexp_extract({expr}, '\\s(UTC|GMT)([+-])(\\d{{1,2}}):?(\\d\\d)?$', ['z', 'sign', 'h', 'm'])"
    shift = (
        f"coalesce((case {gmt}.sign when '-' then -1 else 1 end) "
        f"* (try_cast({gmt}.h as integer) * 60 + coalesce(try_cast({gmt}.m as integer), 0)), 0)"
    )
    rest = f"regexp_replace({expr}, '\\s+[A-Z]{{2,5}}([+-]\\d{{1,2}}(:?\\d\\d)?)?$', '')"
    utc = f"try_strptime({rest}, {fmt_list}) - to_minutes(cast((case {word} {known} end) + {shift} as bigint))"
    return f"timezone({tz}, timezone('UTC', {utc}))"


# The UTC days `zone_days` covers (2000-01-01 to 2049-12-31): epochs outside take `timezone()` (slower, same value)
ZONE_FIRST_DAY = 10_957
ZONE_END_DAY = 29_220
DAY_US = 86_400_000_000


def zone_days(cur, timezone: str, table: str = "cx_zone_days") -> str:
    """Create the temp table `table` of one row: `offsets`, the list of `timezone`'s UTC offset (µs) on each
    UTC day from ZONE_FIRST_DAY (item 1) to ZONE_END_DAY, as DuckDB's own `timezone()` gives it, and null on
    a day whose offset is not one: the offsets at 00:00 and 12:00 of the day and at 00:00 of the next differ
    (a DST change, or any other; two changes 12 hours apart would be missed: the zone data has none).
    ~0.03 s; returns the table's name for `timestamp_sql`."""
    tz = literal(timezone)

    def offset(at: str) -> str:
        return f"epoch_us(timezone({tz}, make_timestamptz({at}))) - ({at})"

    cur.execute(
        f"""create or replace temp table {table} as
        select list(case when start = noon and start = next_start then start end order by day) as offsets
        from (select day, start, noon, lead(start) over (order by day) as next_start from (
            select day, {offset(f"day * {DAY_US}")} as start, {offset(f"day * {DAY_US} + {DAY_US // 2}")} as noon
            from range({ZONE_FIRST_DAY}, {ZONE_END_DAY + 1}) r(day)))
        where day < {ZONE_END_DAY}"""
    )
    return table


def local_epoch_sql(micros: str, timezone: str, zone_days: str | None = None) -> str:
    """An instant in µs since 1970 UTC as `timezone`'s wall-clock time. With `zone_days` (a table made by
    `zone_days` for this zone), the day's offset is added to the instant (~10× cheaper than `timezone()` per
    value, same result); instants outside its days, or on a day with a change, take `timezone()`."""
    exact = f"timezone({literal(timezone)}, make_timestamptz({micros}))"
    if not zone_days:
        return exact
    low, high = ZONE_FIRST_DAY * DAY_US, ZONE_END_DAY * DAY_US
    day = f"({micros}) // {DAY_US} - {ZONE_FIRST_DAY - 1}"
    offset = f"list_extract((select offsets from {zone_days}), {day})"
    return f"coalesce(case when {micros} >= {low} and {micros} < {high} then make_timestamp({micros} + {offset}) end, {exact})"


def bool_sql(expr: str) -> str:
    t = ", ".join(literal(v) for v in TRUE)
    f = ", ".join(literal(v) for v in FALSE)
    return f"case when lower({expr}) in ({t}) then true when lower({expr}) in ({f}) then false end"


def workspace_timezone() -> str:
    """The local time zone times are stored in: `$CX_TIMEZONE`, else Europe/Paris."""
    name = os.environ.get("CX_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CxError(f"unknown time zone {name!r} in CX_TIMEZONE", fix="use a name such as Europe/Paris") from None
    return name


def infer_options(cur, kind: str, mapping: dict[str, str], headers: list[str]) -> dict:
    """Decide per column the decimal mark and the day/month order, and for surveys the scales."""
    options: dict = {
        "decimal": {},
        "date_order": {},
        "utc": [],
        "timezone": workspace_timezone(),
        "guest_orders": kind == "orders",
    }  # shops write 0 or "guest" for an order with no account
    table = TABLES[kind]
    for source, target in mapping.items():
        col = table.column(target)
        i = headers.index(source)
        if col.type in ("number", "integer", "score"):
            options["decimal"][target] = _decimal_mark(_sample(cur, i))
        elif col.type in ("timestamp", "date"):
            values = _sample(cur, i)
            if any(_DAY_MONTH.match(v) for v in values):  # ISO dates and epochs have no day/month order to tell
                options["date_order"][target] = _date_order(values)
            if {"utc", "gmt"} & set(normalise_header(source).split("_")):
                options["utc"].append(target)
            formats = date_formats(cur, values, options["date_order"].get(target, "dmy"))
            if formats:
                options.setdefault("date_formats", {})[target] = formats
    keyed = next((s for s, t in mapping.items() if t == "customer_id"), None)
    if keyed is not None and keyed_by_names(_sample(cur, headers.index(keyed))):
        options["customer_id_names"] = True  # pseudonymised as names are (column_sql)
    if kind == "orders" and is_woocommerce(cur, mapping, headers):
        options["woocommerce"] = True
    if kind == "responses":
        inverse = {t: s for s, t in mapping.items()}
        for target, default in (("csat", 5), ("ces", 7)):
            if target in inverse:
                values = _sample(cur, headers.index(inverse[target]))
                words = [v for v in values if not re.fullmatch(r"\s*\d+([.,]\d+)?\s*", v)]
                if target == "csat" and words == values and any(v.lower() in TRUE + FALSE for v in values):
                    options["csat_scale"] = 2  # a yes/no question: stored as 1 (yes) / 0 (no)
                    continue
                options[f"{target}_scale"] = _scale(inverse[target], values, default)
        if "ces" in inverse:
            wording = normalise_header(inverse["ces"]).replace("_", " ")
            options["ces_higher_is_better"] = bool(re.search(r"facil|easy|simple|ease|agree|d accord", wording))
    return options


# Headers only WooCommerce's order exports write (its order export plugins, its REST API, its Analytics CSV)
WOOCOMMERCE_HEADERS = frozenset(
    ("order_total", "order_currency", "order_key", "refunded_total", "billing_email", "billing_first_name")
    + ("date_created_gmt", "payment_method_title", "customer_type", "net_sales", "items_sold", "coupon_s")
)
# WooCommerce's "pending payment", as its exports write it (slug, English and French labels): stored as its own slug
# `wc-pending`, which staging/order_status.sql reads as no purchase (WooCommerce Analytics leaves it out by default)
WOOCOMMERCE_PENDING = ("pending", "wc-pending", "pending payment", "attente paiement", "en attente de paiement")


def is_woocommerce(cur, mapping: dict[str, str], headers: list[str]) -> bool:
    """An orders file from WooCommerce: two of its own headers, or a status written with its `wc-` prefix."""
    if len(WOOCOMMERCE_HEADERS & {normalise_header(h) for h in headers}) >= 2:
        return True
    status = next((h for h, t in mapping.items() if t == "status"), None)
    return status is not None and any(v.lower().startswith("wc-") for v in _sample(cur, headers.index(status)))


SAMPLE_ROWS = 50_000


def sample_rows(cur) -> str:
    """The first SAMPLE_ROWS rows of `stg` in the temp table `stg_sample`, read once (dropped by whoever
    replaces `stg`); returns its name."""
    if not cur.execute("select count(*) from duckdb_tables() where table_name = 'stg_sample' and temporary").fetchall()[
        0
    ][0]:
        cur.execute(f"create temp table stg_sample as select * from stg limit {SAMPLE_ROWS}")
    return "stg_sample"


def _sample(cur, i: int, n: int = 2000) -> list[str]:
    """Up to n distinct values of column i among the first rows, read once into `stg_sample`."""
    sample_rows(cur)
    rows = cur.execute(f"select distinct {raw(i)} as v from stg_sample where v is not null limit {n}").fetchall()
    return [r[0] for r in rows]


def _decimal_mark(values: list[str]) -> str:
    comma = sum(bool(re.search(r",\d{1,2}(\D*)$|,\d{4,}(\D*)$", v)) for v in values)
    point = sum(bool(re.search(r"\.\d{1,2}(\D*)$|\.\d{4,}(\D*)$|\d,\d{3}\.\d", v)) for v in values)
    return "," if comma > point else "."


_DAY_MONTH = re.compile(r"\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


def _date_order(values: list[str]) -> str:
    dmy = mdy = 0
    for v in values:
        mdy += bool(re.search(r"\d\s*[AaPp][Mm]\s*$", v))  # AM/PM: the US way of writing, month first
        m = re.match(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", v)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            dmy += a > 12 >= b
            mdy += b > 12 >= a
    return "mdy" if mdy > dmy else "dmy"


def _scale(header: str, values: list[str], default: int) -> int:
    m = re.search(r"(\d+)\s*[-–à/]\s*(\d+)", header)
    if m and int(m.group(2)) in (3, 5, 7, 10):
        return int(m.group(2))
    numbers = [float(v.replace(",", ".")) for v in values if re.fullmatch(r"\d+([.,]\d+)?", v)]
    top = max(numbers, default=default)
    return next((s for s in (5, 7, 10) if top <= s), default)


def problem_sql(condition: str, source: str, r: str, code: str, reason: str) -> str:
    """A problem expression: the struct {column, value, code, reason} when `condition` holds, else null."""
    return (
        f"case when {condition} then {{'column': {literal(source)}, 'value': {r}, 'code': {literal(code)}, "
        f"'reason': {literal(reason)}}} end"
    )


def column_sql(
    col: Column, source: str, r: str, options: dict, zone_days: str | None = None, kind: str = ""
) -> tuple[str, str, list[str], list[str]]:
    """For one mapped canonical column of `kind` whose trimmed text is the inner column `r`, return
    (parse expression over r, final expression over the parsed `v_<name>`, [problem expressions] that reject
    the row, [problem expressions] of a cell left empty in a loaded row). `zone_days`: see `timestamp_sql`."""
    v = f'"v_{col.name}"'
    problems, cells = [], []

    def problem(condition: str, code: str, reason: str) -> None:
        problems.append(problem_sql(condition, source, r, code, reason))

    final = v
    if kind == "tickets" and col.name == "csat":  # a support tool's rating: words, codes or 1–5
        parse, final, cells = ratings.rating_sql(r, v, number_sql(r, options["decimal"].get(col.name, ".")))
        return parse, final, [], [problem_sql(c, source, r, code, reason) for c, code, reason in cells]
    if col.name == "csat" and options.get("csat_scale") == 2:  # yes/no satisfaction
        parse = f"case {bool_sql(r)} when true then 1.0 when false then 0.0 end"
        problem(f"{r} is not null and {v} is null", "not_a_bool", "not a yes/no answer (yes/no, oui/non)")
    elif col.type in ("number", "integer", "score"):
        parse = number_sql(r, options["decimal"].get(col.name, "."))
        if kind == "responses" and col.name == "csat":  # a scale's labels, "Très satisfait": as tickets read them
            parse = ratings.words_sql(r, parse)
        if score_left_out(col, options, kind):  # "N/A", a word, "NaN": the answer loads without its score
            parse = f"(case when isfinite({parse}) then {parse} end)"
            cells.append(problem_sql(f"{r} is not null and {v} is null", source, r, "no_score", NO_SCORE))
        else:
            problem(f"{r} is not null and {v} is null", "not_a_number", "not a number")
        problem(
            f"isnan({v}) or isinf({v}) or abs({v}) > 1e12",
            "not_finite",
            "not a usable number (NaN, infinite or beyond a trillion)",
        )
        low, high = col.low, col.high
        if col.name in ("csat", "ces") and f"{col.name}_scale" in options:
            low, high = 1, options[f"{col.name}_scale"]
        if col.type in ("integer", "score"):
            problem(f"{v} <> round({v})", "not_whole", "not a whole number")
        if low is not None:
            problem(f"{v} < {low} or {v} > {high}", "out_of_range", f"outside the accepted range {low:g}–{high:g}")
        if col.type == "integer":
            final = f"cast(round({v}) as bigint)"
        if col.name == "refunded":  # money given back, however its sign is written (WooCommerce's reports: negative)
            final = f"abs({v})"
    elif col.type in ("timestamp", "date"):
        parse = timestamp_sql(
            r,
            options["date_order"].get(col.name, "dmy"),
            options.get("timezone", DEFAULT_TIMEZONE),
            col.name in options.get("utc", ()),
            zone_days,
            options.get("date_formats", {}).get(col.name, ()),
        )
        shaped = f"regexp_full_match({r}, {literal(DATE_SHAPE)})"
        problem(
            f"{r} is not null and {v} is null and {shaped}",
            "not_a_date",
            "not a date that exists (month 13, 30 February…)",
        )
        problem(
            f"{r} is not null and {v} is null and not {shaped}",
            "unknown_date_format",
            "not a date written in a way Parcours reads (2025-12-31, 31/12/2025 or 12/31/2025, with an optional time "
            "and zone: 14:30, 2:30 PM, +02:00, UTC, GMT+1, CET)",
        )
        problem(f"year({v}) < 1970 or year({v}) > 2100", "date_out_of_range", "the date is before 1970 or after 2100")
        if col.type == "date":
            final = f"cast({v} as date)"
    elif col.type == "bool":
        parse = bool_sql(r)
        problem(f"{r} is not null and {v} is null", "not_a_bool", "not a yes/no value (yes/no, oui/non, 1/0)")
    elif col.personal:
        parse = f"cx_pseudonymise({r})"
    elif col.name == "status" and options.get("woocommerce"):
        pending = ", ".join(literal(v) for v in WOOCOMMERCE_PENDING)
        parse = f"case when lower({r}) in ({pending}) then 'wc-pending' else {r} end"
    elif col.name in ("customer_id", "visitor_id"):
        # an e-mail used as a customer key is personal data: same keyed hash as the email column
        guest = (
            f"when lower({r}) in ('0', '-1', 'guest', 'invité', 'null', 'none', 'n/a') then null "
            if options.get("guest_orders")
            else ""
        )
        personal = f"contains({r}, '@')"
        if col.name == "customer_id" and options.get("customer_id_names"):
            # in a column of names, each value that reads as a name ("G. THOMAS", "jean dupont") too, so the same
            # name gets the same pseudonym in every file; a code ("C-1002") stays as written
            personal += f" or regexp_full_match(trim({r}), {literal(NAME_LIKE_SQL)})"
        parse = f"case {guest}when {personal} then cx_pseudonymise({r}) else {r} end"
    else:
        parse = r
    if col.required:
        problem(f"{r} is null", "missing", "required value missing")
    return parse, final, problems, cells


NO_SCORE = "no score ('N/A', a word): the answer is loaded without it"


def score_left_out(col: Column, options: dict, kind: str) -> bool:
    """Whether a cell of `col` that is not a number is left out of its loaded row (`no_score`) rather than
    rejecting it: a survey answer's score on a numeric scale (a yes/no satisfaction says not_a_bool)."""
    return kind == "responses" and col.type == "score" and not (col.name == "csat" and options.get("csat_scale") == 2)


@dataclass(frozen=True)
class LoadSql:
    """The three statements of a load: parse `stg` into `conv` once, then insert the clean rows and list
    the problems of the others."""

    conv: str  # select over stg: raw text r<i>, parsed v_<column>, extras c<i>, `ok` and `cells_ok`
    values: str  # select list over conv: the canonical columns (+ properties / survey scales)
    problems: str  # select over conv: row_index and one row per problem (column, value, code, reason)
    cells: bool = False  # some values may be left out of a loaded row (`cells_ok`): their problems are listed too
    # over conv: when an erased person's key (`erased_keys`) keys the row, the time of that erasure; else null.
    # Such a row is neither loaded nor listed among the problems (`load_sql(…, erased=True)`)
    erased_at: str = "null"


# the key columns that name a person, as a loaded row stores them (forget_setup.sql looks for the same)
PERSON_KEYS = ("customer_id", "email", "visitor_id")


def erased_at_sql(kind: str, mapping: dict[str, str]) -> str:
    """Over conv: the time an erased person keying the row was erased (their key's hash in `erased_keys`), else
    null. Each key column mapped, as stored (pseudonymised or not)."""
    mapped = set(mapping.values())
    keys = [f'cx_erased_key("v_{c}")' for c in PERSON_KEYS if c in TABLES[kind].names and c in mapped]
    if not keys:
        return "null"
    return f"(select max(erased_at) from erased_keys where key_hash in ({', '.join(keys)}))"


# the first filled cell of a row a person added under an orders table to sum it up ("TOTAL", "Total général :",
# "Sous-total", "Grand total", "Somme"): the row is no order, rejected with its own reason (`total_row`), when the
# cell that identifies an order (its id, else its date) is empty or is that word; a real order may start with
# "Somme" (a département) or "Total" (a product, a customer)
TOTAL_ROW = r"(((grand|sous|sub)[ -]?)?(total|totaux|totals)( (général|general|ttc|ht))?|somme( totale)?)(\s*:)?"
TOTAL_ROW_REASON = "total row — not an order"

ONE_OF_REASONS = {
    "responses": ("empty_answer", "no score and no comment"),
    "events": ("empty_event", "no visitor id and no customer id"),
}
# currency signs and codes found in an amount, in the order they are tried ('$' alone is the US dollar)
CURRENCY_SIGNS = (
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("R$", "BRL"),
    ("CHF", "CHF"),
    ("€", "EUR"),
    ("EUR", "EUR"),
    ("£", "GBP"),
    ("GBP", "GBP"),
    ("USD", "USD"),
    ("US$", "USD"),
    ("$", "USD"),
    ("CAD", "CAD"),
    ("AUD", "AUD"),
    ("JPY", "JPY"),
    ("¥", "JPY"),
    ("BRL", "BRL"),
)


def header_currency(header: str | None) -> str | None:
    """The ISO currency an amount's header names ("Total (€)", "Montant EUR"), if any."""
    return next((iso for sign, iso in CURRENCY_SIGNS if header and sign in header.upper()), None)


def currency_sql(amount: str | None, code: str | None) -> str:
    """An order's ISO currency: its currency column (upper-cased), else the sign or code in its amount."""
    parts = [f"case when regexp_matches({code}, '^[A-Za-z]{{3}}$') then upper({code}) end"] if code else []
    if amount:
        whens = " ".join(
            f"when contains({amount}, {literal(sign)}) then {literal(iso)}" for sign, iso in CURRENCY_SIGNS
        )
        parts.append(f"case {whens} end")
    return f"coalesce({', '.join(parts)})" if parts else "null"


def load_sql(
    kind: str,
    mapping: dict[str, str],
    headers: list[str],
    options: dict,
    pseudonymise: bool,
    kept: list[str] | None = None,
    personal: set[str] = frozenset(),
    zone_days: str | None = None,
    ascii: bool = False,
    rows: str = "stg",
    free_text: set[str] = frozenset(),
    erased: bool = False,
) -> LoadSql:
    """`kept`: source headers stored as extra data (events: `properties`, others: `extra`), by default every
    unmapped header; `personal`: those among them whose values are pseudonymised; `zone_days`: the table
    `zone_days` made on the cursor for `options["timezone"]` (see `timestamp_sql`); `ascii`: `stg` holds only
    ASCII text (see `trimmed`); `rows`: the table of staged rows read (`stg`, or a part of it with the same
    columns); `free_text`: kept headers of sentences, masked as comments are (`FREE_TEXT`) when pseudonymising;
    `erased`: the workspace has erased people (`erased_keys`): their rows are left out (`LoadSql.erased_at`)."""
    table = TABLES[kind]
    trimmed, inner, values, problems, cells = [], [], [], [], []
    inverse = {t: s for s, t in mapping.items()}
    constants = options.get("constants", {})  # one value for every row, for a column the file lacks
    durations = {}  # timestamp column → its value from a duration after created_at
    for col in table.columns:
        if col.name not in inverse:
            if col.minutes_into:
                continue
            fixed = constants.get(col.name)
            values.append(f'{literal(fixed)} as "{col.name}"' if fixed is not None else f'null as "{col.name}"')
            continue
        source = inverse[col.name]
        r = f"r{headers.index(source)}"
        parse, final, checks, cell_checks = column_sql(col, source, r, options, zone_days, kind)
        if (kind, col.name) in FREE_TEXT and pseudonymise:
            # e-mails and phone numbers written in a comment are masked (Python only where one may be)
            parse = f"case when regexp_matches({parse}, {literal(SQL_CANDIDATE)}) then cx_mask_text({parse}) else {parse} end"
        if not pseudonymise:
            parse = parse.replace("cx_pseudonymise(", "(")
        trimmed.append(f"{raw(headers.index(source), ascii)} as {r}")
        inner += [r, f'{parse} as "v_{col.name}"']
        if col.minutes_into:  # a duration that fills a timestamp column (below), not a column of its own
            durations[col.minutes_into] = f'"v_created_at" + to_microseconds(cast(round({final} * 60e6) as bigint))'
        else:
            values.append(f'{final} as "{col.name}"')
        problems += checks
        cells += cell_checks
    for target, minutes in durations.items():  # the file's own timestamp first, else created_at + the minutes
        i = next(n for n, v in enumerate(values) if v.endswith(f' as "{target}"'))
        own = values[i].removesuffix(f' as "{target}"')
        values[i] = f'{minutes if own == "null" else f"coalesce({own}, {minutes})"} as "{target}"'
    if kind == "events" and "customer_id" in inverse:  # no visitor id: the customer is the visitor
        i = values.index('null as "visitor_id"') if 'null as "visitor_id"' in values else None
        if i is not None:
            values[i] = '"v_customer_id" as "visitor_id"'
        else:
            values = [v.replace('"v_visitor_id" as', 'coalesce("v_visitor_id", "v_customer_id") as', 1) for v in values]
    if "currency" in table.names and {"amount", "revenue", "currency"} & set(inverse):
        amount = inverse.get("amount") or inverse.get("revenue")
        code = inverse.get("currency")
        # a header such as "Total (€)" or "Montant EUR" names the currency of the whole column; else a file that
        # has no currency column at all takes the one the importer chose (`options["currency"]`)
        named = header_currency(amount) or (None if code else options.get("currency"))
        if not options.get("currency_signs", True):
            amount = None  # no sign or code in the amounts' sample: not worth looking for one on every row
        expr = currency_sql(
            f"r{headers.index(amount)}" if amount else None, f"r{headers.index(code)}" if code else None
        )
        if named:
            expr = f"coalesce({expr}, {literal(named)})"
        values = [
            f"{expr} as currency" if v == 'null as "currency"' or v == '"v_currency" as "currency"' else v
            for v in values
        ]
    if table.one_of:
        # a score counts as read, not as written: an answer whose only score is "N/A" is empty
        present = [
            f'"v_{c}"::varchar' if score_left_out(table.column(c), options, kind) else f"r{headers.index(inverse[c])}"
            for c in table.one_of
            if c in inverse
        ]
        if present:
            label = literal(", ".join(inverse[c] for c in table.one_of if c in inverse))
            code, reason = ONE_OF_REASONS[kind]
            problems.append(
                f"case when coalesce({', '.join(present)}) is null then {{'column': {label}, "
                f"'value': null, 'code': {literal(code)}, 'reason': {literal(reason)}}} end"
            )
    if kind == "responses":
        higher = options.get("ces_higher_is_better")
        values += [
            f"{options.get('csat_scale', 'null')} as csat_scale",
            f"{options.get('ces_scale', 'null')} as ces_scale",
            f"{'null' if higher is None else str(higher).lower()} as ces_higher_is_better",
        ]
    total = None  # a problem alone on its row: what the row is matters, not which of its cells are missing
    key = inverse.get("order_id") or inverse.get("order_time")
    if kind == "orders" and key:
        first = f"coalesce({', '.join(raw(i, ascii) for i in range(len(headers)))})"
        where = " ".join(f"when {raw(i, ascii)} is not null then {literal(h)}" for i, h in enumerate(headers))
        own = raw(headers.index(key), ascii)
        trimmed.append(
            f"case when regexp_full_match(lower({first}), {literal(TOTAL_ROW)}) and ({own} is null or {own} = {first}) "
            f"then {{'column': case {where} end, 'value': {first}}} end as total_cell"
        )
        inner.append("total_cell")
        total = (
            "case when total_cell is not null then {'column': total_cell.column, 'value': total_cell.value, "
            f"'code': 'total_row', 'reason': {literal(TOTAL_ROW_REASON)}}} end"
        )
        problems.insert(0, total)
    extra = [(h, headers.index(h)) for h in (kept if kept is not None else [h for h in headers if h not in mapping])]
    trimmed += [f"c{i}" for _, i in extra]
    inner += [f"c{i}" for _, i in extra]
    hashed = "cx_pseudonymise" if pseudonymise else ""

    def kept_value(h: str, i: int) -> str:
        if h in personal:
            return f"{hashed}({raw(i, ascii)})"
        if h in free_text and pseudonymise and kind != "events":
            return f"case when regexp_matches(c{i}, {literal(SQL_CANDIDATE)}) then cx_mask_text(c{i}) else c{i} end"
        return f"c{i}"

    pairs = ", ".join(f"{literal(h)}, {kept_value(h, i)}" for h, i in extra)
    name = "properties" if table.keeps_properties else "extra"
    # JSON as made (no `::varchar`: the column is JSON, and casting text back to JSON parses every value again)
    values.append(f"json_object({pairs}) as {name}" if extra else f"null as {name}")
    # a row is clean when every problem expression is null; `ok` avoids building lists for clean rows; a row
    # whose cell problems are not all null is loaded without those values, and they are listed
    ok = " and ".join(f"({p}) is null" for p in problems) or "true"
    cells_ok = " and ".join(f"({p}) is null" for p in cells) or "true"
    # a rejected row lists why it is rejected, a loaded row the values left out of it: never both ("no score and
    # no comment" beside "the answer is loaded without it")
    rejecting = f"list_filter([{', '.join(problems)}], lambda x: x is not null)" if problems else "[]"
    left_out = f"list_filter([{', '.join(cells)}], lambda x: x is not null)" if cells else "[]"
    listed = f"case when ok then {left_out} else {rejecting} end"
    if total:
        listed = f"case when total_cell is not null then [{total}] else {listed} end"
    # three levels, so each text is trimmed once and parsed once (a column alias reused in the same
    # select list would be expanded, and recomputed, at every use)
    conv = (
        f"select *, {ok} as ok, {cells_ok} as cells_ok from (select {', '.join(inner) or '1 as _'} from "
        f"(select {', '.join(trimmed) or '1 as _'} from {rows}))"
    )
    erased_at = erased_at_sql(kind, mapping) if erased else "null"
    listing = (
        f"select row_index, p.column, p.value, p.code, p.reason from (select "
        f"rowid - (select min(rowid) from conv) as row_index, unnest({listed}) as p, ok, cells_ok, "
        f"{erased_at} as erased_at from conv) where not (ok and cells_ok) and erased_at is null order by row_index"
    )
    return LoadSql(conv, ", ".join(values), listing, bool(cells), erased_at)
