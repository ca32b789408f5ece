"""Exports a new user brought on 2026-12-07 (tests/data/tester6/: their files' shape, invented values) that gave
wrong numbers: HubSpot's French deals and contacts, Gorgias's tickets, Typeform's "N/A" scores. Each figure below
is worked out by hand from the file."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st
from openpyxl import Workbook

from cx.cohorts import find_retention
from cx.errors import FileRefused, MappingError
from cx.friction import find_friction
from cx.i18n import t
from cx.ingest import detect_file, import_file
from cx.money import currency_in_scope
from cx.personas import customer_features
from cx.rejects import fix_text, reject_reason
from cx.support import summarise_support, support_by_channel
from cx.workspace import Workspace
from tests.conftest import write
from tests.test_staging import _statuses

DATA = Path(__file__).parent / "data" / "tester6"


def test_hubspot_french_deals_read_the_deal_stage_as_the_status(ws):
    report = import_file(ws, DATA / "hubspot_transactions.xlsx")
    assert report.kind == "orders" and report.mapping["Phase de la transaction"] == "status"
    assert report.mapping["ID de fiche d'informations"] == "order_id"
    assert report.mapping["ID de contacts associés"] == "customer_id"
    r = find_retention(ws, None)
    # 5 deals: 3 "Conclue gagnée" (29.90 + 45.50 + 60.00 = 135.40), 1 "Conclue perdue", 1 still open ("Contrat
    # envoyé"): 3 purchases, 135.40 / 3 = 45.13
    assert (r.orders, round(r.revenue, 2), round(r.aov, 2)) == (3, 135.4, 45.13)


def test_hubspot_deal_stages_only_a_won_deal_is_a_purchase(ws):
    stages = [
        ("Conclue gagnée", False),
        ("Closed Won", False),
        ("closedwon", False),
        ("Conclue perdue", True),
        ("Closed lost", True),
        ("closedlost", True),
        ("Appointment scheduled", True),
        ("qualifiedtobuy", True),
        ("Presentation scheduled", True),
        ("Decision maker bought-in", True),
        ("Contract sent", True),
        ("Contrat envoyé", True),
        ("Rendez-vous programmé", True),
        ("sent", False),  # a shop's order sent out stands
        ("Contract signed", False),
    ]
    assert _statuses(ws, [(s, None, None) for s, _ in stages]) == [(cancelled, False) for _, cancelled in stages]


def test_a_file_without_a_currency_column_takes_the_workspace_currency(ws, tmp_path):
    shop = write(
        tmp_path,
        "boutique.csv",
        "N° de commande,Date,Client,Total,Devise\n1,2026-06-10,71001,100.00,EUR\n2,2026-06-11,71004,50.00,EUR\n",
    )
    assert import_file(ws, shop).currency == "EUR"
    report = import_file(ws, DATA / "hubspot_transactions.xlsx")
    assert report.currency == "EUR"
    assert "amounts read as EUR: the file has no currency column" in report.notes
    note = next(n for n in report.notes if n.key == "currency_assumed")
    assert (
        t("import.note.currency_assumed", "fr", **note.values)
        == "Montants lus en EUR : le fichier n’a pas de colonne de devise"
    )
    with ws.cursor() as cur:
        scope = currency_in_scope(cur)
    # the 3 won deals (135.40) are in EUR beside the shop's 2 orders (150.00): nothing set apart
    assert (scope.code, scope.unknown_orders) == ("EUR", 0)
    r = find_retention(ws, None)
    # 5 purchases: 100 + 50 + 29.90 + 45.50 + 60 = 285.40 → 285.40 / 5 = 57.08 (was 150 / 2 = 75, the deals dropped)
    assert (r.orders, round(r.revenue, 2), round(r.aov, 2)) == (5, 285.4, 57.08)


def test_alone_a_file_without_a_currency_column_takes_the_setting(ws, monkeypatch):
    monkeypatch.setenv("CX_CURRENCY", "CHF")
    report = import_file(ws, DATA / "hubspot_transactions.xlsx")
    assert report.currency == "CHF" and "amounts read as CHF: the file has no currency column" in report.notes


def test_hubspot_french_contacts_keyed_by_their_record_id(ws):
    report = import_file(ws, DATA / "hubspot_contacts_fr.csv")
    # "ID de contact fusionnés" is filled on 1 row of 6: it was the customer id and 5 rows were rejected
    assert report.kind == "customers" and report.mapping["ID de fiche d'informations"] == "customer_id"
    assert (report.rows_loaded, report.rows_rejected) == (6, 0)


def test_a_mostly_empty_column_is_never_the_customer_id(ws):
    # no record id: the e-mail is the key, not the merged ids (1 row of 6)
    report = import_file(ws, DATA / "contacts_without_record_id.csv")
    assert report.kind == "customers" and report.mapping["E-mail"] == "customer_id"
    assert "ID de contact fusionnés" not in report.mapping
    assert (report.rows_loaded, report.rows_rejected) == (6, 0)


def test_a_customer_id_mapped_to_a_mostly_empty_column_says_map_another(ws):
    mapping = {"E-mail": "email", "Prénom": "first_name", "ID de contact fusionnés": "customer_id"}
    report = import_file(ws, DATA / "contacts_without_record_id.csv", kind="customers", mapping=mapping)
    # 5 of 6 rows have no merged id: rejected, each saying to map another column, not to fill the cell
    assert (report.rows_loaded, report.rows_rejected) == (1, 5)
    assert {r.code for r in report.rejects} == {"missing_customer_id"}
    assert fix_text("missing_customer_id", "en").startswith("This column is empty on most rows: map another column")
    assert reject_reason("missing_customer_id", "", "fr") == "identifiant client vide sur la plupart des lignes"


def test_a_customer_id_missing_on_a_few_rows_says_fill_the_cell(ws, tmp_path):
    path = write(tmp_path, "crm.csv", "id,email\nC1,a@x.fr\n,b@x.fr\nC3,c@x.fr\n")
    report = import_file(ws, path, kind="customers", mapping={"id": "customer_id", "email": "email"})
    assert [(r.line, r.code) for r in report.rejects] == [(3, "missing")]


def test_gorgias_closed_and_first_response_datetimes_are_the_tickets_times(ws):
    report = import_file(ws, DATA / "gorgias_tickets.csv")
    assert report.mapping["Closed datetime"] == "resolved_at"
    assert report.mapping["First agent response datetime"] == "first_response_at"
    s = summarise_support(ws)
    # 4 tickets, 3 closed (200003 still open) → 75 % resolved (was 0 %: the closing times were extra data)
    assert (s.tickets, s.resolution_rate) == (4, 0.75)
    email = support_by_channel(ws).set_index("channel_group").loc["email"]
    # first replies after 4 h, 2 h, 1 h, 8 h → median (2 + 4) / 2 = 3 h = 180 min; resolutions 24 h, 6 h, 48 h → 24 h
    assert (email["first_response_median_minutes"], email["resolution_median_hours"]) == (180.0, 24.0)


def test_without_any_resolution_time_the_resolution_rate_is_not_available(ws, tmp_path):
    path = write(
        tmp_path,
        "tickets.csv",
        "Ticket id,Subject,Channel,Created datetime\n1,Retard,email,2026-10-21 11:00\n2,Facture,chat,2026-10-22 11:00\n",
    )
    import_file(ws, path)
    s = summarise_support(ws)
    # nothing says whether a ticket was resolved: not 0 % but n/a
    assert s.tickets == 2 and s.resolution_rate is None
    assert support_by_channel(ws)["resolution_rate"].isna().all()


def test_a_typeform_na_score_loads_the_answer_without_it(ws):
    report = import_file(ws, DATA / "typeform_nps.csv")
    # 8 answers: the 1st (line 2) has N/A scores and a comment (was rejected, its comment lost), the 3rd (line 4) an
    # N/A satisfaction beside an NPS of 6; the 4th (line 5) has nothing but N/A: an empty answer, rejected, and only
    # that is said of it (not also "loaded without its score")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 7, 1)
    assert [(r.line, r.code) for r in report.rejects] == [
        (2, "no_score"),
        (2, "no_score"),
        (4, "no_score"),
        (5, "empty_answer"),
    ]
    # said per score column: the NPS of line 2, the satisfaction of lines 2 and 4 (it said "2 answers with no score",
    # whichever)
    notes = [n.values for n in report.notes if n.key == "no_score_column"]
    nps, csat = (
        next(h for h in report.mapping if report.mapping[h] == "nps"),
        "Dans l'ensemble, êtes-vous satisfait(e) de votre abonnement ? (1 à 5)",
    )
    assert notes == [{"n": 1, "score": "NPS", "column": nps}, {"n": 2, "score": "CSAT", "column": csat}]
    said = t("import.note.no_score_column", "fr", **notes[1])
    assert said.startswith("2 réponses chargées sans leur CSAT") and f"« {csat} »" in said
    with ws.cursor() as cur:
        rows = cur.execute("select nps, csat, comment from responses order by responded_at").fetchall()
    assert rows[0] == (None, None, "Le café était trop amer ce mois-ci.") and rows[1][:2] == (9, 5)
    assert rows[2][:2] == (6, None)


@settings(max_examples=15, deadline=None)
@example(word="NAN")  # a float's spelling (NaN, inf) is no score either: it was rejected as "not a usable number"
@example(word="-inf")
@given(
    word=st.text(alphabet=st.sampled_from("NnAa/ -.?xé"), min_size=1, max_size=6).filter(
        lambda w: w.strip() and not w.strip().lstrip("-").replace(".", "", 1).isdigit()
    )
)
def test_any_score_that_is_not_a_number_keeps_its_answer(tmp_path_factory, word):
    # whatever a survey writes instead of a score, the answer with its comment loads, counted as no score
    tmp = tmp_path_factory.mktemp("nps")
    ws = Workspace(tmp / "w.duckdb")
    try:
        path = write(
            tmp, "nps.csv", f"Response ID,NPS,Comment,Submitted\nr1,{word},Trop cher,2026-04-19\nr2,9,,2026-04-20\n"
        )
        report = import_file(ws, path, kind="responses", mapping=NPS_MAPPING)
        assert (report.rows_loaded, report.rows_rejected) == (2, 0)
        assert [(r.line, r.code) for r in report.rejects] == [(2, "no_score")]
        with ws.cursor() as cur:
            assert cur.execute("select nps, comment from responses order by response_id").fetchall() == [
                (None, "Trop cher"),
                (9, None),
            ]
    finally:
        ws.close()


NPS_MAPPING = {"Response ID": "response_id", "NPS": "nps", "Comment": "comment", "Submitted": "responded_at"}


def test_an_open_deal_is_neither_a_purchase_nor_a_failed_order(ws, tmp_path):
    stages = [
        ("Rendez-vous programmé", True),
        ("Qualifié pour l’achat", True),  # HubSpot's French label, typographic apostrophe
        ("appointmentscheduled", True),
        ("contractsent", True),
        ("Présentation planifiée", True),
        ("Conclue perdue", False),  # lost: a failure
        ("Conclue gagnée", False),
        ("Cancelled", False),
    ]
    # every stage but the won one is never a purchase; only the open ones are no failure either
    read = _statuses(ws, [(s, None, None) for s, _ in stages], "waiting, cancelled")
    assert read == [(o, s != "Conclue gagnée") for s, o in stages]
    # 120 deals of 10 €: card 30 won; transfer 30 won and 30 deals still open; PayPal 15 won and 15 cancelled
    lines = ["Order,Date,Customer,Total,Status,Payment method"]
    plan = [
        ("Carte", "Conclue gagnée", 30),
        ("Virement", "Conclue gagnée", 30),
        ("Virement", "Rendez-vous programmé", 30),
    ]
    plan += [("PayPal", "Conclue gagnée", 15), ("PayPal", "Cancelled", 15)]
    for method, status, n in plan:
        for _ in range(n):
            k = len(lines)
            lines.append(f"D{k},2026-06-{1 + k % 28:02d},C{k},10.00,{status},{method}")
    report = import_file(ws, write(tmp_path, "deals.csv", "\n".join(lines) + "\n"))
    assert report.mapping["Payment method"] == "payment_method" and report.rows_loaded == 120
    r = find_retention(ws, None)
    assert (r.orders, round(r.revenue, 2)) == (75, 750.0)  # 30 + 30 + 15 won deals × 10 €
    [finding] = find_friction(ws, codes=("CHECKOUT_TROUBLE",)).findings
    # the open deals are left out: Virement 0 failed of 30 (read as 30 of 60, they hid PayPal's finding); PayPal 15 of 30
    # against 0 of the 60 others
    assert (finding.step, finding.observed, finding.expected) == ("PayPal", 0.5, 0.0)
    evidence = finding.evidence.set_index("payment_method")
    assert evidence.loc["Virement", ["orders", "cancelled"]].tolist() == [30, 0]
    # the personas count the 15 cancelled orders as given up, not the 30 open deals (was 45)
    assert customer_features(ws)["cancelled"].sum() == 15


def test_a_total_row_under_an_orders_table_is_rejected_as_a_total(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Ventes Salon du Café — Lyon, novembre 2026"])
    sheet.append([])
    sheet.append(["Commande", "Date", "E-mail", "Montant (€)", "Articles"])
    sheet.append(["SAL-1", dt.datetime(2026, 11, 14, 10), "chloe@exemple.fr", 15, 2])
    sheet.append(["SAL-2", dt.datetime(2026, 11, 14, 11), "hugo@exemple.fr", 22.5, 1])
    sheet.append(["SAL-3", dt.datetime(2026, 11, 15, 12), "lea@exemple.fr", 40, 3])
    sheet.append(["Sous-total", None, None, 37.5, 3])
    sheet.append([None, "Total général :", None, 77.5, 6])  # written under the dates, the first cell empty
    sheet.append(["Grand total", None, None, 77.5, None])
    sheet.append(["SOMME", None, None, 77.5, None])
    sheet.append(["TOTAL", dt.datetime(2026, 11, 15), None, 77.5, 6])  # a date copied on it is no order either
    book.save(tmp_path / "ventes.xlsx")
    report = import_file(ws, tmp_path / "ventes.xlsx")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 3, 5)
    # one reject per total row, with its own reason only (not also "missing date"), at its line in the workbook
    assert [(r.line, r.column, r.value, r.code) for r in report.rejects] == [
        (7, "Commande", "Sous-total", "total_row"),
        (8, "Date", "Total général :", "total_row"),
        (9, "Commande", "Grand total", "total_row"),
        (10, "Commande", "SOMME", "total_row"),
        (11, "Commande", "TOTAL", "total_row"),
    ]
    assert reject_reason("total_row", report.rejects[0].reason, "fr") == "ligne de total — pas une commande"
    assert reject_reason("total_row", report.rejects[0].reason, "en") == "total row — not an order"
    assert fix_text("total_row", "fr").startswith("Rien à faire")
    r = find_retention(ws, None)
    assert (r.orders, round(r.revenue, 2)) == (3, 77.5)  # 15 + 22.50 + 40: no total added in


def test_an_order_whose_first_cell_only_starts_like_a_total_loads(ws, tmp_path):
    shop = write(
        tmp_path,
        "boutique.csv",
        "Produit,N° de commande,Date,Total\nTotal Energie bidon,1,2026-06-10,100.00\nSommelier kit,2,2026-06-11,50\n",
    )
    assert import_file(ws, shop).rows_loaded == 2


def test_an_order_whose_first_cell_is_a_total_word_loads_when_it_has_its_own_id(ws, tmp_path):
    # "Somme" is a département, "Total" a product: their rows have an order id, so they are orders; the row
    # under the table has none, so it is the total
    shop = write(
        tmp_path,
        "ventes.csv",
        "Département,Order ID,Date,Customer ID,Amount\nSomme,1001,2026-01-05,C1,50.00\nNord,1002,2026-01-06,C2,30.00\n"
        "Total,1003,2026-01-07,C3,20.00\nTotal,,,,100.00\n",
    )
    report = import_file(ws, shop, kind="orders")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 3, 1)
    assert [(r.line, r.column, r.value, r.code) for r in report.rejects] == [(5, "Département", "Total", "total_row")]
    r = find_retention(ws, None)
    assert (r.orders, round(r.revenue, 2)) == (3, 100.0)  # 50 + 30 + 20


def test_without_order_ids_a_total_word_is_a_total_row_only_without_a_date(ws, tmp_path):
    # no order id column: the date tells an order (a product named "Total") from the total under the table
    shop = write(
        tmp_path,
        "ventes.csv",
        "Produit,Date,Client,Montant\nTotal,2026-01-05,c1,10\nMug,2026-01-06,c2,20\nTotal,,,30\n",
    )
    report = import_file(ws, shop, kind="orders")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    assert [(r.line, r.column, r.code) for r in report.rejects] == [(4, "Produit", "total_row")]


BREVO_CAMPAIGNS = (
    "Nom de la campagne;Date d'envoi;Destinataires;Délivrés;Ouvertures uniques;Taux d'ouverture;Clics uniques;"
    "Taux de clic;Désinscriptions;Hard bounces;Soft bounces\n"
    "Newsletter café 01/2026;02/01/2026 10:00;300;296;140;47,3%;38;12,8%;2;0;1\n"
    "Newsletter café 02/2026;03/02/2026 10:00;300;296;140;47,3%;38;12,8%;2;0;1\n"
)
# Mailchimp's "all campaigns" report (Reports → Download: the columns of its campaign reports)
MAILCHIMP_CAMPAIGNS = (
    "Title,Subject,List,Send Date,Send Weekday,Total Recipients,Successful Deliveries,Soft Bounces,Hard Bounces,"
    "Total Bounces,Times Forwarded,Forwarded Opens,Unique Opens,Open Rate,Total Opens,Unique Clicks,Click Rate,"
    "Total Clicks,Unsubscribes,Abuse Complaints,Times Liked on Facebook,Folder Id,Unique Id\n"
    'Rentrée,Nos cafés de septembre,Clients,"Sep 02, 2026 10:00 am",Wednesday,300,296,1,0,1,0,0,140,47.30%,'
    "210,38,12.84%,51,2,0,0,,a1b2c3d4e5\n"
)


def test_an_email_campaign_report_is_refused_with_what_to_import_instead(ws, tmp_path):
    brevo = write(tmp_path, "brevo_rapport_campagnes.csv", BREVO_CAMPAIGNS)
    mailchimp = write(tmp_path, "campaigns.csv", MAILCHIMP_CAMPAIGNS)
    # refused when looked at (the Data page) and when loaded
    for call in (detect_file, import_file):
        for path in (brevo, mailchimp):
            with pytest.raises(FileRefused) as refused:
                call(ws, path)
            assert refused.value.key == "refused.campaign_report"
    assert refused.value.file == "campaigns.csv"
    assert refused.value.values["metrics"] == "Total Recipients, Successful Deliveries, Soft Bounces, Hard Bounces"
    with pytest.raises(FileRefused) as refused:
        import_file(ws, brevo)
    assert refused.value.text("fr").startswith(
        "Fichier « brevo_rapport_campagnes.csv » : c’est un rapport de campagnes e-mail (une ligne par campagne avec "
        "ses totaux : Destinataires, Délivrés, Ouvertures uniques, Taux d'ouverture). Parcours n’a pas de table pour "
        "les campagnes"
    )
    assert "contacts or audience export of Brevo or Mailchimp, as customers" in refused.value.text("en")
    # a kind the user chose is theirs: the file is then asked for that kind's columns, not refused as a report
    with pytest.raises(MappingError, match="required column.*amount"):
        import_file(ws, brevo, kind="orders")
    assert sum(ws.table_counts().values()) == 0


def test_one_row_per_recipient_with_opens_and_clicks_is_a_contact_list(ws, tmp_path):
    # a campaign's recipient activity names each person: their rows are people, not a campaign's totals
    activity = write(
        tmp_path,
        "activite.csv",
        "Email Address,First Name,Opens,Clicks,Unsubscribed,Bounced\n"
        "ana@exemple.fr,Ana,3,1,no,no\nbob@exemple.fr,Bob,0,0,yes,no\n",
    )
    assert import_file(ws, activity).rows_loaded == 2


# WooCommerce Analytics → Orders → Download: the report table's columns (woocommerce-admin's orders report,
# `getHeadersContent`), in English and as the French admin writes them
WOO_ANALYTICS = (
    "Date,Order #,Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net Sales,Attribution\n"
    '2026-11-02 09:14:00,1042,Completed,Jeanne Martin,new,"2× Café moulu 250 g, 1× Filtres",3,BIENVENUE,31.50,Direct\n'
    "2026-11-03 18:40:00,1043,Processing,Paul Durand,returning,1× Abonnement mensuel,1,,24.90,Organic: Google\n"
    "2026-11-05 11:02:00,1044,Refunded,Jeanne Martin,returning,1× Café en grains 1 kg,1,,18.00,Unknown\n"
    "2026-11-06 08:30:00,1045,Pending payment,Marc Petit,new,1× Tasse,1,,12.00,Referral: instagram.com\n"
)
WOO_ANALYTICS_FR = (
    'Date,"Commande n°",État,Client,"Type de client",Produit(s),"Articles vendus","Code(s) promo",'
    '"Ventes nettes",Attribution\n'
    '2026-11-02,"1042",Terminée,Jeanne Martin,Nouveau,"2× Café moulu 250 g",2,"BIENVENUE",31.50,Direct\n'
)


def test_woocommerce_analytics_orders_csv_is_orders_of_guests_by_their_net_sales(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "orders.csv", WOO_ANALYTICS))
    assert report.kind == "orders" and (report.rows_loaded, report.rows_rejected) == (4, 0)
    assert report.mapping == {
        "Date": "order_time",
        "Order #": "order_id",
        "Status": "status",
        "Items sold": "items",
        "Net Sales": "amount",
    }
    with ws.cursor() as cur:
        rows = cur.execute("select order_id, customer_id, amount, items, status, extra from orders").fetchall()
    # the customer's name is no id: no customer on the orders, and the name is not stored at all
    assert [r[:5] for r in rows] == [
        ("1042", None, 31.5, 3, "Completed"),
        ("1043", None, 24.9, 1, "Processing"),
        ("1044", None, 18.0, 1, "Refunded"),
        ("1045", None, 12.0, 1, "wc-pending"),
    ]
    assert not any("Martin" in r[5] or "Durand" in r[5] for r in rows)
    r = find_retention(ws, None)
    # guest orders: no customer bought; 1045 waits for its payment (no purchase), 1044 was refunded → 1 returned of
    # the 3 purchases (1042, 1043, 1044)
    assert (r.customers, r.returned, r.return_basis, round(r.return_rate, 3)) == (0, 1, "purchases", 0.333)
    french = import_file(ws, write(tmp_path, "commandes.csv", WOO_ANALYTICS_FR))
    assert french.mapping == {
        "Date": "order_time",
        "Commande n°": "order_id",
        "État": "status",
        "Articles vendus": "items",
        "Ventes nettes": "amount",
    }


@pytest.mark.parametrize(
    "kind, text",
    [
        # a CRM's customers with their newsletter activity: "Customer ID" names each row's person
        ("customers", "Customer ID,Signup date,Country,Opens,Clicks,Unsubscribed\nC1,2026-01-01,FR,3,1,no\n"),
        ("customers", "Client,Date d'inscription,Ouvertures,Clics,Désabonnement\nC1,2026-01-01,3,1,non\n"),
        # a shop's orders with the newsletter activity of their buyer: "Order ID", "Commande" name each row
        (
            "orders",
            "Order ID,Customer ID,Date,Total,Newsletter opens,Newsletter clicks,Bounced\n1,C1,2026-01-01,10,3,1,no\n",
        ),
        ("orders", "Commande,Date,Total,Ouvertures,Clics,Rebond\n1,2026-01-01,10,3,1,non\n"),
    ],
)
def test_customers_or_orders_with_opens_and_clicks_are_no_campaign_report(ws, tmp_path, kind, text):
    path = write(tmp_path, "export.csv", text)
    assert detect_file(ws, path).kind == kind
    report = import_file(ws, path)
    assert (report.kind, report.rows_loaded, report.rows_rejected) == (kind, 1, 0)
