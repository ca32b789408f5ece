"""Pseudonymise a real export before it enters the corpus, changing nothing but personal data.

The files under tests/exports/real/ are excerpts of exports made by the tools themselves, found in public
repositories. They hold real people's e-mails, names, phones and addresses, so each excerpt went through this
script once: every e-mail address becomes `p<n>@example.com` (the same address always gives the same one, so
orders still group by customer) and every non-empty cell of a personal column (names, phones, addresses, notes,
IP addresses) becomes `<column> <n>`. The replacement is made in the raw text, cell by cell, so the bytes of
everything else — quoting (`""`), offsets, line ends, header rows, encodings — stay exactly as the tool wrote
them. Run: python tests/exports/real/pseudonymise.py SOURCE TARGET [--rows N] [--encoding utf-16]
"""

from __future__ import annotations

import argparse
import csv
import io
import re

EMAIL = re.compile(r"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PERSONAL = re.compile(
    r"^(first name|last name|street|address ?1|address ?2|address line ?[12]|street address( 2)?|phone"
    r"|phone number|mobile phone number|notes|note attributes|company|card name|customer phone|visitip|ip ?address"
    r"|ipaddress|owner|contact owner|company owner|location(latitude|longitude)|recipient(first|last)name"
    r")$",
    re.IGNORECASE,
)
KEEP = {"name", "company name", "lineitem name", "shipping method", "company"}  # order number, product names…


def personal(header: str) -> bool:
    h = header.strip().lower()
    if h in ("name",):  # Shopify's `Name` is the order number (#1058), not a person
        return False
    if h.startswith("lineitem") or h in ("company name", "receipt number"):
        return False
    if h.startswith(("billing ", "shipping ", "card ", "customer ")):
        h = h.split(" ", 1)[1]
        if h in ("company", "name", "phone", "street", "address1", "address2", "address line1", "address line2"):
            return True
    return bool(PERSONAL.search(h)) and h not in KEEP


def pseudonymise(text: str, rows: int | None, keep: tuple[str, ...] = ()) -> str:
    """`keep`: personal-looking columns to leave as they are (lower case), e.g. Shopify's `note attributes`
    when it holds only tracking tags."""
    lines = list(csv.reader(io.StringIO(text, newline="")))
    header = lines[0]
    body = lines[1:] if rows is None else lines[1 : rows + 1]
    if rows is not None:  # cut the raw text after `rows` records (records may span lines)
        text = cut_records(text, rows + 1)
    emails: dict[str, str] = {}

    def mail(m: re.Match) -> str:
        key = m.group(0).lower()
        emails.setdefault(key, f"p{len(emails) + 1}@example.com")
        return emails[key]

    values: dict[str, str] = {}
    for record in body:
        for col, cell in zip(header, record):
            if (
                cell.strip()
                and personal(col)
                and col.strip().lower() not in keep
                and cell not in values
                and not EMAIL.fullmatch(cell.strip())
            ):
                values[cell] = f"{col.strip()} {sum(1 for k in values if k) + 1}"
    for value in sorted(values, key=len, reverse=True):
        quoted = '"' + value.replace('"', '""') + '"'
        replacement = csv_cell(values[value]).replace("\\", "\\\\")
        for raw in (quoted, value):
            text = re.sub(r"(?<=[,\n])" + re.escape(raw) + r"(?=,|\r?\n|$)", replacement, text)
    return EMAIL.sub(mail, text)


def csv_cell(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',"\n') else value


def cut_records(text: str, n: int) -> str:
    count, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        if ch == "\n" and not quoted:
            count += 1
            if count == n:
                return text[: i + 1]
    return text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("target")
    ap.add_argument("--rows", type=int)
    ap.add_argument("--encoding", default="utf-8")
    a = ap.parse_args()
    with open(a.source, "rb") as f:
        text = f.read().decode(a.encoding)
    with open(a.target, "wb") as f:
        f.write(pseudonymise(text, a.rows).encode(a.encoding))


if __name__ == "__main__":
    main()
