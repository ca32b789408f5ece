"""`python -m cx import FILE --mapping M.json` with a partial mapping (a tester mapped one column of their HubSpot
deals): the user's entries win, every other column takes the automatic guess, as on the Data page when a user changes
one dropdown; the printout and the JSON say which columns were guessed."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from cx.errors import MappingError
from cx.ingest import detect_file, import_file, suggest_mapping
from cx.workspace import Workspace
from tests.conftest import write
from tests.test_cli import cx

DEALS = Path(__file__).parent / "data" / "tester6" / "hubspot_transactions.xlsx"
RECORD = "ID de fiche d'informations"


def test_a_one_column_mapping_is_completed_by_the_guesses(tmp_path):
    db = tmp_path / "w.duckdb"
    m = write(tmp_path, "m.json", json.dumps({RECORD: "order_id"}))
    doc = json.loads(cx("import", str(DEALS), "--mapping", str(m), "--json", db=db).stdout)
    [imp] = doc["imports"]
    # the workbook's 5 deals load: before, the required order time (and the amount, status, customer) were missing
    assert (imp["kind"], imp["rows_loaded"], imp["rows_rejected"]) == ("orders", 5, 0)
    assert imp["mapping"] == {
        RECORD: "order_id",  # the user's
        "Phase de la transaction": "status",  # the guesses, as the Data page proposes them
        "Montant": "amount",
        "Date de fermeture": "order_time",
        "ID de contacts associés": "customer_id",
    }
    assert imp["guessed"] == ["Phase de la transaction", "Montant", "Date de fermeture", "ID de contacts associés"]
    # the guesses are the Data page's: its proposal for this file, the user's one change made
    ws = Workspace(tmp_path / "page.duckdb")
    proposed = suggest_mapping(detect_file(ws, DEALS), "orders")
    ws.close()
    assert imp["mapping"] == {**proposed, RECORD: "order_id"}


def test_the_users_entry_wins_over_a_guess_for_the_same_column(tmp_path):
    """The user maps the creation date as the order time: the closing date, guessed for it, is kept as extra data."""
    db = tmp_path / "w.duckdb"
    m = write(tmp_path, "m.json", json.dumps({"Date de création": "order_time", "Pipeline": None}))
    out = cx("import", str(DEALS), "--mapping", str(m), "--lang", "en", db=db).stdout
    assert "    Date de création → order_time\n" in out
    assert "    Montant → amount (guessed: not in your --mapping file)\n" in out
    assert "    Date de fermeture (kept as extra data)\n" in out
    assert "    Pipeline (ignored)\n" in out
    doc = json.loads(cx("import", str(DEALS), "--mapping", str(m), "--replace", "--json", db=db).stdout)
    [imp] = doc["imports"]
    assert imp["columns"]["Date de fermeture"] == {"fate": "kept", "column": None}
    assert "Date de fermeture" not in imp["guessed"] and "Date de création" not in imp["guessed"]


def test_a_whole_mapping_guesses_nothing_and_without_one_nothing_is_said_guessed(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write(tmp_path, "x.csv", "a;b;c\n2025-01-01 10:00;v1;vue\n")
    m = write(tmp_path, "m.json", json.dumps({"a": "event_time", "b": "visitor_id", "c": "event_name"}))
    [imp] = json.loads(cx("import", str(f), "--kind", "events", "--mapping", str(m), "--json", db=db).stdout)["imports"]
    assert imp["guessed"] == [] and imp["rows_loaded"] == 1
    g = write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-01,10\n")
    [imp] = json.loads(cx("import", str(g), "--json", db=db).stdout)["imports"]
    assert imp["guessed"] == [] and imp["mapping"]["order_date"] == "order_time"


ORDERS = "Order,Client,Placed at,Total,Status,Note\nA1,C1,2025-01-01,10,paid,x\nA2,C2,2025-01-02,20,paid,y\n"
GUESS = {"Order": "order_id", "Client": "customer_id", "Placed at": "order_time", "Total": "amount", "Status": "status"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_=st.dictionaries(st.sampled_from(list(GUESS)), st.sampled_from([*GUESS.values(), None]), max_size=3))
def test_a_partial_mapping_keeps_every_entry_and_takes_the_guess_elsewhere(tmp_path_factory, given_):
    """Whatever part of the mapping the user writes (a header to the guess's column, to another one, or left out):
    their entries are kept as written; every header they do not name takes its guess unless they gave its column to
    another header (then it is kept as extra data); the guessed headers are exactly those."""
    folder = tmp_path_factory.mktemp("partial")
    ws = Workspace(folder / "w.duckdb")
    taken = {t for t in given_.values() if t}
    expected = {h: t for h, t in GUESS.items() if h not in given_ and t not in taken}
    try:
        report = import_file(ws, write(folder, "o.csv", ORDERS), kind="orders", mapping=given_, guess_others=True)
    except MappingError as e:  # only a column fed twice by the user, or a required one they left out
        targets = [t for t in given_.values() if t]
        assert len(targets) != len(set(targets)) or not {"order_time", "amount"} <= taken | set(expected.values()), e
        return
    finally:
        ws.close()
    chosen = {**expected, **given_}
    assert report.mapping == {h: t for h, t in chosen.items() if t}  # the report's: the columns loaded
    assert [h for h, f in report.columns.items() if f["fate"] == "ignored"] == [
        h for h in GUESS if h in chosen and not chosen[h]
    ]
    assert set(report.guessed) == set(expected)
    assert report.columns["Note"]["fate"] == "kept"
