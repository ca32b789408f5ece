"""Real exports a new user brought on 2026-12-07 (tests/data/tester5/, copied from their files) that did not get in
right: WooCommerce's `wc-` statuses and its refunded totals, Google Forms' 12-hour zoned timestamps, Zendesk's reply
times in minutes, WooCommerce Analytics' customers export. Each figure below is worked out by hand from the file."""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from cx.cohorts import find_retention
from cx.i18n import t
from cx.ingest import convert, import_file, list_imports
from cx.personas import customer_features
from cx.rejects import fix_text, reject_reason
from cx.support import support_by_channel
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester5"
T = dt.datetime


def test_woocommerce_statuses_with_the_wc_prefix_and_its_refunded_total(ws):
    report = import_file(ws, DATA / "orders_woo_excel_be.csv")
    assert report.mapping["status"] == "status" and report.mapping["refunded_total"] == "refunded"
    r = find_retention(ws, None)
    # 12 orders: 104 wc-cancelled and 112 wc-failed are no purchase, 108 is a guest's → 9 purchases of named
    # customers: 120.50 + 59.90 + 80 + 99.99 + 1234.56 + 35.10 + 70 + 150 + 15 = 1865.05 €, 1865.05 / 9 = 207.23 €
    assert (r.orders, round(r.revenue, 2), round(r.aov, 2)) == (9, 1865.05, 207.23)
    # customers 1, 2, 4, 5, 6, 7 bought (3's orders were cancelled or failed); 1, 2 and 6 twice → 3 of 6 = 50 %
    assert (r.customers, r.repeat_customers, r.repeat_rate) == (6, 3, 0.5)
    # 105 wc-refunded, over the 10 purchases, the guest's 108 included as on the Journey page (no delivery date in
    # the file) → 1 / 10 = 10 %
    assert (r.returned, r.return_basis, round(r.return_rate, 3)) == (1, "purchases", 0.1)
    f = customer_features(ws).set_index("customer_id")
    # customer 7's order 110: 150 €, 30 € refunded → 120 € spent; customer 4's only order was refunded in full
    assert f.loc["7", "monetary"] == pytest.approx(120.0) and f.loc["7", "n_orders"] == 1
    assert (f.loc["4", "n_orders"], f.loc["4", "monetary"], f.loc["4", "returned"]) == (0, 0, 1)


def test_a_refund_written_negative_is_stored_as_the_money_given_back(ws, tmp_path):
    # WooCommerce's reports write refunds as negative amounts: the money given back is 30 either way
    path = write(
        tmp_path,
        "orders.csv",
        "Order ID,Date,Customer ID,Status,Order Total,Refund amount\n"
        "1,2025-03-01,c1,Completed,150.00,-30.00\n"
        "2,2025-03-02,c2,Refunded,40.00,40.00\n",
    )
    report = import_file(ws, path)
    assert report.mapping["Refund amount"] == "refunded"
    with ws.cursor() as cur:
        assert cur.execute("select order_id, refunded from orders order by order_id").fetchall() == [
            ("1", 30.0),
            ("2", 40.0),
        ]


def test_google_forms_12_hour_zoned_timestamps_are_read(ws):
    report = import_file(ws, DATA / "nps_google_forms.csv")
    # all 10 answers were rejected as "not a date"
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (10, 10, 0)
    with ws.cursor() as cur:
        got = [r[0] for r in cur.execute("select responded_at from responses order by responded_at").fetchall()]
    # CET is Paris's winter time, the workspace's zone: the times stay as written; 11:45 PM is 23:45, 12:00 PM noon
    assert got[0] == T(2024, 3, 5, 14, 14, 33) and got[2] == T(2024, 3, 6, 23, 45)
    assert T(2024, 3, 12, 12, 0) in got and got[-1] == T(2024, 3, 13, 3, 3, 3)


def test_google_forms_variants_with_and_without_zone(ws, tmp_path):
    rows = [
        ("2024/03/05 2:14:33 PM", T(2024, 3, 5, 14, 14, 33)),  # no zone: as written
        ("2024/03/06 2:14:33 PM GMT+1", T(2024, 3, 6, 14, 14, 33)),  # Paris in March is GMT+1
        ("2024/03/07 2:14:33 PM EST", T(2024, 3, 7, 20, 14, 33)),  # 19:14 UTC → 20:14 in Paris (winter)
        ("2024/07/08 2:14:33 PM PDT", T(2024, 7, 8, 23, 14, 33)),  # 21:14 UTC → 23:14 in Paris (summer)
        ("2024/07/09 2:14:33 PM CEST", T(2024, 7, 9, 14, 14, 33)),
        ("2024/07/10 2:14:33 PM UTC", T(2024, 7, 10, 16, 14, 33)),
        ("2024/03/11 12:05:00 AM CET", T(2024, 3, 11, 0, 5)),  # 12 AM is midnight
        ("2024/03/12 12:05:00 PM CET", T(2024, 3, 12, 12, 5)),  # 12 PM is noon
    ]
    text = "Timestamp,Email Address,How likely are you to recommend us?\n" + "".join(
        f"{v},p{i}@example.com,{i}\n" for i, (v, _) in enumerate(rows)
    )
    report = import_file(ws, write(tmp_path, "form.csv", text))
    assert report.rows_loaded == len(rows), report.rejects
    with ws.cursor() as cur:
        got = [r[0] for r in cur.execute("select responded_at from responses order by nps").fetchall()]
    assert got == [e for _, e in rows]
    # the tester's other file: month first without a zone ("3/7/2024 14:14:33") beside the zoned ones
    assert import_file(ws, DATA / "gforms_variants.csv").rows_loaded == 3


SHAPES = (
    ("%Y/%m/%d {h}:%M:%S %p", "mdy"),
    ("%m/%d/%Y {h}:%M:%S %p", "mdy"),
    ("%d/%m/%Y {h}:%M:%S %p", "dmy"),
    ("%Y-%m-%d {h}:%M:%S %p", "dmy"),
)


@settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(min_value=T(2000, 1, 1), max_value=T(2049, 12, 31)).map(lambda d: d.replace(microsecond=0)),
    shape=st.sampled_from(SHAPES),
    zone=st.sampled_from(["", " UTC", " GMT", " GMT+1", " GMT-5", " GMT+5:30", " CET", " EST", " PDT", " JST"]),
)
def test_any_moment_written_in_these_shapes_reads_back(moment, shape, zone):
    fmt, order = shape
    hour = str(int(moment.strftime("%I")))  # Google writes "2:14:33 PM", no leading zero
    text = moment.strftime(fmt.format(h=hour)) + zone
    minutes = 0
    if zone:
        word = zone.strip()
        m = re.fullmatch(r"GMT([+-])(\d+)(?::(\d\d))?", word)
        minutes = (
            (1 if m.group(1) == "+" else -1) * (int(m.group(2)) * 60 + int(m.group(3) or 0))
            if m
            else convert.ZONES[word]
        )
    expr = convert.timestamp_sql("$v", order, "UTC")  # a workspace on UTC: the instant itself
    got = duckdb.connect().execute(f"select {expr}", {"v": text}).fetchall()[0][0]
    assert got == moment - dt.timedelta(minutes=minutes), text


def test_a_date_in_a_shape_parcours_does_not_read_is_told_how_to_write_it(ws, tmp_path):
    text = "Timestamp,Email Address,How likely are you to recommend us?\n" + (
        "2024/03/05 2:14:33 PM XYZ,a@example.com,9\n"  # an unknown zone: a shape Parcours does not read
        "13/45/2024,b@example.com,8\n"  # a shape it reads, a date that does not exist
        "2024-03-05 10:00,c@example.com,7\n"
    )
    report = import_file(ws, write(tmp_path, "form.csv", text))
    codes = {r.line: r.code for r in report.rejects}
    assert codes == {2: "unknown_date_format", 3: "not_a_date"}
    for lang in ("fr", "en"):
        assert fix_text("not_a_date", lang) == t("rejects.fix.not_a_date", lang)
        shapes = fix_text("unknown_date_format", lang)
        assert "2025-12-31" in shapes and "2:30 PM" in shapes and "GMT+1" in shapes
        assert shapes != fix_text("not_a_date", lang)
        assert reject_reason("unknown_date_format", "", lang) == t("import.reject.unknown_date_format", lang)


def test_an_import_whose_every_row_was_rejected_is_not_called_loaded(ws, tmp_path):
    text = "Timestamp,Email Address,How likely are you to recommend us?\nsoon,a@example.com,9\nlater,b@example.com,8\n"
    report = import_file(ws, write(tmp_path, "form.csv", text))
    assert (report.rows_loaded, report.rows_rejected) == (0, 2)
    import_file(ws, DATA / "gforms_variants.csv")
    history = list_imports(ws).set_index("import_id")["status"]
    assert history[report.import_id] == "nothing_loaded" and history.drop(report.import_id).tolist() == ["loaded"]
    assert t("import.status.nothing_loaded", "en") == "nothing loaded: every row rejected"
    assert t("import.status.nothing_loaded", "fr") != t("import.status.loaded", "fr")


def test_zendesk_reply_and_resolution_minutes_feed_the_tickets_times(ws):
    report = import_file(ws, DATA / "zendesk_tickets.csv")
    assert report.mapping["First reply time in minutes"] == "first_reply_minutes"
    assert report.columns["First reply time in minutes"]["fate"] == "mapped"
    with ws.cursor() as cur:
        rows = cur.execute(
            "select ticket_id, first_response_at, resolved_at from tickets order by ticket_id"
        ).fetchall()
    # 9001 created 10:00 (+0100 = Paris), first reply 30 minutes later; 9003 open: 15 min to reply, not resolved
    assert rows[0] == ("9001", T(2024, 3, 6, 10, 30), T(2024, 3, 6, 14, 0))
    assert rows[2] == ("9003", T(2024, 3, 8, 11, 15), None)
    channels = support_by_channel(ws)
    # every ticket now has its first reply (Support said 0 of 5): 30, 600, 15, 2 and 840 minutes
    assert int(channels["answered"].sum()) == 5


def test_zendesk_resolution_minutes_fill_a_missing_solved_time(ws, tmp_path):
    path = write(
        tmp_path,
        "zendesk.csv",
        "Id,Via,Created at,Subject,First reply time in minutes,Full resolution time in minutes\n"
        "1,Mail,2024-03-06 10:00:00,Late,90,1440\n"
        "2,Chat,2024-03-06 11:00:00,Size,,\n",
    )
    import_file(ws, path)
    with ws.cursor() as cur:
        rows = cur.execute("select first_response_at, resolved_at from tickets order by ticket_id").fetchall()
    # 10:00 + 90 min = 11:30; + 1440 min = the next day 10:00; the second ticket says neither
    assert rows == [(T(2024, 3, 6, 11, 30), T(2024, 3, 7, 10, 0)), (None, None)]


def test_zendesk_minutes_within_business_hours_are_not_calendar_minutes(ws, tmp_path):
    # an export with only the business-hours durations: they skip nights and week-ends, so they are no reply or
    # resolution time (they were taken for the calendar ones by a part of their name); kept as extra data
    path = write(
        tmp_path,
        "zendesk.csv",
        "Id,Via,Created at,Subject,First reply time in minutes within business hours,"
        "Full resolution time in minutes within business hours\n"
        "1,Mail,2024-03-06 10:00:00,Late,90,1440\n",
    )
    report = import_file(ws, path)
    assert set(report.mapping.values()) == {"ticket_id", "channel", "created_at", "text"}
    assert report.columns["First reply time in minutes within business hours"]["fate"] == "kept"
    with ws.cursor() as cur:
        row = cur.execute(
            "select first_response_at, resolved_at, "
            "extra->>'First reply time in minutes within business hours' from tickets"
        ).fetchall()
    assert row == [(None, None, "90")]


def test_woocommerce_analytics_customers_sign_up_date_and_total_spend(ws, tmp_path):
    report = import_file(ws, DATA / "woo_analytics_customers.csv")
    assert report.mapping["Date registered"] == "signup_date" and report.mapping["Total spend"] == "lifetime_value"
    with ws.cursor() as cur:
        rows = cur.execute("select signup_date, lifetime_value from customers order by signup_date").fetchall()
    assert rows == [(dt.date(2024, 1, 15), 200.5), (dt.date(2024, 1, 20), 95.0)]  # "€200.50" read as 200.5
    # a date that does not exist in "Date registered" is now checked and reported
    bad = write(
        tmp_path,
        "customers.csv",
        (DATA / "woo_analytics_customers.csv").read_text().replace('"2024-01-20"', '"2024-02-30"'),
    )
    report = import_file(ws, bad)
    assert [(r.line, r.column, r.code) for r in report.rejects] == [(3, "Date registered", "not_a_date")]


@pytest.mark.parametrize(
    "header, statuses",
    [
        # a plugin export (its `wc-` prefix), the REST API's bare slugs, an export of the statuses' labels
        ("order_id,order_date,customer_id,status,order_total", ("wc-completed", "wc-pending", "wc-on-hold")),
        (
            "id,date_created,customer_id,status,total,billing_email,payment_method_title",
            ("completed", "pending", "on-hold"),
        ),
        (
            "Order ID,Order Date,Customer ID,Order Status,Order Total,Billing Email",
            ("Completed", "Pending payment", "On hold"),
        ),
    ],
)
def test_woocommerce_pending_payment_is_no_purchase(ws, tmp_path, header, statuses):
    done, pending, on_hold = statuses
    rows = [(1, "c1", done, 100), (2, "c2", pending, 50), (3, "c3", on_hold, 30), (4, "c1", done, 20)]
    extra = "," * (header.count(",") - 4)
    text = header + "\n" + "".join(f"{i},2025-03-0{i},{c},{s},{a}{extra}\n" for i, c, s, a in rows)
    report = import_file(ws, write(tmp_path, "orders.csv", text))
    assert report.rows_loaded == 4 and "woocommerce_statuses" in [n.key for n in report.notes]
    r = find_retention(ws, None)
    # order 2 awaits its payment: no purchase, as WooCommerce Analytics counts; on hold (awaiting a bank transfer
    # the shop checks) counts → 3 purchases, 100 + 30 + 20 = 150 €, AOV 50 €; c1 bought twice of c1, c3 → 50 %
    assert (r.orders, round(r.revenue, 2), round(r.aov, 2)) == (3, 150.0, 50.0)
    assert (r.customers, r.repeat_customers) == (2, 1)


def test_shopify_pending_payment_still_counts(ws, tmp_path):
    text = (
        "Name,Email,Financial Status,Total,Created at\n"
        "#1001,a@example.com,paid,100,2025-03-01 10:00\n"
        "#1002,b@example.com,pending,50,2025-03-02 10:00\n"
    )
    report = import_file(ws, write(tmp_path, "orders_export.csv", text))
    assert report.rows_loaded == 2 and "woocommerce_statuses" not in [n.key for n in report.notes]
    # Shopify counts a pending payment as an order: 2 purchases, 150 €
    r = find_retention(ws, None)
    assert (r.orders, round(r.revenue, 2)) == (2, 150.0)


def test_a_zoned_time_after_the_sample_is_read(ws, tmp_path, monkeypatch):
    # the formats are decided from the first rows (here 3); a zoned time further down was rejected ("not a date
    # that exists": the zone's reading was switched on from the first rows only); a text in no shape is rejected
    monkeypatch.setattr(convert, "SAMPLE_ROWS", 3)
    text = "Timestamp,Email Address,How likely are you to recommend us?\n" + (
        "05/03/2024 14:14:33,a@example.com,9\n"
        "06/03/2024 09:00:00,b@example.com,8\n"
        "07/03/2024 10:30:00,c@example.com,7\n"
        "2024/03/07 2:14:33 PM EST,d@example.com,6\n"  # 19:14 UTC → 20:14 in Paris (winter)
        "13/03/2024 08:05:00,e@example.com,5\n"
        "soon,f@example.com,4\n"
    )
    report = import_file(ws, write(tmp_path, "form.csv", text))
    assert [(r.line, r.code, r.value) for r in report.rejects] == [(7, "unknown_date_format", "soon")]
    with ws.cursor() as cur:
        got = dict(cur.execute("select nps, responded_at from responses").fetchall())
    assert got == {
        9: T(2024, 3, 5, 14, 14, 33),
        8: T(2024, 3, 6, 9),
        7: T(2024, 3, 7, 10, 30),
        6: T(2024, 3, 7, 20, 14, 33),
        5: T(2024, 3, 13, 8, 5),
    }


@settings(max_examples=80, deadline=None)
@given(
    moment=st.datetimes(min_value=T(2000, 1, 1), max_value=T(2049, 12, 31)),
    order=st.sampled_from(["dmy", "mdy"]),
    data=st.data(),
)
def test_a_date_in_a_shape_parcours_reads_reads_back_whatever_the_column_decided(moment, order, data):
    # the column's formats are decided from one value (`decided`); a value written in any shape reads back as
    # written, the same as with every format tried (the decided ones only go first)
    decided, written = (data.draw(st.sampled_from(convert.ordered_formats(order))) for _ in range(2))
    text = moment.strftime(written)
    expected = dt.datetime.strptime(text, written)
    con = duckdb.connect()
    formats = convert.date_formats(con, [moment.strftime(decided)], order)
    assert formats and set(formats) <= set(convert.ordered_formats(order))
    fast = convert.timestamp_sql("$v", order, "UTC", formats=formats)
    every = convert.timestamp_sql("$v", order, "UTC")
    assert con.execute(f"select {fast}, {every}", {"v": text}).fetchall()[0] == (expected, expected), (text, formats)
