"""Re-create the real-export excerpts (tests/exports/real/README.md) from their public sources.

Each excerpt is cut from a file at a commit of a public repository, byte for byte (encodings, BOMs, line ends
kept), then pseudonymised with pseudonymise.py where it holds real customers. SOURCES below records, for each
file of manifest.json: repository, commit, path, which records, and what was done to them.

Fetch the repositories first (one git dir each), then:

    python tests/exports/real/rebuild.py MIRRORS OUT

MIRRORS holds one folder per repository, named `owner+name` (or `owner/name`), being a git dir or holding one
as `repo/` or `.git/`; a plain folder holding the file at its path is read as it is (the commit is not checked).
Files whose repository is absent are listed and skipped; the exit status is 1 if any was. (The Typeform
repository had no snapshot to fetch on 2026-12-06: its file, read through the code index at the commit below,
can be put as MIRRORS/HimanshuBohra-ElevateNow+Files/typeform.csv; only its header and first 6 records count.)
The output was checked byte for byte against the excerpts the tests passed with.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pseudonymise import pseudonymise


@dataclass(frozen=True)
class Source:
    file: str  # the excerpt's name in manifest.json
    repo: str  # owner/name on GitHub
    commit: str
    path: str
    rows: int | tuple[int, ...] | None = None  # first N records, these records (0 = first after the header), or all
    lines: int | None = None  # or: the first N physical lines (header included)
    pseudonymise: bool = False  # run pseudonymise.py on the excerpt
    keep: tuple[str, ...] = ()  # personal-looking columns pseudonymise.py leaves alone
    wrapped: bool = False  # a comma CSV re-saved by Excel: each line one cell + ';' (pseudonymised unwrapped)
    encoding: str = "utf-8"
    cells: dict[tuple[int, str], str] = field(default_factory=dict)  # (record, column) -> raw cell, by hand


# The Typeform excerpt was pseudonymised by hand: its personal cells are replaced by these raw cells (no original
# value is kept here). Record 4 is the person of record 2 submitting again.
TYPEFORM_CELLS: dict[tuple[int, str], str] = {}
for _i, (_person, _address, _address2) in enumerate(
    [
        (1, "Address 1", "Address line 2 1"),
        (2, '"Address 2, Block 9"', "Address line 2 2"),
        (3, '"Address 3, Flat J"', '"Address line 2 3, Sector 95A"'),
        (4, "Address 4", "Address line 2 4"),
        (3, '"Address 5, floor 13"', '"Address line 2 5, wazirpur "'),
        (5, '"Address 6, 7th main"', '"Address line 2 6, near main road"'),
    ]
):
    TYPEFORM_CELLS |= {
        (_i, "First name"): f"First name {_person}",
        (_i, "Last name"): f"Last name {_person}",
        (_i, "Phone number"): f"'+9100000000{_person:02d}",
        (_i, "Email"): f"p{_person}@example.com",
        (_i, "Address"): _address,
        (_i, "Address line 2"): _address2,
    }

SOURCES = [
    Source(
        "shopify_orders_export_cad.csv",
        "jihyangt/autofulfill5000",
        "d6ddeedb8f82a425e2a184b60baeac381efed2db",
        "orders_export.csv",
        pseudonymise=True,
    ),
    Source(
        "shopify_orders_export_bdt_guests.csv",
        "zhangerson/shopify_parsing",
        "7177a96858152423f89ba15a31bf85e9b3428957",
        "orders_export.csv",
        pseudonymise=True,
    ),
    Source(
        "shopify_orders_export_zar.csv",
        "FelixTellmann/kidsliving-api",
        "7424d1037e9f83f8eec50fbfafe6bd3bbe278e1d",
        "orders_export.csv",
        rows=60,
        pseudonymise=True,
    ),
    Source(
        "shopify_orders_export_clp_excel_resaved.csv",
        "tcorthorn/Panel-Bronz-2026",
        "8ee519c79e60985bd5b6bd369958a356e6341109",
        "data/orders_export.csv",
        lines=101,
        pseudonymise=True,
        keep=("note attributes",),  # tracking tags only (fbc, utm_…)
        wrapped=True,
    ),
    Source(
        "stripe_unified_payments_export.csv",
        "Liam-Dupeyron/AnswersAi_data_science",
        "177697d577eb70001158fdc6f16abf8e684ab9dc",
        "unified_payments.csv",
        rows=(0, 1, 2, 3, 4, 5, 6, 9, 21, 22, 25, 27),  # paid and failed, one without a charge id, the AUD one
        pseudonymise=True,
    ),
    Source(
        "hubspot_contacts_export.csv",
        "Shaftdog/Salesmod",
        "e161c585c3c83e18f1e2223a3e6156ea6506d4ad",
        "hubspot_contacts.csv",
        rows=120,
        pseudonymise=True,
    ),
    Source(
        "hubspot_companies_export.csv",
        "Shaftdog/Salesmod",
        "e161c585c3c83e18f1e2223a3e6156ea6506d4ad",
        "Hubspot.csv",
        pseudonymise=True,
    ),
    Source(  # added by this commit; the next commits delete it (d9b3400b for this file)
        "olist_order_reviews_dataset_excerpt.csv",
        "ArielCastilla/DEMO-B-olist-ecommerce-data",
        "7d1f746931efa97a898d40d766055b885ca7f62d",
        "olist_order_reviews_dataset.csv",
        rows=60,
    ),
    Source(
        "qualtrics_sample_de.csv",
        "ropensci/qualtRics",
        "b8d9c7ec7621dea34281113aa3c6bb59e84e390e",
        "tests/testthat/files/sample.csv",
    ),
    Source(
        "qualtrics_legacy_sample.csv",
        "ropensci/qualtRics",
        "b8d9c7ec7621dea34281113aa3c6bb59e84e390e",
        "tests/testthat/files/sample_legacy.csv",
    ),
    Source(
        "typeform_booking_responses.csv",
        "HimanshuBohra-ElevateNow/Files",
        "d773fcc3c103b2daf1de00f8409f2cccaf203fd0",
        "typeform.csv",
        rows=6,
        cells=TYPEFORM_CELLS,
    ),
    Source(
        "matomo_live_visits_export_utf16.csv",
        "matomo-org/matomo",
        "f09912cb702a76d06ab1a129a8e0a4e2a61818a8",
        "tests/PHPUnit/System/expected/test_csvExport__Live.getLastVisitsDetails_day.csv",
        encoding="utf-16",
    ),
    Source(
        "freshdesk_tickets_export.csv",
        "NavyaDornala1516/devrev2ndproject",
        "e9f7880c15bfc09681801b63be0294ddcb2c8c19",
        "freshdesk_tickets.csv",
    ),
]


def records(text: str) -> list[str]:
    """The raw records of a CSV text, each with its line end (a quoted cell may span lines)."""
    out, start, quoted = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            out.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def raw_cells(record: str) -> list[str]:
    """A raw record (line end removed) split into its raw cells, quotes kept."""
    cells, start, quoted = [], 0, False
    for i, ch in enumerate(record):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            cells.append(record[start:i])
            start = i + 1
    cells.append(record[start:])
    return cells


def replace_cells(text: str, cells: dict[tuple[int, str], str]) -> str:
    recs = records(text)
    header = [c.strip('"') for c in raw_cells(recs[0].rstrip("\r\n"))]
    for (row, column), raw in cells.items():
        rec = recs[row + 1]
        body = rec.rstrip("\r\n")
        parts = raw_cells(body)
        parts[header.index(column)] = raw
        recs[row + 1] = ",".join(parts) + rec[len(body) :]
    return "".join(recs)


def unwrap(line: str) -> tuple[str, bool]:
    """One line of an Excel re-save (no line end): the comma line it holds, and whether Excel quoted it."""
    line = line.removesuffix(";")
    if len(line) >= 2 and line.startswith('"') and line.endswith('"'):
        return line[1:-1].replace('""', '"'), True
    return line, False


def pseudonymise_wrapped(text: str, keep: tuple[str, ...]) -> str:
    lines = text.split("\r\n")
    if lines.pop():
        raise ValueError("an Excel re-save cut by lines ends with a line end")
    unwrapped = [unwrap(line) for line in lines]
    done = pseudonymise("".join(u + "\r\n" for u, _ in unwrapped), None, keep).split("\r\n")[:-1]
    assert len(done) == len(lines), "a pseudonym changed the number of lines"
    out = "".join(('"' + d.replace('"', '""') + '"' if q else d) + ";\r\n" for d, (_, q) in zip(done, unwrapped))
    return out


def excerpt(src: Source, data: bytes) -> bytes:
    """The excerpt of the source file's bytes, as the corpus holds it."""
    if src.rows is None and src.lines is None and not (src.pseudonymise or src.cells):
        return data  # the whole file, untouched
    text = data.decode(src.encoding)
    if src.lines is not None:
        text = "".join(text.splitlines(keepends=True)[: src.lines])
    if src.rows is not None:
        recs = records(text)
        chosen = range(src.rows) if isinstance(src.rows, int) else src.rows
        text = recs[0] + "".join(recs[i + 1] for i in chosen)
    if src.cells:
        text = replace_cells(text, src.cells)
    if src.pseudonymise:
        text = pseudonymise_wrapped(text, src.keep) if src.wrapped else pseudonymise(text, None, src.keep)
    return text.encode(src.encoding)


def git_dir(mirrors: Path, repo: str) -> Path | None:
    owner, name = repo.split("/")
    for base in (mirrors / f"{owner}+{name}", mirrors / owner / name, mirrors / name):
        for d in (base / "repo", base / ".git", base):
            if (d / "HEAD").is_file() and (d / "objects").is_dir():
                return d
    return None


def read_source(mirrors: Path, src: Source) -> bytes | None:
    d = git_dir(mirrors, src.repo)
    if d is not None:
        return subprocess.run(
            ["git", "--git-dir", str(d), "show", f"{src.commit}:{src.path}"], check=True, capture_output=True
        ).stdout
    owner, name = src.repo.split("/")
    for base in (mirrors / f"{owner}+{name}", mirrors / owner / name):
        if (base / src.path).is_file():
            return (base / src.path).read_bytes()
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirrors", type=Path, help="folder of git dirs, one per repository (owner+name)")
    ap.add_argument("out", type=Path, help="folder to write the excerpts to")
    ap.add_argument("--only", nargs="*", help="file names to make (default: all)")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    missing = []
    for src in SOURCES:
        if a.only and src.file not in a.only:
            continue
        data = read_source(a.mirrors, src)
        if data is None:
            missing.append(f"{src.file} ({src.repo})")
            continue
        (a.out / src.file).write_bytes(excerpt(src, data))
        print(f"{src.file}: {src.repo} @{src.commit[:10]} {src.path}")
    if missing:
        print("repository not found, not made: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
