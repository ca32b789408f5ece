"""cx.coverage: which optional columns hold values (what a "not available" figure is based on)."""

import pytest

from cx.coverage import filled
from cx.errors import CxError
from tests.test_satisfaction import insert


def test_filled_counts_the_rows_with_a_value(ws):
    assert filled(ws, "orders", "status") == 0  # nothing loaded
    insert(
        ws,
        "orders",
        [
            {"customer_id": "C1", "order_time": "2025-03-01", "amount": 10.0},
            {"customer_id": "C2", "order_time": "2025-03-02", "amount": 20.0, "status": "returned"},
            {"customer_id": "C3", "order_time": "2025-03-03", "amount": 30.0, "status": "completed"},
        ],
    )
    assert filled(ws, "orders", "status") == 2
    assert filled(ws, "orders", "delivered_date") == 0
    insert(ws, "events", [{"event_time": "2025-03-01 10:00", "visitor_id": "V", "event_name": "page_view"}])
    assert filled(ws, "events", "page") == 0 and filled(ws, "events", "event_name") == 1


@pytest.mark.parametrize(
    "table, column", [("orders", "shoe_size"), ("imports", "file_name"), ("orders", 'status") from orders; --')]
)
def test_only_schema_names_reach_the_sql(ws, table, column):
    with pytest.raises(CxError):
        filled(ws, table, column)
