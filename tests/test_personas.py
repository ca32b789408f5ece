"""Personas: RFM oracle on a hand-worked order list, segmentation determinism and stability, workspaces with only
one kind of data, renaming, members, the planted loyal group of the sample data, the RFM rules as data and the
clustering on hand-made blobs."""

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from cx.charts_personas import card_lines, compare_frame, frequency_text, funnel_purchase_note
from cx.format import number
from cx.i18n import t
from cx.ingest import import_file
from cx.personas import (
    MEMBER_COLUMNS,
    Condition,
    Rule,
    Trait,
    choose_k,
    customer_features,
    find_personas,
    member_table,
    persona_customer_ids,
    persona_funnel,
    persona_label,
    personas_key,
    plain_summary,
    rename_persona,
    rfm_scores,
    segments,
    silhouette,
    stored_membership,
)
from cx.personas.cards import Persona
from cx.personas.clustering import refine, sample_distances
from cx.personas.rfm import rule
from cx.workspace import Workspace
from tests.test_satisfaction import insert

T = dt.datetime


def _oracle_orders(ws):
    rows = [
        # A: two orders the same day (two orders), and one order imported twice under the same id (one order)
        {"customer_id": "A", "order_id": "#1", "order_time": T(2025, 1, 10, 9), "amount": 100.0, "status": "completed"},
        {"customer_id": "A", "order_id": "#2", "order_time": T(2025, 3, 1, 10), "amount": 50.0, "status": "completed"},
        {"customer_id": "A", "order_id": "#3", "order_time": T(2025, 3, 1, 18), "amount": 30.0, "status": "completed"},
        # B: one kept order, a refunded order (given back: not counted), a refund line (-20, taken off the amount)
        # and a cancelled order (not a purchase)
        {"customer_id": "B", "order_id": "#4", "order_time": T(2025, 2, 1, 12), "amount": 200.0, "status": "completed"},
        {"customer_id": "B", "order_id": "#5", "order_time": T(2025, 2, 15, 12), "amount": 80.0, "status": "Refunded"},
        {
            "customer_id": "B",
            "order_id": "#6",
            "order_time": T(2025, 2, 20, 12),
            "amount": -20.0,
            "status": "completed",
        },
        {"customer_id": "B", "order_id": "#7", "order_time": T(2025, 3, 5, 12), "amount": 999.0, "status": "annulée"},
        # C: a single order
        {"customer_id": "C", "order_id": "#8", "order_time": T(2025, 3, 10, 12), "amount": 40.0, "status": "completed"},
        # D: only a returned order — the latest record of the workspace: the reference instant
        {"customer_id": "D", "order_id": "#9", "order_time": T(2025, 3, 11, 9), "amount": 70.0, "status": "returned"},
    ]
    insert(ws, "orders", rows)
    with ws.cursor() as cur:  # order #1 again from a second import: the latest import wins, counted once
        cur.execute(
            "insert into orders (import_id, customer_id, order_id, order_time, amount, status) "
            "values (1, 'A', '#1', '2025-01-10 09:00', 100, 'completed')"
        ).fetchall()


def test_rfm_features_on_a_hand_worked_order_list(ws):
    _oracle_orders(ws)
    f = customer_features(ws).set_index("customer_id")
    # A: #1 (once) + #2 + #3 = 3 orders, 100 + 50 + 30 = 180 €; last order 1 March → 11 March − 1 March = 10 days
    assert f.loc["A", "n_orders"] == 3 and f.loc["A", "monetary"] == 180
    assert f.loc["A", "first_order"] == T(2025, 1, 10, 9) and f.loc["A", "last_order"] == T(2025, 3, 1, 18)
    assert f.loc["A", "recency_days"] == 10 and f.loc["A", "aov"] == 60
    # B: #4 only (refunded #5 and cancelled #7 left out); 200 − 20 (refund line) = 180 €; 11 March − 1 Feb = 38 days
    assert f.loc["B", "n_orders"] == 1 and f.loc["B", "monetary"] == 180
    assert f.loc["B", "recency_days"] == 38 and f.loc["B", "returned"] == 1 and f.loc["B", "cancelled"] == 1
    # C: one order of 40 €, 1 day before the reference
    assert (f.loc["C", "n_orders"], f.loc["C", "monetary"], f.loc["C", "recency_days"]) == (1, 40, 1)
    assert f.loc["C", "first_order"] == f.loc["C", "last_order"]
    # D: bought nothing it kept
    assert f.loc["D", "n_orders"] == 0 and f.loc["D", "monetary"] == 0 and pd.isna(f.loc["D", "recency_days"])
    assert f.loc["D", "returned"] == 1


def test_a_partial_refund_is_taken_off_the_spending_and_a_full_one_is_a_return(ws):
    # a WooCommerce export's "refunded_total": E kept #20 (150 €, 30 € given back) and #21 (80 €); #22 was refunded
    # in full under a "completed" status, so it was given back as a refunded order is
    insert(
        ws,
        "orders",
        [
            {"customer_id": "E", "order_id": "#20", "order_time": T(2025, 3, 1), "amount": 150.0, "refunded": 30.0},
            {"customer_id": "E", "order_id": "#21", "order_time": T(2025, 3, 2), "amount": 80.0, "refunded": 0.0},
            {"customer_id": "E", "order_id": "#22", "order_time": T(2025, 3, 3), "amount": 60.0, "refunded": 60.0},
        ],
    )
    f = customer_features(ws).set_index("customer_id")
    # 2 kept orders; (150 − 30) + 80 = 200 €, an average of 100 € an order; #22 counted in `returned`
    assert (f.loc["E", "n_orders"], f.loc["E", "monetary"], f.loc["E", "aov"]) == (2, 200, 100)
    assert f.loc["E", "returned"] == 1


def test_rfm_scores_and_segments(ws):
    _oracle_orders(ws)
    f = customer_features(ws)
    s = pd.concat([f, rfm_scores(f)], axis=1).set_index("customer_id")
    # R on −recency among buyers A (−10), B (−38), C (−1): percentile ranks 2/3, 1/3, 1 → ceil(5 × ·) = 4, 2, 5
    assert list(s.loc[["A", "B", "C"], "r"]) == [4, 2, 5]
    # F = orders capped at 5: 3, 1, 1; M on 180, 180, 40: A and B tie at rank 2.5 → 2.5/3 → 5; C 1/3 → 2
    assert list(s.loc[["A", "B", "C"], "f"]) == [3, 1, 1]
    assert list(s.loc[["A", "B", "C"], "m"]) == [5, 5, 2]
    # A: R4 F3 → not champions (F < 4), loyal (R ≥ 3, F ≥ 3); B: R2 F1 → hibernating; C: R5 F1 → new; D: no order
    assert s.loc[["A", "B", "C", "D"], "rfm_segment"].tolist() == ["loyal", "hibernating", "new", "no_purchase"]
    assert pd.isna(s.loc["D", "r"])


@pytest.mark.parametrize(
    "r, f, segment",
    [
        (5, 5, "champions"),
        (4, 4, "champions"),
        (3, 5, "loyal"),
        (5, 3, "loyal"),
        (4, 1, "new"),
        (5, 2, "promising"),
        (3, 1, "promising"),
        (1, 5, "cant_lose"),
        (2, 4, "cant_lose"),
        (2, 3, "at_risk"),
        (2, 2, "hibernating"),
        (1, 1, "hibernating"),
    ],
)
def test_every_rfm_cell_has_one_named_segment(r, f, segment):
    assert segments(pd.DataFrame({"R": [r], "F": [f]})) == [segment]


# --------------------------------------------------------------------------------------- a synthetic shop


def populate(ws, n=90, seed=1, events=True, orders=True, answers=True, customers=True, prefix="C"):
    """Three kinds of customers: loyal big spenders (many orders, promoters, on the web), regular buyers
    (1–2 orders, passives) and prospects (CRM only, no order)."""
    rng = random.Random(seed)
    crm, order_rows, event_rows, answer_rows = [], [], [], []
    for i in range(n):
        cid, kind = f"{prefix}{i:03d}", ("loyal", "regular", "prospect")[i % 3]
        crm.append(
            {
                "customer_id": cid,
                "segment": "VIP" if kind == "loyal" else "Particulier",
                "birth_year": 1960 + i % 40,
                "gender": "Mme" if i % 2 else "M.",
                "country": "France",
            }
        )
        count = {"loyal": rng.randint(6, 10), "regular": rng.randint(1, 2), "prospect": 0}[kind]
        for j in range(count):
            order_rows.append(
                {
                    "customer_id": cid,
                    "order_id": f"{cid}-{j}",
                    "amount": rng.uniform(250, 350) if kind == "loyal" else rng.uniform(60, 120),
                    "status": "completed",
                    "order_time": T(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 150), hours=j),
                    "channel": "web" if kind == "loyal" else "store",
                }
            )
        if kind != "prospect":
            visits = rng.randint(3, 6) if kind == "loyal" else 1
            for v in range(visits):
                t0 = T(2025, 5, 1) + dt.timedelta(days=v * 3 + i % 5, hours=i % 7)
                device = "mobile" if kind == "loyal" else "desktop"
                steps = ["view_item", "add_to_cart", "purchase"] if kind == "loyal" else ["view_item"]
                for s, name in enumerate(steps):
                    event_rows.append(
                        {
                            "event_time": t0 + dt.timedelta(minutes=s),
                            "visitor_id": f"v{cid}",
                            "event_name": name,
                            "session_id": f"s{v}",
                            "customer_id": cid,
                            "device": device,
                            "channel": "google / organic",
                        }
                    )
            answer_rows.append(
                {
                    "responded_at": T(2025, 5, 20) + dt.timedelta(hours=i),
                    "customer_id": cid,
                    "nps": 10 if kind == "loyal" else rng.choice([3, 7, 8]),
                    "csat": 5 if kind == "loyal" else 3,
                    "csat_scale": 5,
                    "comment": "Livraison rapide, très contente !"
                    if kind == "loyal"
                    else "Livraison en retard, colis abîmé.",
                }
            )
    if customers:
        insert(ws, "customers", crm)
    if orders:
        insert(ws, "orders", order_rows)
    if events:
        insert(ws, "events", event_rows)
    if answers:
        insert(ws, "responses", answer_rows)


def _membership(ws) -> dict:
    m = stored_membership(ws)
    return dict(zip(m["customer_id"], m["persona_id"]))


def test_the_same_data_gives_the_same_personas(tmp_path):
    results = []
    for name in ("a", "b"):
        w = Workspace(tmp_path / f"{name}.duckdb")
        populate(w)
        ps = find_personas(w)
        results.append(([(p.persona_id, p.size, p.title("en")) for p in ps.personas], _membership(w)))
        w.close()
    assert results[0] == results[1]
    assert 3 <= len(results[0][0]) <= 7


def test_recomputing_keeps_every_customer_in_their_persona(ws):
    populate(ws)
    first = find_personas(ws)
    before = _membership(ws)
    again = find_personas(ws)
    assert _membership(ws) == before and again.started_from == "stored" and first.started_from == "fresh"
    fresh = find_personas(ws, fresh=True)  # k chosen again: same data, same groups, same ids
    assert _membership(ws) == before and fresh.k == first.k


def test_an_unrelated_new_customer_leaves_the_others_in_their_persona(ws):
    populate(ws)
    find_personas(ws)
    before = _membership(ws)
    insert(ws, "orders", [{"customer_id": "NEW", "order_time": T(2025, 3, 3), "amount": 90.0, "status": "completed"}])
    find_personas(ws)
    after = _membership(ws)
    assert "NEW" in after
    assert {c: after[c] for c in before} == before


def test_the_loyal_group_comes_out_and_its_label_says_so(ws):
    populate(ws)
    ps = find_personas(ws)
    loyal = {f"C{i:03d}" for i in range(0, 90, 3)}
    best = max(ps.personas, key=lambda p: len(loyal & set(persona_customer_ids(ws, p.persona_id))))
    assert set(persona_customer_ids(ws, best.persona_id)) == loyal
    assert best.kpis["nps"] == 100 and best.demographics["segment"] == (("VIP", 1.0),)
    assert best.traits[0].z > 0 and best.label("en").startswith(("Loyal customer", "Big spender", "Advocate"))
    assert best.devices == (("mobile", 1.0),) and best.order_channels == (("web", 1.0),)
    assert best.quote == "Livraison rapide, très contente !"
    others = [p for p in ps.personas if p is not best and p.frustrations]
    assert others and all(th == "delivery" for p in others for th, _ in p.frustrations[:1])


@pytest.mark.parametrize("only, families", [("orders", {"orders"}), ("events", {"web"}), ("answers", {"survey"})])
def test_one_kind_of_data_gives_fewer_traits_never_a_crash(ws, only, families):
    populate(ws, customers=False, **{k: k == only for k in ("orders", "events", "answers")})
    ps = find_personas(ws)
    assert set(ps.families) == families
    assert ps.personas and sum(p.size for p in ps.personas) == ps.customers
    assert all(p.label("fr") and p.title("en") for p in ps.personas)


def test_an_empty_or_tiny_workspace_has_no_personas_and_says_why(ws):
    assert find_personas(ws).reason == "no_features" and find_personas(ws).personas == ()
    insert(ws, "customers", [{"customer_id": f"C{i}"} for i in range(12)])  # known, but nothing to tell apart
    assert find_personas(ws).reason == "no_features"
    insert(ws, "orders", [{"customer_id": f"C{i}", "order_time": T(2025, 1, 1 + i), "amount": 10.0} for i in range(5)])
    assert find_personas(ws).reason is None  # 12 customers, 5 of them buyers: enough
    w_few = ws
    with w_few.cursor() as cur:
        cur.execute("delete from customers").fetchall()
    assert find_personas(w_few).reason == "too_few"  # 5 buyers only
    assert member_table(ws, find_personas(ws)).empty


def test_a_name_is_kept_when_the_personas_are_recomputed(ws):
    populate(ws)
    p = find_personas(ws).personas[0]
    rename_persona(ws, p.persona_id, "  Les   habitués ")
    insert(ws, "orders", [{"customer_id": "NEW", "order_time": T(2025, 3, 3), "amount": 90.0}])
    again = {q.persona_id: q for q in find_personas(ws, fresh=True).personas}
    assert again[p.persona_id].title("fr") == "Les habitués" and again[p.persona_id].renamed
    rename_persona(ws, p.persona_id, "")
    assert not {q.persona_id: q for q in find_personas(ws).personas}[p.persona_id].renamed


def test_the_stored_personas_hold_the_cards_and_the_member_table_is_made_from_the_workspace(ws, monkeypatch):
    """The stored result (cx/results.py) is the cards and a count, not the member table (62 MB at 200k customers):
    the download's table is made from the feature table, the stored membership and the RFM scores."""
    from cx import results
    from cx.models import Filters
    from cx.personas import cards

    insert(ws, "customers", [{"customer_id": f"C{i:02d}"} for i in range(12)])
    insert(
        ws,
        "orders",
        [  # C00: 10 € on 1 January and 30 € on 11 January 2025; the latest record is C11's order of 1 March
            {"customer_id": "C00", "order_id": "A", "order_time": T(2025, 1, 1), "amount": 10.0},
            {"customer_id": "C00", "order_id": "B", "order_time": T(2025, 1, 11), "amount": 30.0},
            *(
                {
                    "customer_id": f"C{i:02d}",
                    "order_id": f"O{i}-{j}",
                    "order_time": T(2025, 2, i, j),
                    "amount": 15.0 * i,
                }
                for i in range(1, 11)
                for j in range(1 + i % 3)
            ),
            {"customer_id": "C11", "order_id": "Z", "order_time": T(2025, 3, 1, 12), "amount": 500.0},
        ],
    )
    find_personas(ws)  # the membership stored: the key below is the one the page and the command line pass
    computed = results.stored_call(ws, find_personas, Filters(), key=personas_key(ws))
    monkeypatch.setattr(cards, "assign_personas", lambda *a, **k: pytest.fail("computed again, not read"))
    stored = results.stored_call(ws, find_personas, Filters(), key=personas_key(ws))
    assert stored == computed and stored.member_count == 12
    assert not any(isinstance(value, pd.DataFrame) for value in vars(stored).values())
    table = member_table(ws, stored, "en").set_index("customer_id")
    assert len(table) == 12 and list(table.columns) == [c for c in MEMBER_COLUMNS if c != "customer_id"]
    # C00: 2 orders, 40 € spent, 20 € per order, last order 11 January → 1 March = 20 + 28 + 1 = 49 days
    c00 = table.loc["C00"]
    assert (c00["n_orders"], c00["monetary"], c00["aov"], c00["recency_days"]) == (2, 40.0, 20.0, 49)
    persona = next(p for p in stored.personas if "C00" in persona_customer_ids(ws, p.persona_id))
    assert c00["persona_id"] == persona.persona_id and c00["persona"] == persona.title("en")
    monkeypatch.undo()
    # every customer, whatever the segment filter (no card shown here)
    assert member_table(ws, find_personas(ws, Filters(segment="none such")), "en").shape == (12, 16)


def test_the_members_file_has_one_row_per_customer(ws):
    populate(ws)
    members = member_table(ws, find_personas(ws), "en")
    assert list(members.columns[:7]) == [
        "customer_id",
        "n_orders",
        "first_order",
        "last_order",
        "recency_days",
        "monetary",
        "persona",
    ]
    assert members["customer_id"].is_unique and len(members) == 90 and members["persona"].notna().all()


def test_the_funnel_of_each_persona(ws):
    populate(ws)
    ps = find_personas(ws)
    f = persona_funnel(ws, None, ("view_item", "add_to_cart", "purchase"))
    loyal = next(p for p in ps.personas if "C000" in persona_customer_ids(ws, p.persona_id))
    mine = f[f["persona_id"] == loyal.persona_id]
    # the 30 loyal customers' visitors all go view_item → add_to_cart → purchase; the regular ones only view
    assert list(mine["users"]) == [30, 30, 30] and list(mine["conversion"]) == [1, 1, 1]
    rest = f[f["persona_id"] != loyal.persona_id].groupby("step")["users"].sum()
    assert list(rest) == [30, 0, 0]


def test_a_label_from_traits():
    traits = (
        Trait("frequency", 2.8, 6.9, 1.5),
        Trait("mobile", 0.9, 0.9, 0.6),
        Trait("monetary", 1.4, 1800, 300),
        Trait("aov", 1.2, 270, 150),
        Trait("nps", 0.1, 8, 7.4),
    )
    # traits in the given order (most distinctive first); monetary and aov say the same thing: one is kept
    assert persona_label(traits, "fr") == "Fidèle mobile à forte valeur"  # the issue's own example
    assert persona_label(traits, "en") == "Loyal customer, mobile, high-value"
    assert persona_label((Trait("frequency", -0.8, 0.0, 1.5), Trait("monetary", -1.5, 0, 280)), "fr") == "Prospect"
    assert persona_label((Trait("nps", 0.1, 7.5, 7.4),), "en") == "Customer"


def test_a_label_never_says_two_contradictory_things():
    # the tester's "Chloé, Dormant customer, desktop, loyal" ("Client endormi, ordinateur, fidèle"): long without an
    # order (recency +1.6 σ) yet ordering often (frequency +0.9 σ). The more distinctive trait names the persona, the
    # other is left out and the next trait takes its place
    traits = (
        Trait("recency", 1.6, 22, 9),
        Trait("mobile", -1.2, 0.0, 0.5),
        Trait("frequency", 0.9, 2.0, 0.6),
        Trait("sessions", -0.5, 0.0, 0.3),
    )
    assert persona_label(traits, "en") == "Dormant customer, desktop, rarely online"
    assert "fidèle" not in persona_label(traits, "fr").lower()
    # the other way round: a loyal persona is not "long inactive"
    loyal = (Trait("frequency", 2.0, 5, 1), Trait("recency", 0.8, 60, 20), Trait("mobile", 0.6, 0.9, 0.5))
    assert persona_label(loyal, "en") == "Loyal customer, mobile"
    # an advocate is not "dissatisfied"
    advocate = (Trait("nps", 1.5, 9.5, 7), Trait("csat", -0.7, 0.4, 0.7))
    assert persona_label(advocate, "en") == "Advocate"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from cx.demo import load_demo

    w = Workspace(tmp_path_factory.mktemp("sample") / "w.duckdb")
    load_demo(w)
    yield w
    w.close()


def test_the_planted_loyal_group_of_the_sample_data_is_a_persona(sample):
    # GROUND_TRUTH P5: exactly the 240 customers with ≥ 5 orders (any status); AOV ≈ 1.9× the others; NPS +60.8
    with sample.cursor() as cur:
        loyal = {r[0] for r in cur.execute("select customer_id from orders group by 1 having count(*) >= 5").fetchall()}
    assert len(loyal) == 240
    ps = find_personas(sample)
    best = max(ps.personas, key=lambda p: len(loyal & set(persona_customer_ids(sample, p.persona_id))))
    members = set(persona_customer_ids(sample, best.persona_id))
    assert len(members & loyal) / len(members) >= 0.9  # measured: 221 of 224
    assert len(members & loyal) / len(loyal) >= 0.85  # measured: 221 of 240
    rest = customer_features(sample).query("customer_id not in @members")
    rest_aov = (
        rest["monetary"].sum() / rest["n_orders"].sum()
    )  # measured: 270.4 € vs 143.8 € = 1.88× (ground truth 1.91×)
    assert best.kpis["aov"] / rest_aov >= 1.6 and best.kpis["nps"] >= 50
    assert best.traits[0].feature == "frequency" and best.label("fr").startswith("Fidèle")
    assert 3 <= ps.k <= 7 and ps.silhouettes[ps.k] == max(ps.silhouettes.values())


# --------------------------------------------------------------------------------------- rules as data


def test_a_rule_is_data_read_and_evaluated_without_eval():
    rule = Rule("keen", (Condition("R", ">=", 4), Condition("F", "<", 3)))
    assert str(rule) == "R >= 4 and F < 3"
    values = pd.DataFrame({"R": [5, 4, 4, 3, None], "F": [1, 2, 3, 1, 1]}, dtype="Int64")
    # row by row: 5≥4 and 1<3 → yes; 4≥4 and 2<3 → yes; F 3 is not < 3; R 3 < 4; R missing → never holds
    assert rule.holds(values).tolist() == [True, True, False, False, False]
    with pytest.raises(ValueError):
        Condition("R", "=>", 4)  # only the operators of OPERATORS, nothing else is run


def test_segments_take_the_first_rule_that_holds():
    rules = (rule("top", ("F", ">=", 4)), rule("fresh", ("R", "==", 5)))
    values = pd.DataFrame({"R": [5, 5, 1, None], "F": [4, 1, 1, 2]}, dtype="Int64")
    # F 4 → top even though R 5 would say fresh (first match); R 5, F 1 → fresh; R 1, F 1 → neither: the
    # default; a missing score → no_purchase
    assert segments(values, rules, default="other") == ["top", "fresh", "other", "no_purchase"]


# --------------------------------------------------------------------------------------- clustering


def _blobs():
    """Three tight, far-apart groups of 40, 30 and 20 points around (0, 0), (10, 0) and (0, 10)."""
    rng = np.random.default_rng(7)
    centres = [(0, 0), (10, 0), (0, 10)]
    sizes = [40, 30, 20]
    x = np.vstack([rng.normal(c, 0.3, size=(n, 2)) for c, n in zip(centres, sizes)])
    truth = np.repeat([0, 1, 2], sizes)
    return x, truth


def test_well_separated_blobs_give_the_obvious_groups():

    x, truth = _blobs()
    k, labels, scores = choose_k(x)
    assert k == 3 and set(scores) == {3, 4, 5, 6, 7} and scores[3] == max(scores.values())
    # the same partition as the truth, whatever the group numbers: each true group is one label, all different
    assert sorted(len(set(labels[truth == g])) for g in range(3)) == [1, 1, 1]
    assert len({labels[truth == g][0] for g in range(3)}) == 3


def test_refining_from_given_centres_keeps_their_order():
    x, _ = _blobs()
    # centres given in the order blob 3, blob 1, blob 2 → group 0 is blob 3, group 1 blob 1, group 2 blob 2
    labels = refine(x, x[[89, 0, 40]])
    assert labels.tolist() == [1] * 40 + [2] * 30 + [0] * 20


def test_silhouette_by_hand():

    x = np.array([[0.0], [1.0], [10.0], [11.0]])
    labels = np.array([0, 0, 1, 1])
    # point 0: a = 1 (to 1), b = (10 + 11) / 2 = 10.5 → (10.5 − 1) / 10.5; point 1: a = 1, b = (9 + 10) / 2 = 9.5
    # → 8.5 / 9.5; points 10 and 11 mirror them. Mean = (9.5/10.5 + 8.5/9.5) / 2
    assert silhouette(x, labels) == pytest.approx((9.5 / 10.5 + 8.5 / 9.5) / 2)
    assert silhouette(x, np.zeros(4, dtype=int)) == -1.0  # one group: no silhouette
    assert silhouette(x, labels, distances=sample_distances(x)) == pytest.approx(silhouette(x, labels), rel=1e-12)


@pytest.mark.parametrize("n", [50, 4000])  # all rows, then a sample of 3,000 of them
def test_silhouette_from_the_sampled_distances_is_the_same_number(n):
    # choose_k scores every candidate on one distance matrix of the sampled rows: the same number as computing the
    # distances again for each candidate, up to rounding in the last digits (choose_k compares them to 6 decimals)
    x = np.random.default_rng(7).normal(size=(n, 4))
    distances = sample_distances(x)
    for k in (2, 3, 5):
        labels = np.random.default_rng(k).integers(0, k, n)
        assert silhouette(x, labels, distances=distances) == pytest.approx(silhouette(x, labels), rel=1e-12)


def test_a_new_membership_replaces_the_stored_one(tmp_path):
    # stored A→1, B→1, C→2; the new membership A→1, B→2, D→3: B moves, C is gone, D is new, A stays as it was
    from cx.personas import membership

    w = Workspace(tmp_path / "w.duckdb")
    with w.cursor() as cur:
        cur.execute("insert into persona_members values ('A', 1), ('B', 1), ('C', 2)")
    incoming = pd.DataFrame({"customer_id": ["A", "B", "D"], "persona_id": [1, 2, 3]})
    assert membership._store(w, incoming, w.data_version())
    assert stored_membership(w).values.tolist() == [["A", 1], ["B", 2], ["D", 3]]
    w.close()


def test_a_membership_computed_on_data_that_changed_meanwhile_is_not_stored(tmp_path, monkeypatch):
    # an import deleted (or added) while the customers are clustered: storing the membership would bring back
    # the pseudonyms of erased customers, so nothing is written and the next run computes it again
    from cx.personas import membership

    w = Workspace(tmp_path / "w.duckdb")
    populate(w)
    read = membership.customer_features

    late = tmp_path / "late.csv"
    late.write_text("customer_id,email,segment\nLATE,late@example.com,VIP\n", encoding="utf-8")

    def features_then_more_data(ws, reference):
        features = read(ws, reference)
        import_file(ws, late)  # an import lands meanwhile: the data version moves on
        return features

    monkeypatch.setattr(membership, "customer_features", features_then_more_data)
    members, _ = membership.assign_personas(w)
    assert members["persona_id"].notna().all() and len(members) == 90
    assert stored_membership(w).empty
    monkeypatch.setattr(membership, "customer_features", read)
    membership.assign_personas(w)  # nothing changes meanwhile: stored, the late customer with the others
    assert len(stored_membership(w)) == 91 and "LATE" in set(stored_membership(w)["customer_id"])
    w.close()


def test_the_main_order_channel_is_over_the_orders_counted(ws):
    """A card said "orders: 0" and "RFM: no purchase 100 %" beside order-channel shares: the channel counted the
    returned orders the order count leaves out. Now both are over the same kept orders."""
    insert(
        ws,
        "orders",
        [
            # E: two web orders returned, one store order kept → 1 order, bought in store (before: web, 2 of 3)
            {"customer_id": "E", "order_id": "#20", "order_time": T(2025, 3, 1), "amount": 50.0, "status": "returned"},
            {
                "customer_id": "E",
                "order_id": "#21",
                "order_time": T(2025, 3, 2),
                "amount": 40.0,
                "status": "Remboursée",
            },
            {"customer_id": "E", "order_id": "#22", "order_time": T(2025, 3, 3), "amount": 60.0, "status": "completed"},
            # F: only a returned app order → 0 orders and no channel of purchase (before: mobile_app)
            {"customer_id": "F", "order_id": "#23", "order_time": T(2025, 3, 4), "amount": 70.0, "status": "returned"},
            # G: a cancelled web order and a kept store one → store (cancelled ones were already left out)
            {"customer_id": "G", "order_id": "#24", "order_time": T(2025, 3, 5), "amount": 10.0, "status": "cancelled"},
            {"customer_id": "G", "order_id": "#25", "order_time": T(2025, 3, 6), "amount": 20.0, "status": "completed"},
        ],
    )
    with ws.cursor() as cur:
        cur.execute(
            "update orders set channel = case order_id when '#20' then 'web' when '#21' then 'web' "
            "when '#23' then 'mobile_app' when '#24' then 'web' else 'store' end"
        ).fetchall()
    f = customer_features(ws).set_index("customer_id")
    assert (f.loc["E", "n_orders"], f.loc["E", "main_order_channel"]) == (1, "store")
    assert f.loc["F", "n_orders"] == 0 and pd.isna(f.loc["F", "main_order_channel"])
    assert (f.loc["G", "n_orders"], f.loc["G", "main_order_channel"]) == (1, "store")


def ana_card(size: int, orders: float, order_channels=(), devices=(), web_channels=()) -> Persona:
    """A renamed persona "Ana" holding everyone, no KPI but its orders per customer: for what a card says."""
    return Persona(
        persona_id=1,
        name="Ana",
        first_name="Ana",
        renamed=True,
        size=size,
        share=1.0,
        traits=(),
        kpis=dict.fromkeys(("aov", "orders_per_year", "recency_days", "monetary", "nps", "csat"), None)
        | {"nps_n": 0, "csat_n": 0, "orders": orders},
        order_channels=order_channels,
        devices=devices,
        web_channels=web_channels,
    )


@pytest.mark.parametrize(
    "lang, orders, devices, compared",
    [
        (
            "fr",
            "Site web 60\u202f%, Application mobile 30\u202f%, Magasin 10\u202f%",
            "Mobile 50\u202f%, Ordinateur 40\u202f%, Tablette 10\u202f%",
            "Mobile 50\u202f%, Ordinateur 40\u202f%, Tablette 10\u202f%",
        ),
        ("en", "Website 60%, Mobile app 30%, Shop 10%", "Mobile 50%, Desktop 40%, Tablet 10%", "Mobile 50%"),
    ],
)
def test_a_card_names_the_channels_and_devices_as_the_other_pages_do(lang, orders, devices, compared):
    p = ana_card(
        size=10,
        orders=1.5,
        order_channels=(("web", 0.6), ("mobile_app", 0.3), ("store", 0.1)),
        devices=(("mobile", 0.5), ("desktop", 0.4), ("tablet", 0.1)),
        web_channels=(("organic", 1.0),),
    )
    tr = lambda key, **v: t(key, lang, **v)
    text = "\n".join(card_lines(p, tr, lang, str, "EUR"))
    assert orders in text and devices in text
    assert "mobile_app" not in text and "desktop" not in text and "store" not in text
    frame = compare_frame(p, p, tr, lang, "EUR").set_index("measure")
    assert compared in frame.loc[t("personas.kpi.devices", lang), "a"]


def _no_purchase_persona(given_back: int) -> Persona:
    return Persona(
        persona_id=1,
        name="Ana",
        first_name="Ana",
        renamed=True,
        size=10,
        share=1.0,
        traits=(),
        kpis={"orders": 0.0, "orders_per_year": None, "aov": None, "recency_days": None, "monetary": 0.0}
        | {"nps": None, "nps_n": 0, "csat": None, "csat_n": 0, "given_back": given_back},
        order_channels=(),
        devices=(("mobile", 1.0),),
        web_channels=(("organic", 1.0),),
    )


@pytest.mark.parametrize(
    "given_back, said",
    [
        (0, "**Achats** : aucun achat"),
        (7, "**Achats** : aucun achat (7 commandes passées puis annulées ou retournées, qui ne comptent pas"),
        (1, "**Achats** : aucun achat (1 commande passée puis annulée ou retournée, qui ne compte pas"),
    ],
)
def test_a_card_without_purchases_says_so_in_words_not_dashes(given_back, said):
    tr = lambda key, **v: t(key, "fr", **v)
    lines = card_lines(_no_purchase_persona(given_back), tr, "fr", str, "EUR")
    assert "**Commandes** : aucun achat\u202f; **appareils** Mobile 100\u202f%" in lines[1]
    assert lines[2].startswith(said) and (given_back or lines[2] == said)
    assert not [line for line in lines[1:3] if "—" in line or "Commandes via" in line]  # no row of dashes


def test_the_funnel_says_why_a_persona_without_purchases_reached_its_last_step():
    # 7 visitors at "purchase" for a persona whose card says no purchase: their 7 orders were cancelled or returned
    # (the sample's "no purchase" persona: C01987 cancelled, C00992 returned…), or the orders export has none
    tr = lambda key, **v: t(key, "en", **v)
    assert funnel_purchase_note(_no_purchase_persona(7), 7, tr).startswith(
        "The card says “no purchase”: these visitors did order on the site, but their orders were cancelled or returned"
    )
    assert "does the orders export cover the same period?" in funnel_purchase_note(_no_purchase_persona(0), 7, tr)
    assert funnel_purchase_note(_no_purchase_persona(7), 0, tr) is None  # nobody at the last step: nothing to explain
    assert funnel_purchase_note(_a_buyer(), 7, tr) is None  # a buyer reaching "purchase": no contradiction


def _a_buyer() -> Persona:
    p = _no_purchase_persona(0)
    return Persona(**{**p.__dict__, "kpis": {**p.kpis, "orders": 2.0}})


def test_a_group_figure_is_the_one_the_card_states():
    # A: 2 kept orders, 300 € spent, last order 10 days ago; B: 1 order, 30 €, 40 days; C: 1 order, 90 €, 20 days;
    # P: a prospect (no order). Per order: (300 + 30 + 90) / (2 + 1 + 1) = 105 € — not the mean of each customer's
    # average (150 + 30 + 90) / 3 = 90 €. Recency: the median of 10, 40, 20 = 20 days (the mean would be 23.3).
    f = pd.DataFrame(
        {
            "n_orders": [2, 1, 1, 0],
            "monetary": [300.0, 30.0, 90.0, 0.0],
            "aov": [150.0, 30.0, 90.0, None],
            "recency_days": [10, 40, 20, None],
            "sessions": [4, 0, 2, 6],
        }
    )
    assert plain_summary(f, "aov") == 105
    assert plain_summary(f, "recency") == 20
    assert plain_summary(f, "monetary") == 105  # 420 € over the 4 customers, the prospect included
    assert plain_summary(f, "sessions") == 3
    assert plain_summary(f.iloc[3:], "aov") is None  # no order: no average order value


def test_a_card_says_one_average_order_value_and_compares_it_with_everyone_s_per_order(ws):
    populate(ws)
    ps = find_personas(ws)
    m = customer_features(ws)
    everyone = m["monetary"].sum() / m["priced_orders"].sum()  # every order has a currency here: = n_orders
    seen = 0
    for p in ps.personas:
        for trait in p.traits:
            if trait.feature == "aov" and p.kpis["aov"] is not None:
                seen += 1
                assert trait.value == pytest.approx(p.kpis["aov"])  # the trait line and the "Achats" line agree
                assert trait.population == pytest.approx(everyone)
            if trait.feature == "recency" and p.kpis["recency_days"] is not None:
                assert trait.value == pytest.approx(p.kpis["recency_days"])  # both the median
    assert seen


def _orders_over(ws, first_day: dt.date):
    """12 buyers: C1–C6 ordered on `first_day` and on 11 March 2024, C7–C12 once, in between (amounts vary)."""
    last = dt.date(2024, 3, 11)
    rows = []
    for i in range(1, 13):
        days = [first_day, last] if i <= 6 else [first_day + (last - first_day) * i // 13]
        rows += [
            {
                "customer_id": f"C{i}",
                "order_id": f"#{i}-{n}",
                "order_time": T(d.year, d.month, d.day, 10),
                "amount": 20.0 + 7 * i,
                "status": "completed",
            }
            for n, d in enumerate(days)
        ]
    insert(ws, "orders", rows)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_orders_are_annualised_only_over_the_window_retention_needs(tmp_path, lang):
    # the tester read "12.2 orders a year" for one order (1 / (30 days / 365.25)) and "22.8 after 40 days", where
    # Retention refuses a CLV on a period under its 180-day activity window: the cards follow the same rule
    short = Workspace(tmp_path / "short.duckdb")
    _orders_over(short, dt.date(2024, 2, 1))  # 1 February → 11 March 2024: 40 days, both counted
    result = find_personas(short)
    short.close()
    period = result.order_period
    assert (period.start, period.end, period.days, period.annualised) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 11),
        40,
        False,
    )
    assert all(p.kpis["orders_per_year"] is None for p in result.personas)
    # orders per buyer over the period: C1–C6 two each, C7–C12 one each: 18 orders / 12 buyers overall
    sizes = sum(p.size for p in result.personas)
    assert sum(p.kpis["orders_per_buyer"] * p.size for p in result.personas) == pytest.approx(18) and sizes == 12
    tr = lambda key, **v: t(key, lang, **v)
    said = frequency_text(result.personas[0].kpis, period, tr, lang)
    n = number(result.personas[0].kpis["orders_per_buyer"], lang, 1)
    assert said.startswith(
        {
            "en": f"{n} orders per buyer from 2024-02-01 to 2024-03-11 (not annualised: 40 days",
            "fr": f"{n} commandes par acheteur du 01/02/2024 au 11/03/2024 (non annualisé : 40 jours",
        }[lang]
    )
    assert "orders a year" not in said and "commandes par an" not in said
    # over a year (13 March 2023 → 11 March 2024: 365 days ≥ 180) the frequency is annualised:
    # orders per buyer / (365 / 365.25) — two orders → 2.0014 a year, one → 1.0007 (not 12.2)
    long = Workspace(tmp_path / "long.duckdb")
    _orders_over(long, dt.date(2023, 3, 13))
    result = find_personas(long)
    long.close()
    assert (result.order_period.days, result.order_period.annualised) == (365, True)
    for p in result.personas:
        assert p.kpis["orders_per_year"] == pytest.approx(p.kpis["orders_per_buyer"] * 365.25 / 365)
    assert max(p.kpis["orders_per_year"] for p in result.personas) < 2.01
    said = frequency_text(result.personas[0].kpis, result.order_period, tr, lang)
    assert said.endswith({"en": " orders a year", "fr": " commandes par an"}[lang])
