"""What the values of each staged column look like, measured in one SQL pass over the first rows.

A `Profile` holds shares (0–1) of the filled values that read as an instant, an epoch, a number, a whole
number, an e-mail, a yes/no, a device or a channel name, plus the range of the numbers, the number of
distinct values and the mean length: enough for `mapping` to tell a date from an id, a 0–10 score from an
amount, a comment from its title. Detection and import profile the same first rows, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from cx.sql import literal

from .ratings import WORDS as RATING_WORDS

PROFILE_ROWS = 5000
MAX_PROFILED = 400  # columns beyond this are not profiled (their header alone decides)
BATCH = 20

_INSTANT = (
    r"^(\d{4}-\d\d-\d\d([ T]\d\d?:\d\d(:\d\d(\.\d+)?)?)?\s*(Z|UTC|[+-]\d\d(:?\d\d)?)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}([ T,]+\d\d?:\d\d(:\d\d)?(\s*[AaPp][Mm])?)?"
    r"|\d{4}/\d\d/\d\d( \d\d:\d\d(:\d\d)?)?"
    r"|(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))$"
)  # GA4's 20250131
_EPOCH = r"^1\d{9}$|^1\d{12}$|^1\d{15}$"
_NUMBER = (
    r"^[-+(]?\s*(CA\$|US\$|A\$|R\$|C\$|[$€£¥]|EUR|USD|GBP|CHF|CAD|AUD|JPY|BRL)?\s*\d[\d\s\x{00A0}\x{202F},.'’]*"
    r"[\s\x{00A0}\x{202F}]*"
    r"([$€£¥%]|EUR|USD|GBP|CHF|CAD|AUD|JPY|BRL)?\)?$"
)
_EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
_CURRENCY = r"[$€£]|\b(EUR|USD|GBP|CHF|CAD|AUD|JPY|BRL)\b"
_BOOL = ("yes", "no", "oui", "non", "true", "false", "vrai", "faux", "y", "n", "0", "1")
_DEVICE = (
    "desktop",
    "mobile",
    "tablet",
    "smartphone",
    "ordinateur",
    "tablette",
    "ios",
    "android",
    "phone",
    "computer",
    "pc",
    "web",
    "app",
)
_CHANNEL = (
    r"organic|direct|e-?mail|paid|referral|social|cpc|display|affiliat|newsletter|search|\(none\)|"
    r"google|facebook|instagram|bing|sms|push|naturel|payant|recherche|chat|phone|téléphone|web|"
    r"messenger|whatsapp|form"
)


@dataclass(frozen=True)
class Profile:
    header: str
    rows: int  # rows profiled
    filled: int  # non-empty values among the profiled rows
    distinct: int
    instant: float  # share of filled values that read as a date or a date and time
    epoch: float  # … as a Unix epoch (s, ms, µs)
    number: float  # … as a number, with or without currency signs and separators
    whole: float  # … as a plain whole number
    low: float | None  # smallest and largest number among the values read as numbers
    high: float | None
    in_0_10: float  # … as a number from 0 to 10 (an NPS), 1 to 5, 1 to 7 (CSAT, CES)
    in_1_5: float
    in_1_7: float
    email: float
    currency: float  # … carrying a currency sign or code
    yes_no: float
    device: float
    channel: float
    mean_length: float
    spaces: float  # … holding a space (words, not codes)
    examples: tuple[str, ...]
    rating: float = 0.0  # … as a support tool's satisfaction rating (good, bad, offered, Very happy…: ratings.py)

    @property
    def empty(self) -> bool:
        return self.filled == 0

    @property
    def fill(self) -> float:
        """Share of the rows where the column has a value."""
        return self.filled / self.rows if self.rows else 0.0

    @property
    def unique(self) -> float:
        """Distinct values per filled value: 1.0 for a key, small for a category."""
        return self.distinct / self.filled if self.filled else 0.0

    @property
    def long_text(self) -> bool:
        return self.mean_length >= 30 and self.spaces >= 0.5


def profile_columns(cur, headers: list[str], table: str = "stg") -> list[Profile]:
    """Profile each column c0…cN of `table` over its first PROFILE_ROWS rows."""
    n = min(len(headers), MAX_PROFILED)
    if n == 0:
        return []
    filled = ", ".join(f"nullif(trim(c{i}), '')" for i in range(len(headers)))
    # blank lines are no rows (the import skips them too)
    cur.execute(
        f"create or replace temp table stg_profile as select * from {table} "
        f"where coalesce({filled}) is not null limit {PROFILE_ROWS}"
    )
    parts, inner, examples = [], [], []
    for i in range(n):
        # each value's regexps once, in an inner select: `number` and the parsed number feed several counts
        v, is_number, num = f"v{i}", f"n{i}", f"x{i}"
        inner.append(
            f"nullif(trim(c{i}), '') as {v}, regexp_matches({v}, {literal(_NUMBER)}) as {is_number}, "
            f"try_cast(replace(regexp_replace({v}, '[^0-9,.-]', '', 'g'), ',', '.') as double) as {num}"
        )
        parts.append(f"""struct_pack(
            rows := count(*), filled := count({v}), distinct_ := count(distinct {v}),
            instant := count(*) filter (where regexp_matches({v}, {literal(_INSTANT)})),
            epoch := count(*) filter (where regexp_matches({v}, {literal(_EPOCH)})),
            number := count(*) filter (where {is_number}),
            whole := count(*) filter (where regexp_matches({v}, '^-?\\d{{1,9}}$')),
            low := min({num}) filter (where {is_number}),
            high := max({num}) filter (where {is_number}),
            in_0_10 := count(*) filter (where {num} between 0 and 10),
            in_1_5 := count(*) filter (where {num} between 1 and 5),
            in_1_7 := count(*) filter (where {num} between 1 and 7),
            email := count(*) filter (where regexp_matches({v}, {literal(_EMAIL)})),
            currency := count(*) filter (where regexp_matches({v}, {literal(_CURRENCY)})),
            yes_no := count(*) filter (where lower({v}) in ({", ".join(map(literal, _BOOL))})),
            device := count(*) filter (where lower({v}) in ({", ".join(map(literal, _DEVICE))})),
            channel := count(*) filter (where regexp_matches(lower({v}), {literal(_CHANNEL)})),
            mean_length := avg(length({v})),
            spaces := count(*) filter (where contains({v}, ' ')),
            rating := count(*) filter (where lower({v}) in ({", ".join(map(literal, RATING_WORDS))}))
        ) as p{i}""")
        examples.append(f"list_distinct(list({v}) filter (where {v} is not null)[1:40])[1:3] as e{i}")
    # a few columns per query: one query over hundreds of columns costs far more than its parts
    # the examples in a query of their own: a list aggregate beside the others makes DuckDB 1.5 aggregate
    # them all several times slower
    row, shown = [], []
    for start in range(0, len(parts), BATCH):
        batch = slice(start, start + BATCH)
        values = f"(select {', '.join(inner[batch])} from stg_profile)"
        row += cur.execute(f"select {', '.join(parts[batch])} from {values}").fetchall()[0]
        shown += cur.execute(f"select {', '.join(examples[batch])} from {values}").fetchall()[0]
    out = []
    for header, p, first in zip(headers, row, shown):
        filled = p["filled"] or 0

        def share(key: str, p=p, filled=filled) -> float:
            return (p[key] or 0) / filled if filled else 0.0

        out.append(
            Profile(
                header,
                p["rows"] or 0,
                filled,
                p["distinct_"] or 0,
                share("instant"),
                share("epoch"),
                share("number"),
                share("whole"),
                p["low"],
                p["high"],
                share("in_0_10"),
                share("in_1_5"),
                share("in_1_7"),
                share("email"),
                share("currency"),
                share("yes_no"),
                share("device"),
                share("channel"),
                p["mean_length"] or 0.0,
                share("spaces"),
                tuple(str(x) for x in (first or [])),
                share("rating"),
            )
        )
    return out + [blank(h) for h in headers[n:]]


def blank(header: str) -> Profile:
    """The profile of a column whose values are unknown (not profiled, or headers alone)."""
    return Profile(header, 0, 0, 0, 0, 0, 0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, ())
