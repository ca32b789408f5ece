"""`python -m cx` — the command-line contract of DESIGN.md."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, workspace_env, write


def cx(*args, db, check=True):
    env = {**os.environ, **workspace_env(db)}
    out = subprocess.run(
        [sys.executable, "-m", "cx", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check:
        assert out.returncode == 0, out.stderr
    return out


def test_import_then_tables_json(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write(tmp_path, "orders.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-01,10\nA2,,2025-01-02,x\n")
    doc = json.loads(cx("import", str(f), "--json", db=db).stdout)
    [imp] = doc["imports"]
    assert {k: imp[k] for k in ("file", "kind", "import_id", "rows_read", "rows_loaded", "rows_rejected")} == {
        "file": "orders.csv",
        "kind": "orders",
        "import_id": 1,
        "rows_read": 2,
        "rows_loaded": 1,
        "rows_rejected": 1,
    }
    assert imp["mapping"] == {
        "order_id": "order_id",
        "customer_id": "customer_id",
        "order_date": "order_time",
        "total": "amount",
    }
    assert {(r["line"], r["column"], r["reason"]) for r in imp["rejects"]} == {
        (3, "total", "not a number")
    }  # no customer: a guest order, not a fault
    assert json.loads(cx("tables", "--json", db=db).stdout)["tables"]["orders"] == 1


def test_import_with_kind_and_mapping_file(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write(tmp_path, "x.csv", "a;b;c\n2025-01-01 10:00;v1;vue\n")
    m = write(tmp_path, "m.json", json.dumps({"a": "event_time", "b": "visitor_id", "c": "event_name"}))
    doc = json.loads(cx("import", str(f), "--kind", "events", "--mapping", str(m), "--json", db=db).stdout)
    assert doc["imports"][0]["rows_loaded"] == 1


def test_import_gives_a_missing_required_column_one_value(tmp_path):
    # a ticket export with no channel column (Freshdesk's): refused, naming the option; loaded with it
    db = tmp_path / "w.duckdb"
    f = write(tmp_path, "t.csv", "ticket_id,created_at,subject\nT1,2025-01-01 10:00,a\nT2,2025-01-02 11:00,b\n")
    out = cx("import", str(f), "--kind", "tickets", db=db, check=False)
    assert out.returncode == 2 and "--constant channel=VALUE (email, chat, phone, social)" in out.stderr
    out = cx("import", str(f), "--kind", "tickets", "--constant", "channel=fax", db=db, check=False)
    assert out.returncode == 2 and "'fax' is not a channel" in out.stderr
    out = cx("import", str(f), "--kind", "tickets", "--constant", "channel", db=db, check=False)
    assert out.returncode == 2 and "COLUMN=VALUE" in out.stderr
    doc = json.loads(cx("import", str(f), "--kind", "tickets", "--constant", "channel=chat", "--json", db=db).stdout)
    [imp] = doc["imports"]
    assert (imp["rows_loaded"], imp["rows_rejected"], imp["constants"]) == (2, 0, {"channel": "chat"})
    assert (
        "channel : chat sur chaque ligne (--constant)"
        in cx("import", str(f), "--replace", "--kind", "tickets", "--constant", "channel=chat", db=db).stdout
    )


def test_bad_input_exits_2_with_a_clear_message(tmp_path):
    db = tmp_path / "w.duckdb"
    empty = write(tmp_path, "empty.csv", "")
    out = cx("import", str(empty), db=db, check=False)
    assert out.returncode == 2 and "empty.csv" in out.stderr and "empty" in out.stderr
    assert "Traceback" not in out.stderr
    out = cx("import", str(tmp_path / "missing.csv"), db=db, check=False)
    assert out.returncode == 2 and "no such file" in out.stderr


def test_human_readable_output(tmp_path):
    # French by default, as the app: counts, the kind by its name, each rejected row's reason in words and an
    # empty value said so (never "None"); English with --lang en
    db = tmp_path / "w.duckdb"
    f = write(
        tmp_path, "orders.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-01,1000\nA2,C2,31/02/2024,5\n"
    )
    out = cx("import", str(f), db=db).stdout
    assert "orders.csv : Commandes, import n° 1 — lignes lues : 2, chargées : 1, rejetées : 1" in out
    assert "ligne 3, colonne « order_date » : pas une date qui existe (mois 13, 30 février…)" in out
    assert "not a date" not in out
    assert "déjà importé (import n° 1), ignoré" in cx("import", str(f), db=db).stdout
    out = cx("import", str(f), "--replace", "--lang", "en", db=db).stdout
    assert "orders.csv: Orders, import #2: 2 read, 1 loaded, 1 rejected" in out
    assert "line 3, column “order_date”: not a date that exists (month 13, 30 February…)" in out
    c = write(tmp_path, "customers.csv", "customer_id,signup_date\nC1,2025-01-01\n,2025-01-02\n")
    out = cx("import", str(c), db=db).stdout
    assert "ligne 3, colonne « customer_id » : valeur obligatoire manquante (vide)" in out and "None" not in out
    for lang, customers, orders in (("fr", "Clients", "Commandes"), ("en", "Customers", "Orders")):
        rows = dict(line.rsplit(None, 1) for line in cx("tables", "--lang", lang, db=db).stdout.splitlines())
        assert (rows[customers], rows[orders]) == ("1", "1")
    out = cx("delete", "2", db=db).stdout
    assert out.startswith(
        "import n° 2 supprimé et effacé (Commandes : 1, Lignes rejetées : 1)\u202f; espace de travail"
    )


@pytest.mark.parametrize("command", ["tables", "kpis"])
def test_tables_imports_only_what_it_needs(tmp_path, command):
    """`python -m cx tables` imports no command module it does not run, hence no altair nor streamlit. (Not
    pandas any more: DuckDB 1.5's Python client imports numpy and pandas the first time it binds a value.) Nor does
    `kpis`, which formats the journey's values and draws no chart."""
    code = (
        "import sys; from cx.__main__ import run; run(sys.argv[1:]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'altair', 'streamlit', 'sklearn', 'fpdf'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, command, "--db", str(tmp_path / "w.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "[]"


def test_help_lists_every_command(tmp_path):
    out = cx("--help", db=tmp_path / "w.duckdb").stdout
    for name in (
        "demo",
        "import",
        "delete",
        "rejects",
        "tables",
        "kpis",
        "funnel",
        "cohorts",
        "nps",
        "findings",
        "personas",
        "maturity",
        "report",
    ):
        assert f"    {name} " in out or f"    {name}\n" in out, (name, out)


def test_every_command_takes_lang_french_by_default():
    # one rule for all (cx/__main__.py, cx/commands/args.py add_lang): --lang fr|en, default fr, as the app
    from cx.__main__ import parser
    from cx.commands import COMMANDS

    for name in COMMANDS:
        [commands] = [a for a in parser([name])._actions if a.dest == "command"]
        action = next(a for a in commands.choices[name]._actions if "--lang" in a.option_strings)
        assert (action.choices, action.default) == (["fr", "en"], "fr"), name


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`python -m cx tables | head -1`: the reader closes the pipe before the command writes (here: it is closed
    from the start, so every run is the worst case). Before: exit 1 and a BrokenPipeError traceback on stderr."""
    db = tmp_path / "w.duckdb"
    cx("import", str(write(tmp_path, "orders.csv", "order_id,order_date,total\nA1,2025-01-01,10\n")), db=db)
    for args in (("tables",), ("tables", "--json")):
        read, written = os.pipe()
        os.close(read)  # the reader is gone
        try:
            out = subprocess.run(
                [sys.executable, "-m", "cx", *args],
                cwd=ROOT,
                env={**os.environ, **workspace_env(db)},
                stdout=written,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        finally:
            os.close(written)
        assert (out.returncode, out.stderr) == (0, "")
