"""A customer keyed by their name (PrestaShop's orders export: "Client" = "G. THOMAS", no e-mail) is personal data:
the id column is pseudonymised as names are, with the same key, so the same name is the same customer in every
file; nothing of the name is left in the workspace file."""

from __future__ import annotations

import json

import duckdb
import pytest
from hypothesis import example, given, settings, strategies as st

from cx.__main__ import run
from cx.ingest import import_file
from cx.ingest.forget import find_person, forget_person
from cx.privacy import NAME_LIKE_SQL, keyed_by_names, name_like
from cx.workspace import Workspace
from tests.conftest import write

# PrestaShop's orders export (semicolons, French headers); the last line has a cell too many: rejected whole
ORDERS = (
    "ID;Référence;Client;Total;Paiement;État;Date\n"
    "1;R1;G. THOMAS;18,50 €;PayPal;Livré;02/12/2026 12:03\n"
    "2;R2;Camille LEROY;73,50 €;PayPal;Livré;03/12/2026 10:03\n"
    "3;R3;G. THOMAS;70,50 €;PayPal;Livré;07/12/2026 11:03\n"
    "4;R4;Jean-Luc MARTIN;36,50 €;PayPal;Livré;06/12/2026 11:03;oops\n"
)


def stored_ids(ws) -> list[str]:
    with ws.cursor() as cur:
        return [r[0] for r in cur.execute("select customer_id from orders order by order_id").fetchall()]


@pytest.mark.file_only
def test_a_customer_keyed_by_a_name_is_pseudonymised_and_no_byte_of_it_stays(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders")
    assert (report.rows_loaded, report.rows_rejected) == (3, 1)
    # the same keyed hash as an e-mail's, of the trimmed lower-cased name: "G. THOMAS" is one customer
    assert stored_ids(ws) == [
        ws.pseudonymise("g. thomas"),
        ws.pseudonymise("Camille LEROY"),
        ws.pseudonymise("G. THOMAS"),
    ]
    with ws.cursor() as cur:
        assert "MARTIN" not in cur.execute("select value from rejects").fetchall()[0][0]  # the rejected line too
        cur.execute("checkpoint")
    ws.close()
    data = (tmp_path / "w.duckdb").read_bytes()
    for name in (b"THOMAS", b"LEROY", b"MARTIN", b"thomas"):
        assert name not in data


def test_the_same_name_is_the_same_pseudonym_in_every_file(ws, tmp_path):
    import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders")
    tickets = "ID;Client;Canal;Créé le\nT1;G. THOMAS;E-mail;02/12/2026 12:00\nT2;A. DURAND;E-mail;03/12/2026 12:00\n"
    import_file(ws, write(tmp_path, "tickets.csv", tickets), kind="tickets")
    with ws.cursor() as cur:
        shared = cur.execute("select count(*) from tickets where customer_id in (select customer_id from orders)")
        assert shared.fetchall()[0][0] == 1


def test_turned_off_the_name_is_stored_as_written(ws, tmp_path):
    import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders", pseudonymise=False)
    assert stored_ids(ws) == ["G. THOMAS", "Camille LEROY", "G. THOMAS"]


def test_ids_codes_and_e_mails_are_not_names(ws, tmp_path):
    assert not keyed_by_names(["5", "C-1002", "gid://shopify/Customer/77", "A. B0", "Guest"])
    orders = "order_id,customer_id,order_date,total\nO1,C-1002,2025-02-01,10\nO2,5,2025-02-02,20\n"
    import_file(ws, write(tmp_path, "orders.csv", orders), kind="orders")
    assert stored_ids(ws) == ["C-1002", "5"]


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈ"
FIRST = st.builds(
    lambda a, b: a + b.lower(), st.sampled_from(LETTERS), st.text("abcdefghijklmnoé", min_size=2, max_size=8)
)
LAST = st.text(LETTERS, min_size=2, max_size=10)
INITIAL = st.sampled_from(LETTERS).map(lambda c: c + ".")


@settings(max_examples=200, deadline=None)
@given(st.one_of(INITIAL, FIRST), LAST)
def test_every_name_written_as_shops_write_them_is_a_name(first, last):
    for name in (f"{first} {last}", f"{first} de {last}", f"{first} {last}".lower(), first, f"{first}-{first} {last}"):
        assert name_like(name)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=20))
@example("¹")  # a digit that Python's letter class takes for a letter
def test_a_value_with_a_digit_or_an_at_sign_is_never_a_name(text):
    if any(c.isdigit() or c == "@" for c in text):
        assert not name_like(text)


@settings(max_examples=200, deadline=None)
@given(st.text("aZé .-'’0@_/", max_size=12))
def test_the_sql_pattern_reads_as_names_what_the_python_one_does(text):
    """A value pseudonymised at import (the SQL pattern) is one the column's recognition counted as a name."""
    found = duckdb.execute("select regexp_full_match(trim($t), $p)", {"t": text, "p": NAME_LIKE_SQL}).fetchall()[0][0]
    assert found == name_like(text.strip(" "))


def test_the_erasure_says_which_imports_key_customers_by_name_and_finds_her_by_it(ws, tmp_path):
    crm = "customer_id,email,first_name,last_name\n7,gaelle.thomas@exemple.fr,Gaëlle,THOMAS\n8,c.leroy@exemple.fr,C,L\n"
    import_file(ws, write(tmp_path, "clients.csv", crm), kind="customers")
    orders = import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders")
    by_email = find_person(ws, "gaelle.thomas@exemple.fr", "email")
    # her CRM row only: her 2 orders keyed "G. THOMAS" are not guessed from her e-mail, but the page says where to look
    assert by_email.rows["customers"] == 1 and by_email.rows["orders"] == 0
    assert by_email.name_keyed == ((orders.import_id, "commandes.csv", 3),)
    assert by_email.as_dict()["name_keyed_imports"] == [
        {"import_id": orders.import_id, "file_name": "commandes.csv", "rows": 3}
    ]
    by_name = find_person(ws, " g. thomas ", "name")  # typed as a person types it: pseudonymised the same way
    assert by_name.rows["orders"] == 2 and by_name.total == 2
    done = forget_person(ws, "G. THOMAS", "name")
    assert done.erased and done.rows["orders"] == 2
    assert stored_ids(ws) == [ws.pseudonymise("Camille LEROY")]


def test_the_command_names_the_imports_keyed_by_name_and_searches_by_name(tmp_path, capsys):
    ws = Workspace(tmp_path / "w.duckdb")
    orders = import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders")
    ws.close()
    db = ["--db", str(tmp_path / "w.duckdb")]
    assert run(["forget", *db, "--email", "gaelle.thomas@exemple.fr", "--dry-run", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["name_keyed_imports"] == [{"import_id": orders.import_id, "file_name": "commandes.csv", "rows": 3}]
    assert run(["forget", *db, "--email", "gaelle.thomas@exemple.fr", "--dry-run", "--lang", "en"]) == 0
    assert f"#{orders.import_id} commandes.csv (3 rows)" in capsys.readouterr().out
    assert run(["forget", *db, "--name", "G. THOMAS", "--dry-run", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["asked_with"], doc["rows"]["orders"]) == ("name", 2)


@pytest.mark.file_only
def test_a_line_a_stray_quote_runs_together_keeps_no_name(ws, tmp_path):
    """`5;"BROKEN;Paul QUIMPERLE;…` is read as two fields where the header has seven: the name's position cannot be
    trusted, so the whole rejected line is pseudonymised."""
    broken = ORDERS + '5;"R5;Paul QUIMPERLE;1,00 €;PayPal;Livré;08/12/2026 11:03\n'
    report = import_file(ws, write(tmp_path, "commandes.csv", broken), kind="orders")
    assert (report.rows_loaded, report.rows_rejected) == (3, 2)
    with ws.cursor() as cur:
        lines = [r[0] for r in cur.execute("select value from rejects order by line").fetchall()]
        cur.execute("checkpoint")
    assert lines[1].startswith("px_") and ";" not in lines[1]
    ws.close()
    assert b"QUIMPERLE" not in (tmp_path / "w.duckdb").read_bytes()


@pytest.mark.file_only
def test_next_months_names_written_otherwise_are_pseudonymised_each_and_a_code_stays(ws, tmp_path):
    """Next month's export writes names otherwise (a particle, lower case, a first name alone, four words): every one
    is pseudonymised, "G. THOMAS" as in the first file (one customer), the code "C-1002" stays as written."""
    import_file(ws, write(tmp_path, "commandes.csv", ORDERS), kind="orders")
    later = (
        "ID;Référence;Client;Total;Paiement;État;Date\n"
        "5;R5;G. THOMAS;10,00 €;PayPal;Livré;02/01/2027 12:03\n"
        "6;R6;Anne de BOISSIEU;20,00 €;PayPal;Livré;03/01/2027 12:03\n"
        "7;R7;Thomas;30,00 €;PayPal;Livré;04/01/2027 12:03\n"
        "8;R8;Paul VAN DER BERG;15,00 €;PayPal;Livré;05/01/2027 12:03\n"
        "9;R9;jean dupont;15,00 €;PayPal;Livré;06/01/2027 12:03\n"
        "10;R10;C-1002;15,00 €;PayPal;Livré;07/01/2027 12:03\n"
    )
    report = import_file(ws, write(tmp_path, "commandes_janvier.csv", later), kind="orders")
    with ws.cursor() as cur:
        stored = cur.execute(
            "select customer_id from orders where import_id = $i order by order_id::int", {"i": report.import_id}
        ).fetchall()
        cur.execute("checkpoint")
    names = ("G. THOMAS", "Anne de BOISSIEU", "Thomas", "Paul VAN DER BERG", "jean dupont")
    assert [r[0] for r in stored] == [ws.pseudonymise(n) for n in names] + ["C-1002"]
    ws.close()
    data = (tmp_path / "w.duckdb").read_bytes()
    for name in (b"THOMAS", b"BOISSIEU", b"dupont", b"BERG"):
        assert name not in data
