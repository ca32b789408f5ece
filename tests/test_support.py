"""Support: first-reply and resolution times against the expected times of CX_REFERENCE §3, resolution rate,
complaints by category × severity × recurrence, ticket CSAT — against values worked by hand."""

import datetime as dt

import pytest

from cx.models import Filters
from cx.support import (
    EXPECTED_RESPONSE,
    complaint_breakdown,
    expectation_params,
    list_tickets,
    summarise_support,
    support_by_channel,
)
from tests.test_satisfaction import insert

T0 = dt.datetime(2025, 4, 1, 9, 0)


def ticket(i, channel, first_minutes=None, resolved_hours=None, **extra) -> dict:
    created = T0 + dt.timedelta(days=i)
    return {
        "ticket_id": f"T{i}",
        "channel": channel,
        "created_at": created,
        "first_response_at": None if first_minutes is None else created + dt.timedelta(minutes=first_minutes),
        "resolved_at": None if resolved_hours is None else created + dt.timedelta(hours=resolved_hours),
        **extra,
    }


def test_expectations_are_the_reference_ones():
    # CX_REFERENCE §3: live chat < 2 min, phone 5–10 min, social networks 30–60 min, e-mail 24 h
    assert {e.channel: (e.min_minutes, e.max_minutes) for e in EXPECTED_RESPONSE} == {
        "chat": (0, 2),
        "phone": (5, 10),
        "social": (30, 60),
        "email": (0, 24 * 60),
    }
    assert len(expectation_params()["exp_pattern"]) == len(EXPECTED_RESPONSE)


def test_times_against_expectations_by_hand(ws):
    insert(
        ws,
        "tickets",
        [
            # chat: first replies 1, 2, 3 min → median 2; p90 = 2 + 0.8·(3 − 2) = 2.8 (linear); within 2 min: 2 of 3
            ticket(0, "chat", 1, 5, csat=5),
            ticket(1, "Live chat", 2, None, csat=4),
            ticket(2, "chat", 3, 10, csat=3),
            # e-mail: 10 h and 30 h → median 20 h = 1 200 min (< 24 h, so not slow); within 24 h: 1 of 2; one unanswered
            ticket(3, "email", 600, 48, csat=1),
            ticket(4, "E-mail", 1800, 60),
            ticket(5, "courriel"),
            # phone: 12 min → over 5–10 min; social: 45 min → within 30–60 min
            ticket(6, "Téléphone", 12, 1),
            ticket(7, "Facebook", 45, 2),
            # a channel with no reference time
            ticket(8, "fax", 30, 1),
        ],
    )
    channels = support_by_channel(ws).set_index("channel_group")
    chat = channels.loc["chat"]
    assert (chat["tickets"], chat["answered"]) == (3, 3)
    assert chat["first_response_median_minutes"] == pytest.approx(2)
    assert chat["first_response_p90_minutes"] == pytest.approx(2.8)
    assert chat["within_expected_share"] == pytest.approx(2 / 3) and chat["expected_label"] == "< 2 min"
    assert chat["resolution_rate"] == pytest.approx(2 / 3) and chat["resolution_median_hours"] == pytest.approx(7.5)
    # ticket CSAT: 5, 4, 3 → 4s and 5s: 2 of 3 → 66.7; mean 4
    assert chat["csat"] == pytest.approx(200 / 3) and chat["csat_mean"] == pytest.approx(4)
    email = channels.loc["email"]
    assert (email["tickets"], email["answered"]) == (3, 2)
    assert email["first_response_median_minutes"] == pytest.approx(1200)
    assert email["within_expected_share"] == pytest.approx(0.5) and not email["slower_than_expected"]
    assert channels.loc["phone", "slower_than_expected"] and channels.loc["phone", "within_expected_share"] == 0
    assert not channels.loc["social", "slower_than_expected"]
    assert channels.loc["fax", "tickets"] == 1 and channels["expected_label"].isna().sum() == 1
    assert list(channels.index[:2]) == ["chat", "email"]  # most tickets first


def test_an_email_team_answering_in_62_hours_is_slow(ws):
    insert(ws, "tickets", [ticket(i, "email", 62 * 60) for i in range(3)])
    summary = summarise_support(ws)
    assert summary.slow_channels == ("email",) and summary.tickets == 3 and summary.resolution_rate == 0


def test_complaints_by_category_severity_and_recurrence(ws):
    insert(
        ws,
        "tickets",
        [
            # C1 complains about delivery on day 0 and again 45 days later (recurrent), then 150 days later (not:
            # more than 90 days after the previous one)
            ticket(0, "chat", 1, customer_id="C1", category="livraison", severity="high", is_complaint=True),
            ticket(45, "chat", 1, customer_id="C1", category="livraison", severity="high", is_complaint=True),
            ticket(195, "chat", 1, customer_id="C1", category="livraison", severity="high", is_complaint=True),
            # another category, another customer, a non-complaint: none is a recurrence
            ticket(50, "chat", 1, customer_id="C1", category="produit", severity="low", is_complaint=True),
            ticket(10, "chat", 1, customer_id="C2", category="livraison", severity="high", is_complaint=True),
            ticket(20, "chat", 1, customer_id="C2", category="livraison", severity="high", is_complaint=False),
            ticket(30, "chat", 1, customer_id=None, category="livraison", severity="high", is_complaint=True),
        ],
    )
    insert(
        ws,
        "orders",
        [{"customer_id": "C9", "order_time": T0 + dt.timedelta(days=d), "amount": 10} for d in range(0, 200, 2)],
    )  # 100 orders in the period
    rows = {(r.category, r.severity, r.recurrent): r for r in complaint_breakdown(ws).itertuples()}
    assert rows[("livraison", "high", True)].complaints == 1
    assert rows[("livraison", "high", False)].complaints == 4  # C1 ×2 (first, 150 days later), C2, anonymous
    assert rows[("produit", "low", False)].complaints == 1
    # 6 complaints; per 100 orders: 4 / 100 orders · 100 = 4
    assert rows[("livraison", "high", False)].per_100_orders == pytest.approx(4)
    assert rows[("livraison", "high", False)].share == pytest.approx(4 / 6)
    summary = summarise_support(ws)
    assert summary.complaints == 6 and summary.complaint_rate == pytest.approx(6)
    assert summary.recurrent_share == pytest.approx(1 / 6)
    # an earlier complaint outside the period still makes a recurrence inside it
    later = complaint_breakdown(ws, Filters(start=(T0 + dt.timedelta(days=40)).date()))
    assert later.loc[later["recurrent"], "complaints"].sum() == 1


def test_filters_apply_to_tickets(ws):
    insert(ws, "customers", [{"customer_id": "C1", "segment": "VIP"}, {"customer_id": "C2", "segment": "Pro"}])
    insert(
        ws,
        "tickets",
        [
            ticket(0, "chat", 1, customer_id="C1"),
            ticket(1, "chat", 1, customer_id="C2"),
            ticket(2, "chat", 1, customer_id=None),
        ],
    )
    insert(
        ws,
        "events",
        [{"event_time": T0, "visitor_id": "v", "event_name": "page_view", "customer_id": "C2", "device": "mobile"}],
    )
    assert len(list_tickets(ws)) == 3
    assert list(list_tickets(ws, Filters(segment="VIP"))["ticket_id"]) == ["T0"]
    assert list(list_tickets(ws, Filters(device="mobile"))["ticket_id"]) == ["T1"]
    assert list(
        list_tickets(ws, Filters(start=(T0 + dt.timedelta(days=1)).date(), end=(T0 + dt.timedelta(days=1)).date()))[
            "ticket_id"
        ]
    ) == ["T1"]


def test_no_ticket_no_figures(ws):
    summary = summarise_support(ws)
    assert (summary.tickets, summary.resolution_rate, summary.complaint_rate, summary.csat) == (0, None, None, None)
    assert support_by_channel(ws).empty and complaint_breakdown(ws).empty


def test_complaint_rate_only_over_the_months_both_exports_cover(ws):
    # tickets in April, May and June 2025 (T0 = 2025-04-01): 2 complaints each month; orders in June and July
    insert(
        ws,
        "tickets",
        [ticket(d, "chat", 1, customer_id="C1", category="c", is_complaint=True) for d in (0, 1, 30, 31, 61, 62)],
    )
    insert(
        ws,
        "orders",
        [{"customer_id": "C9", "order_time": T0 + dt.timedelta(days=d), "amount": 10} for d in range(61, 101, 4)],
    )  # days 61..97 by 4: June 1–29 → 8 orders (61, 65, …, 89), July 1–9 → 2 (93, 97)
    summary = summarise_support(ws)
    # overlap = June only: 2 complaints / 8 June orders · 100 = 25 (not 6 / 10 · 100 = 60)
    assert summary.complaints == 6
    assert summary.complaint_rate == pytest.approx(25) and summary.complaint_rate_reason is None
    row = complaint_breakdown(ws).iloc[0]
    assert (row.rated_complaints, row.orders, row.per_100_orders) == (2, 8, pytest.approx(25))


def test_complaint_rate_not_available_without_common_months_or_above_orders(ws):
    insert(ws, "tickets", [ticket(d, "chat", 1, customer_id="C1", is_complaint=True) for d in range(5)])
    # orders only a year later: no common month
    insert(ws, "orders", [{"customer_id": "C9", "order_time": T0 + dt.timedelta(days=400), "amount": 10}])
    summary = summarise_support(ws)
    assert (summary.complaint_rate, summary.complaint_rate_reason) == (None, "no_overlap")
    # one order in April against 5 April complaints: 500 % is not a rate, say why
    insert(ws, "orders", [{"customer_id": "C9", "order_time": T0, "amount": 10}])
    summary = summarise_support(ws)
    assert (summary.complaint_rate, summary.complaint_rate_reason) == (None, "above_orders")
