"""Funnel oracles: every expected value below is worked out by hand from the events listed in the test."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cx import funnel
from cx.errors import CxError
from cx.ingest import import_file
from cx.models import Filters
from cx.stats import two_proportion_z

T0 = dt.datetime(2025, 3, 3, 10, 0, 0)
TESTER6 = Path(__file__).parent / "data" / "tester6"
STEPS = ["view_item", "add_to_cart", "purchase"]


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def load(ws, rows, customers=()):
    """rows: (visitor, minutes after T0, event_name[, device[, page[, customer_id[, channel[, session]]]]])."""
    frame = pd.DataFrame(
        [
            {
                "import_id": 1,
                "visitor_id": r[0],
                "event_time": at(r[1]),
                "event_name": r[2],
                "device": r[3] if len(r) > 3 else "desktop",
                "page": r[4] if len(r) > 4 else None,
                "customer_id": r[5] if len(r) > 5 else None,
                "channel": r[6] if len(r) > 6 else "seo",
                "session_id": r[7] if len(r) > 7 else None,
            }
            for r in rows
        ]
    )
    with ws.cursor() as cur:
        cur.register("frame", frame)
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, device, page, customer_id, "
            "channel, session_id) select import_id, visitor_id, event_time, event_name, device, page, "
            "customer_id, channel, session_id from frame"
        )
        for cid, segment in customers:
            cur.execute(
                "insert into customers (import_id, customer_id, segment) values (2, $c, $s)", {"c": cid, "s": segment}
            )
    return ws


def users(ws, steps=STEPS, **kw):
    return funnel.find_funnel(ws, kw.pop("filters", None), steps, **kw).steps["users"].tolist()


def test_basic_counts_and_conversions(ws):
    load(
        ws,
        [
            ("a", 0, "view_item"),
            ("a", 1, "add_to_cart"),
            ("a", 2, "purchase"),
            ("b", 0, "view_item"),
            ("b", 5, "add_to_cart"),
            ("c", 0, "view_item"),
            ("c", 1, "page_view"),
            ("d", 0, "add_to_cart"),
            ("d", 1, "purchase"),
        ],
    )  # d never views an item: not in the funnel
    f = funnel.find_funnel(ws, None, STEPS)
    s = f.steps
    assert s["users"].tolist() == [3, 2, 1]
    # overall: 3/3, 2/3, 1/3; step: 1, 2/3, 1/2; dropped: 3-2, 2-1, 0
    assert s["conversion"].tolist() == pytest.approx([1, 2 / 3, 1 / 3])
    assert s["step_conversion"].tolist() == pytest.approx([1, 2 / 3, 1 / 2])
    assert s["dropped"].tolist() == [1, 1, 0]
    # a: view→cart 60 s, cart→purchase 60 s; b: view→cart 300 s → medians 180 s (60, 300) and 60 s
    assert s["median_from_previous_s"].tolist()[1:] == pytest.approx([180, 60])
    assert f.converted == 1 and f.median_s == pytest.approx(120)  # a: 0 → 2 min


@pytest.mark.parametrize("window, reached", [("60m", 2), ("61m", 3), ("1h", 2), ("2h", 3), (3660, 3)])
def test_a_window_that_cuts_a_conversion(ws, window, reached):
    # view at 0, cart at 30 min, purchase at 61 min: within 1 h only view and cart; 61 min is inclusive
    load(ws, [("e", 0, "view_item"), ("e", 30, "add_to_cart"), ("e", 61, "purchase")])
    assert users(ws, window=window) == [1] * reached + [0] * (3 - reached)


def test_window_boundary_is_inclusive(ws):
    load(ws, [("e", 0, "view_item"), ("e", 10, "add_to_cart"), ("e", 60, "purchase")])
    assert users(ws, window="60m") == [1, 1, 1]
    assert users(ws, window="59m") == [1, 1, 0]


def test_re_entry_after_a_failed_attempt_counts(ws):
    day = 24 * 60
    load(
        ws,
        [
            # attempt 1 never reaches cart within 7 days (cart 8 days later belongs to attempt 2)
            ("f", 0, "view_item"),
            ("f", 9 * day, "view_item"),
            ("f", 9 * day + 60, "add_to_cart"),
            ("f", 10 * day, "purchase"),
            # g: the first attempt goes further (cart) than the later one (view only): furthest counts
            ("g", 0, "view_item"),
            ("g", 10, "add_to_cart"),
            ("g", 20 * day, "view_item"),
        ],
    )
    f = funnel.find_funnel(ws, None, STEPS)
    assert f.steps["users"].tolist() == [2, 2, 1]
    # f's converting attempt starts at day 9 (the latest view before it): 1 day to convert
    assert f.median_s == pytest.approx(86400)


def test_time_to_convert_starts_at_the_latest_view_before_the_path(ws):
    load(ws, [("h", 0, "view_item"), ("h", 100, "view_item"), ("h", 110, "add_to_cart"), ("h", 120, "purchase")])
    f = funnel.find_funnel(ws, None, STEPS)
    assert f.steps["users"].tolist() == [1, 1, 1]
    assert f.median_s == pytest.approx(20 * 60)  # from the view at 100 min to the purchase at 120
    assert f.time_to_convert.set_index("bucket").at["15m_1h", "users"] == 1
    assert f.time_to_convert["users"].sum() == 1


def test_simultaneous_events_are_taken_in_funnel_order(ws):
    # cart stamped at the same instant as the view (and stored before it): it follows the view
    load(
        ws,
        [
            ("s", 0, "add_to_cart"),
            ("s", 0, "view_item"),
            ("s", 3, "purchase"),
            # two views at the same instant are one moment: view → view needs two moments
            ("t", 0, "view_item"),
            ("t", 0, "view_item"),
        ],
    )
    assert users(ws) == [2, 1, 1]
    assert users(ws, steps=["view_item", "view_item"]) == [2, 0]
    assert users(ws, steps=["view_item", "add_to_cart"], mode="strict") == [2, 1]


def test_a_visitor_with_steps_out_of_order(ws):
    # cart, then view, then purchase: ordered needs a cart after a view → reaches step 1 only;
    # any-order: three distinct steps within the window → 3
    load(ws, [("o", 0, "add_to_cart"), ("o", 1, "view_item"), ("o", 2, "purchase")])
    assert users(ws) == [1, 0, 0]
    assert users(ws, mode="any") == [1, 1, 1]
    assert users(ws, mode="strict") == [1, 0, 0]


def test_strict_mode_breaks_on_any_other_event(ws):
    load(
        ws,
        [
            ("p", 0, "view_item"),
            ("p", 1, "page_view"),
            ("p", 2, "add_to_cart"),
            ("p", 3, "purchase"),
            ("q", 0, "view_item"),
            ("q", 1, "add_to_cart"),
            ("q", 2, "purchase"),
            # a non-step event at the same instant as the view comes after it: it interrupts
            ("r", 0, "view_item"),
            ("r", 0, "scroll"),
            ("r", 1, "add_to_cart"),
            # a non-step event at the same instant as the cart comes after the cart: no interruption
            ("u", 0, "view_item"),
            ("u", 1, "add_to_cart"),
            ("u", 1, "scroll"),
            ("u", 1, "purchase"),
        ],
    )
    # ordered: p, q, r, u reach cart; p, q, u reach purchase (r has none)
    assert users(ws) == [4, 4, 3]
    # strict: p breaks at the page_view, r at the scroll (it sorts after the view of its instant); q converts;
    # u's scroll shares the purchase's instant and step events come first there: cart → purchase unbroken
    assert users(ws, mode="strict") == [4, 2, 2]


def test_strict_re_entry_after_an_interruption(ws):
    load(ws, [("v", 0, "view_item"), ("v", 1, "page_view"), ("v", 2, "view_item"), ("v", 3, "add_to_cart")])
    assert users(ws, steps=["view_item", "add_to_cart"], mode="strict") == [1, 1]


def test_any_order_counts_distinct_steps_within_the_window(ws):
    day = 24 * 60
    load(
        ws,
        [
            ("w", 0, "purchase"),
            ("w", 10, "view_item"),  # 2 steps in 10 min
            ("x", 0, "add_to_cart"),
            ("x", 8 * day, "view_item"),
            ("x", 8 * day + 1, "purchase"),  # 1, then 2
            ("y", 0, "view_item"),
            ("y", 1, "view_item"),  # 1 distinct step
            ("z", 0, "purchase"),
            ("z", day, "add_to_cart"),
            ("z", 2 * day, "view_item"),
        ],
    )  # 3 within 7 days
    f = funnel.find_funnel(ws, None, STEPS, mode="any")
    # reached: w 2, x 2, y 1, z 3 → ≥1: 4, ≥2: 3, ≥3: 1
    assert f.steps["users"].tolist() == [4, 3, 1]
    assert f.converted == 1 and f.median_s == pytest.approx(2 * 86400)  # z: from its purchase to its view
    assert users(ws, mode="any", window="1d") == [4, 3, 0]  # z: 2 steps within a day at most


def test_any_order_refuses_a_repeated_step(ws):
    with pytest.raises(CxError, match="only once"):
        funnel.find_funnel(ws, None, ["view_item", "view_item"], mode="any")


@pytest.mark.parametrize(
    "steps, window, mode, by, message",
    [
        (["view_item"], "7d", "ordered", None, "at least two steps"),
        (STEPS, "soon", "ordered", None, "not understood"),
        (STEPS, "0d", "ordered", None, "longer than zero"),
        (STEPS, "7d", "sideways", None, "unknown funnel mode"),
        (STEPS, "7d", "ordered", "shoe_size", "unknown breakdown"),
    ],
)
def test_bad_parameters_are_explained(ws, steps, window, mode, by, message):
    with pytest.raises(CxError, match=message):
        funnel.find_funnel(ws, None, steps, window=window, mode=mode, by=by)


def test_page_steps_match_the_path_and_below(ws):
    load(
        ws,
        [
            ("a", 0, "page_view", "mobile", "https://shop.fr/produit/lampe"),
            ("a", 1, "page_view", "mobile", "https://shop.fr/panier?from=produit"),
            ("b", 0, "page_view", "mobile", "/produit/tapis"),
            ("b", 1, "page_view", "mobile", "https://shop.fr/paniers-cadeaux"),  # not /panier
            ("c", 0, "page_view", "mobile", "https://shop.fr/produits"),  # not /produit
            ("d", 0, "page_view", "mobile", "https://shop.fr/produit"),
            ("d", 1, "add_to_cart", "mobile"),
        ],
    )
    assert users(ws, steps=["/produit", "/panier/"]) == [3, 1]  # a, b, d enter; a reaches the cart page
    assert users(ws, steps=["/produit", "add_to_cart"]) == [3, 1]  # pages and event names mix


def test_breakdown_by_device_with_significance(ws):
    rows = []
    # mobile: 100 visitors view, 20 add to cart; desktop: 100 view, 60 add; tablet: 10 view, 5 add
    for device, n, carts in (("mobile", 100, 20), ("desktop", 100, 60), ("tablet", 10, 5)):
        for i in range(n):
            v = f"{device}-{i}"
            rows.append((v, 0, "view_item", device))
            if i < carts:
                rows.append((v, 1, "add_to_cart", "mobile"))  # the group is the step-1 event's device
    load(ws, rows)
    f = funnel.find_funnel(ws, None, ["view_item", "add_to_cart"], by="device")
    b = f.breakdown.set_index(["group", "step"])
    assert [g for g in f.breakdown["group"].unique()] == ["desktop", "mobile", "tablet"]  # biggest first, ties by name
    assert b.at[("mobile", 2), "users"] == 20 and b.at[("desktop", 2), "users"] == 60
    # mobile vs rest: 20/100 vs 65/110; pooled p = 85/210 = 0.404762; p(1-p) = 0.240930;
    # se = sqrt(0.240930 · (1/100 + 1/110)) = sqrt(0.0045996) = 0.067820; z = (0.2 - 0.590909) / 0.067820 = -5.7639
    assert b.at[("mobile", 2), "z"] == pytest.approx(-5.7639, abs=1e-3)
    assert b.at[("mobile", 2), "significant"] and b.at[("desktop", 2), "significant"]
    # tablet: 10 visitors at step 1 < 30 → low sample, never marked
    assert b.at[("tablet", 2), "low_sample"] and not b.at[("tablet", 2), "significant"]
    assert f.breakdown.groupby("step")["users"].sum().tolist() == f.steps["users"].tolist()


def test_two_proportion_z_by_hand():
    # 30/100 vs 20/100: p = 0.25, se = sqrt(0.25·0.75·0.02) = 0.061237, z = 0.1/0.061237 = 1.63299
    assert two_proportion_z(30, 100, 20, 100) == pytest.approx(1.63299, abs=1e-4)
    assert two_proportion_z(0, 10, 0, 10) is None
    assert two_proportion_z(1, 0, 1, 2) is None


def test_breakdown_by_segment_and_the_segment_filter(ws):
    load(
        ws,
        [
            ("a", 0, "view_item", "mobile", None, None),
            ("a", 1, "add_to_cart", "mobile", None, "C1"),
            ("b", 0, "view_item", "mobile", None, "C2"),
            ("c", 0, "view_item"),
        ],
        customers=[("C1", "VIP"), ("C2", "Particulier")],
    )
    f = funnel.find_funnel(ws, None, ["view_item", "add_to_cart"], by="segment")
    got = {(g, s): u for g, s, u in f.breakdown[["group", "step", "users"]].itertuples(index=False)}
    assert got == {
        ("VIP", 1): 1,
        ("VIP", 2): 1,
        ("Particulier", 1): 1,
        ("Particulier", 2): 0,
        (None, 1): 1,
        (None, 2): 0,
    }
    assert users(ws, steps=["view_item", "add_to_cart"], filters=Filters(segment="VIP")) == [1, 1]


def test_global_filters_apply(ws):
    load(
        ws,
        [
            ("a", 0, "view_item", "mobile"),
            ("a", 1, "add_to_cart", "mobile"),
            ("b", 0, "view_item", "desktop"),
            ("b", 1, "add_to_cart", "desktop"),
            ("c", 2 * 24 * 60, "view_item", "mobile"),
        ],
    )
    two = ["view_item", "add_to_cart"]
    assert users(ws, steps=two, filters=Filters(device="mobile")) == [2, 1]
    assert users(ws, steps=two, filters=Filters(start=T0.date() + dt.timedelta(days=1))) == [1, 0]
    assert users(ws, steps=two, filters=Filters(end=T0.date())) == [2, 2]
    assert users(ws, steps=two, filters=Filters(channel="ads")) == [0, 0]


def test_empty_workspace_gives_zeros(ws):
    f = funnel.find_funnel(ws, None, STEPS, by="device")
    assert f.steps["users"].tolist() == [0, 0, 0] and f.converted == 0 and f.median_s is None
    assert f.breakdown.empty and f.time_to_convert["users"].sum() == 0


def test_dropped_users_and_their_download(ws):
    from cx.export import to_csv_bytes

    load(
        ws,
        [
            ("a", 0, "view_item", "mobile"),
            ("a", 1, "add_to_cart", "mobile", None, "C9"),
            ("a", 5, "add_to_cart", "tablet"),
            ("b", 0, "view_item"),
            ("b", 1, "add_to_cart"),
            ("b", 2, "purchase"),
            ("c", 0, "view_item"),
        ],
    )
    dropped = funnel.find_dropped_users(ws, None, STEPS, 2)
    assert dropped["visitor_id"].tolist() == ["a"]
    row = dropped.iloc[0]
    assert row["customer_id"] == "C9" and row["last_step"] == "add_to_cart"
    assert row["dropped_at"] == at(5) and row["device"] == "tablet"  # their last cart
    assert funnel.find_dropped_users(ws, None, STEPS, 1)["visitor_id"].tolist() == ["c"]
    assert to_csv_bytes(dropped).decode("utf-8-sig").splitlines()[0].startswith('"visitor_id","customer_id"')
    with pytest.raises(CxError):
        funnel.find_dropped_users(ws, None, STEPS, 3)


def test_paths_before_and_after_a_drop_off(ws):
    load(
        ws,
        [
            # a: two page views, cart, then payment error and exit (same session)
            ("a", 0, "page_view", "m", "https://x.fr/produit/lampe/rouge", None, "seo", "s1"),
            ("a", 1, "view_item", "m", None, None, "seo", "s1"),
            ("a", 2, "add_to_cart", "m", None, None, "seo", "s1"),
            ("a", 3, "payment_error", "m", None, None, "seo", "s1"),
            # b: cart right at the start of a session, then a new session (id changes) → exit right after
            ("b", 0, "view_item", "m", None, None, "seo", "s2"),
            ("b", 1, "add_to_cart", "m", None, None, "seo", "s2"),
            ("b", 5, "page_view", "m", "/", None, "seo", "s3"),
            # c: converts
            ("c", 0, "view_item"),
            ("c", 1, "add_to_cart"),
            ("c", 2, "purchase"),
        ],
    )
    paths = funnel.find_dropoff_paths(ws, None, STEPS, 2)
    after = {p.nodes: (p.edge, p.users, p.share) for p in paths[paths["direction"] == "after"].itertuples()}
    assert after == {("payment_error",): (True, 1, 0.5), (): (True, 1, 0.5)}
    before = {p.nodes: p.edge for p in paths[paths["direction"] == "before"].itertuples()}
    # page views show their path at two levels; a's visit starts with its first shown event → entry
    assert before == {("/produit/lampe", "view_item"): True, ("view_item",): True}
    assert paths.groupby("direction")["rank"].min().tolist() == [1, 1]


def test_paths_tied_on_users_and_nodes_rank_the_inner_path_first(ws):
    # d and e both search once right after their cart (length 1): the same nodes, one user each. d's visit ends
    # there (edge: exit), e's goes on (no edge): e's path ranks 1, d's 2, whatever order the engine returns
    load(
        ws,
        [
            ("d", 0, "view_item"),
            ("d", 1, "add_to_cart"),
            ("d", 2, "search"),
            ("e", 0, "view_item"),
            ("e", 1, "add_to_cart"),
            ("e", 2, "search"),
            ("e", 3, "search"),
            ("e", 4, "view_item_list"),
        ],
    )
    paths = funnel.find_dropoff_paths(ws, None, STEPS, 2, length=1)
    after = paths[paths["direction"] == "after"]
    assert after[["nodes", "edge", "users", "rank"]].values.tolist() == [
        [("search",), False, 1, 1],
        [("search",), True, 1, 2],
    ]


def test_session_gap_splits_visits_without_session_ids(ws):
    load(ws, [("a", 0, "view_item"), ("a", 1, "add_to_cart"), ("a", 45, "search"), ("a", 50, "search")])
    after = funnel.find_dropoff_paths(ws, None, STEPS, 2, session_gap_minutes=30)
    assert after[after["direction"] == "after"]["nodes"].tolist() == [()]  # 44 min later is another visit
    after = funnel.find_dropoff_paths(ws, None, STEPS, 2, session_gap_minutes=60)
    assert after[after["direction"] == "after"]["nodes"].tolist() == [("search", "search")]


def test_funnel_paths_of_every_step_in_one_pass(ws):
    load(
        ws,
        [
            # a: reaches step 1 only (last step-1 event at 0), then searches: drops at step 1
            ("a", 0, "view_item"),
            ("a", 1, "search"),
            # b: a product page, then view and cart, then a payment error: drops at step 2
            ("b", 0, "page_view", "desktop", "/produit/lampe"),
            ("b", 1, "view_item"),
            ("b", 2, "add_to_cart"),
            ("b", 3, "payment_error"),
            # c: converts, in no path
            ("c", 0, "view_item"),
            ("c", 1, "add_to_cart"),
            ("c", 2, "purchase"),
            # d: view then cart, nothing after: drops at step 2
            ("d", 0, "view_item"),
            ("d", 1, "add_to_cart"),
        ],
    )
    f = funnel.find_funnel(ws, None, STEPS, paths=True)
    assert f.steps["dropped"].tolist() == [1, 2, 0]

    def rows(frame):
        return [(p.direction, p.nodes, p.edge, p.users, p.share, p.rank) for p in frame.itertuples()]

    # step 1: a alone (1 dropped visitor): nothing before its view (its visit starts there: entry), a search after
    # it and then the visit ends (exit); shares of 1
    assert rows(f.paths_at(1)) == [("before", (), True, 1, 1.0, 1), ("after", ("search",), True, 1, 1.0, 1)]
    # step 2: b and d (2 dropped visitors, 1 each: share 0.5); ties on users rank by nodes: "/produit…" < "view…",
    # () < ("payment_error",)
    assert rows(f.paths_at(2)) == [
        ("before", ("/produit/lampe", "view_item"), True, 1, 0.5, 1),
        ("before", ("view_item",), True, 1, 0.5, 2),
        ("after", (), True, 1, 0.5, 1),
        ("after", ("payment_error",), True, 1, 0.5, 2),
    ]
    assert f.paths_at(3).empty  # nobody drops at the last step
    for k in (1, 2):  # the same as computing one step's paths on its own
        pd.testing.assert_frame_equal(f.paths_at(k), funnel.find_dropoff_paths(ws, None, STEPS, k), check_dtype=False)
    # the counts are those of the funnel without its paths, which has none
    plain = funnel.find_funnel(ws, None, STEPS)
    assert plain.paths is None and plain.paths_at(1) is None
    pd.testing.assert_frame_equal(plain.steps, f.steps)


def test_proposed_funnel_from_ga4_names(ws):
    load(
        ws,
        [
            ("a", 0, "page_view"),
            ("a", 1, "view_item"),
            ("a", 2, "add_to_cart"),
            ("a", 3, "begin_checkout"),
            ("a", 4, "purchase"),
            ("a", 5, "add_shipping_info"),
        ],
    )
    assert funnel.propose_funnel(ws) == ("view_item", "add_to_cart", "begin_checkout", "purchase")


def test_proposed_funnel_from_french_pages(ws):
    load(
        ws,
        [
            ("a", 0, "pageview", "m", "https://x.fr/produit/lampe"),
            ("a", 1, "pageview", "m", "/panier"),
            ("a", 2, "pageview", "m", "/commande/paiement"),
            ("a", 3, "pageview", "m", "/commande/confirmation"),
            ("a", 4, "pageview", "m", "/blog/idees"),
        ],
    )
    assert funnel.propose_funnel(ws) == ("/produit", "/panier", "/commande/paiement", "/commande/confirmation")
    options = funnel.list_step_options(ws)
    assert set(options[options["kind"] == "page"]["step"]) == {
        "/produit",
        "/produit/lampe",
        "/panier",
        "/commande",
        "/commande/paiement",
        "/commande/confirmation",
        "/blog",
        "/blog/idees",
    }
    assert options[options["kind"] == "event"][["step", "events"]].values.tolist() == [["pageview", 5]]
    assert options.set_index("step").loc[["/commande", "/commande/paiement"], "events"].tolist() == [2, 1]


def test_a_matomo_visits_log_proposes_the_cart_then_the_order(ws):
    """Tester 6's Matomo export (tests/data/tester6/matomo_visites.csv, 6 of its visits) names its page views
    'action' and its orders 'ecommerceOrder' (on /commande/merci): nothing was proposed, so the report said there
    was no purchase funnel. By hand: the cart /panier is reached by visits 50000, 50003, 50005 and 50021 (4
    visitors); 50005 and 50021 then order (2); 50007 orders without the cart, 50001 never sees it: 4 → 2."""
    import_file(ws, TESTER6 / "matomo_visites.csv")
    steps = funnel.propose_funnel(ws)
    # no /commande step: a page step counts the pages below it, so an order on /commande/merci would fill it
    assert steps == ("/panier", "ecommerceOrder")
    assert users(ws, steps) == [4, 2]
    # the paths to the cart of the two who stop there name pages, not Matomo's 'action': 50000 / → /abonnement → /,
    # 50003 /abonnement → / → /
    before = funnel.find_dropoff_paths(ws, None, steps, 1).query("direction == 'before'")
    assert sorted(before["nodes"]) == [("/", "/abonnement", "/"), ("/abonnement", "/", "/")]


@pytest.mark.parametrize(
    "rows, proposed",
    [
        # a Matomo log without e-commerce tracking: its pages
        (
            [("a", 0, "action", "m", "/panier"), ("a", 1, "action", "m", "/commande/merci")],
            ("/panier", "/commande/merci"),
        ),
        # one recognised event: the pages of the other steps around it, the event for its own step
        (
            [("a", 0, "pageview", "m", "/produit/lampe"), ("a", 1, "pageview", "m", "/panier"), ("a", 2, "purchase")],
            ("/produit", "/panier", "purchase"),
        ),
    ],
)
def test_with_fewer_than_two_known_events_each_step_is_its_event_else_its_page(ws, rows, proposed):
    load(ws, rows)
    assert funnel.propose_funnel(ws) == proposed


def test_nothing_recognised_proposes_nothing(ws):
    load(ws, [("a", 0, "login"), ("a", 1, "logout")])
    assert funnel.propose_funnel(ws) == ()


@pytest.mark.parametrize(
    "text, seconds",
    [("7d", 604800), ("24h", 86400), ("30m", 1800), ("2w", 1209600), ("90", 90), ("1.5h", 5400), (3600, 3600)],
)
def test_parse_window(text, seconds):
    assert funnel.parse_window(text) == seconds


def test_format_duration():
    assert [funnel.format_duration(s) for s in (None, 42, 720, 3 * 3600, 2.5 * 86400)] == [
        "—",
        "42 s",
        "12 min",
        "3.0 h",
        "2.5 d",
    ]


def test_demo_data_funnel_matches_the_ground_truth(tmp_path):
    """On the sample data the mobile payment step converts worse than the rest (planted incident P1)."""
    import json

    from cx.demo import load_demo
    from cx.workspace import Workspace
    from tests.conftest import ROOT

    planted = json.loads((ROOT / "sample_data" / "planted.json").read_text())
    incident = planted["checkout_incident"]
    w = Workspace(tmp_path / "demo.duckdb")
    load_demo(w)
    f = funnel.find_funnel(
        w,
        Filters(start=dt.date.fromisoformat(incident["from"]), end=dt.date.fromisoformat(incident["to"])),
        [incident["step_from"], incident["step_to"]],
        window="1d",
        by="device",
    )
    b = f.breakdown.set_index(["group", "step"])
    assert b.at[(incident["device"], 2), "step_conversion"] < 0.45  # planted 0.25 against 0.75
    assert b.at[(incident["device"], 2), "significant"]
    assert funnel.propose_funnel(w) == ("view_item", "add_to_cart", "begin_checkout", "add_payment_info", "purchase")
    w.close()


def test_a_step_choice_says_its_count_is_events_not_visitors():
    from cx.charts_funnel import step_choice
    from cx.i18n import t

    def tr_in(lang):
        return lambda key, **values: t(key, lang, **values)

    assert step_choice("view_item", 1050, tr_in("fr"), "fr") == "view_item (1\u202f050 évén.)"
    assert step_choice("view_item", 1050, tr_in("en"), "en") == "view_item (1,050 events)"
    assert step_choice("/panier", 3, tr_in("fr"), "fr") == "Page /panier (3 évén.)"
