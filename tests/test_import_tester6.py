"""Exports a new user brought on 2026-12-07 (tests/data/tester6/: their files' shape, invented values) that gave
wrong numbers: HubSpot's French deals and contacts, Gorgias's tickets, Typeform's "N/A" scores. Each figure below
is worked out by hand from the file."""

from pathlib import Path

from cx.cohorts import find_retention
from cx.i18n import t
from cx.ingest import import_file
from cx.money import currency_in_scope
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
