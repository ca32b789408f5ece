"""Headers as French exports write them (Excel, WooCommerce FR, Prestashop, Zendesk / Freshdesk FR): the e-mail
however it is spelt names the customer, pseudonymised the same way in every table."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.ingest import detect_file, import_file
from cx.ingest.mapping import spelled
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester3"


def test_an_excel_orders_file_maps_the_customer_e_mail_and_the_articles(ws):
    # the tester's file (Windows-1252, ";"): N° commande;E-mail client;Date de commande;Statut;Montant TTC;Articles;Canal
    detection = detect_file(ws, DATA / "commandes_excel_fr.csv")
    assert detection.kind == "orders"
    assert detection.mapping["E-mail client"] == "customer_id"
    assert detection.mapping["Articles"] == "items"
    report = import_file(ws, DATA / "commandes_excel_fr.csv")
    assert report.rows_loaded == 60
    with ws.cursor() as cur:
        rows = cur.execute("select order_id, customer_id, items from orders order by order_id").fetchall()
    # every order has its customer, pseudonymised (never the address in clear); #10001 holds 2 articles
    assert all(c is not None and c.startswith("px_") for _o, c, _i in rows)
    assert rows[0][0] == "#10001" and rows[0][1] == ws.pseudonymise("sarah.walker@example.fr") and rows[0][2] == 2


@pytest.mark.parametrize(
    "header, form",
    [
        ("E-mail client", "email_client"),
        ("Adresse e-mail de facturation", "email_facturation"),
        ("Courriel du contact", "email_contact"),
        ("Date de la commande", "date_commande"),
        ("N° de commande", "n_commande"),
        ("Email", "email"),
    ],
)
def test_headers_are_compared_in_one_spelling(header, form):
    from cx.schema import normalise_header

    assert spelled(normalise_header(header)) == form


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        # WooCommerce FR
        (
            "orders",
            "N° de commande,Date de la commande,Statut de la commande,Adresse e-mail de facturation,"
            "Total de la commande,Nombre d’articles\n1001,2025-03-01 10:00,terminée,a@b.fr,12.50,2\n"
            "1002,2025-03-02 11:00,terminée,c@d.fr,20.00,1\n",
            {
                "N° de commande": "order_id",
                "Date de la commande": "order_time",
                "Statut de la commande": "status",
                "Adresse e-mail de facturation": "customer_id",
                "Total de la commande": "amount",
                "Nombre d’articles": "items",
            },
        ),
        # Freshdesk FR
        (
            "tickets",
            "ID du ticket,Objet,Source,Date de création,Heure de première réponse,Heure de résolution,"
            "E-mail du contact\n1,Colis abîmé,E-mail,2025-03-01 10:00,2025-03-01 11:00,2025-03-02 10:00,a@b.fr\n"
            "2,Retard,Chat,2025-03-02 10:00,2025-03-02 10:05,2025-03-02 12:00,c@d.fr\n",
            {
                "ID du ticket": "ticket_id",
                "Objet": "text",
                "Source": "channel",
                "Date de création": "created_at",
                "Heure de première réponse": "first_response_at",
                "Heure de résolution": "resolved_at",
                "E-mail du contact": "customer_id",
            },
        ),
    ],
)
def test_french_exports_are_mapped_by_their_headers(ws, tmp_path, kind, text, expected):
    detection = detect_file(ws, write(tmp_path, f"{kind}.csv", text))
    assert detection.kind == kind
    assert {h: detection.mapping.get(h) for h in expected} == expected


def test_one_person_gets_one_id_in_customers_orders_tickets_and_answers(ws, tmp_path):
    files = {
        "clients.csv": "Email,Prénom,Nom\n  AGNES.Lemaitre@Example.com ,Agnès,Lemaître\nb@example.com,Bob,B\n",
        "commandes.csv": "N° commande;E-mail client;Date de commande;Montant TTC;Articles\n"
        "#1;agnes.lemaitre@example.com;07/12/2024 09:34;12,50 €;2\n#2;b@example.com;08/12/2024 09:34;3,00 €;1\n",
        "tickets.csv": "ID du ticket,Canal,Date de création,Courriel du contact\n"
        "T1,chat,2025-01-02 10:00,Agnes.Lemaitre@example.com\nT2,email,2025-01-03 10:00,b@example.com\n",
        "reponses.csv": "Horodateur,Adresse e-mail,Quelle est la probabilité que vous nous recommandiez ? (0-10)\n"
        "02/01/2025 10:00:00,AGNES.LEMAITRE@EXAMPLE.COM,9\n03/01/2025 10:00:00,b@example.com,3\n",
    }
    kinds = {}
    for name, text in files.items():
        kinds[name] = import_file(ws, write(tmp_path, name, text)).kind
    assert kinds == {
        "clients.csv": "customers",
        "commandes.csv": "orders",
        "tickets.csv": "tickets",
        "reponses.csv": "responses",
    }
    people = {ws.pseudonymise("agnes.lemaitre@example.com"), ws.pseudonymise("b@example.com")}
    with ws.cursor() as cur:
        ids = {
            table: {r[0] for r in cur.execute(f"select customer_id from {table}").fetchall()}
            for table in ("customers", "orders", "tickets", "responses")
        }
    assert ids == dict.fromkeys(ids, people)
