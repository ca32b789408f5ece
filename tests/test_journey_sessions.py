"""Property test: the SQL sessionisation (30 minutes of inactivity) agrees with a plain pandas one on random
event logs, whatever the gaps (including exactly the timeout) and ties."""

import datetime as dt
from itertools import pairwise

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from cx.journey import find_sessions
from cx.workspace import Workspace
from tests.test_journey_data import load_events

START = dt.datetime(2025, 3, 9, 8, 0, 0)
GAPS = st.sampled_from([0, 1, 59, 1799, 1800, 1801, 3600, 86400])


def pandas_sessions(events: pd.DataFrame, gap_s: float) -> list[tuple[str, int]]:
    """(visitor, events) per session, by visitor then start: a new session after more than gap_s seconds."""
    out = []
    for visitor, group in events.sort_values(["visitor", "time"]).groupby("visitor", sort=True):
        times = group["time"].tolist()
        count = 1
        for before, now in pairwise(times):
            if (now - before).total_seconds() > gap_s:
                out.append((visitor, count))
                count = 1
            else:
                count += 1
        out.append((visitor, count))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    logs=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(GAPS, min_size=1, max_size=8)), min_size=1, max_size=3
    ),
    gap_minutes=st.sampled_from([30, 15]),
)
def test_sql_sessions_match_pandas(tmp_path_factory, logs, gap_minutes):
    rows = []
    for visitor, gaps in logs:
        t = START
        for g in gaps:
            t += dt.timedelta(seconds=g)
            rows.append((t.isoformat(sep=" "), visitor, "page_view", "/", "mobile", "seo"))
    ws = Workspace(tmp_path_factory.mktemp("s") / "w.duckdb")
    try:
        load_events(ws, rows)
        got = find_sessions(ws, gap_minutes=gap_minutes)
    finally:
        ws.close()
    events = pd.DataFrame(rows, columns=["time", "visitor", "e", "p", "d", "c"]).assign(
        time=lambda d: pd.to_datetime(d["time"])
    )
    assert list(zip(got["visitor_id"], got["events"])) == pandas_sessions(events, gap_minutes * 60)
    assert got["events"].sum() == len(rows)
