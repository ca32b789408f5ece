"""Property tests of the epoch → local time shortcut (`convert.zone_days` + `convert.local_epoch_sql`): an
epoch converted through the table of the zone's daily offsets equals DuckDB's `timezone()` of it, for any
instant of 1970–2100 (inside and outside the table's days), at and around every DST change, and in zones
with unusual changes (half-hour DST, a skipped day, Ramadan suspensions, a zone without DST)."""

from __future__ import annotations

import datetime as dt
import functools

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from cx.ingest import convert

US = 1_000_000
FIRST_US = 0  # 1970-01-01
END_US = 4_133_980_800 * US  # 2101-01-01
ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Africa/Casablanca", "Asia/Kolkata"]


@functools.lru_cache
def _con(zone: str):
    """A connection holding the zone's table (made once per zone: the random examples share it)."""
    con = duckdb.connect()
    table = convert.zone_days(con, zone)
    return con, table


def _mismatches(con, table: str, zone: str, instants_sql: str) -> list:
    """Instants (µs) whose shortcut differs from `timezone()`, with both values."""
    fast = convert.local_epoch_sql("e", zone, table)
    exact = convert.local_epoch_sql("e", zone)
    return con.execute(
        f"select e, a, b from (select e, {fast} as a, {exact} as b from ({instants_sql})) where a is distinct from b "
        f"order by e limit 5"
    ).fetchall()


@pytest.mark.parametrize("zone", ZONES)
def test_every_minute_around_every_change_and_every_six_hours_of_1970_to_2100(zone):
    con, table = _con(zone)
    # every 6 hours of 1970–2100; the zone's offset changes between two of them where it differs
    grid = f"select h * 6 * 3600 * {US} as e from range({FIRST_US // US // 21600}, {END_US // US // 21600}) r(h)"
    assert _mismatches(con, table, zone, grid) == []
    offset = f"epoch_us(timezone('{zone}', make_timestamptz(e))) - e"
    changes = [
        c[0]
        for c in con.execute(
            f"select e from (select e, {offset} as o, lag({offset}) over (order by e) as before from ({grid})) "
            f"where o <> before"
        ).fetchall()
    ]
    if zone != "Asia/Kolkata":
        assert len(changes) > 10, zone  # the test sees the changes it is about
    # each minute of the 6 hours before each change was seen, and each minute ± 1 µs
    around = (
        f"select c - m * 60 * {US} + d as e from (select unnest($changes) as c), range(0, 361) r(m), "
        f"(select unnest([-1, 0, 1]) as d)"
    )
    fast = convert.local_epoch_sql("e", zone, table)
    exact = convert.local_epoch_sql("e", zone)
    assert (
        con.execute(
            f"select count(*) from (select {fast} as a, {exact} as b from ({around})) where a is distinct from b",
            {"changes": changes},
        ).fetchall()[0][0]
        == 0
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=FIRST_US, max_value=END_US), min_size=1, max_size=200))
def test_random_instants_of_1970_to_2100_in_paris(instants):
    con, table = _con("Europe/Paris")
    con.execute("create or replace temp table i as select unnest($i)::bigint as e", {"i": instants})
    assert _mismatches(con, table, "Europe/Paris", "select e from i") == []


def test_paris_dst_changes_by_hand():
    """2025-03-30 01:00 UTC: 02:00 → 03:00 in Paris; 2025-10-26 01:00 UTC: 03:00 → 02:00; 1970: no DST."""
    con, table = _con("Europe/Paris")

    def local(utc: dt.datetime) -> dt.datetime:
        micros = int(utc.replace(tzinfo=dt.UTC).timestamp()) * US
        return con.execute(f"select {convert.local_epoch_sql(str(micros), 'Europe/Paris', table)}").fetchone()[0]

    assert local(dt.datetime(2025, 3, 30, 0, 59, 59)) == dt.datetime(2025, 3, 30, 1, 59, 59)
    assert local(dt.datetime(2025, 3, 30, 1, 0, 0)) == dt.datetime(2025, 3, 30, 3, 0, 0)
    assert local(dt.datetime(2025, 10, 26, 0, 59, 59)) == dt.datetime(2025, 10, 26, 2, 59, 59)
    assert local(dt.datetime(2025, 10, 26, 1, 0, 0)) == dt.datetime(2025, 10, 26, 2, 0, 0)
    assert local(dt.datetime(2025, 7, 14, 12, 0, 0)) == dt.datetime(2025, 7, 14, 14, 0, 0)  # summer: +2
    assert local(dt.datetime(1970, 7, 14, 12, 0, 0)) == dt.datetime(1970, 7, 14, 13, 0, 0)  # outside the table
    assert local(dt.datetime(2099, 7, 14, 12, 0, 0)) == dt.datetime(2099, 7, 14, 14, 0, 0)  # outside the table


def test_the_table_holds_a_day_per_utc_day_and_nulls_only_on_change_days():
    con, table = _con("Europe/Paris")
    offsets = con.execute(f"select offsets from {table}").fetchone()[0]
    assert len(offsets) == convert.ZONE_END_DAY - convert.ZONE_FIRST_DAY
    assert set(offsets) == {3600 * US, 7200 * US, None}
    assert sum(o is None for o in offsets) == 2 * 50  # two changes a year, 2000–2049


@pytest.mark.parametrize("text", ["1735689600", "1735689600000", "1735689600123456", "1743296400", "1761440399"])
def test_timestamp_sql_with_the_table_equals_without(text):
    con, table = _con("Europe/Paris")
    fast = con.execute(f"select {convert.timestamp_sql('$v', 'dmy', zone_days=table)}", {"v": text}).fetchone()[0]
    exact = con.execute(f"select {convert.timestamp_sql('$v', 'dmy')}", {"v": text}).fetchone()[0]
    assert fast == exact is not None


def _events(path, zone_days: bool, monkeypatch) -> tuple[list, list]:
    from cx.ingest import import_file, load, rejects_of
    from cx.workspace import Workspace

    monkeypatch.setattr(load, "ZONE_DAYS_MIN_BYTES", 0 if zone_days else 1 << 62)
    ws = Workspace(path.parent / f"w{int(zone_days)}.duckdb")
    try:
        report = import_file(
            ws, path, kind="events", mapping={"ts": "event_time", "who": "visitor_id", "what": "event_name"}
        )
        with ws.cursor() as cur:
            rows = cur.execute("select event_time, visitor_id, event_name from events order by visitor_id").fetchall()
        rejects = rejects_of(ws, report.import_id).values.tolist()
    finally:
        ws.close()
    return rows, rejects


def test_an_import_with_the_table_loads_and_rejects_what_it_does_without(tmp_path, monkeypatch):
    """Epochs in s, ms and µs around Paris' DST changes, outside the table's days, and bad ones: the same
    rows loaded with the same local times, the same rejects (1960 is before 1970; 12 digits is no epoch)."""
    utc = [
        "1743296399",  # 2025-03-30 00:59:59 UTC: 01:59:59 in Paris
        "1743296400000",  # 01:00:00 UTC: 03:00:00
        "1761440399999999",  # 2025-10-26 00:59:59.999999 UTC: 02:59:59.999999
        "1761440400",  # 01:00:00 UTC: 02:00:00 (the second time)
        "1735689600123456",  # 2025-01-01 00:00:00.123456 UTC
        "1000000000",  # 2001-09-09 01:46:40 UTC, the first 10-digit epoch: 03:46:40
        "4102444800",  # 2100-01-01 00:00 UTC: after it
        "-315619200",  # 1960: rejected
        "123456789012",  # 12 digits: not a date
    ]
    path = tmp_path / "events.csv"
    path.write_text("ts,who,what\n" + "".join(f"{t},v{i:02d},page_view\n" for i, t in enumerate(utc)))
    fast = _events(path, True, monkeypatch)
    assert fast == _events(path, False, monkeypatch)
    rows, rejects = fast
    assert [r[0] for r in rows[:4]] == [
        dt.datetime(2025, 3, 30, 1, 59, 59),
        dt.datetime(2025, 3, 30, 3, 0, 0),
        dt.datetime(2025, 10, 26, 2, 59, 59, 999999),
        dt.datetime(2025, 10, 26, 2, 0, 0),
    ]
    assert rows[5][0] == dt.datetime(2001, 9, 9, 3, 46, 40)
    assert rows[6][0] == dt.datetime(2100, 1, 1, 1, 0, 0)  # after the table's days: `timezone()`
    # 12 digits are no epoch nor a date written in a way Parcours reads (not a date that does not exist)
    assert [r[3] for r in rejects] == ["date_out_of_range", "unknown_date_format"]
