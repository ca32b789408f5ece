"""Employee names — a HubSpot deal's or contact's owner, a ticket's assignee or agent — are personal data as customer
names are: pseudonymised by default with the same keyed hash (same toggle, same key), so the same person always has
the same pseudonym and can still be grouped by. A tester found them kept in clear as extra data (2026-12-07)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from cx.ingest import detect_file, import_file
from cx.ingest.forget import find_person, forget_person
from cx.ingest.load import looks_personal
from cx.ui.importer import shown_preview
from cx.workspace import Workspace
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester6"
# each export's staff column, with the names two rows share (one person, two rows) and a third person
EXPORTS = {
    "gorgias": (
        "tickets",
        "Ticket id,Customer email,Channel,Created datetime,Assignee\n"
        "G1,marc.petit@exemple.fr,email,2025-01-02 10:00,Karim Benali\n"
        "G2,anne.morel@exemple.fr,chat,2025-01-03 10:00,Karim Benali\n"
        "G3,paul.roux@exemple.fr,email,2025-01-04 10:00,Léa Fontaine\n",
        "Assignee",
    ),
    "zendesk": (
        "tickets",
        "Id,Requester email,Via,Created at,Assignee\n"
        "1,marc.petit@exemple.fr,email,2025-01-02 10:00,Karim Benali\n"
        "2,anne.morel@exemple.fr,web,2025-01-03 10:00,Karim Benali\n"
        "3,paul.roux@exemple.fr,email,2025-01-04 10:00,Léa Fontaine\n",
        "Assignee",
    ),
    "freshdesk": (
        "tickets",
        "Ticket ID,Contact email,Source,Created time,Agent\n"
        "1,marc.petit@exemple.fr,Email,2025-01-02 10:00,Karim Benali\n"
        "2,anne.morel@exemple.fr,Chat,2025-01-03 10:00,Karim Benali\n"
        "3,paul.roux@exemple.fr,Email,2025-01-04 10:00,Léa Fontaine\n",
        "Agent",
    ),
    "intercom": (
        "tickets",
        "Conversation ID,User email,Channel,Created at,Teammate\n"
        "1,marc.petit@exemple.fr,chat,2025-01-02 10:00,Karim Benali\n"
        "2,anne.morel@exemple.fr,chat,2025-01-03 10:00,Karim Benali\n"
        "3,paul.roux@exemple.fr,email,2025-01-04 10:00,Léa Fontaine\n",
        "Teammate",
    ),
    "hubspot_deals_en": (
        "orders",
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Associated Contact IDs\n"
        "1,Sub #1,Closed won,29.9,2025-01-02,Karim Benali,71001\n"
        "2,Sub #2,Closed won,29.9,2025-01-03,Karim Benali,71002\n"
        "3,Sub #3,Closed won,29.9,2025-01-04,Léa Fontaine,71003\n",
        "Deal owner",
    ),
    "hubspot_contacts_fr": (
        "customers",
        "ID de fiche d'informations,E-mail,Date de création,Propriétaire du contact\n"
        "71001,marc.petit@exemple.fr,21/04/2026 18:03,Karim Benali\n"
        "71002,anne.morel@exemple.fr,18/01/2026 08:05,Karim Benali\n"
        "71003,paul.roux@exemple.fr,18/01/2026 08:05,Léa Fontaine\n",
        "Propriétaire du contact",
    ),
    "hubspot_contacts_en": (
        "customers",
        "Record ID,Email,Create Date,Contact owner\n"
        "71001,marc.petit@exemple.fr,2026-04-21,Karim Benali\n"
        "71002,anne.morel@exemple.fr,2026-01-18,Karim Benali\n"
        "71003,paul.roux@exemple.fr,2026-01-18,Léa Fontaine\n",
        "Contact owner",
    ),
}
STAFF = ("Karim Benali", "Léa Fontaine")
TABLE_KEY = {"tickets": "ticket_id", "orders": "order_id", "customers": "customer_id"}


def workspace_bytes(ws: Workspace) -> bytes:
    """Every byte of the workspace's files (the DuckDB file and its WAL), the key file aside."""
    with ws.cursor() as cur:
        cur.execute("checkpoint")
    return b"".join(p.read_bytes() for p in ws.path.parent.rglob("*") if p.is_file() and p.suffix != ".key")


def staff_values(ws: Workspace, kind: str, header: str) -> list:
    with ws.cursor() as cur:
        return [
            r[0]
            for r in cur.execute(
                f"select extra->>$h from {kind} order by {TABLE_KEY[kind]}::varchar", {"h": header}
            ).fetchall()
        ]


@pytest.mark.parametrize("export", EXPORTS)
def test_a_staff_name_is_pseudonymised_and_nowhere_in_the_file(tmp_path, export):
    kind, text, header = EXPORTS[export]
    ws = Workspace(tmp_path / "ws" / "w.duckdb")
    report = import_file(ws, write(tmp_path, f"{export}.csv", text), kind=kind)
    assert report.rows_loaded == 3, report.rejects
    assert report.columns[header]["fate"] == "kept"
    karim, lea = ws.pseudonymise("Karim Benali"), ws.pseudonymise("Léa Fontaine")
    # the same person, the same pseudonym (a grouping still works); the customer names' key and hash
    assert staff_values(ws, kind, header) == [karim, karim, lea]
    data = workspace_bytes(ws)
    assert [n for n in STAFF if n.encode() in data] == []
    ws.close()


def test_the_testers_french_deals_owner_is_pseudonymised(tmp_path):
    """HubSpot FR deals (the tester's workbook): "Propriétaire de la transaction" is Claire Dupont on every row."""
    ws = Workspace(tmp_path / "ws" / "w.duckdb")
    report = import_file(ws, DATA / "hubspot_transactions.xlsx")
    assert report.kind == "orders" and report.rows_loaded == 5
    owners = set(staff_values(ws, "orders", "Propriétaire de la transaction"))
    assert owners == {ws.pseudonymise("Claire Dupont")}
    assert b"Claire Dupont" not in workspace_bytes(ws)
    ws.close()


def test_a_staff_name_stays_in_clear_when_pseudonymisation_is_off(tmp_path):
    kind, text, header = EXPORTS["gorgias"]
    ws = Workspace(tmp_path / "w.duckdb")
    import_file(ws, write(tmp_path, "g.csv", text), kind=kind, pseudonymise=False)
    assert staff_values(ws, kind, header) == ["Karim Benali", "Karim Benali", "Léa Fontaine"]
    ws.close()


def test_a_browsers_user_agent_is_no_person():
    def kept(header: str) -> bool:  # a column of names, no e-mail among them
        return looks_personal(SimpleNamespace(header=header, email=0.0, number=0.0, instant=0.0))

    assert [h for h in ("Deal owner", "Assignee", "Agent", "Teammate", "Assigned to", "HubSpot Owner") if kept(h)] == [
        "Deal owner",
        "Assignee",
        "Agent",
        "Teammate",
        "Assigned to",
        "HubSpot Owner",
    ]
    assert not kept("User agent") and not kept("user_agent") and not kept("Pipeline")


@pytest.mark.parametrize("export", ["gorgias", "hubspot_contacts_fr"])
def test_the_data_preview_shows_the_staff_column_pseudonymised(tmp_path, export):
    _kind, text, header = EXPORTS[export]
    ws = Workspace(tmp_path / "w.duckdb")
    d = detect_file(ws, write(tmp_path, f"{export}.csv", text))
    assert header in d.personal
    shown = shown_preview(d.preview, mask=True, personal=d.personal)
    assert shown[header].tolist() == ["[pseudonymisé]"] * 3
    ws.close()


def test_erasing_a_customer_is_not_confused_by_the_agents(tmp_path):
    """Marc's ticket goes; the others stay with their agent's pseudonym (no mention of Marc). An agent typed as a
    customer id is nobody's customer: no row of anyone would be erased; his pseudonym in the two tickets he handled
    (Marc's and Anne's) is what an erasure of him would mask, counted as mentions."""
    kind, text, header = EXPORTS["gorgias"]
    ws = Workspace(tmp_path / "ws" / "w.duckdb")
    import_file(ws, write(tmp_path, "g.csv", text), kind=kind)
    karim = find_person(ws, "Karim Benali", "customer_id")
    assert (karim.total, karim.mentions) == (0, 2)
    done = forget_person(ws, "marc.petit@exemple.fr", "email")
    assert done.rows["tickets"] == 1 and done.total == 1 and done.mentions == 0
    assert staff_values(ws, kind, header) == [ws.pseudonymise("Karim Benali"), ws.pseudonymise("Léa Fontaine")]
    ws.close()


# one staff column per way of naming it, each holding a name of its own (Zorglub Martinez's in the first)
STAFF_HEADERS = (
    "Assigné à",
    "Attribuée à",
    "Vendeur",
    "Commercial",
    "Responsable",
    "Conseillère",
    "Créé par",
    "Created by",
    "Propriétaire",
    "Owner",
)


def test_the_french_and_other_staff_columns_are_pseudonymised_and_nowhere_in_the_file(tmp_path):
    """A reviewer's ticket export: "Assigné à", "Vendeur" and "Créé par" were kept in clear as extra data."""
    names = [f"Zorglub{chr(65 + i)} Martinez" for i in range(len(STAFF_HEADERS))]
    text = (
        "Ticket id,Customer email,Channel,Created at,Créé le," + ",".join(STAFF_HEADERS) + "\n"
        "T1,marc.petit@exemple.fr,email,2025-01-02 10:00,2025-01-02," + ",".join(names) + "\n"
        "T2,anne.morel@exemple.fr,email,2025-01-03 10:00,2025-01-03," + ",".join(names) + "\n"
    )
    ws = Workspace(tmp_path / "ws" / "w.duckdb")
    report = import_file(ws, write(tmp_path, "tickets.csv", text), kind="tickets")
    assert report.rows_loaded == 2, report.rejects
    for header, name in zip(STAFF_HEADERS, names):
        assert staff_values(ws, "tickets", header) == [ws.pseudonymise(name)] * 2, header
    assert staff_values(ws, "tickets", "Créé le") == ["2025-01-02", "2025-01-03"]  # a date, not who created it
    data = workspace_bytes(ws)
    assert [n for n in names if n.encode() in data] == []
    ws.close()


def test_the_staff_words_catch_no_date_nor_marketing_column():
    def kept(header: str) -> bool:  # a column of names, no e-mail among them
        return looks_personal(SimpleNamespace(header=header, email=0.0, number=0.0, instant=0.0))

    assert [h for h in STAFF_HEADERS + ("Assignée à", "Vendeuse", "Conseiller") if not kept(h)] == []
    # when a record was created, and how (WooCommerce's "Created via", "Attribution"): no one's name
    others = ("Créé le", "Created at", "Created", "Date de création", "Created via", "Attribution", "Canal", "Statut")
    assert [h for h in others if kept(h)] == []


def test_a_staff_columns_numbers_and_dates_are_no_names():
    """ "Agent wait time in minutes" (Zendesk), "Agent interactions" (Freshdesk), "First agent response datetime"
    (Gorgias) name an agent in their header but hold figures and instants: kept as they are, not hashed."""

    def kept(header: str, number: float = 0.0, instant: float = 0.0) -> bool:
        return looks_personal(SimpleNamespace(header=header, email=0.0, number=number, instant=instant))

    assert not kept("Agent wait time in minutes", number=1.0) and not kept("Agent interactions", number=0.9)
    assert not kept("First agent response datetime", instant=1.0) and not kept("Créé par", instant=0.8)
    assert kept("Agent", number=0.1) and kept("Assignee")


def test_an_agents_wait_time_keeps_its_minutes(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    text = (
        "Id,Requester email,Created at,Via,Subject,Assignee,Agent wait time in minutes\n"
        "1,a@ex.fr,2025-03-01 10:00,Mail,Colis,Karim Benali,12\n2,b@ex.fr,2025-03-02 10:00,Mail,Retour,Léa Fontaine,30\n"
    )
    import_file(ws, write(tmp_path, "zendesk.csv", text), kind="tickets")
    with ws.cursor() as cur:
        rows = cur.execute("select extra::varchar from tickets order by ticket_id").fetchall()
    ws.close()
    assert all("Karim" not in r[0] and "Léa" not in r[0] for r in rows)
    assert '"12"' in rows[0][0] or ": 12" in rows[0][0] or ":12" in rows[0][0], rows
