"""Upgrades (issue 12): a workspace made by every earlier schema version opens with today's Parcours, is
migrated to the current version and answers the commands; released migrations never change.

The fixtures in tests/data/workspaces/ were made by running each version's schema files exactly as they were
released, taken from git history (see make.py there), with a few rows and their key file."""

import gzip
import hashlib
import json
import shutil

import pytest

from cx.__main__ import run
from cx.workspace import ROOT, SCHEMA_VERSION, Workspace
from tests.test_satisfaction import insert

FIXTURES = ROOT / "tests" / "data" / "workspaces"
NAMES = ["v1", "v2", "v3", "v4", "v5", "v6", "v6_filled", "v7_first"]

# sha256 of every released schema file. A released migration is never edited: a change to the schema is a new
# file (schema_v8.sql, …) — add its hash here once it is released.
RELEASED = {
    1: "3f109ead47972e4644388af22edcf070ded16f89c4bc25a61abbcd29e5230039",
    2: "20f100d83a9e1ddf7ccb92c0ebf52f607b35182c0341c24ef3c7f38a6376f05d",
    3: "3aedb8e873ded30be75cf4eeae06f89ef3a4e9e34bc62ee4552958c933b4b365",
    4: "fca4f86127183034d166a2f60017df37aacce0e8e03ae516e3fbd9f784449804",
    5: "6485d23078e8a1f9d41e9faa4f0e2de97d923239d810b2fd7f5c9adad0c6e62e",
    6: "0d2b6ee1f9f533acefdd876668e8b0ce8d19c60d0051794e891ae17e234cd081",
    7: "6ceb7610efbc447eca8b0a0bc1d6d924f1f027205fc6214e5e56ebc221ae04a7",
    8: "74509693b102d56070f01db7e26c25b04bd3bdfbd98ff514e4cb233aadf1c3c1",
    9: "19fa4c84dae056bdc0be87ff3866cfbedd86cd455f05a9aa9ae234e049e9c006",
}


@pytest.fixture(params=NAMES)
def old(request, tmp_path):
    """A copy of the fixture (opening it migrates it), with its key beside it."""
    db = tmp_path / "w.duckdb"
    db.write_bytes(gzip.decompress((FIXTURES / f"{request.param}.duckdb.gz").read_bytes()))
    shutil.copy(FIXTURES / f"{request.param}.key", tmp_path / "w.key")
    return db


def _json(capsys, argv):
    assert run(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_every_fixture_is_there():
    for name in NAMES:
        assert (FIXTURES / f"{name}.duckdb.gz").exists() and (FIXTURES / f"{name}.key").exists()


@pytest.mark.file_only("workspace files written by earlier releases (a lake is created at the current schema)")
def test_an_old_workspace_is_upgraded_and_answers(old, capsys):
    ws = Workspace(old)
    with ws.cursor() as cur:
        version = cur.execute("select value from cx_meta where key = 'schema_version'").fetchall()[0][0]
        tables = {r[0] for r in cur.execute("select table_name from duckdb_tables()").fetchall()}
    assert int(version) == SCHEMA_VERSION
    # the tables every version brought, including those of versions first released as placeholders
    assert {
        "imports",
        "events",
        "journey_stage_rules",
        "journey_notes",
        "theme_keywords",
        "friction_status",
        "persona_members",
        "persona_names",
        "maturity_thresholds",
        "maturity_workshops",
        "maturity_answers",
        "erased_keys",
    } <= tables
    assert ws.table_counts() == {"events": 6, "customers": 2, "orders": 2, "tickets": 1, "responses": 2}
    # what today's code writes fits: a guest order (no customer), the columns of schema 7
    insert(
        ws,
        "orders",
        [
            {
                "customer_id": None,
                "order_time": "2025-02-20 10:00",
                "amount": 30.0,
                "order_id": "G1",
                "currency": "EUR",
                "extra": '{"note": "x"}',
            }
        ],
    )
    ws.close()
    tables_doc = _json(capsys, ["tables", "--db", str(old), "--json"])
    assert "orders" in json.dumps(tables_doc)
    kpis = _json(capsys, ["kpis", "--db", str(old), "--json"])
    assert kpis
    for command in (["nps"], ["findings"], ["personas"], ["maturity"], ["funnel", "--steps", "view_item,purchase"]):
        assert run([*command, "--db", str(old), "--json"]) == 0, (command, capsys.readouterr().err)
        capsys.readouterr()
    # a second opening changes nothing more
    again = Workspace(old)
    assert again.table_counts()["orders"] == 3
    again.close()


def test_released_migrations_never_change():
    for version, digest in RELEASED.items():
        text = (ROOT / "cx" / "sql" / f"schema_v{version}.sql").read_bytes()
        assert hashlib.sha256(text).hexdigest() == digest, (
            f"schema_v{version}.sql was released: never edit it, put the change in a new schema file"
        )
    assert SCHEMA_VERSION >= max(RELEASED)
