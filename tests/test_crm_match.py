"""Orders that match no CRM customer are said at import, not left to make every CRM customer a 0 € prospect (tester 7:
PrestaShop's orders keyed by names beside its customers file keyed by ids)."""

from __future__ import annotations

from cx.ingest import import_file
from tests.conftest import write

NAMES = ["Alice MARTIN", "Bruno PETIT", "Camille LEROY", "Denis ROUX", "Emma FAURE", "Fabien GIRARD"]
NAMES += ["Gaëlle THOMAS", "Hugo MOREL", "Inès LAMBERT", "Jules BONNET", "Karine MERCIER", "Léo DUPONT"]
# the CRM: 12 customers keyed 1…12, with their e-mails
CRM = "customer_id,email,last_name\n" + "".join(
    f"{i},{n.split()[0].lower()}@exemple.fr,{n.split()[1]}\n" for i, n in enumerate(NAMES, 1)
)


def orders_keyed_by(keys: list[str]) -> str:
    return "order_id,customer_id,order_date,total\n" + "".join(
        f"O{i},{k},2026-02-{i:02d},10\n" for i, k in enumerate(keys, 1)
    )


def crm_notes(report) -> list:
    return [n for n in report.notes if "crm_match" in getattr(n, "key", "")]


def test_orders_keyed_by_names_match_no_crm_customer_and_the_report_says_so(ws, tmp_path):
    import_file(ws, write(tmp_path, "clients.csv", CRM), kind="customers")
    orders = import_file(ws, write(tmp_path, "commandes.csv", orders_keyed_by(NAMES)), kind="orders")
    # 12 customers keying the orders (names, pseudonymised), none of them a CRM id or e-mail: 0 of 12
    (note,) = crm_notes(orders)
    assert note.key == "no_crm_match_orders" and note.values == {"matched": 0, "keys": 12, "crm": 12}


def test_a_crm_loaded_second_says_the_orders_already_loaded_match_none_of_it(ws, tmp_path):
    import_file(ws, write(tmp_path, "commandes.csv", orders_keyed_by(NAMES)), kind="orders")
    crm = import_file(ws, write(tmp_path, "clients.csv", CRM), kind="customers")
    (note,) = crm_notes(crm)
    assert note.key == "no_crm_match_orders" and note.values == {"matched": 0, "keys": 12, "crm": 12}


def test_under_five_percent_is_said_and_linked_orders_say_nothing(ws, tmp_path):
    import_file(ws, write(tmp_path, "clients.csv", CRM), kind="customers")
    # 1 order keyed by a CRM e-mail (pseudonymised as the CRM's: linked) among 21 keyed by names: 1/22 = 4.5 % < 5 %
    keys = ["alice@exemple.fr"] + [f"{n} {s}" for n in NAMES[:7] for s in ("A.", "B.", "C.")]
    few = import_file(ws, write(tmp_path, "few.csv", orders_keyed_by(keys)), kind="orders")
    (note,) = crm_notes(few)
    assert note.key == "few_crm_match_orders" and note.values == {"matched": 1, "keys": 22, "crm": 12}
    linked = import_file(
        ws, write(tmp_path, "linked.csv", orders_keyed_by([str(i) for i in range(1, 13)])), kind="orders"
    )
    assert crm_notes(linked) == []  # 12 of 12 CRM ids
