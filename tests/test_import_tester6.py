"""Exports a new user brought on 2026-12-07 (tests/data/tester6/: their files' shape, invented values) that gave
wrong numbers: HubSpot's French deals and contacts, Gorgias's tickets, Typeform's "N/A" scores. Each figure below
is worked out by hand from the file."""

from pathlib import Path

from hypothesis import example, given, settings, strategies as st

from cx.cohorts import find_retention
from cx.i18n import t
from cx.ingest import import_file
from cx.money import currency_in_scope
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
