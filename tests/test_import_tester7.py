"""Exports a new user brought on 2026-12-07 (a French home-decor shop; tests/data/tester7/: their files' shape,
invented values) that gave wrong numbers: PrestaShop's orders awaiting payment counted as purchases, and an import
report that did not say which statuses were read as no sale or returned. Each figure is worked out by hand."""

import json
from pathlib import Path

import pytest

from cx.cohorts import find_retention
from cx.i18n import t
from cx.ingest import import_file
from cx.support import summarise_support

DATA = Path(__file__).parent / "data" / "tester7"


def test_prestashop_orders_awaiting_payment_are_no_purchase(ws):
    report = import_file(ws, DATA / "prestashop_commandes.csv")
    assert report.kind == "orders" and report.mapping["État"] == "status" and report.rows_loaded == 9
    r = find_retention(ws, None)
    # 9 orders: 3 await their money (cheque, bank wire, cash on delivery), 1 cancelled, 1 payment error → 4
    # purchases (Livré 100 + Paiement accepté 50 + En cours de préparation 30 + Remboursé 70, returns counted as
    # placed) = 250 €, AOV 62.50 €; A. MARTIN bought twice (orders 1 and 3), B. DURAND and F. MOREAU once → 1 of 3
    assert (r.orders, round(r.revenue, 2), round(r.aov, 2)) == (4, 250.0, 62.5)
    assert (r.customers, r.repeat_customers) == (3, 1)


def test_the_import_report_names_the_statuses_read_as_no_sale_or_returned(ws):
    report = import_file(ws, DATA / "prestashop_commandes.csv")
    notes = {n.key: n.values for n in report.notes if n.key.startswith("statuses_")}
    # one order per status: by name
    assert notes == {
        "statuses_no_sale": {
            "n": 5,
            "statuses": "Annulé (1), En attente de paiement à la livraison (1), En attente de virement bancaire (1), "
            "En attente du paiement par chèque (1), Erreur de paiement (1)",
        },
        "statuses_returned": {"n": 1, "statuses": "Remboursé (1)"},
    }
    assert t("import.note.statuses_returned", "fr", **notes["statuses_returned"]) == (
        "1 commande comptée comme retournée d’après son statut : Remboursé (1)"
    )
    assert t("import.note.statuses_no_sale", "en", **notes["statuses_no_sale"]).startswith(
        "5 orders read as no sale from their status (neither purchases nor revenue): Annulé (1), "
    )


def test_an_orders_file_whose_statuses_are_all_sales_says_nothing_of_them(ws, tmp_path):
    text = "order_id,order_date,customer_id,status,amount\n1,2025-03-01,c1,completed,10\n2,2025-03-02,c2,,20\n"
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(ws, path)
    assert report.rows_loaded == 2 and not [n for n in report.notes if n.key.startswith("statuses_")]


def test_zoho_desk_closing_time_is_the_resolution(ws, tmp_path):
    text = (
        "ID du ticket,Objet,Canal,E-mail,Heure de création,Heure de la première réponse,Heure de fermeture\n"
        "1,Colis,Email,a@example.fr,01/05/2025 10:00,01/05/2025 11:00,02/05/2025 10:00\n"
        "2,Colis,Chat,b@example.fr,01/05/2025 11:00,01/05/2025 11:01,01/05/2025 15:00\n"
        "3,Retour,Chat,c@example.fr,02/05/2025 10:00,02/05/2025 10:05,\n"  # still open
    )
    path = tmp_path / "zoho_desk.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(ws, path)
    assert report.kind == "tickets" and report.mapping["Heure de fermeture"] == "resolved_at"
    with ws.cursor() as cur:
        hours = cur.execute(
            "select date_diff('minute', created_at, resolved_at) / 60 from tickets order by ticket_id"
        ).fetchall()
    assert hours == [(24.0,), (4.0,), (None,)]
    # 2 of the 3 tickets say when they were closed: the resolution rate is 2 ÷ 3 (it was "—": no resolution time)
    assert summarise_support(ws).resolution_rate == pytest.approx(2 / 3)


def test_zoho_desk_english_closed_time_is_the_resolution(ws, tmp_path):
    text = (
        "Ticket Id,Subject,Channel,Email,Created Time,Closed Time,Happiness Rating\n"
        "1,Parcel,Email,a@example.com,2025-05-01 10:00,2025-05-01 12:00,Good\n"
        "2,Parcel,Chat,b@example.com,2025-05-01 11:00,2025-05-01 11:30,Okay\n"
    )
    path = tmp_path / "zoho_desk_en.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(ws, path)
    assert report.mapping["Closed Time"] == "resolved_at" and report.mapping["Happiness Rating"] == "csat"
    # Good ÷ rated = 1 ÷ 2
    assert summarise_support(ws).csat == pytest.approx(50.0)


def test_prestashop_and_klaviyo_sign_up_dates(ws, tmp_path):
    prestashop = tmp_path / "clients.csv"
    prestashop.write_bytes(
        (
            '"ID";"Titre";"Prénom";"Nom";"Adresse e-mail";"Newsletter";"Opt-in";"Inscription"\n'
            '"1";"Mme";"Alice";"MARTIN";"alice@example.fr";"1";"0";"24/08/2025 19:23"\n'
            '"2";"M.";"Bruno";"DURAND";"bruno@example.fr";"0";"0";"15/10/2025 12:02"\n'
        ).encode("cp1252")
    )
    report = import_file(ws, prestashop)
    assert report.kind == "customers" and report.mapping["Inscription"] == "signup_date"
    klaviyo = tmp_path / "klaviyo.csv"
    klaviyo.write_text(
        "Email,First Name,Last Name,Klaviyo ID,Date Added,Accepts Marketing\n"
        "carla@example.com,Carla,Petit,01H0001,2025-09-01 08:00:00,True\n"
        "denis@example.com,Denis,Roux,01H0002,2025-11-30 21:15:00,False\n",
        encoding="utf-8",
    )
    report = import_file(ws, klaviyo)
    # "Accepts Marketing" is consent to marketing e-mails, not membership of a loyalty programme
    assert report.mapping["Date Added"] == "signup_date" and report.mapping["Accepts Marketing"] == "consent"
    with ws.cursor() as cur:
        rows = cur.execute(
            "select signup_date::varchar, consent, loyalty_member from customers order by signup_date"
        ).fetchall()
    assert rows == [
        ("2025-08-24", False, None),  # PrestaShop's Opt-in 0 (its partners' offers)
        ("2025-09-01", True, None),
        ("2025-10-15", False, None),
        ("2025-11-30", False, None),
    ]


def test_klaviyo_created_is_the_sign_up_date(ws, tmp_path):
    path = tmp_path / "profiles.csv"
    path.write_text("Email,First Name,Created\ne@example.com,Emma,2025-06-01 10:00:00\n", encoding="utf-8")
    report = import_file(ws, path, kind="customers")
    assert report.mapping["Created"] == "signup_date"


def _conversation(i: int, channel, source_type: str, subject: str, body: str) -> dict:
    return {
        "type": "conversation",
        "id": str(9000 + i),
        "created_at": 1780000000 + 3600 * i,
        "source": {
            "type": source_type,
            "delivered_as": "customer_initiated",
            "subject": subject,
            "body": body,
            "author": {"type": "user", "id": f"u{i}", "email": f"client{i}@example.fr", "name": "Jean Dupont"},
        },
        "statistics": {"first_admin_reply_at": 1780000000 + 3600 * i + 600},
        "channel": channel,
    }


def test_intercom_conversations_channel_text_and_author(ws, tmp_path):
    page = {
        "type": "conversation.list",
        "pages": {"type": "pages", "page": 1, "per_page": 20, "total_pages": 1},
        "total_count": 3,
        "conversations": [
            _conversation(1, {"initial": "email", "current": "email"}, "email", "Commande 12", "<p>Où est-elle ?</p>"),
            _conversation(2, None, "conversation", "", "<p>Bonjour,&nbsp;mon colis <b>est cassé</b>.</p>"),
            _conversation(
                3, {"initial": "chat", "current": "chat"}, "conversation", "", "<div>Merci &amp; bravo</div>"
            ),
        ],
    }
    path = tmp_path / "intercom.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    report = import_file(ws, path)
    assert report.kind == "tickets" and report.rows_loaded == 3
    assert report.mapping["channel"] == "channel" and report.mapping["text"] == "text"
    with ws.cursor() as cur:
        rows = cur.execute("select channel, text, extra from tickets order by ticket_id").fetchall()
    # the channel: channel.initial, else the source's type ("conversation" is Intercom's Messenger: a chat); the
    # text: the subject, else the body without its tags and entities
    assert [(channel, text) for channel, text, _ in rows] == [
        ("email", "Commande 12"),
        ("chat", "Bonjour, mon colis est cassé."),
        ("chat", "Merci & bravo"),
    ]
    # the author who started the conversation is the customer: their name is pseudonymised, never kept in clear
    extras = [json.loads(extra) for _, _, extra in rows]
    assert all(e["author_name"].startswith("px_") for e in extras)
    assert not any("Dupont" in extra for _, _, extra in rows)
    assert "source_type" in extras[0] and "source_body" not in extras[0]


def test_amounts_written_with_non_breaking_spaces_are_amounts(ws, tmp_path):
    # PrestaShop writes its prices as French CLDR does: a non-breaking space (U+00A0, or the narrow U+202F) between
    # the thousands and before the € sign; the file was taken for survey answers, "Total" for no number
    text = DATA.joinpath("prestashop_commandes.csv").read_text(encoding="cp1252").replace(" €", "\u00a0€")
    text = text.replace('"100,00\u00a0€"', '"1\u00a0100,00\u00a0€"')
    path = tmp_path / "commandes.csv"
    path.write_bytes(text.encode("cp1252"))
    report = import_file(ws, path)
    assert report.kind == "orders" and report.mapping["Total"] == "amount"
    # the first order is 1 100 € now: 1 100 + 50 + 30 + 70 = 1 250 € over the 4 purchases
    assert round(find_retention(ws, None).revenue, 2) == 1250.0
