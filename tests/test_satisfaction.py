"""NPS, CSAT and CES against values worked by hand (CX_REFERENCE §2), breakdowns through the customer id,
filters, drivers."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cx.errors import CxError
from cx.models import Filters
from cx.satisfaction import (
    DIMENSIONS,
    AnswerCount,
    breakdown,
    count_answers,
    differ,
    find_drivers,
    group_stats,
    nps_of,
    nps_trend,
    satisfaction_forms,
    summarise,
    trend_period,
)

T0 = dt.datetime(2025, 3, 3, 10, 0)


def insert(ws, table: str, rows: list[dict]) -> None:
    """Rows straight into a canonical table (import_id 0): the tests control every value."""
    df = pd.DataFrame([{"import_id": 0, **r} for r in rows])
    with ws.cursor() as cur:
        cur.register("incoming", df)
        cur.execute(f'insert into "{table}" by name select * from incoming').fetchall()


def answers(scores, **extra) -> list[dict]:
    return [{"responded_at": T0 + dt.timedelta(hours=i), "nps": s, **extra} for i, s in enumerate(scores)]


def test_nps_of_scores_0_to_10_is_minus_45_45(ws):
    insert(ws, "responses", answers(range(11)))
    nps = summarise(ws).nps
    # promoters 9, 10 → 2/11; passives 7, 8 → 2/11; detractors 0..6 → 7/11; NPS = (2 − 7) / 11 · 100 = −45.45
    assert nps.n == 11
    assert nps.nps == pytest.approx(-500 / 11) and round(nps.nps, 2) == -45.45
    assert (nps.promoters, nps.passives, nps.detractors) == pytest.approx((2 / 11, 2 / 11, 7 / 11))
    # Var = 100² · ((p + d) − (p − d)²) / n = 10 000 · (9/11 − 25/121) / 11 = 10 000 · (74/121) / 11
    #     = 740 000 / 1 331 = 555.973; MoE = 1.96 · √555.973 = 1.96 · 23.5791 = 46.215
    assert nps.moe == pytest.approx(1.96 * math.sqrt(740000 / 1331)) and round(nps.moe, 3) == 46.215
    assert nps.low_sample  # 11 < 30
    assert nps_of(range(11)).nps == pytest.approx(nps.nps) and nps_of(range(11)).moe == pytest.approx(nps.moe)


def test_nps_is_never_the_mean(ws):
    # mean of 0..10 is 5 (a "50" on a 0–100 scale); the NPS is −45.45: the two must never be confused
    insert(ws, "responses", answers([10, 10, 0, 0]))
    assert summarise(ws).nps.nps == 0.0  # 2 promoters − 2 detractors, while the mean score is 5


@pytest.mark.parametrize(
    "a, b, significant, z",
    [
        # A: 6 P, 2 Pa, 2 D (n 10) → NPS 40, Var = 10 000 · ((0.6 + 0.2) − 0.4²) / 10 = 640
        # B: 2 P, 2 Pa, 6 D (n 10) → NPS −40, Var = 640;  z = 80 / √1 280 = 2.236 > 1.96, but 10 answers < 30: not
        # significant (issue 15: a low sample is never flagged)
        ([10] * 6 + [8] * 2 + [0] * 2, [10] * 2 + [8] * 2 + [0] * 6, False, 80 / math.sqrt(1280)),
        # the same shares on 30 answers each: Var = 10 000 · 0.64 / 30 = 213.3; z = 80 / √426.7 = 3.873 → significant
        ([10] * 18 + [8] * 6 + [0] * 6, [10] * 6 + [8] * 6 + [0] * 18, True, 80 / math.sqrt(12800 / 30)),
        # A: 3 P, 1 Pa, 1 D (n 5) → NPS 40, Var = 10 000 · (0.8 − 0.16) / 5 = 1 280
        # B: 2 P, 1 Pa, 2 D (n 5) → NPS 0, Var = 10 000 · (0.8 − 0) / 5 = 1 600;  z = 40 / √2 880 = 0.745
        ([9, 9, 9, 7, 3], [9, 9, 7, 3, 3], False, 40 / math.sqrt(2880)),
        # A: 24 P, 8 Pa, 8 D (n 40) → NPS 40, Var = 10 000 · (0.8 − 0.16) / 40 = 160
        # B: 12 P, 12 Pa, 16 D (n 40) → NPS −10, Var = 10 000 · (0.7 − 0.01) / 40 = 172.5;  z = 50 / √332.5 = 2.742
        ([10] * 24 + [7] * 8 + [6] * 8, [10] * 12 + [7] * 12 + [6] * 16, True, 50 / math.sqrt(332.5)),
    ],
)
def test_two_groups_significance_by_hand(ws, a, b, significant, z):
    insert(ws, "responses", answers(a, touchpoint="A") + answers(b, touchpoint="B"))
    groups = breakdown(ws, None, "touchpoint").set_index("group")
    # with two groups, the rest of each is the other one
    assert groups.loc["A", "z"] == pytest.approx(z) and groups.loc["B", "z"] == pytest.approx(z)
    assert bool(groups.loc["A", "significant"]) is significant and bool(groups.loc["B", "significant"]) is significant
    assert groups.loc["A", "rest_nps"] == pytest.approx(groups.loc["B", "nps"])
    assert differ(nps_of(a), nps_of(b)) is significant


def test_margins_of_the_40_answer_groups(ws):
    insert(ws, "responses", answers([10] * 24 + [7] * 8 + [6] * 8, touchpoint="A"))
    a = breakdown(ws, None, "touchpoint").iloc[0]
    assert a["nps"] == pytest.approx(40) and a["moe"] == pytest.approx(1.96 * math.sqrt(160))  # 24.79
    assert round(a["moe"], 2) == 24.79 and not a["low_sample"]


def test_each_group_is_compared_with_all_the_others(ws):
    # X: 10 promoters (NPS 100); Y: 10 detractors; Z: 10 passives. Rest of X = Y ∪ Z: 0 P, 10 D of 20 → −50
    insert(
        ws,
        "responses",
        answers([10] * 10, touchpoint="X") + answers([0] * 10, touchpoint="Y") + answers([8] * 10, touchpoint="Z"),
    )
    groups = breakdown(ws, None, "touchpoint").set_index("group")
    assert groups.loc["X", "rest_n"] == 20 and groups.loc["X", "rest_nps"] == pytest.approx(-50)
    # Z: NPS 0, Var 0; rest = X ∪ Y: p = d = 0.5, NPS 0 → no difference at all
    assert groups.loc["Z", "rest_nps"] == pytest.approx(0) and not groups.loc["Z", "significant"]
    # X: Var_X = 0 (all promoters); rest: p = 0, d = 0.5, Var = 10 000 · ((0 + 0.5) − 0.5²) / 20 = 125;
    # z = |100 − (−50)| / √(0 + 125) = 150 / 11.18 = 13.42, yet X has 10 answers (< 30): not significant
    assert groups.loc["X", "z"] == pytest.approx(150 / math.sqrt(125)) and not groups.loc["X", "significant"]


@pytest.mark.parametrize("n, low", [(1, True), (29, True), (30, False), (31, False)])
def test_low_sample_flag_under_30(ws, n, low):
    insert(ws, "responses", answers([9] * n, touchpoint="web"))
    assert summarise(ws).nps.low_sample is low
    assert bool(breakdown(ws, None, "touchpoint")["low_sample"].iloc[0]) is low


@pytest.mark.parametrize(
    "scale, scores, expected",
    [
        (5, [1, 2, 3, 4, 5, 5], 50.0),  # 4s and 5s: 3 of 6; a 3 is not satisfied
        (5, [3, 3, 3, 3], 0.0),
        (2, [1, 2, 2, 2], 75.0),  # yes/no (1 = no, 2 = yes): share of yes, 3 of 4
        (3, [1, 2, 3, 3], 50.0),  # 3 choices: the top box, 2 of 4
        (7, [5, 6, 7, 7], 75.0),  # top-2-box on 1–7: 6 and 7, 3 of 4
    ],
)
def test_csat_top_2_box_on_the_recorded_scale(ws, scale, scores, expected):
    insert(ws, "responses", [{"responded_at": T0, "csat": s, "csat_scale": scale} for s in scores])
    csat = summarise(ws).csat
    assert csat.csat == pytest.approx(expected) and csat.n == len(scores) and csat.scales == (scale,)


@pytest.mark.parametrize(
    "scale, higher, scores, mean, low_effort",
    [
        (7, True, [1, 1, 2, 4, 7], 3.0, 1 / 5),  # "made it easy": low effort = 5, 6, 7 (top-3-box) → only the 7
        (7, False, [1, 1, 2, 4, 7], 3.0, 3 / 5),  # "how much effort": low effort = 1, 2, 3 → 1, 1, 2
        (5, True, [5, 4, 3, 2, 1, 5], 20 / 6, 3 / 6),  # 1–5, higher = easier: top-2-box 4, 5 → 5, 4, 5
        (5, False, [1, 2, 2, 3, 5], 2.6, 3 / 5),  # 1–5, lower = less effort: 1, 2 → 1, 2, 2
    ],
)
def test_ces_both_forms_both_directions(ws, scale, higher, scores, mean, low_effort):
    insert(
        ws,
        "responses",
        [{"responded_at": T0, "ces": s, "ces_scale": scale, "ces_higher_is_better": higher} for s in scores],
    )
    [ces] = summarise(ws).ces
    assert (ces.scale, ces.higher_is_better, ces.n) == (scale, higher, len(scores))
    assert ces.mean == pytest.approx(mean) and ces.low_effort_share == pytest.approx(low_effort)
    assert ces.low_effort_boxes == (3 if scale == 7 else 2)


def test_two_ces_forms_are_kept_apart_and_csat_pooled(ws):
    insert(
        ws,
        "responses",
        [{"responded_at": T0, "ces": 7, "ces_scale": 7, "ces_higher_is_better": True}] * 3
        + [{"responded_at": T0, "ces": 1, "ces_scale": 5, "ces_higher_is_better": False}] * 2
        + [{"responded_at": T0, "csat": 5, "csat_scale": 5}, {"responded_at": T0, "csat": 1, "csat_scale": 2}],
    )
    forms = summarise(ws)
    assert [(c.scale, c.n, c.mean) for c in forms.ces] == [(7, 3, 7.0), (5, 2, 1.0)]
    assert forms.csat.csat == pytest.approx(50.0) and set(forms.csat.scales) == {2, 5}
    # a group mixing two CES forms has no CES mean (it would mean nothing), but its low-effort share pools
    row = group_stats(ws, None, ("everyone",)).iloc[0]
    assert pd.isna(row["ces_mean"]) and row["ces_low_effort_share"] == pytest.approx(1.0)
    assert set(satisfaction_forms(ws)["metric"]) == {"csat", "ces"}


def test_nothing_to_measure(ws):
    result = summarise(ws)
    assert result.nps.n == 0 and result.nps.nps is None and result.csat is None and result.ces == ()
    assert breakdown(ws, None, "segment").empty and nps_trend(ws, None).empty and find_drivers(ws).empty


def test_unknown_breakdown_is_refused(ws):
    with pytest.raises(CxError, match="unknown breakdown"):
        breakdown(ws, None, "segment; drop table responses")
    with pytest.raises(CxError, match="unknown period"):
        nps_trend(ws, None, "day")


@pytest.fixture
def crm(ws):
    """Three customers, their orders, tickets and web events, and five answers (one anonymous)."""
    insert(
        ws,
        "customers",
        [
            {"customer_id": "C1", "segment": "VIP", "loyalty_member": True, "birth_year": 1990},
            {"customer_id": "C2", "segment": "Particulier", "loyalty_member": False, "age": 67},
            {"customer_id": "C3", "segment": "Particulier", "loyalty_member": False},
        ],
    )
    d = dt.date
    insert(
        ws,
        "orders",
        [
            # C1: on time in January, 4 days late in February
            {
                "customer_id": "C1",
                "order_time": dt.datetime(2025, 1, 1),
                "amount": 50,
                "status": "completed",
                "promised_date": d(2025, 1, 5),
                "delivered_date": d(2025, 1, 4),
            },
            {
                "customer_id": "C1",
                "order_time": dt.datetime(2025, 2, 1),
                "amount": 50,
                "status": "completed",
                "promised_date": d(2025, 2, 5),
                "delivered_date": d(2025, 2, 9),
            },
            # C2: still not delivered, promised for 15 January: overdue when C2 answers on the 20th
            {
                "customer_id": "C2",
                "order_time": dt.datetime(2025, 1, 10),
                "amount": 30,
                "status": "completed",
                "promised_date": d(2025, 1, 15),
                "delivered_date": None,
            },
            # C2's order placed after the answer never counts for it
            {
                "customer_id": "C2",
                "order_time": dt.datetime(2025, 3, 1),
                "amount": 30,
                "status": "completed",
                "promised_date": d(2025, 3, 5),
                "delivered_date": d(2025, 3, 5),
            },
        ],
    )
    insert(
        ws,
        "tickets",
        [
            # C1: chat answered in 1 min (expected < 2 min); C2: e-mail answered in 48 h (expected 24 h)
            {
                "ticket_id": "T1",
                "channel": "chat",
                "created_at": dt.datetime(2025, 1, 10, 10),
                "customer_id": "C1",
                "first_response_at": dt.datetime(2025, 1, 10, 10, 1),
                "is_complaint": False,
            },
            {
                "ticket_id": "T2",
                "channel": "E-mail",
                "created_at": dt.datetime(2025, 1, 12, 10),
                "customer_id": "C2",
                "first_response_at": dt.datetime(2025, 1, 14, 10),
                "is_complaint": True,
            },
        ],
    )
    insert(
        ws,
        "events",
        [
            {
                "event_time": dt.datetime(2025, 1, 2, h),
                "visitor_id": "v1",
                "event_name": "page_view",
                "customer_id": "C1",
                "device": dev,
                "channel": "seo",
            }
            for h, dev in ((9, "mobile"), (10, "mobile"), (11, "desktop"))
        ]
        + [
            {
                "event_time": dt.datetime(2025, 1, 3),
                "visitor_id": "v2",
                "event_name": "page_view",
                "customer_id": "C2",
                "device": "desktop",
                "channel": "email",
            }
        ],
    )
    insert(
        ws,
        "responses",
        [
            {"responded_at": dt.datetime(2025, 1, 20), "customer_id": "C1", "nps": 10, "touchpoint": "a"},
            {"responded_at": dt.datetime(2025, 2, 20), "customer_id": "C1", "nps": 3, "touchpoint": "a"},
            {"responded_at": dt.datetime(2025, 1, 20), "customer_id": "C2", "nps": 2, "touchpoint": "b"},
            {"responded_at": dt.datetime(2025, 1, 21), "customer_id": "C3", "nps": 8, "touchpoint": "b"},
            {"responded_at": dt.datetime(2025, 1, 22), "customer_id": None, "nps": 9, "touchpoint": "b"},
        ],
    )
    return ws


def _groups(ws, by, filters=None):
    df = breakdown(ws, filters, by)
    return {(g if isinstance(g, str) else None): int(n) for g, n in zip(df["group"], df["n"]) if n}


@pytest.mark.parametrize(
    "by, expected",
    [
        ("late_delivery", {"on_time": 1, "late": 2, "no_order": 1, None: 1}),
        ("delivery_delay", {"on_time": 1, "late_3_5": 1, "overdue": 1, "no_order": 1, None: 1}),
        ("segment", {"VIP": 2, "Particulier": 2, None: 1}),
        ("loyalty_member", {"yes": 2, "no": 2, None: 1}),
        ("age_band", {"35-44": 2, "65+": 1, None: 2}),  # C1 born 1990: 2025 − 1990 = 35; C2 aged 67
        ("orders", {"2-4": 3, "0": 1, None: 1}),  # every order of the customer, cancelled ones left out
        ("tickets", {"1": 3, "0": 1, None: 1}),
        ("complained", {"no": 3, "yes": 1, None: 1}),
        ("ticket_wait", {"within": 2, "over": 1, "no_ticket": 1, None: 1}),
        ("main_device", {"mobile": 2, "desktop": 1, None: 2}),
        ("month", {"2025-01": 4, "2025-02": 1}),
    ],
)
def test_breakdowns_join_crm_orders_tickets_and_events(crm, by, expected):
    assert _groups(crm, by) == expected


@pytest.mark.parametrize("status", ["cancelled", "Annulée", "Cancelled by customer"])
def test_cancelled_orders_are_not_late_and_missing_promises_are_unknown(ws, status):
    # the status is read as every page reads it (staging/order_status.sql), not only the exact word 'cancelled'
    insert(
        ws,
        "orders",
        [
            {
                "customer_id": "C4",
                "order_time": dt.datetime(2025, 1, 1),
                "amount": 9,
                "status": status,
                "promised_date": dt.date(2025, 1, 5),
            },
            {"customer_id": "C5", "order_time": dt.datetime(2025, 1, 1), "amount": 9, "status": "completed"},
        ],
    )
    insert(
        ws, "responses", [{"responded_at": dt.datetime(2025, 2, 1), "customer_id": c, "nps": 9} for c in ("C4", "C5")]
    )
    assert _groups(ws, "late_delivery") == {"on_time": 1, None: 1}
    assert _groups(ws, "delivery_delay") == {"cancelled": 1, None: 1}


def test_global_filters_apply_to_answers(crm):
    assert summarise(crm, Filters(segment="VIP")).nps.n == 2
    assert summarise(crm, Filters(start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28))).nps.n == 1
    assert summarise(crm, Filters(end=dt.date(2025, 1, 20))).nps.n == 2  # the end day is included
    # device / channel: customers seen in matching web events; anonymous answers drop out
    assert summarise(crm, Filters(device="desktop")).nps.n == 3  # C1 (once on desktop) and C2
    assert _groups(crm, "main_device", Filters(device="desktop")) == {"desktop": 3}
    assert summarise(crm, Filters(channel="email")).nps.n == 1


def test_trend_has_a_band(crm):
    trend = nps_trend(crm, None, "month")
    assert list(trend["period"]) == ["2025-01", "2025-02"]
    jan = trend.iloc[0]  # 10, 2, 8, 9: 2 P, 1 Pa, 1 D → NPS 25
    assert jan["nps"] == pytest.approx(25) and jan["low"] == pytest.approx(max(-100, 25 - jan["moe"]))
    assert jan["high"] == pytest.approx(min(100, 25 + jan["moe"])) and jan["low_sample"]


def test_drivers_importance_by_hand(ws):
    # VIP: 30 promoters (NPS 100); Particulier: 30 detractors (NPS −100); equal shares (0.5)
    # importance(Particulier) = (NPS_rest − NPS_group) · share = (100 − (−100)) · 0.5 = 100; VIP: −100
    insert(
        ws,
        "customers",
        [{"customer_id": f"V{i}", "segment": "VIP"} for i in range(30)]
        + [{"customer_id": f"P{i}", "segment": "Particulier"} for i in range(30)],
    )
    insert(
        ws,
        "responses",
        [{"responded_at": T0, "customer_id": f"V{i}", "nps": 10} for i in range(30)]
        + [{"responded_at": T0, "customer_id": f"P{i}", "nps": 0} for i in range(30)],
    )
    drivers = find_drivers(ws, attributes=("segment",)).set_index("group")
    assert drivers.loc["Particulier", "importance"] == pytest.approx(100)
    assert drivers.loc["VIP", "importance"] == pytest.approx(-100)
    assert drivers.loc["Particulier", "share"] == pytest.approx(0.5) and drivers.loc["Particulier", "significant"]
    assert list(find_drivers(ws, attributes=("segment",))["group"]) == ["Particulier", "VIP"]


def test_no_group_under_30_answers_is_significant(ws):
    # A: 20 promoters (NPS 100, Var 0); B: 40 detractors (NPS −100, Var 0): an infinite z, yet A has 20 answers
    insert(
        ws,
        "customers",
        [{"customer_id": f"A{i}", "segment": "A"} for i in range(20)]
        + [{"customer_id": f"B{i}", "segment": "B"} for i in range(40)],
    )
    insert(
        ws,
        "responses",
        [{"responded_at": T0, "customer_id": f"A{i}", "nps": 10} for i in range(20)]
        + [{"responded_at": T0, "customer_id": f"B{i}", "nps": 0} for i in range(40)],
    )
    groups = breakdown(ws, None, "segment").set_index("group")
    assert groups.loc["A", "z"] == math.inf and groups.loc["A", "low_sample"]
    # A: 20 < 30; B: its rest (A) has 20 < 30 → neither side can be called different
    assert not groups["significant"].any()
    assert not find_drivers(ws, attributes=("segment",))["significant"].any()
    assert not differ(nps_of([10] * 20), nps_of([0] * 40))


def test_answer_counts_tell_filtered_out_from_not_loaded(ws):
    assert count_answers(ws) == AnswerCount(0, 0)
    insert(ws, "responses", answers([9, 7, 3]))  # 3 March 2025, 10:00–12:00
    assert count_answers(ws) == AnswerCount(3, 3)
    assert count_answers(ws, Filters(dt.date(2025, 4, 1), dt.date(2025, 4, 30))) == AnswerCount(3, 0)


def test_drivers_leave_out_unknown_groups_and_single_group_attributes(crm):
    drivers = find_drivers(crm)
    assert drivers["group"].notna().all()
    assert "everyone" not in set(drivers["attribute"]) and set(drivers["attribute"]) <= set(DIMENSIONS)
    counts = drivers.groupby("attribute")["group"].count()
    assert (counts >= 2).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_properties(scores):
    nps = nps_of(scores)
    assert -100 <= nps.nps <= 100 and nps.moe >= 0
    assert nps.promoters + nps.passives + nps.detractors == pytest.approx(1)
    assert nps.nps == pytest.approx(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores))


def test_the_trend_is_monthly_when_the_median_week_has_fewer_than_30_answers(ws):
    # 4 weeks of 4 answers (the tester's ~4 a week: weekly points zig-zag across ±100): month by default
    weekly = [
        {"responded_at": T0 + dt.timedelta(weeks=w, hours=h), "nps": 10 * (h % 2)} for w in range(4) for h in range(4)
    ]
    insert(ws, "responses", weekly)
    assert trend_period(ws, None) == "month"
    # then 3 weeks of 30 answers more: the weeks hold 4, 4, 4, 4, 30, 30, 30 → median 4: still month
    insert(
        ws,
        "responses",
        [{"responded_at": T0 + dt.timedelta(weeks=5 + w, minutes=m), "nps": 9} for w in range(3) for m in range(30)],
    )
    assert trend_period(ws, None) == "month"
    # 5 more weeks of 30: 4 × 4 and 8 × 30 → the median week holds 30: week
    insert(
        ws,
        "responses",
        [{"responded_at": T0 + dt.timedelta(weeks=8 + w, minutes=m), "nps": 9} for w in range(5) for m in range(30)],
    )
    assert trend_period(ws, None) == "week"
    assert trend_period(ws, Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 31))) == "month"  # no answer
