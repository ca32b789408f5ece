"""Cohort and retention oracles: every expected value is worked out by hand from the rows in the test."""

import datetime as dt

import pytest

from cx import cohorts
from cx.errors import CxError
from cx.models import Filters


def orders(ws, rows, segments=()):
    """rows: (customer, 'YYYY-MM-DD', amount[, status[, delivered]])."""
    with ws.cursor() as cur:
        for r in rows:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, delivered_date) "
                "values (1, $c, $t::timestamp, $a, $s, $d::date)",
                {
                    "c": r[0],
                    "t": r[1],
                    "a": r[2],
                    "s": r[3] if len(r) > 3 else "completed",
                    "d": r[4] if len(r) > 4 else None,
                },
            )
        for c, s in segments:
            cur.execute("insert into customers (import_id, customer_id, segment) values (2, $c, $s)", {"c": c, "s": s})
    return ws


def events(ws, rows):
    """rows: (visitor, 'YYYY-MM-DD', device)."""
    with ws.cursor() as cur:
        for v, t, device in rows:
            cur.execute(
                "insert into events (import_id, visitor_id, event_time, event_name, device) "
                "values (3, $v, $t::timestamp, 'page_view', $d)",
                {"v": v, "t": t, "d": device},
            )
    return ws


PURCHASES = [
    ("A", "2025-01-05", 10),
    ("A", "2025-02-10", 10),
    ("A", "2025-04-01", 10),
    ("B", "2025-01-20", 10),
    ("B", "2025-03-03", 10),
    ("C", "2025-02-14", 10),
    ("D", "2025-02-20", 10, "cancelled"),  # never a purchase: not in any cohort
    ("E", "2025-04-30", 10),
]


def matrix(ws, **kw):
    m = cohorts.find_cohorts(ws, kw.pop("filters", None), **kw)
    return {
        (str(c), p): (round(s, 4), done)
        for c, p, s, done in m[["cohort", "period", "share", "complete"]].itertuples(index=False)
    }


def test_monthly_on_by_first_purchase(ws):
    orders(ws, PURCHASES)
    got = matrix(ws, period="month", mode="on", by_first="purchase")
    # January cohort {A, B}: Feb A, Mar B, Apr A → 1/2 each; February {C}: never again; April {E}.
    # Observed until 1 May (the day after the last purchase): April is complete, nothing later exists.
    assert got == {
        ("2025-01-01", 0): (1.0, True),
        ("2025-01-01", 1): (0.5, True),
        ("2025-01-01", 2): (0.5, True),
        ("2025-01-01", 3): (0.5, True),
        ("2025-02-01", 0): (1.0, True),
        ("2025-02-01", 1): (0.0, True),
        ("2025-02-01", 2): (0.0, True),
        ("2025-04-01", 0): (1.0, True),
    }
    sizes = cohorts.find_cohorts(ws, None, "month", "on", "purchase").groupby("cohort")["size"].first().tolist()
    assert sizes == [2, 1, 1]


def test_monthly_unbounded_never_below_on(ws):
    orders(ws, PURCHASES)
    got = matrix(ws, period="month", mode="unbounded", by_first="purchase")
    # January: A last seen in period 3, B in period 2 → periods 1 and 2: both (1.0), period 3: A only (0.5)
    assert [got[("2025-01-01", p)][0] for p in range(4)] == [1.0, 1.0, 1.0, 0.5]
    assert [got[("2025-02-01", p)][0] for p in range(3)] == [1.0, 0.0, 0.0]
    on = matrix(ws, period="month", mode="on", by_first="purchase")
    assert all(got[k][0] >= on[k][0] for k in on)


def test_weekly_cohorts_start_on_monday(ws):
    orders(ws, PURCHASES)
    m = cohorts.find_cohorts(ws, None, "week", "on", "purchase")
    a = m[m["cohort"] == dt.date(2024, 12, 30)]  # 5 Jan 2025 is a Sunday: its week starts Monday 30 Dec
    assert a["size"].iloc[0] == 1
    # A buys again on Mon 10 Feb (42 days = 6 weeks later) and Tue 1 Apr (92 days → week 13)
    assert a.loc[a["share"] > 0, "period"].tolist() == [0, 6, 13]
    # the last week (Mon 28 Apr – Sun 4 May) is still running on 1 May
    assert not m.sort_values(["cohort", "period"]).iloc[-1]["complete"]


def test_period_and_segment_filters(ws):
    orders(ws, PURCHASES, segments=[("A", "VIP"), ("C", "VIP"), ("B", "Particulier")])
    # from 1 Feb: A and B first bought in January → not members, even though they buy later
    got = matrix(ws, period="month", mode="on", by_first="purchase", filters=Filters(start=dt.date(2025, 2, 1)))
    assert {c for c, _ in got} == {"2025-02-01", "2025-04-01"}
    got = matrix(ws, period="month", mode="on", by_first="purchase", filters=Filters(segment="VIP"))
    assert {c for c, _ in got} == {"2025-01-01", "2025-02-01"}
    assert got[("2025-01-01", 1)] == (1.0, True)  # the January cohort is A alone now
    # end filter: activity is observed up to 28 Feb; February is complete, March not shown
    got = matrix(ws, period="month", mode="on", by_first="purchase", filters=Filters(end=dt.date(2025, 2, 28)))
    assert got == {("2025-01-01", 0): (1.0, True), ("2025-01-01", 1): (0.5, True), ("2025-02-01", 0): (1.0, True)}


def test_cohorts_by_first_visit_with_the_device_filter(ws):
    events(
        ws,
        [
            ("v1", "2025-03-03", "mobile"),
            ("v1", "2025-04-10", "mobile"),
            ("v2", "2025-03-20", "desktop"),
            ("v2", "2025-05-02", "mobile"),
            ("v3", "2025-04-01", "mobile"),
        ],
    )
    got = matrix(ws, period="month", mode="on", by_first="activity")
    # March {v1, v2}: April v1 → 0.5; May v2 → 0.5 (May still running on 3 May); April {v3}; nobody new in May
    assert got[("2025-03-01", 1)] == (0.5, True) and got[("2025-03-01", 2)] == (0.5, False)
    got = matrix(ws, period="month", mode="on", by_first="activity", filters=Filters(device="mobile"))
    # mobile only: v2's first mobile visit is in May → its own May cohort
    assert {c for c, p in got if p == 0} == {"2025-03-01", "2025-04-01", "2025-05-01"}


def test_cohort_table_is_wide_and_skips_running_periods(ws):
    orders(ws, PURCHASES + [("F", "2025-04-29", 5)])
    table = cohorts.cohort_table(cohorts.find_cohorts(ws, None, "month", "on", "purchase"))
    assert list(table.columns) == ["cohort", "size", 0, 1, 2, 3]
    assert table.set_index("cohort").loc[dt.date(2025, 4, 1), "size"] == 2


@pytest.mark.parametrize(
    "kw, message", [({"period": "day"}, "period"), ({"mode": "sometimes"}, "mode"), ({"by_first": "signup"}, "basis")]
)
def test_bad_choices_are_explained(ws, kw, message):
    with pytest.raises(CxError, match=message):
        cohorts.find_cohorts(ws, None, **kw)


RETENTION = [
    ("P", "2025-02-10", 80),
    ("P", "2025-03-20", 100, "completed", "2025-03-22"),
    ("Q", "2025-02-15", 20),
    ("R", "2025-02-20", 20),
    ("R", "2025-03-10", 500, "Annulée"),
    ("S", "2025-03-05", 50, "Remboursée", "2025-03-07"),
    ("U", "2025-01-05", 40),
    ("U", "2025-03-25", 150, "completed", "2025-03-28"),
]


def test_retention_churn_repeat_returns_and_clv_by_hand(ws):
    orders(ws, RETENTION)
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)), active_days=30)
    # active at the start (a purchase in 30 Jan – 28 Feb): P, Q, R = 3
    # active at the end (a purchase in 2 – 31 Mar): P, S, U = 3 (R's March order was cancelled)
    # new in March (first purchase ever): S = 1; U came back after lapsing: active at the end, not at the start,
    # not new — it entered the base in March like S, so it is not one of the start's customers retained
    assert (r.at_start, r.at_end, r.new_customers, r.returned_customers) == (3, 3, 1, 1)
    assert r.enough_history  # 30 days before 1 March is after the first purchase (5 Jan)
    # (3 - 1 new - 1 returned) / 3 = 1/3: only P of P, Q, R is still active
    assert r.retention_rate == pytest.approx(1 / 3) and r.churn_rate == pytest.approx(2 / 3)
    # March purchases: P 100, S 50 (refunded: still a purchase, then a return), U 150 → 3 customers, none twice
    assert (r.customers, r.repeat_customers, r.repeat_rate) == (3, 0, 0.0)
    assert (r.orders, r.revenue, r.aov) == (3, 300.0, 100.0)
    # delivered in March: P, S, U = 3; returned: S → 1/3
    assert (r.delivered, r.returned, r.return_basis) == (3, 1, "delivered")
    assert r.return_rate == pytest.approx(1 / 3)
    # frequency = 3 / 3 / (31 / 365.25) = 11.7823 per year
    assert r.frequency_per_year == pytest.approx(365.25 / 31)
    # yearly churn = 1 - (1/3)^(365.25/31) = 1 - exp(11.78226 · ln(1/3)) = 1 - exp(-12.94414) = 1 - 0.0000024
    # = 0.9999976; lifespan = 1 / 0.9999976 = 1.0000024 years
    assert r.yearly_churn == pytest.approx(0.9999976, abs=1e-6)
    assert r.lifespan_source == "period" and r.lifespan_years == pytest.approx(1.0000024, abs=1e-6)
    # CLV = the product of its factors as shown: 100.00 × 11.78 × 1.00 = 1178.00 (not 1178.23 unrounded: the
    # page's formula must multiply out to its result); 31 days ≥ the 30-day activity window: annualised
    assert r.annualised and r.clv == pytest.approx(1178.00, abs=1e-9)
    assert r.monthly["month"].tolist() == [dt.date(2025, 3, 1)]  # the only whole month of the period
    assert r.monthly["churn_rate"].iloc[0] == pytest.approx(2 / 3)


def test_no_clv_from_a_period_shorter_than_the_activity_window(ws):
    """The tester's shop: 19 purchases by 5 customers over 55 days (1 March – 24 April). Annualised they read
    19 / 5 / (55 / 365.25) = 25.2 purchases a year: a guess. Under the 180-day activity window (the history the
    churn needs) neither the frequency nor the CLV is given; over a window of 30 days they are."""
    days = [dt.date(2025, 3, 1) + dt.timedelta(days=3 * i) for i in range(18)] + [dt.date(2025, 4, 24)]
    orders(ws, [("ABCDE"[i % 5], d.isoformat(), 100) for i, d in enumerate(days)])
    r = cohorts.find_retention(ws, None)
    assert (r.orders, r.customers, r.period_days, r.active_days) == (19, 5, 55, 180)
    assert not r.annualised and r.frequency_per_year is None and r.clv is None
    assert r.aov == 100.0  # the inputs that need no year stay
    short_window = cohorts.find_retention(ws, None, active_days=30)
    # 19 / 5 / (55 / 365.25) = 25.23545 → 25.24; no history for churn → 3 years: 100.00 × 25.24 × 3.00 = 7572.00
    assert short_window.annualised and short_window.frequency_per_year == pytest.approx(25.23545, abs=1e-5)
    assert short_window.clv == pytest.approx(7572.00, abs=1e-9)


def test_count_buyers_is_the_retention_customers_without_the_monthly_base(ws):
    orders(ws, RETENTION, segments=[("P", "VIP"), ("S", "VIP")])
    march = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    # March purchases: P, S (refunded: still bought) and U; R's order was cancelled → 3 buyers
    assert cohorts.count_buyers(ws, march) == 3
    # February: P, Q, R → 3; every period: P, Q, R, S, U → 5; the VIPs in March: P and S → 2
    feb = Filters(start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28))
    vip = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), segment="VIP")
    assert [cohorts.count_buyers(ws, f) for f in (feb, None, vip)] == [3, 5, 2]
    for f in (march, feb, None, vip, Filters(start=dt.date(2025, 4, 1))):
        assert cohorts.count_buyers(ws, f) == cohorts.find_retention(ws, f).customers


def test_customers_back_after_lapsing_never_make_churn_negative(ws):
    # April 2025, 30-day window: A active at the start (bought 20 March) and still in April; B, C, D bought in
    # January (lapsed by 1 April) and come back in April; nobody is new. Counting B, C, D as retained gave
    # (4 - 0) / 1 = 400 % retention, churn -300 % (the tester's April bar)
    orders(
        ws,
        [("A", "2025-03-20", 10), ("A", "2025-04-10", 10)]
        + [(c, d, 10) for c in "BCD" for d in ("2025-01-10", "2025-04-15")],
    )
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30)), active_days=30)
    assert (r.at_start, r.at_end, r.new_customers, r.returned_customers) == (1, 4, 0, 3)
    # (4 - 0 new - 3 returned) / 1 = 100 % retention, 0 % churn
    assert r.retention_rate == pytest.approx(1.0) and r.churn_rate == pytest.approx(0.0)
    assert r.monthly["churn_rate"].tolist() == [pytest.approx(0.0)]


def test_retention_without_history_uses_months_then_the_default(ws):
    orders(ws, RETENTION)
    r = cohorts.find_retention(ws, None, active_days=30)
    # no filter: the period runs from the first purchase (5 Jan) to the last (25 Mar); no base before it
    assert (r.period_start, r.period_end) == (dt.date(2025, 1, 5), dt.date(2025, 3, 25))
    assert not r.enough_history and r.churn_rate is None
    # the only whole month is February, and 1 Feb - 30 days = 2 Jan is before the first purchase: too short
    assert r.monthly[["month", "enough_history"]].values.tolist() == [[dt.date(2025, 2, 1), False]]
    assert r.lifespan_source == "default" and r.lifespan_years == 3.0
    r = cohorts.find_retention(ws, Filters(end=dt.date(2025, 3, 31)), active_days=30)
    assert r.monthly[["month", "enough_history"]].values.tolist() == [
        [dt.date(2025, 2, 1), False],
        [dt.date(2025, 3, 1), True],
    ]
    # lifespan from March's churn 2/3: yearly 1 - (1/3)^12 = 0.9999981 → 1.0000019 years
    assert r.lifespan_source == "monthly" and r.lifespan_years == pytest.approx(1.0000019, abs=1e-6)
    r = cohorts.find_retention(ws, None, active_days=30, lifespan_years=2.5)
    assert r.lifespan_source == "input" and r.lifespan_years == 2.5


def test_return_rate_without_delivery_dates(ws):
    orders(ws, [("A", "2025-01-05", 10), ("A", "2025-01-06", 10, "returned"), ("B", "2025-01-07", 10, "canceled")])
    r = cohorts.find_retention(ws, None)
    # no delivery date anywhere: returned / purchases = 1 / 2
    assert (r.returned, r.delivered, r.return_basis) == (1, 2, "purchases") and r.return_rate == 0.5
    assert r.repeat_rate == 1.0  # A has two purchases (the return was one), B none


def test_guest_orders_count_in_the_return_rate_as_on_the_journey_page(ws):
    """A tester saw Retention 7,0 % (14 of 201 purchases) beside the Journey's 0,7 %: guest orders (no customer id)
    were left out of Retention's return rate only. They belong to no customer count, but their returns count."""
    from cx.journey.kpis import find_stage_kpis

    rows = [("A", "2025-01-05", 10), ("A", "2025-01-06", 10, "returned"), ("B", "2025-01-07", 10)]
    rows += [(None, "2025-01-08", 10, "returned"), (None, "2025-01-09", 10), (None, "2025-01-10", 10, "canceled")]
    orders(ws, rows)
    r = cohorts.find_retention(ws, None)
    # no delivery date: returned / purchases = (A's + a guest's) / (3 customers' + 2 guests' not cancelled) = 2 / 5
    assert (r.returned, r.delivered, r.return_basis, r.return_rate) == (2, 5, "purchases", 0.4)
    assert (r.customers, r.repeat_customers) == (2, 1)  # guests are nobody's: A twice, B once
    journey = {k.key: k.value for s in find_stage_kpis(ws, None) for k in s.kpis}
    assert journey["return_rate"] == pytest.approx(40.0)


def test_no_orders_gives_empty_figures(ws):
    r = cohorts.find_retention(ws, None)
    assert r.customers == 0 and r.clv is None and r.repeat_rate is None and r.monthly.empty
    assert cohorts.find_cohorts(ws, None, by_first="purchase").empty


def test_bad_retention_inputs(ws):
    with pytest.raises(CxError):
        cohorts.find_retention(ws, None, active_days=0)
    orders(ws, RETENTION)
    with pytest.raises(CxError):
        cohorts.find_retention(ws, None, lifespan_years=0)


def test_a_new_customer_lapsed_before_the_end_of_a_long_period_is_not_taken_off_the_base(ws):
    # the year 2025, 30-day window: A bought on 20 December 2024 and on 20 December 2025 (active at both edges);
    # B, C, D, E bought once, in February (new, lapsed by the end). (end − all new) / start = (1 − 4) / 1 = −300 %:
    # only the entrants still in the base at the end come off it, so 1 retained / 1 at the start = 100 %
    # (A's first purchase on 1 November 2024: 30 days of history before the period)
    a = [("A", "2024-11-01", 10), ("A", "2024-12-20", 10), ("A", "2025-12-20", 10)]
    orders(ws, a + [(c, "2025-02-10", 10) for c in "BCDE"])
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)), active_days=30)
    assert (r.at_start, r.at_end, r.new_customers, r.returned_customers) == (1, 1, 4, 0)
    assert r.enough_history and r.retention_rate == pytest.approx(1.0) and r.churn_rate == pytest.approx(0.0)


@pytest.mark.parametrize("n, low", [(29, True), (30, False)])
def test_a_rate_on_fewer_than_30_customers_at_the_start_is_flagged_not_hidden(ws, n, low):
    # n customers bought on 15 February, the first 15 again on 10 March (Z's order of 5 January gives the
    # 30 days of history); March with a 30-day window: at the start (a purchase in 30 Jan – 28 Feb) n, at the
    # end 15, nobody new → retention 15/29 or 15/30, shown either way; flagged as a small base ("petit
    # effectif") under 30 customers at the start (cx.stats.MIN_SAMPLE)
    orders(
        ws,
        [("Z", "2025-01-05", 10)]
        + [(f"C{i}", "2025-02-15", 10) for i in range(n)]
        + [(f"C{i}", "2025-03-10", 10) for i in range(15)],
    )
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)), active_days=30)
    assert (r.at_start, r.at_end) == (n, 15)
    assert r.retention_rate == pytest.approx(15 / n)
    assert r.low_base is low
    assert r.monthly[["month", "low_base"]].values.tolist() == [[dt.date(2025, 3, 1), low]]


def test_no_rate_no_small_base_flag(ws):
    # history too short (first purchase 1 March, 30-day window): no rate, so nothing to flag
    orders(ws, [("A", "2025-03-01", 10)])
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)), active_days=30)
    assert r.retention_rate is None and not r.low_base and r.monthly["low_base"].tolist() == [False]


def test_an_amount_of_no_currency_is_not_added_to_a_known_one(ws):
    """A CAD shop and one order of a file without a currency (the tester's Shopify CAD export + an order A1 of
    10.00): the AOV and CLV are over the CAD purchases, the other is said apart; all of no currency → all count."""
    with ws.cursor() as cur:
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, status, currency) "
            "values (7, 'shop.csv', 'x', 'orders', 'loaded', 'CAD')"
        )
        for c, day, amount, currency, import_id in [
            ("P", "2025-03-05", 100, "CAD", 1),
            ("Q", "2025-03-10", 50, None, 7),  # no currency of its own: its import's (CAD)
            ("R", "2025-03-12", 10, None, 1),  # no currency anywhere
            ("R", "2025-04-02", 30, None, 1),
        ]:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, currency) "
                "values ($i, $c, $d::timestamp, $a, 'completed', $cur)",
                {"i": import_id, "c": c, "d": day, "a": amount, "cur": currency},
            )
    r = cohorts.find_retention(ws, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)), active_days=30)
    # March: 3 purchases by 3 customers; CAD 100 + 50 = 150 over 2 → AOV 75 (not 160 / 3 = 53.33)
    assert (r.orders, r.customers, r.revenue_orders, r.revenue, r.aov) == (3, 3, 2, 150.0, 75.0)
    assert (r.unknown_currency_orders, r.unknown_currency_revenue) == (1, 10.0)
    # frequency over every purchase: 3 / 3 / (31 / 365.25) = 11.78226; no 30 days of history → 3 years
    # CLV = 75.00 × 11.78 × 3.00 = 2650.50
    assert r.lifespan_source == "default" and r.clv == pytest.approx(2650.50, abs=1e-9)
    # April: only R's 30 of no currency → it counts, in the currency the page assumes
    april = cohorts.find_retention(ws, Filters(start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30)), active_days=30)
    assert (april.revenue_orders, april.revenue, april.aov, april.unknown_currency_orders) == (1, 30.0, 30.0, 0)
