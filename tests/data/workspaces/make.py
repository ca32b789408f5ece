"""Rebuild the fixture workspaces of tests/test_upgrades.py: one DuckDB file (gzipped) per earlier schema version, made
by running that version's schema files exactly as they were released (taken from git history), plus a few
rows, and the key file beside it. Run from the repository root: `python tests/data/workspaces/make.py`.
The files were written by duckdb 1.5.5 (rebuilt when the pin moved from 2.0.0 to 1.5.5, which cannot read 2.0
files); they only need rebuilding if DuckDB stops reading them."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
KEY = "5c" * 32  # a fixed test key: the pseudonyms below were made with it

# the commit that first released each schema file (`git log --diff-filter=A -- cx/sql/schema_vN.sql`)
INTRODUCED = {1: "6db6aa9", 2: "8412282", 3: "8412282", 4: "d2cad43", 5: "d2cad43", 6: "aabd91f", 7: "9707490"}
# name -> (schema version, {file version: commit it is taken from})
FIXTURES = {f"v{n}": (n, {v: INTRODUCED[v] for v in range(1, n + 1)}) for n in range(1, 7)}
FIXTURES["v6_filled"] = (6, {v: "35ea4e4" for v in range(1, 7)})  # the last release on schema 6
FIXTURES["v7_first"] = (7, {v: INTRODUCED[v] if v == 7 else "35ea4e4" for v in range(1, 8)})  # v7 as first released

ROWS = """
insert into imports (import_id, file_name, sha256, kind, file_type, rows_read, rows_loaded, rows_rejected, status,
                     started_at, finished_at) values
  (1, 'events.csv', 'sha-events', 'events', 'csv', 6, 6, 0, 'loaded', '2025-03-01 10:00', '2025-03-01 10:00'),
  (2, 'clients.csv', 'sha-customers', 'customers', 'csv', 2, 2, 0, 'loaded', '2025-03-01 10:01', '2025-03-01 10:01'),
  (3, 'orders.csv', 'sha-orders', 'orders', 'csv', 3, 2, 1, 'loaded', '2025-03-01 10:02', '2025-03-01 10:02'),
  (4, 'survey.csv', 'sha-responses', 'responses', 'csv', 2, 2, 0, 'loaded', '2025-03-01 10:03', '2025-03-01 10:03'),
  (5, 'tickets.csv', 'sha-tickets', 'tickets', 'csv', 1, 1, 0, 'loaded', '2025-03-01 10:04', '2025-03-01 10:04');
insert into rejects values (3, 4, 'amount', 'abc', 'not_a_number', 'not a number');
insert into events (import_id, event_time, visitor_id, event_name, session_id, customer_id, page, channel, device) values
  (1, '2025-02-01 09:00', 'v1', 'page_view', 's1', 'px_aaaaaaaaaaaaaaaaaaaa', '/', 'google / organic', 'mobile'),
  (1, '2025-02-01 09:01', 'v1', 'view_item', 's1', 'px_aaaaaaaaaaaaaaaaaaaa', '/produit/lampe', 'google / organic', 'mobile'),
  (1, '2025-02-01 09:02', 'v1', 'add_to_cart', 's1', 'px_aaaaaaaaaaaaaaaaaaaa', '/panier', 'google / organic', 'mobile'),
  (1, '2025-02-01 09:05', 'v1', 'purchase', 's1', 'px_aaaaaaaaaaaaaaaaaaaa', '/merci', 'google / organic', 'mobile'),
  (1, '2025-02-02 18:00', 'v2', 'page_view', 's2', null, '/', 'direct', 'desktop'),
  (1, '2025-02-02 18:01', 'v2', 'view_item', 's2', null, '/produit/vase', 'direct', 'desktop');
insert into customers (import_id, customer_id, email, segment, country, birth_year) values
  (2, 'px_aaaaaaaaaaaaaaaaaaaa', 'px_bbbbbbbbbbbbbbbbbbbb', 'VIP', 'France', 1980),
  (2, 'px_cccccccccccccccccccc', 'px_dddddddddddddddddddd', 'Particulier', 'France', 1992);
insert into orders (import_id, customer_id, order_time, amount, order_id, status, channel) values
  (3, 'px_aaaaaaaaaaaaaaaaaaaa', '2025-02-01 09:05', 120.5, 'A1', 'completed', 'web'),
  (3, 'px_cccccccccccccccccccc', '2025-02-10 12:00', 45.0, 'A2', 'completed', 'store');
insert into responses (import_id, responded_at, response_id, customer_id, nps, comment) values
  (4, '2025-02-05 10:00', 'r1', 'px_aaaaaaaaaaaaaaaaaaaa', 10, 'Livraison rapide'),
  (4, '2025-02-12 10:00', 'r2', 'px_cccccccccccccccccccc', 4, 'Trop cher');
insert into tickets (import_id, ticket_id, channel, created_at, customer_id, first_response_at, resolved_at) values
  (5, 'T1', 'email', '2025-02-06 08:00', 'px_cccccccccccccccccccc', '2025-02-06 12:00', '2025-02-07 08:00');
"""


def schema_file(commit: str, version: int) -> str:
    return subprocess.run(
        ["git", "show", f"{commit}:cx/sql/schema_v{version}.sql"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def make(name: str, version: int, sources: dict[int, str]) -> None:
    path = HERE / f"{name}.duckdb"
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create table if not exists cx_meta (key varchar primary key, value varchar)")
    for v, commit in sources.items():  # what the Parcours of that time ran, one version at a time
        con.execute(schema_file(commit, v))
        con.execute("insert or replace into cx_meta values ('schema_version', $v)", {"v": str(v)})
    assert version == max(sources)
    con.execute(ROWS)
    con.execute("checkpoint")
    con.close()
    # stored gzipped: a DuckDB file is mostly empty 256 KB blocks (2.9 MB → a few KB)
    (HERE / f"{name}.duckdb.gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))
    path.unlink()
    (HERE / f"{name}.key").write_text(KEY)


if __name__ == "__main__":
    for fixture, (n, files) in FIXTURES.items():
        make(fixture, n, files)
        print(fixture, file=sys.stderr)
