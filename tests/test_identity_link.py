"""The identity link (cx/sql/ingest_link_customers.sql): an answer, ticket or order keyed by an e-mail belongs to the
CRM customer with that e-mail. The tester's WooCommerce CRM kept numeric ids and an Email column, the Google Forms
NPS file an "Email Address": every respondent became a prospect with no purchase, the buyers showed "NPS — (0
answers)", and Personas counted 18 known customers where the CRM had 8 (and 10 answers, 7 of them by a CRM e-mail
here: 8 + 3 prospects)."""

import datetime as dt

import pytest

from cx.cohorts import find_retention
from cx.ingest import import_file
from cx.journey import find_stage_kpis
from cx.models import Filters
from cx.personas import customer_features, find_personas
from cx.satisfaction import summarise
from cx.workspace import Workspace
from tests.conftest import write

CRM = "Customer ID,First Name,Email,Date Registered\n" + "".join(
    f"{i},N{i},c{i}@example.be,01/{10 + i}/2024\n" for i in range(1, 9)
)
# customers 1–4 bought; the shop keys orders by id, but customer 1's second order by e-mail (a guest checkout)
ORDERS = (
    "order_id,customer_id,order_date,order_total\n"
    + "".join(f"{100 + i},{i},2024-02-0{i} 10:00:00,{20 * i}\n" for i in range(1, 5))
    + "105,c1@example.be,2024-02-20 10:00:00,15\n"
)
# 7 answers by CRM e-mails (c1…c7, one written in capitals), 3 by people the CRM does not know
SCORES = [10, 9, 3, 0, 8, 10, 6, 9, 2, 10]
RESPONDENTS = [f"c{i}@example.be" for i in range(1, 8)] + [f"p{i}@other.be" for i in range(1, 4)]
RESPONDENTS[1] = " C2@Example.be"
NPS = "Timestamp,Email Address,How likely are you to recommend us?\n" + "".join(
    f"2024/03/{i + 1:02d} 14:14:33,{who},{score}\n" for i, (who, score) in enumerate(zip(RESPONDENTS, SCORES))
)
# a ticket keyed by e-mail (Zendesk's requester) belongs to customer 8 too
TICKETS = "ticket_id,customer_id,created_at,channel,subject\nT1,c8@example.be,2024-03-05 10:00:00,email,Colis perdu\n"
EVERYTHING = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))


def _workspace(tmp_path, answers_first: bool) -> Workspace:
    ws = Workspace(tmp_path / "w.duckdb")
    files = [("nps.csv", NPS), ("customers.csv", CRM), ("orders.csv", ORDERS), ("tickets.csv", TICKETS)]
    if not answers_first:
        files = files[1:] + files[:1]
    for name, text in files:
        import_file(ws, write(tmp_path, name, text))
    return ws


@pytest.mark.parametrize("answers_first", [True, False])
def test_answers_by_a_crm_email_belong_to_that_customer(tmp_path, answers_first):
    ws = _workspace(tmp_path, answers_first)
    try:
        with ws.cursor() as cur:
            keys = sorted(r[0] for r in cur.execute("select customer_id from responses").fetchall())
            features = customer_features(ws)
        # the 7 CRM e-mails became the CRM ids 1…7; the 3 others keep their e-mail's pseudonym
        assert keys[:7] == ["1", "2", "3", "4", "5", "6", "7"]
        assert all(k.startswith("px_") for k in keys[7:]) and len(set(keys[7:])) == 3
        # known customers: the 8 of the CRM + the 3 respondents the CRM does not know = 11 (was 8 + 10 = 18)
        assert len(features) == 11
        assert find_personas(ws, EVERYTHING).customers == 11
        # the buyers 1–4 carry their answers: 10, 9, 3, 0 → 2 promoters, 2 detractors, NPS 0 over 4 answers
        buyers = features[features["n_orders"] > 0].set_index("customer_id")
        assert sorted(buyers.index) == ["1", "2", "3", "4"]
        assert buyers["nps_n"].sum() == 4
        assert buyers["promoters"].sum() == 2 and buyers["detractors"].sum() == 2
        assert features.set_index("customer_id").loc["8", "tickets"] == 1
        # Retention and the Journey count buyers: 4, customer 1 twice (by id and by e-mail) → 1 repeat buyer of 4
        # (without the link: 5 buyers, none repeat)
        retention = find_retention(ws, EVERYTHING)
        assert (retention.customers, retention.repeat_customers) == (4, 1)
        kpis = {k.key: k for s in find_stage_kpis(ws, EVERYTHING) for k in s.kpis}
        assert kpis["repeat_purchase_rate"].value == pytest.approx(25.0)
        # the Voice page counts answers, not customers, and is unchanged: 10 answers; promoters 10, 9, 10, 9, 10 (5),
        # detractors 3, 0, 6, 2 (4) → NPS (5 − 4) / 10 = +10
        nps = summarise(ws, EVERYTHING).nps
        assert (nps.n, round(nps.nps)) == (10, 10)
    finally:
        ws.close()
