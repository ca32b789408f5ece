"""bench/lake.py --replicate (issue 16's 50M-event run): the generator's events copied K times in DuckDB, each copy
with visitors and customers of its own, and filled into a workspace by `insert … select` from Parquet."""

import duckdb

from bench import lake as bench_lake
from cx.workspace import Workspace


def test_replicated_events_are_k_disjoint_copies(tmp_path):
    parquet, customers, orders, _ = bench_lake.replicated(4000, 200, 4, tmp_path / "gen")
    con = duckdb.connect()
    base = f"read_parquet('{tmp_path / 'gen' / 'base.parquet'}')"
    copies = f"read_parquet('{parquet}')"
    ((n_base, v_base, s_base),) = con.execute(
        f"select count(*), count(distinct visitor_id), count(distinct (visitor_id, session_id)) from {base}"
    ).fetchall()
    ((n, v, s, c_max),) = con.execute(
        f"select count(*), count(distinct visitor_id), count(distinct (visitor_id, session_id)), "
        f"max(substr(customer_id, 2)::int) from {copies}"
    ).fetchall()
    assert 990 <= n_base <= 1000 and (n, v, s) == (4 * n_base, 4 * v_base, 4 * s_base)  # 4 copies, none shared
    assert c_max < len(customers) == 200  # copy k's customers are k·50 + the base's (0–49): all generated
    unknown = con.execute(
        f"select count(*) from {copies} where customer_id is not null and customer_id not in "
        f"(select customer_id from customers)"
    ).fetchall()[0][0]
    assert unknown == 0
    # each copy has the base's events: the same counts per event name, times sorted as the generator sorts them
    assert con.execute(
        f"select count(*) from (select event_name, count(*) * 4 as n from {base} group by 1 "
        f"except select event_name, count(*) from {copies} group by 1)"
    ).fetchall() == [(0,)]
    assert con.execute(
        f"select bool_and(event_time >= prev) from (select event_time, lag(event_time, 1, event_time) "
        f"over (order by file_row_number) as prev from read_parquet('{parquet}', file_row_number = true))"
    ).fetchall() == [(True,)]
    # written once: a second call reuses the file
    mtime = parquet.stat().st_mtime_ns
    assert bench_lake.replicated(4000, 200, 4, tmp_path / "gen")[0].stat().st_mtime_ns == mtime
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        bench_lake.fill_parquet(ws, parquet, (("customers", customers), ("orders", orders)))
        counts = ws.table_counts()
        assert (counts["events"], counts["customers"], counts["orders"]) == (4 * n_base, 200, len(orders))
        with ws.cursor() as cur:
            assert cur.execute("select import_id, kind, rows_loaded from imports order by 1").fetchall() == [
                (1, "events", 4 * n_base),
                (2, "customers", 200),
                (3, "orders", len(orders)),
            ]
    finally:
        ws.close()
