"""Exports a new user brought on 2026-12-07 (tests/data/tester6/: their files' shape, invented values) that gave
wrong numbers: HubSpot's French deals and contacts, Gorgias's tickets, Typeform's "N/A" scores. Each figure below
is worked out by hand from the file."""

from pathlib import Path

from cx.cohorts import find_retention
from cx.ingest import import_file
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
