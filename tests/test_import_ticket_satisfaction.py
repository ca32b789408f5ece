"""A support export's satisfaction column, as Zendesk and Freshdesk write it, read as the tickets' CSAT on 1–5
(cx/ingest/ratings.py, docs/IMPORT_FORMATS.md); a value none of the readings knows leaves the ticket loaded without
it, the cell listed among the rejected values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from cx.ingest import import_file
from cx.ingest.ratings import CODES, NOT_RATED, RATINGS
from cx.support import summarise_support
from tests.conftest import write

ZENDESK = (
    "Ticket ID,Subject,Requester,Channel,Requested,Solved,Satisfaction\n"
    "1,Late,a@example.fr,Email,2025-05-01 10:00,2025-05-02 10:00,Good\n"  # 5
    "2,Broken,b@example.fr,Chat,2025-05-01 11:00,2025-05-01 12:00,Bad\n"  # 1
    "3,Where,c@example.fr,Email,2025-05-02 10:00,,Offered\n"  # sent, not answered: no rating
    "4,Refund,d@example.fr,Email,2025-05-03 10:00,2025-05-03 18:00,Unoffered\n"  # none sent: no rating
    "5,Size,e@example.fr,Chat,2025-05-04 10:00,2025-05-04 11:00,Good with comment\n"  # 5
    "6,Gift,f@example.fr,Email,2025-05-05 10:00,2025-05-05 12:00,bof\n"  # line 7: unreadable, the ticket stays
)


def test_zendesk_good_and_bad_are_the_tickets_csat(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "zendesk.csv", ZENDESK))
    assert report.kind == "tickets" and report.mapping["Satisfaction"] == "csat"
    # every ticket loaded; the unreadable rating is listed (line 7), not counted as a rejected row
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 6, 0)
    assert [(r.line, r.column, r.value, r.code) for r in report.rejects] == [
        (7, "Satisfaction", "bof", "unreadable_satisfaction")
    ]
    assert [(n.key, n.values) for n in report.notes] == [("cells_left_out", {"n": 1})]
    with ws.cursor() as cur:
        rows = cur.execute("select ticket_id, csat from tickets order by ticket_id").fetchall()
    assert rows == [("1", 5.0), ("2", 1.0), ("3", None), ("4", None), ("5", 5.0), ("6", None)]
    # CSAT = rated 4–5 ÷ rated = 2 good ÷ 3 rated (tickets 1, 2, 5) = 66.7 %
    summary = summarise_support(ws)
    assert (summary.csat_n, summary.csat) == (3, pytest.approx(200 / 3))


FRESHDESK = (
    "Ticket ID,Subject,Source,Created time,Resolved time,Satisfaction survey\n"
    "1,A,Email,2025-05-01 10:00:00,2025-05-01 12:00:00,Extremely happy\n"  # 5
    "2,B,Email,2025-05-01 10:00:00,2025-05-01 12:00:00,Neutral\n"  # 3
    "3,C,Phone,2025-05-01 10:00:00,2025-05-01 12:00:00,Not Good\n"  # 1 (classic survey)
    "4,D,Phone,2025-05-01 10:00:00,2025-05-01 12:00:00,Just Okay\n"  # 3 (classic survey)
    "5,E,Chat,2025-05-01 10:00:00,2025-05-01 12:00:00,-103\n"  # the API's code of Extremely unhappy: 1
    "6,F,Chat,2025-05-01 10:00:00,2025-05-01 12:00:00,4\n"  # 4
    "7,G,Chat,2025-05-01 10:00:00,2025-05-01 12:00:00,7\n"  # line 8: outside 1–5, the ticket stays
    "8,H,Chat,2025-05-01 10:00:00,2025-05-01 12:00:00,\n"  # no survey
)


def test_freshdesk_rating_words_and_codes_are_the_tickets_csat(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "freshdesk.csv", FRESHDESK))
    assert report.kind == "tickets" and report.mapping["Satisfaction survey"] == "csat"
    assert (report.rows_loaded, report.rows_rejected) == (8, 0)
    assert [(r.line, r.value, r.code) for r in report.rejects] == [(8, "7", "satisfaction_out_of_range")]
    with ws.cursor() as cur:
        values = [r[0] for r in cur.execute("select csat from tickets order by ticket_id::int").fetchall()]
    assert values == [5, 3, 1, 3, 1, 4, None, None]
    # 2 of the 6 rated are 4–5 (tickets 1 and 6): 33.3 %
    summary = summarise_support(ws)
    assert (summary.csat_n, summary.csat) == (6, pytest.approx(100 / 3))


def test_a_row_rejected_for_another_reason_is_still_one_rejected_row(ws, tmp_path):
    text = "ticket_id,channel,created_at,csat\nT1,email,pas une date,bof\nT2,email,2025-05-01,Good\n"
    report = import_file(ws, write(tmp_path, "t.csv", text), kind="tickets")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    # "pas une date" is no date in a shape Parcours reads: the row is rejected for it alone (its "bof" is not said to
    # be left out of a ticket that is not loaded)
    assert sorted(r.code for r in report.rejects) == ["unknown_date_format"]
    assert report.notes == ()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from([*RATINGS, *NOT_RATED, *map(str, CODES), "1", "5", "2.0", "0", "6", "bof", ""]),
        min_size=1,
        max_size=8,
    )
)
def test_every_ticket_is_loaded_whatever_its_rating(tmp_path_factory, values):
    from cx.workspace import Workspace

    ws = Workspace(":memory:")
    folder = tmp_path_factory.mktemp("r")
    lines = "".join(f"T{i},email,2025-05-01,{v}\n" for i, v in enumerate(values))
    columns = {c: c for c in ("ticket_id", "channel", "created_at", "csat")}
    path = write(folder, "t.csv", "ticket_id,channel,created_at,csat\n" + lines)
    report = import_file(ws, path, kind="tickets", mapping=columns)
    # rows read = rows loaded: a rating never costs a ticket; what was read is 1–5 or empty
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (len(values), len(values), 0)
    with ws.cursor() as cur:
        stored = [r[0] for r in cur.execute("select csat from tickets order by ticket_id").fetchall()]
    assert all(v is None or v in (1, 2, 3, 4, 5) for v in stored)
    known = {**{w: n for w, n in RATINGS.items()}, **{str(c): n for c, n in CODES.items()}, "1": 1, "5": 5, "2.0": 2}
    by_id = dict(enumerate(values))
    ordered = sorted(range(len(values)), key=lambda i: f"T{i}")
    assert stored == [known.get(by_id[i].lower()) for i in ordered]
    unread = [r.code for r in report.rejects]
    assert len(unread) == sum(v.lower() in ("0", "6", "bof") for v in values)
    ws.close()


ZOHO_DESK = (
    "ID du ticket,Objet,Canal,E-mail,Heure de création,Évaluation de satisfaction\n"
    "1,Colis,Email,a@example.fr,01/05/2025 10:00,Good\n"  # 5
    "2,Colis,Chat,b@example.fr,01/05/2025 11:00,Okay\n"  # 3: neutral
    "3,Retour,Chat,c@example.fr,02/05/2025 10:00,Bad\n"  # 1
    "4,Retour,Email,d@example.fr,03/05/2025 10:00,okay\n"  # 3
    "5,Taille,Email,e@example.fr,04/05/2025 10:00,\n"  # not rated
)


def test_zoho_desk_okay_is_the_neutral_middle_of_a_three_point_scale(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "zoho_desk.csv", ZOHO_DESK))
    assert report.kind == "tickets" and report.mapping["Évaluation de satisfaction"] == "csat"
    assert (report.rows_loaded, report.rejects) == (5, ())
    with ws.cursor() as cur:
        values = [r[0] for r in cur.execute("select csat from tickets order by ticket_id").fetchall()]
    assert values == [5, 3, 1, 3, None]
    # CSAT = top box (Good) ÷ rated = 1 ÷ 4 = 25 % (an Okay is not satisfied; left unread it gave 1 ÷ 2 = 50 %, as
    # the tester's 28 Good / 22 Okay / 24 Bad gave 28 ÷ 52 = 53.8 % instead of 28 ÷ 74 = 37.8 %)
    summary = summarise_support(ws)
    assert (summary.csat_n, summary.csat) == (4, pytest.approx(25.0))
