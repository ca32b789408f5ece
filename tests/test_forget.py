"""Erasing one person (a right-to-erasure request): every row of theirs goes, under their CRM id and their e-mail
pseudonym alike; every row of the others stays; no byte of them is left in the workspace file or its WAL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cx.errors import CxError
from cx.ingest import import_file
from cx.ingest.forget import TABLES, find_person, forget_person, list_erasures
from cx.ingest.readers import cut_line
from cx.workspace import Workspace
from tests.conftest import ON_LAKE, ROOT, run_view, workspace_env

# three customers: Ana (K-ANA-1001), Bob (K-BOB-2002, bob.zz47@example.com), Cy (K-CY-3003). Bob's orders and
# answers are keyed by his CRM id or by his e-mail (a shop export knows the e-mail only): both are his.
FILES = {
    "customers.csv": "customer_id,email,name,signup_date\n"
    "K-ANA-1001,ana.zz47@example.com,Ana Alpha,2025-01-01\n"
    "K-BOB-2002,bob.zz47@example.com,Bob Beta,2025-01-02\n"
    "K-CY-3003,cy.zz47@example.com,Cy Gamma,2025-01-03\n",
    # O4 and O6 have a cell too many: rejected, their line kept (O4 names Bob by e-mail, O6 by id, O7 is Cy's);
    # O5 (Cy's) has a bad date: its cell is rejected
    "orders.csv": "order_id,customer_id,order_date,total\n"
    "O1,bob.zz47@example.com,2025-02-01,10\n"
    "O2,K-BOB-2002,2025-02-02,20\n"
    "O3,K-ANA-1001,2025-02-03,30\n"
    "O4,bob.zz47@example.com,2025-02-04,10,oops\n"
    "O5,K-CY-3003,not a date,5\n"
    "O6,K-BOB-2002,2025-02-04,10,oops\n"
    "O7,K-CY-3003,2025-02-04,10,oops\n"
    "O8,K-CY-3003,2025-02-05,40\n",
    "responses.csv": "response_id,customer_id,responded_at,nps,comment\n"
    "R1,K-BOB-2002,2025-02-05,9,Great\n"
    "R2,K-CY-3003,2025-02-06,7,Fine\n"
    "R3,bob.zz47@example.com,2025-02-07,3,Slow\n"
    "R4,K-ANA-1001,2025-02-08,10,Perfect\n",
    "tickets.csv": "ticket_id,customer_id,channel,created_at,text\n"
    "T1,K-BOB-2002,email,2025-02-07 10:00,Where is my order\n"
    "T2,K-ANA-1001,chat,2025-02-07 11:00,Wrong size\n"
    "T3,K-CY-3003,chat,2025-02-08 11:00,Ask my friend bob.zz47@example.com\n",
    # v-bob is Bob's device (one anonymous event, one signed in); v-shared is used by Bob and Cy: only Bob's
    # signed-in event there is his, the anonymous one stays
    "events.csv": "event_time,visitor_id,event_name,customer_id\n"
    "2025-02-01 10:00,v-bob,page_view,\n"
    "2025-02-01 10:01,v-bob,purchase,K-BOB-2002\n"
    "2025-02-01 11:00,v-ana,page_view,K-ANA-1001\n"
    "2025-02-01 12:00,v-shared,page_view,K-BOB-2002\n"
    "2025-02-01 12:05,v-shared,page_view,K-CY-3003\n"
    "2025-02-01 12:06,v-shared,page_view,\n",
}
KINDS = {"customers.csv": "customers", "orders.csv": "orders", "responses.csv": "responses"}
KINDS |= {"tickets.csv": "tickets", "events.csv": "events"}
BOB = "bob.zz47@example.com"

# Bob's rows, by hand: customers K-BOB-2002 (1); orders O1 (e-mail) and O2 (id) (2); responses R1, R3 (2);
# tickets T1 (1); events: v-bob's two, v-shared's signed-in one (3); rejects: the lines of O4 and O6 (2);
# persona members: K-BOB-2002 and his e-mail pseudonym (2)
BOB_ROWS = {"events": 3, "customers": 1, "orders": 2, "tickets": 1, "responses": 2, "rejects": 2, "persona_members": 2}
# what stays: customers 3-1, orders O3 O8 (O1..O8 less 3 rejected lines, 1 bad date: 4 loaded, 2 Bob's), responses
# 4-2, tickets 3-1, events 6-3, rejects 4-2 (O5's cell, O7's line), persona members 5-2
LEFT = {"events": 3, "customers": 2, "orders": 2, "tickets": 2, "responses": 2, "rejects": 2, "persona_members": 3}


def counts(ws) -> dict:
    with ws.cursor() as cur:
        return {t: cur.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def three_customers(folder: Path, pseudonymise: bool = True) -> Workspace:
    folder.mkdir(parents=True, exist_ok=True)
    ws = Workspace(folder / "w.duckdb")
    for name, text in FILES.items():
        path = folder.parent / name
        path.write_text(text, encoding="utf-8")
        import_file(ws, path, kind=KINDS[name], pseudonymise=pseudonymise)
        path.unlink()
    with ws.cursor() as cur:
        cur.execute(
            "insert into persona_members values ('K-ANA-1001', 1), ('K-BOB-2002', 2), ('K-CY-3003', 1), ($p, 2), ($q, 1)",
            {"p": ws.pseudonymise(BOB), "q": ws.pseudonymise("cy.zz47@example.com")},
        )
        payload = f"{BOB} K-BOB-2002".encode()
        cur.execute(
            "insert into analysis_results values ('x.y', 'k', '()', '1', '1', now()::timestamp, 0, $p, 's')",
            {"p": payload},
        )
        cur.execute("checkpoint")
    return ws


def bytes_of_bob(ws) -> list[str]:
    """Bob's e-mail, id, pseudonym and visitor id in any file of the workspace's folder: the DuckDB file and its WAL,
    or on the lake backend its catalog and Parquet files."""
    needles = [BOB.encode(), b"K-BOB-2002", ws.pseudonymise(BOB).encode(), b"v-bob"]
    hits = []
    for path in ws.path.parent.rglob("*"):
        if path.is_file() and path.suffix != ".key":
            data = path.read_bytes()
            hits += [f"{path.name}: {n!r}" for n in needles if n in data]
    return hits


def test_erasing_bob_by_email_erases_his_rows_under_both_keys_and_every_byte(tmp_path):
    ws = three_customers(tmp_path / "ws")
    before = counts(ws)
    assert before == {t: BOB_ROWS[t] + LEFT[t] for t in TABLES}  # the data as planted (O1..O8: 5 loaded, 4 rejects)
    assert bytes_of_bob(ws), "Bob's ids are in the file before the erasure"
    version = ws.data_version()

    look = find_person(ws, "  Bob.ZZ47@Example.com ", "email")  # typed as a person types it
    assert look.rows == BOB_ROWS and not look.erased
    assert counts(ws) == before  # a look changes nothing

    done = forget_person(ws, BOB, "email")
    assert done.erased and done.rows == BOB_ROWS and done.total == 13
    assert counts(ws) == LEFT
    with ws.cursor() as cur:
        assert cur.execute("select count(*) from analysis_results").fetchall()[0][0] == 0  # stored results purged
        assert sorted(r[0] for r in cur.execute("select customer_id from customers").fetchall()) == [
            "K-ANA-1001",
            "K-CY-3003",
        ]
        visitors = sorted(r[0] for r in cur.execute("select visitor_id from events").fetchall())
        assert visitors == ["v-ana", "v-shared", "v-shared"]
        cur.execute("checkpoint")
    assert ws.data_version() != version  # cached analyses are computed again
    history = list_erasures(ws)
    assert history[["asked_with", "total"]].values.tolist() == [["email", 13]]
    assert json.loads(history.at[0, "rows"]) == BOB_ROWS
    assert bytes_of_bob(ws) == []
    ws.close()
    assert bytes_of_bob(ws) == []


def test_erasing_by_customer_id_finds_the_rows_keyed_by_his_email_too(tmp_path):
    ws = three_customers(tmp_path / "ws")
    done = forget_person(ws, "K-BOB-2002", "customer_id")
    assert done.rows == BOB_ROWS
    assert counts(ws) == LEFT
    again = find_person(ws, BOB, "email")
    assert not again.found and again.rows == dict.fromkeys(TABLES, 0)
    ws.close()


def test_a_clear_email_in_another_customers_text_is_masked_when_loaded_without_pseudonymisation(tmp_path):
    ws = three_customers(tmp_path / "ws", pseudonymise=False)
    assert find_person(ws, BOB, "email").mentions == 1  # Cy's ticket T3 names Bob
    done = forget_person(ws, "BOB.zz47@example.com", "email")
    assert done.rows == BOB_ROWS and done.mentions == 1
    with ws.cursor() as cur:
        assert cur.execute("select text from tickets where ticket_id = 'T3'").fetchall() == [
            ("Ask my friend [e-mail]",)
        ]
    ws.close()


def test_nobody_found_changes_nothing_and_records_nothing(tmp_path):
    ws = three_customers(tmp_path / "ws")
    before = counts(ws)
    done = forget_person(ws, "nobody@example.com", "email")
    assert not done.found and not done.erased
    assert counts(ws) == before and list_erasures(ws).empty
    with pytest.raises(CxError, match="no e-mail address or customer id"):
        find_person(ws, "   ", "customer_id")
    with pytest.raises(CxError, match="not an e-mail address"):
        find_person(ws, "K-BOB-2002", "email")
    ws.close()


def cx(*args, db):
    env = {**os.environ, **workspace_env(db)}
    return subprocess.run(
        [sys.executable, "-m", "cx", *args], check=False, cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_cli_forget_dry_run_changes_nothing_then_erases(tmp_path):
    ws = three_customers(tmp_path / "ws")
    before = counts(ws)
    ws.close()
    out = cx("forget", "--email", BOB, "--dry-run", "--json", db=ws.path)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["rows"] == BOB_ROWS and doc["erased"] is False and doc["found"] is True
    assert BOB not in out.stdout and "K-BOB-2002" not in out.stdout
    ws = Workspace(ws.path)
    assert counts(ws) == before and list_erasures(ws).empty
    ws.close()
    out = cx("forget", "--customer-id", "K-BOB-2002", "--lang", "en", db=ws.path)
    assert out.returncode == 0, out.stderr
    assert "13 rows" in out.stdout and "Customers: 1" in out.stdout
    out = cx("forget", "--customer-id", "K-BOB-2002", "--lang", "en", db=ws.path)
    assert out.returncode == 0 and "nobody" in out.stdout.lower()
    out = cx("forget", "--email", "K-BOB-2002", db=ws.path)
    assert out.returncode == 2 and "not an e-mail address" in out.stderr and "Traceback" not in out.stderr
    out = cx("forget", "--customer-id", " ", db=ws.path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    ws = Workspace(ws.path)
    assert counts(ws) == LEFT
    ws.close()


@settings(max_examples=3 if ON_LAKE else 6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 4), st.lists(st.integers(0, 3), min_size=5, max_size=5))
def test_erasing_one_random_person_leaves_every_other_persons_rows(tmp_path_factory, erased, orders):
    """Five customers, each with a random number of orders and one event and answer per order: erasing one
    leaves each other's row counts as they were, and removes all of the erased one's."""
    folder = tmp_path_factory.mktemp("ws")
    people = [f"P-{i}-X" for i in range(5)]
    crm = "customer_id,email,signup_date\n" + "".join(f"{p},{p.lower()}@example.org,2025-01-01\n" for p in people)
    # an order keyed by e-mail for odd positions: the person is found under both keys
    rows = [(p, n, p if n % 2 == 0 else f"{p.lower()}@example.org") for p, k in zip(people, orders) for n in range(k)]
    shop = "order_id,customer_id,order_date,total\n" + "".join(f"{p}-{n},{key},2025-02-01,5\n" for p, n, key in rows)
    web = "event_time,visitor_id,event_name,customer_id\n" + "".join(
        f"2025-02-01 10:00,v-{p}-{n},view,{key}\n" for p, n, key in rows
    )
    ws = Workspace(folder / "w.duckdb")
    for name, text, kind in (("c.csv", crm, "customers"), ("o.csv", shop, "orders"), ("e.csv", web, "events")):
        (folder / name).write_text(text)
        import_file(ws, folder / name, kind=kind)

    def per_person() -> dict:
        with ws.cursor() as cur:
            found = {}
            for table, column in (("customers", "customer_id"), ("orders", "order_id"), ("events", "visitor_id")):
                for (value,) in cur.execute(f"select {column} from {table}").fetchall():
                    owner = next(p for p in people if p in value)
                    found[(owner, table)] = found.get((owner, table), 0) + 1
            return found

    before = per_person()
    done = forget_person(ws, people[erased], "customer_id")
    after = per_person()
    ws.close()
    assert done.rows["customers"] == 1 and done.rows["orders"] == orders[erased] == done.rows["events"]
    assert {k: v for k, v in before.items() if k[0] != people[erased]} == after


def test_the_data_page_finds_asks_and_erases_one_person(tmp_path, monkeypatch):
    ws = three_customers(tmp_path / "ws")
    db = ws.path
    ws.close()
    at = run_view("data", db, monkeypatch)
    assert not at.exception
    at.radio(key="forget_by").set_value("email").run()
    at.text_input(key="forget_value_0").set_value("nobody@example.com").run()
    at.button(key="forget_find").click().run()
    assert not at.exception
    assert any("No row holds this e-mail address" in i.value for i in at.info)
    at.text_input(key="forget_value_0").set_value("").run()
    at.button(key="forget_find").click().run()
    assert any("Type the person's e\\-mail address" in e.value for e in at.error)
    at.text_input(key="forget_value_0").set_value(BOB).run()
    at.button(key="forget_find").click().run()
    assert not at.exception
    assert any("**13 rows** of this person found" in m.value for m in at.markdown)
    found = next(d.value for d in at.dataframe if "Rows to erase" in d.value.columns)
    assert dict(zip(found["Table"], found["Rows to erase"])) == {
        "Web events": "3",
        "Customers": "1",
        "Orders": "2",
        "Support tickets": "1",
        "Survey answers": "2",
        "Rejected rows": "2",
        "Persona members": "2",
    }
    assert BOB not in found.to_string() and "K-BOB-2002" not in found.to_string()
    at.button(key="forget_erase").click().run()
    assert any("Erase this person for good?" in w.value for w in at.warning)
    at.button(key="forget_erase_confirm").click().run()
    assert not at.exception
    assert any("Person erased: 13 rows removed" in s.value for s in at.success)
    assert at.text_input(key="forget_value_1").value == ""  # the identifier is gone from the field
    log = next(d.value for d in at.dataframe if "Rows erased" in d.value.columns)
    assert log[["Searched by", "Rows erased"]].values.tolist() == [["E-mail address", "13"]]
    assert BOB not in log.to_string()
    ws = Workspace(db)
    assert counts(ws) == LEFT
    ws.close()


def test_the_data_page_speaks_french_first(tmp_path, monkeypatch):
    ws = three_customers(tmp_path / "ws")
    ws.close()
    at = run_view("data", ws.path, monkeypatch, lang="fr")
    assert "Effacer une personne (droit à l’effacement)" in [h.value for h in at.subheader]
    at.radio(key="forget_by").set_value("customer_id").run()
    at.text_input(key="forget_value_0").set_value("K-NOBODY").run()
    at.button(key="forget_find").click().run()
    assert any("Aucune ligne ne porte cet identifiant client" in i.value for i in at.info)


def test_an_email_several_customers_share_names_none_of_them_alone(tmp_path):
    """Zoé (K-ZOE) and Max (K-MAX) share the family address: by e-mail it is refused; erasing Zoé by her id leaves
    Max's CRM row and the order keyed by the shared address (whose is it?), and takes Zoé's own order."""
    folder = tmp_path / "ws"
    folder.mkdir()
    ws = Workspace(folder / "w.duckdb")
    files = {
        "customers": "customer_id,email,signup_date\n"
        "K-ZOE,family.zz47@example.com,2025-01-01\nK-MAX,family.zz47@example.com,2025-01-02\n",
        "orders": "order_id,customer_id,order_date,total\n"
        "F1,family.zz47@example.com,2025-02-01,10\nF2,K-ZOE,2025-02-02,20\nF3,K-MAX,2025-02-03,30\n",
    }
    for kind, text in files.items():
        (tmp_path / f"{kind}.csv").write_text(text)
        import_file(ws, tmp_path / f"{kind}.csv", kind=kind)
    with pytest.raises(CxError, match="held by 2 customers") as refused:
        find_person(ws, "Family.zz47@example.com", "email")
    assert "2 clients du CRM" in refused.value.text("fr")
    done = forget_person(ws, "K-ZOE", "customer_id")
    assert (done.rows["customers"], done.rows["orders"]) == (1, 1)  # K-ZOE's row, F2
    with ws.cursor() as cur:
        assert sorted(r[0] for r in cur.execute("select order_id from orders").fetchall()) == ["F1", "F3"]
        assert cur.execute("select customer_id from customers").fetchall() == [("K-MAX",)]
    ws.close()


def load(tmp_path: Path, files: list[tuple[str, str, str]], pseudonymise: bool = True) -> Workspace:
    """A workspace of `files` (name, kind, text), imported in this order."""
    folder = tmp_path / "ws"
    folder.mkdir()
    ws = Workspace(folder / "w.duckdb")
    for name, kind, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_file(ws, tmp_path / name, kind=kind, pseudonymise=pseudonymise)
    return ws


def ids(ws, table: str, column: str) -> list:
    with ws.cursor() as cur:
        return sorted(r[0] for r in cur.execute(f"select {column} from {table}").fetchall())


def test_the_same_customer_id_in_two_crms_is_two_people(tmp_path):
    """WooCommerce's customer "5" is Ana, Shopify's "5" is Bob. By id: refused, with each import's counts and no
    e-mail. By Ana's e-mail: her CRM row and A1 go; Bob's row, B1 and W1 (keyed "5": whose?) stay. Before, the e-mail
    led to "5", "5" to Bob's e-mail: both erased (customers 2, orders 3)."""
    ws = load(
        tmp_path,
        [
            ("woo.csv", "customers", "customer_id,email\n5,ana.zz47@example.com\n"),
            ("shopify.csv", "customers", "customer_id,email\n5,bob.zz47@example.com\n"),
            (
                "orders.csv",
                "orders",
                "order_id,customer_id,order_date,total\n"
                "W1,5,2025-02-01,10\nA1,ana.zz47@example.com,2025-02-02,20\nB1,bob.zz47@example.com,2025-02-03,30\n",
            ),
        ],
    )
    with pytest.raises(CxError, match="names 2 people") as refused:
        find_person(ws, "5", "customer_id")
    said = refused.value.text("fr")
    assert (
        "'woo.csv' (1/1)" in said
        and "fichier, lignes/e-mails" in said
        and "'shopify.csv'" in said
        and "zz47" not in said
    )
    done = forget_person(ws, "ana.zz47@example.com", "email")
    assert (done.rows["customers"], done.rows["orders"]) == (1, 1)
    assert ids(ws, "orders", "order_id") == ["B1", "W1"]
    assert len(ids(ws, "customers", "customer_id")) == 1
    ws.close()


def test_a_crm_loaded_in_clear_finds_the_orders_pseudonymised_under_its_email(tmp_path):
    """The CRM loaded in clear, the orders pseudonymised: O1 is keyed by the pseudonym of Ana's e-mail. Erasing K-1
    takes O1 and O2 (2 orders, before: O2 alone) and leaves Bob's O3."""
    ws = load(
        tmp_path,
        [("c.csv", "customers", "customer_id,email\nK-1,ana.zz47@example.com\nK-2,bob.zz47@example.com\n")],
        False,
    )
    (tmp_path / "o.csv").write_text(
        "order_id,customer_id,order_date,total\n"
        "O1,ana.zz47@example.com,2025-02-01,10\nO2,K-1,2025-02-01,10\nO3,bob.zz47@example.com,2025-02-01,10\n"
    )
    import_file(ws, tmp_path / "o.csv", kind="orders", pseudonymise=True)
    done = forget_person(ws, "K-1", "customer_id")
    assert (done.rows["customers"], done.rows["orders"]) == (1, 2)
    assert ids(ws, "orders", "order_id") == ["O3"]
    ws.close()


def bytes_left(ws, *needles: str) -> list[str]:
    """Which of `needles` some file of the workspace's folder still holds (the key file aside)."""
    files = [p.read_bytes() for p in ws.path.parent.rglob("*") if p.is_file() and p.suffix != ".key"]
    return [n for n in needles if any(n.encode() in data for data in files)]


@pytest.mark.parametrize("pseudonymise", [True, False])
def test_another_persons_row_that_mentions_him_stays_with_the_mention_masked(tmp_path, pseudonymise):
    """Ana's CRM row (referred_by), her order (gift_recipient) and her event (shared_to) hold Bob's e-mail (or its
    pseudonym): they are hers and stay, masked, counted as 3 mentions. Bob's rows: customers 1, orders 1, events 1
    (before: Ana's went too, 2 of each)."""
    ws = load(
        tmp_path,
        [
            ("c.csv", "customers", f"customer_id,email,referred_by\nK-1,ana.zz47@example.com,{BOB}\nK-2,{BOB},\n"),
            (
                "o.csv",
                "orders",
                f"order_id,customer_id,order_date,total,gift_recipient\nO1,K-1,2025-02-01,10,{BOB}\n"
                "O2,K-2,2025-02-01,20,\n",
            ),
            (
                "e.csv",
                "events",
                "event_time,visitor_id,event_name,customer_id,shared_to\n"
                f"2025-02-01 10:00,v-ana,share,K-1,{BOB}\n2025-02-01 10:00,v-bob,view,K-2,\n",
            ),
        ],
        pseudonymise,
    )
    look = find_person(ws, BOB, "email")
    assert (look.rows["customers"], look.rows["orders"], look.rows["events"], look.mentions) == (1, 1, 1, 3)
    done = forget_person(ws, BOB, "email")
    assert (done.rows["customers"], done.rows["orders"], done.rows["events"], done.mentions) == (1, 1, 1, 3)
    with ws.cursor() as cur:
        assert cur.execute("select customer_id, extra->>'referred_by' from customers").fetchall() == [
            ("K-1", "[e-mail]")
        ]
        assert cur.execute("select order_id, extra->>'gift_recipient' from orders").fetchall() == [("O1", "[e-mail]")]
        assert cur.execute("select visitor_id, properties->>'shared_to' from events").fetchall() == [
            ("v-ana", "[e-mail]")
        ]
    ws.close()
    assert bytes_left(ws, BOB, ws.pseudonymise(BOB)) == []


def test_a_rejected_line_keyed_by_an_id_with_slashes_or_accents_goes(tmp_path):
    """Two order lines with a cell too many are rejected whole: one keyed by Shopify's "gid://shopify/Customer/77",
    one by "MÜLLER-1" (cx_words cut both into pieces). Each erasure takes its line (rejects 1) and leaves K-9's O3;
    no byte of either id is left."""
    ws = load(
        tmp_path,
        [
            ("c.csv", "customers", "customer_id,email\ngid://shopify/Customer/77,zed@ex.com\nMÜLLER-1,mu@ex.com\n"),
            (
                "o.csv",
                "orders",
                "order_id;customer_id;order_date;total\nO1; gid://shopify/Customer/77 ;2025-02-01;10;x\n"
                'O2;"MÜLLER-1";2025-02-01;10;x\nO3;K-9;2025-02-01;5\n',
            ),
        ],
    )
    for who in ("gid://shopify/Customer/77", "MÜLLER-1"):
        assert forget_person(ws, who, "customer_id").rows["rejects"] == 1
    assert ids(ws, "orders", "order_id") == ["O3"]
    ws.close()
    assert bytes_left(ws, "gid://shopify/Customer/77", "MÜLLER-1") == []


def test_a_rejected_line_longer_than_500_characters_keeps_no_piece_of_an_email(tmp_path):
    """O2's line (a 466-character note, a cell too many) is rejected; "O2,K-9,2025-02-01,10," + the note is 487
    characters, so the 500th falls inside zed's e-mail: stored cut at the comma before it, no "zed.secret" piece is
    left for the erasure to miss (before: 'zed.secret@e' stayed in the file)."""
    note = "x" * 466
    ws = load(
        tmp_path,
        [
            (
                "o.csv",
                "orders",
                "order_id,customer_id,order_date,total,note,billing_email\n"
                f"O1,K-1,2025-02-01,10,short,zed.secret@example.com\nO2,K-9,2025-02-01,10,{note},zed.secret@example.com,oops\n",
            ),
            ("c.csv", "customers", "customer_id,email\nK-1,zed.secret@example.com\n"),
        ],
        pseudonymise=False,
    )
    with ws.cursor() as cur:
        assert cur.execute("select value from rejects").fetchall() == [(f"O2,K-9,2025-02-01,10,{note}",)]
    forget_person(ws, "zed.secret@example.com", "email")
    ws.close()
    assert bytes_left(ws, "zed.secret") == []


@given(st.lists(st.text(st.sampled_from("ab@.x"), max_size=40), min_size=1, max_size=30), st.integers(5, 60))
def test_a_cut_rejected_line_is_whole_fields_of_the_line(fields, limit):
    """Within the limit, and either whole leading fields or (a single long first field) a piece without "@"."""
    line = ";".join(fields)
    cut = cut_line(line, ";", limit)
    assert len(cut) <= limit and line.startswith(cut)
    assert cut == line or cut.split(";") == fields[: len(cut.split(";"))] or ("@" not in cut and ";" not in cut)


def test_a_spreadsheet_row_of_too_many_cells_keyed_by_an_id_with_slashes_goes(tmp_path):
    """A spreadsheet's row with a cell too many is stored as its cells joined by "; ": erasing
    "gid://shopify/Customer/77" takes it (rejects 1), K-9's row with a cell too many stays."""
    from openpyxl import Workbook

    ws = load(tmp_path, [("c.csv", "customers", "customer_id,email\ngid://shopify/Customer/77,zed@ex.com\n")])
    book = Workbook()
    for row in (
        ["order_id", "customer_id", "order_date", "total"],
        ["O1", "gid://shopify/Customer/77", "2025-02-01", 10, "x"],
        ["O2", "K-9", "2025-02-01", 5, "x"],
        ["O3", "K-9", "2025-02-01", 5],
    ):
        book.active.append(row)
    book.save(tmp_path / "o.xlsx")
    import_file(ws, tmp_path / "o.xlsx", kind="orders")
    assert forget_person(ws, "gid://shopify/Customer/77", "customer_id").rows["rejects"] == 1
    with ws.cursor() as cur:
        assert [r[0][:4] for r in cur.execute("select value from rejects").fetchall()] == ["O2; "]
    ws.close()


def test_an_answer_loaded_by_two_imports_goes_with_its_person(tmp_path):
    """The same answer of K-7 in a second file is loaded again (the pages read the newest): erasing K-7 takes it
    from both imports."""
    text = "response_id,customer_id,responded_at,nps\nR1,K-7,2025-02-01,9\nR2,K-8,2025-02-02,3\n"
    ws = load(tmp_path, [("a.csv", "responses", text), ("b.csv", "responses", text + "R3,K-9,2025-02-03,7\n")])
    assert forget_person(ws, "K-7", "customer_id").rows["responses"] == 2
    ws.close()
    assert bytes_left(ws, "K-7") == []
