"""One reading of order and ticket channels (cx/channels.py): the Journey's touchpoints group the spellings of
one channel, as the Support page does, and name them in the reader's language."""

import pytest

from cx.channels import channel_code
from cx.charts_journey import touchpoint_lines
from cx.charts_personas import card_lines
from cx.i18n import t
from cx.ingest import import_file
from cx.journey import find_touchpoints
from cx.personas import customer_features
from cx.support import list_tickets
from tests.conftest import write
from tests.test_journey_data import PERIOD, insert
from tests.test_personas import ana_card


@pytest.mark.parametrize(
    "kind, written, code",
    [
        ("order", "Site web", "web"),
        ("order", "web", "web"),
        ("order", "Website", "web"),
        ("order", "Online Store", "web"),  # Shopify's web channel, not a shop
        ("order", "Boutique en ligne", "web"),  # a boutique, but online
        ("order", "Site internet", "web"),
        ("order", "E-shop", "web"),
        ("order", "5690175", "other_app"),  # a Shopify app's id (source_name), not a channel name
        ("order", "Magasin", "store"),
        ("order", "Visite magasin", "store"),  # "vi-site": an in-store visit, not the web site
        ("order", "visite en boutique", "store"),
        ("order", "In store", "store"),
        ("order", "In-store pickup", "store"),
        ("order", "pos", "store"),
        ("order", "POS", "store"),
        ("order", "Shopify POS", "store"),
        ("order", "Point de vente", "store"),
        ("order", "app", "app"),
        ("order", "Application", "app"),
        ("order", "Application mobile", "mobile_app"),
        ("order", "iOS app", "mobile_app"),
        ("order", "iphone", "mobile_app"),
        ("order", "Android", "mobile_app"),
        ("order", "Amazon FR", "marketplace"),
        ("order", "E-mail", "email"),  # an order taken by e-mail
        ("order", "courriel", "email"),
        ("order", "Téléphone", "phone"),
        ("order", "Phone", "phone"),
        ("order", "Tél.", "phone"),
        ("order", "Appel", "phone"),  # not an "app"
        ("order", "Chat", "chat"),
        ("order", " shopify_draft_order ", "shopify_draft_order"),  # unknown: as the export spells it, trimmed
        ("ticket", "E-mail", "email"),
        ("ticket", "e-mail", "email"),
        ("ticket", "courriel", "email"),
        ("ticket", "Formulaire de contact", "email"),
        ("ticket", "Téléphone", "phone"),
        ("ticket", "phone", "phone"),
        ("ticket", "Appel entrant", "phone"),
        ("ticket", "Live chat", "chat"),
        ("ticket", "Chat", "chat"),
        ("ticket", "Facebook", "social"),
        ("ticket", "WhatsApp", "social"),
        ("ticket", "Fax", "Fax"),
        ("ticket", "Visite magasin", "Visite magasin"),  # no support channel of an expected reply time
    ],
)
def test_channel_codes(kind, written, code):
    assert channel_code(written, kind) == code


def test_ticket_codes_are_the_support_page_groups(ws):
    # the channels a pattern knows (one the patterns do not know is its own group, spelt as the export does)
    written = ["E-mail", "email", "Courriel", "Téléphone", "Live chat", "WhatsApp", "formulaire web", "appel"]
    insert(
        ws,
        "tickets",
        ["ticket_id", "channel", "created_at"],
        [(f"T{i}", c, PERIOD.start) for i, c in enumerate(written)],
    )
    groups = dict(zip(*list_tickets(ws)[["channel", "channel_group"]].T.values))
    assert {c: channel_code(c, "ticket") for c in written} == groups


def test_touchpoints_group_the_spellings_of_one_channel(ws):
    # the tester's shop: orders "Site web" ×2 and "web" ×1 (one channel), a Shopify app id ×1; tickets "E-mail" ×2
    # and "email" ×1 (one channel), "Téléphone" ×1 — each customer's first order, so all in the purchase stage
    insert(
        ws,
        "orders",
        ["order_id", "customer_id", "order_time", "amount", "channel"],
        [(f"O{i}", f"C{i}", PERIOD.start, 10.0, c) for i, c in enumerate(["Site web", "Site web", "web", "5690175"])],
    )
    insert(
        ws,
        "tickets",
        ["ticket_id", "channel", "created_at", "category"],
        [(f"T{i}", c, PERIOD.start, "livraison") for i, c in enumerate(["E-mail", "E-mail", "email", "Téléphone"])],
    )
    tp = find_touchpoints(ws, PERIOD)
    by = {(r.kind, r.touchpoint): r.n for r in tp.itertuples()}
    assert by == {("order", "web"): 3, ("order", "other_app"): 1, ("ticket", "email"): 3, ("ticket", "phone"): 1}

    def line(kind, lang):  # the line of `kind` in its stage, as the Journey page writes it (markdown-escaped)
        return dict(touchpoint_lines(tp, tp.loc[tp["kind"] == kind, "stage"].iloc[0], lang))[kind]

    assert line("order", "en") == "Website (3) · Other app (1)"
    assert line("order", "fr") == "Site web (3) · Autre application (1)"
    assert line("ticket", "en") == "E\\-mail (3) · Phone (1)"  # not "Téléphone" on an English page
    assert line("ticket", "fr") == "E\\-mail (3) · Téléphone (1)"


def test_a_persona_card_names_the_order_channels_as_the_journey_does(ws):
    # one order each: a Shopify app id, three spellings of the web site, an in-store visit
    written = ["5690175", "web", "Online Store", "Site web", "Visite magasin"]
    insert(
        ws,
        "orders",
        ["order_id", "customer_id", "order_time", "amount", "channel"],
        [(f"O{i}", f"C{i}", PERIOD.start, 10.0, c) for i, c in enumerate(written)],
    )
    main = customer_features(ws).set_index("customer_id")["main_order_channel"].to_dict()
    assert main == {"C0": "other_app", "C1": "web", "C2": "web", "C3": "web", "C4": "store"}
    journey = find_touchpoints(ws, PERIOD)
    assert set(main.values()) == set(journey.loc[journey["kind"] == "order", "touchpoint"])
    # in words: the card of a persona of these five customers, and the Journey's line, name them alike
    shares = sorted(((c, list(main.values()).count(c) / 5) for c in set(main.values())), key=lambda s: (-s[1], s[0]))
    persona = ana_card(size=5, orders=1.0, order_channels=tuple(shares))
    card = "\n".join(card_lines(persona, lambda key, **v: t(key, "fr", **v), "fr", str, "EUR"))
    assert "Site web 60\u202f%, Autre application 20\u202f%, Magasin 20\u202f%" in card
    line = dict(touchpoint_lines(journey, journey.loc[journey["kind"] == "order", "stage"].iloc[0], "fr"))["order"]
    assert line == "Site web (3) · Autre application (1) · Magasin (1)"


TICKETS = (
    "ticket_id,channel,created_at\n"
    "T1,E-mail,2025-03-01 10:00\n"
    "T2,Carrier pigeon,2025-03-01 11:00\n"
    "T3,WhatsApp Business,2025-03-01 12:00\n"  # WhatsApp: social media, known
    "T4,Carrier pigeon,2025-03-02 10:00\n"
    "T5,Courrier postal,2025-03-02 11:00\n"
    "T6, Carrier pigeon ,2025-03-02 12:00\n"  # the same channel, spaces around
    "T7,,2025-03-03 10:00\n"  # no channel: rejected (required), not an unknown channel
)


def test_unknown_ticket_channels_are_loaded_and_named_in_the_import_report(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "tickets.csv", TICKETS), kind="tickets")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (7, 6, 1)
    assert [r.code for r in report.rejects] == ["missing"]
    notes = [n for n in report.notes if n.key == "unknown_channels"]
    # 3 + 1 tickets on two channels no pattern reads, the most frequent first
    assert [n.values for n in notes] == [{"n": 4, "channels": "Carrier pigeon (3), Courrier postal (1)"}]
    en = t("import.note.unknown_channels", "en", **notes[0].values)
    fr = t("import.note.unknown_channels", "fr", **notes[0].values)
    assert en.startswith("4 tickets on channels Parcours does not know: Carrier pigeon (3), Courrier postal (1)")
    assert fr.startswith(
        "4 tickets sur des canaux que Parcours ne connaît pas : Carrier pigeon (3), Courrier postal (1)"
    )
    assert "python -m cx delete" in en and "historique des imports" in fr


def test_a_tickets_file_of_known_channels_has_no_such_note(ws, tmp_path):
    text = "ticket_id,channel,created_at\nT1,Live chat,2025-03-01 10:00\nT2,Téléphone,2025-03-01 11:00\n"
    report = import_file(ws, write(tmp_path, "tickets.csv", text), kind="tickets")
    assert report.rows_loaded == 2 and not [n for n in report.notes if n.key == "unknown_channels"]
