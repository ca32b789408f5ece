"""The identity link, read at every query (cx/sql/staging/customer_alias.sql, linked_*.sql): an answer, ticket, order
or web event keyed by an e-mail belongs to the CRM customer with that e-mail, and nothing stored is rewritten. The
tester's WooCommerce CRM kept numeric ids and an Email column, the Google Forms NPS file an "Email Address": every
respondent became a prospect with no purchase, the buyers showed "NPS — (0 answers)" and Personas counted 18 known
customers for 8 people (here too: 8 CRM ids + 9 answering or ordering e-mails + 1 ticket's e-mail)."""

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from cx.cohorts import find_cohorts, find_retention
from cx.ingest import import_file
from cx.ingest.erase import delete_import
from cx.inventory import summarise_tables
from cx.journey import find_stage_kpis
from cx.models import Filters
from cx.personas import customer_features, find_personas
from cx.satisfaction import summarise
from cx.workspace import Workspace, sql_file
from tests.conftest import ROOT, write

CRM = "Customer ID,First Name,Email,Date Registered\n" + "".join(
    f"{i},N{i},c{i}@example.be,01/{10 + i}/2024\n" for i in range(1, 9)
)
# customers 1–4 bought; the shop keys orders by id, but customer 1's second order by e-mail (a guest checkout)
ORDERS = (
    "order_id,customer_id,order_date,order_total\n"
    + "".join(f"{100 + i},{i},2024-02-0{i} 10:00:00,{20 * i}\n" for i in range(1, 5))
    + "105,c1@example.be,2024-02-20 10:00:00,15\n"
)
# 10 answers: 7 by CRM e-mails of 6 customers (c1 twice; c2 written in capitals with a space), 3 by people the CRM
# does not know (p1–p3)
RESPONDENTS = ["c1@example.be", " C2@Example.be", "c3@example.be", "c4@example.be", "c5@example.be"]
RESPONDENTS += ["c6@example.be", "c1@example.be", "p1@other.be", "p2@other.be", "p3@other.be"]
SCORES = [10, 9, 3, 0, 8, 10, 6, 9, 2, 10]
NPS = "Timestamp,Email Address,How likely are you to recommend us?\n" + "".join(
    f"2024/03/{i + 1:02d} 14:14:33,{who},{score}\n" for i, (who, score) in enumerate(zip(RESPONDENTS, SCORES))
)
# a ticket keyed by e-mail (Zendesk's requester) belongs to customer 8
TICKETS = "ticket_id,customer_id,created_at,channel,subject\nT1,c8@example.be,2024-03-05 10:00:00,email,Colis perdu\n"
# the web: customer 2 logged in with the CRM id, customer 4's events carry the e-mail (a GA4 user_id), both on mobile
EVENTS = (
    "event_time,visitor_id,customer_id,event_name,page,device\n"
    "2024-03-02 09:00:00,v2,2,page_view,/,mobile\n"
    "2024-03-04 09:00:00,v4,c4@example.be,page_view,/,mobile\n"
)
EVERYTHING = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
FILES = [("nps.csv", NPS), ("customers.csv", CRM), ("orders.csv", ORDERS), ("tickets.csv", TICKETS)]


def _workspace(tmp_path, files) -> tuple[Workspace, dict[str, int]]:
    ws = Workspace(tmp_path / "w.duckdb")
    ids = {name: import_file(ws, write(tmp_path, name, text)).import_id for name, text in files}
    return ws, ids


@pytest.mark.parametrize("answers_first", [True, False])
def test_answers_by_a_crm_email_belong_to_that_customer(tmp_path, answers_first):
    ws, _ = _workspace(tmp_path, FILES + [("events.csv", EVENTS)] if answers_first else FILES[1:] + FILES[:1])
    try:
        features = customer_features(ws)
        # known customers: the 8 of the CRM + the 3 respondents it does not know (p1–p3) = 11; without the link, the
        # CRM's 8 + the e-mails c1–c6 and p1–p3 (answers; c1 also ordered) + c8 (the ticket) = 18
        assert len(features) == 11
        assert find_personas(ws, EVERYTHING).customers == 11
        by_id = features.set_index("customer_id")
        # the buyers 1–4 carry their answers: 1 → 10 and 6, 2 → 9, 3 → 3, 4 → 0: 5 answers, promoters 10, 9 (2),
        # detractors 6, 3, 0 (3); customer 1 has 2 orders (one keyed by id, one by e-mail)
        buyers = by_id[by_id["n_orders"] > 0]
        assert sorted(buyers.index) == ["1", "2", "3", "4"]
        assert (buyers["nps_n"].sum(), buyers["promoters"].sum(), buyers["detractors"].sum()) == (5, 2, 3)
        assert by_id.loc["1", "n_orders"] == 2 and by_id.loc["8", "tickets"] == 1
        # the Voice page counts answers, not people, and is unchanged: promoters 10, 9, 10, 9, 10 (5), detractors
        # 3, 0, 6, 2 (4) of 10 → NPS (5 − 4) / 10 = +10
        nps = summarise(ws, EVERYTHING).nps
        assert (nps.n, round(nps.nps)) == (10, 10)
        # nothing stored is rewritten: the answers keep their e-mail's pseudonym
        with ws.cursor() as cur:
            stored = [r[0] for r in cur.execute("select customer_id from responses").fetchall()]
        assert all(k.startswith("px_") for k in stored)
    finally:
        ws.close()


def test_orders_keyed_by_email_and_by_id_are_one_buyer(tmp_path):
    ws, _ = _workspace(tmp_path, [("customers.csv", CRM), ("orders.csv", ORDERS)])
    try:
        # 5 orders: 101–104 by customers 1–4, 105 by c1's e-mail → 4 buyers, customer 1 twice: 1 repeat buyer of 4
        # (without the link: 5 buyers, none repeat)
        retention = find_retention(ws, EVERYTHING)
        assert (retention.customers, retention.repeat_customers) == (4, 1)
        kpis = {k.key: k for s in find_stage_kpis(ws, EVERYTHING) for k in s.kpis}
        assert kpis["repeat_purchase_rate"].value == pytest.approx(25.0)  # 1 / 4
        # the February purchase cohort holds 4 people, not 5
        cohorts = find_cohorts(ws, EVERYTHING, by_first="purchase")
        assert cohorts.groupby("cohort")["size"].first().to_dict() == {dt.date(2024, 2, 1): 4}
    finally:
        ws.close()


def test_web_filters_keep_the_answers_of_a_customer_seen_by_id_or_by_email(tmp_path):
    ws, _ = _workspace(tmp_path, FILES + [("events.csv", EVENTS)])
    try:
        # on mobile: customer 2 (events keyed by id "2", answer by e-mail) and customer 4 (events and answer by
        # e-mail) → 2 answers, 9 and 0: NPS (1 − 1) / 2 = 0 (without the link, customer 2's answer was dropped: 1)
        nps = summarise(ws, Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), device="mobile")).nps
        assert (nps.n, round(nps.nps)) == (2, 0)
        # customer 4's web session is theirs on their persona's features
        assert customer_features(ws).set_index("customer_id").loc["4", "sessions"] == 1
    finally:
        ws.close()


def test_deleting_the_crm_import_unlinks_at_once(tmp_path):
    ws, ids = _workspace(tmp_path, FILES)
    try:
        assert len(customer_features(ws)) == 11
        version = ws.data_version()
        delete_import(ws, ids["customers.csv"])
        assert ws.data_version() != version  # the stored analyses are computed again
        features = customer_features(ws).set_index("customer_id")
        # the answers are their e-mails' again: c1–c6 and p1–p3, no CRM id among them
        answering = features[features["nps_n"] > 0]
        assert len(answering) == 9 and all(k.startswith("px_") for k in answering.index)
        # the orders by id stay with "1"…"4" (no CRM row: customers of the orders only); the e-mail order is c1's
        assert features.loc["1", "n_orders"] == 1 and features.loc[ws.pseudonymise("c1@example.be"), "n_orders"] == 1
        # erasing the survey import still finds its 10 answers
        assert delete_import(ws, ids["nps.csv"]) == 10
    finally:
        ws.close()


def test_an_email_two_customers_share_links_to_neither_and_is_counted(tmp_path):
    # customers 9 and 10 share one address (a couple's account, a shop's test address): its answer is its own
    shared = CRM + "9,A,shared@example.be,01/20/2024\n10,B,Shared@example.be,01/21/2024\n"
    answers = "Timestamp,Email Address,How likely are you to recommend us?\n2024/03/01 10:00:00,shared@example.be,9\n2024/03/02 10:00:00,c3@example.be,7\n"
    ws, _ = _workspace(tmp_path, [("customers.csv", shared), ("nps.csv", answers)])
    try:
        features = customer_features(ws).set_index("customer_id")
        assert features.loc["3", "nps_n"] == 1  # c3 links to customer 3
        assert features.loc[ws.pseudonymise("shared@example.be"), "nps_n"] == 1  # the shared one to no one
        assert features.loc[["9", "10"], "nps_n"].sum() == 0
        # the Overview says how many e-mails link to no one because several customers hold them
        tables = summarise_tables(ws).set_index("table")
        assert tables.loc["customers", "shared_emails"] == 1
    finally:
        ws.close()


def test_clear_emails_compare_lower_cased(tmp_path):
    # pseudonymisation off: the CRM's and the survey's addresses are compared as written, case aside
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        import_file(ws, write(tmp_path, "customers.csv", CRM), pseudonymise=False)
        import_file(ws, write(tmp_path, "nps.csv", NPS), pseudonymise=False)
        by_id = customer_features(ws).set_index("customer_id")
        assert by_id.loc["2", "nps_n"] == 1  # " C2@Example.be" is c2@example.be
        assert len(by_id) == 11
    finally:
        ws.close()


# ------------------------------------------------------------------------------------------ property: one owner

KEYS = st.sampled_from(["1", "2", "3", "a@x.be", "A@x.be", "b@x.be", "px_00000000000000000001", "px_2", None])


@pytest.fixture(scope="module")
def linking():
    """A bare DuckDB with the two tables and the macro the link reads (a workspace per example would be slow)."""
    con = duckdb.connect()
    con.execute("create table customers (customer_id varchar, email varchar, import_id integer)")
    # an answer's id, import and time: the fragment reads an answer loaded by several imports once
    con.execute(
        "create table responses (customer_id varchar, raw varchar, response_id varchar, import_id integer, "
        "responded_at timestamp)"
    )
    macro = sql_file("macros.sql").split("create or replace macro cx_alias_key")[1].split(";")[0]
    con.execute("create or replace macro cx_alias_key" + macro)
    yield con
    con.close()


@settings(max_examples=150, deadline=None)
@given(
    customers=st.lists(st.tuples(st.sampled_from(["1", "2", "3", "a@x.be", "px_2"]), KEYS, st.integers(1, 3))),
    answers=st.lists(KEYS, max_size=12),
)
def test_every_answer_resolves_to_at_most_one_customer(linking, customers, answers):
    linking.execute("delete from customers")
    linking.execute("delete from responses")
    if customers:
        linking.executemany("insert into customers values (?, ?, ?)", customers)
    if answers:
        linking.executemany("insert into responses values (?, ?, null, 1, null)", [(a, a) for a in answers])
    rows = linking.execute(sql_file("staging/linked_responses.sql")).fetchall()
    # one row per answer (no answer doubled by two aliases), each to one customer or none
    assert len(rows) == len(answers)
    resolved = {r[1] for r in rows if r[1] is not None}
    assert len(resolved) <= len({a for a in answers if a is not None})
    ids = {c for c, _, _ in customers}
    for _, customer, raw, *_ in rows:
        # a key that is a customer id stays that customer's; another goes to a CRM customer or stays itself
        assert customer == raw if raw in ids or raw is None else customer in ids | {raw}


def test_the_testers_exports(tmp_path):
    """Tester 5's own files: the WooCommerce customers (ids 1–8 and an Email column), orders keyed by those ids, the
    Google Forms NPS keyed by "Email Address" (the 8 customers, guest.buyer, anon) and Zendesk tickets."""
    data = ROOT / "tests" / "data" / "tester5"
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        for name in ("customers_woo.csv", "orders_woo_excel_be.csv", "nps_google_forms.csv", "zendesk_tickets.csv"):
            import_file(ws, data / name)
        features = customer_features(ws).set_index("customer_id")
        # the CRM's 8 + the two respondents it does not know (guest.buyer's order has no customer: a guest checkout)
        # = 10 known customers (the tester saw 8 + 10 answering e-mails = 18)
        assert len(features) == 10
        # the buyers (an order neither cancelled, refunded nor failed): 1 (101, 103), 2 (102, 107), 5 (106),
        # 6 (109, 111), 7 (110); their answers 10, 9, 8, 7, 10 → 5 answers, promoters 10, 9, 10 (3), no detractor
        # (the tester saw "NPS — (0 answers)")
        buyers = features[features["n_orders"] > 0]
        assert sorted(buyers.index) == ["1", "2", "5", "6", "7"]
        assert (buyers["nps_n"].sum(), buyers["promoters"].sum(), buyers["detractors"].sum()) == (5, 3, 0)
    finally:
        ws.close()
