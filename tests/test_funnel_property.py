"""The SQL funnel against an independent implementation in plain Python/pandas, on random event logs
(hypothesis): the same visitors per step, the same converters and time to convert, the same breakdown,
in all three modes."""

import datetime as dt
import statistics

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cx import funnel
from cx.workspace import Workspace

T0 = dt.datetime(2025, 1, 1)
NAMES = ["a", "b", "c", "x"]  # x never is a step


def reference(events: pd.DataFrame, steps: list[str], window_s: int, mode: str) -> dict:
    """Straight from the definition, visitor by visitor (no SQL): order = (time, first step matched, or
    after the steps when none); one moment = events sharing that order key."""
    window = dt.timedelta(seconds=window_s)
    n = len(steps)
    reached, durations, groups = {}, {}, {}
    for visitor, ev in events.groupby("visitor_id"):
        rows = []
        for r in ev.itertuples():
            ks = [k + 1 for k, s in enumerate(steps) if s == r.event_name]
            rows.append((r.event_time, min(ks) if ks else n + 1, ks, r.device))
        rows.sort(key=lambda row: (row[0], row[1]))
        moments = sorted({(t, m) for t, m, _, _ in rows})
        best = (0, None, None, None)  # (reached, -arrival moment index, t0, group) maximised below
        if mode in ("ordered", "strict"):
            for i, (t0, m0, ks0, dev) in enumerate(rows):
                if 1 not in ks0:
                    continue
                k, cur, t_cur = 1, moments.index((t0, m0)), t0
                while k < n:
                    if mode == "ordered":
                        nxt = next(
                            (
                                (j, t)
                                for j, (t, m) in enumerate(moments)
                                if j > cur and any((rt, rm) == (t, m) and (k + 1) in rks for rt, rm, rks, _ in rows)
                            ),
                            None,
                        )
                    else:
                        j = cur + 1
                        nxt = (
                            (j, moments[j][0])
                            if j < len(moments)
                            and any((rt, rm) == moments[j] and (k + 1) in rks for rt, rm, rks, _ in rows)
                            else None
                        )
                    if nxt is None or nxt[1] > t0 + window:
                        break
                    k, cur, t_cur = k + 1, nxt[0], nxt[1]
                # furthest; then the earliest arrival; then the latest start
                cand = (k, -cur, t0, dev)
                if (cand[0], cand[1], cand[2]) > (
                    best[0],
                    best[1] if best[1] is not None else -(10**9),
                    best[2] or dt.datetime.min,
                ):
                    best = cand
                    durations[visitor] = (t_cur - t0).total_seconds()
        else:
            step_rows = [(t, ks, d) for t, _, ks, d in rows if ks]
            for t0, ks0, dev in sorted(step_rows, key=lambda r: (r[0], min(r[1]))):
                done = {k for t, ks, _ in step_rows if t0 <= t <= t0 + window for k in ks}
                if len(done) > best[0]:
                    firsts = [min(t for t, ks, _ in step_rows if t0 <= t <= t0 + window and k in ks) for k in done]
                    best = (len(done), 0, t0, dev)
                    durations[visitor] = (max(firsts) - t0).total_seconds()
        if best[0]:
            reached[visitor] = best[0]
            groups[visitor] = best[3]
    per_step = [sum(1 for r in reached.values() if r >= k) for k in range(1, n + 1)]
    converted = [durations[v] for v, r in reached.items() if r == n]
    by_group = {}
    for v, r in reached.items():
        for k in range(1, r + 1):
            by_group[(groups[v], k)] = by_group.get((groups[v], k), 0) + 1
    return {
        "users": per_step,
        "converted": len(converted),
        "median": statistics.median(converted) if converted else None,
        "groups": by_group,
    }


event = st.tuples(st.integers(0, 5), st.integers(0, 40), st.sampled_from(NAMES))
logs = st.lists(event, min_size=1, max_size=45)


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory):
    w = Workspace(tmp_path_factory.mktemp("prop") / "w.duckdb")
    yield w
    w.close()


def _load(ws, log):
    # minutes on a coarse grid so that simultaneous events are frequent; the device is a function of the
    # visitor and the minute, so two events of one instant never disagree on the group
    frame = pd.DataFrame(
        [
            {
                "import_id": 1,
                "visitor_id": f"v{v}",
                "event_time": T0 + dt.timedelta(minutes=5 * m),
                "event_name": name,
                "device": "mobile" if (v + m) % 3 else "desktop",
            }
            for v, m, name in log
        ]
    )
    with ws.cursor() as cur:
        cur.execute("delete from events")
        cur.register("frame", frame)
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, device) "
            "select import_id, visitor_id, event_time, event_name, device from frame"
        )
    return frame


@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    log=logs,
    steps=st.sampled_from([["a", "b"], ["a", "b", "c"], ["b", "a", "c"], ["a", "a", "b"], ["c", "b"]]),
    window_min=st.sampled_from([5, 20, 60, 500]),
)
def test_sql_funnel_equals_the_reference(shared_ws, mode, log, steps, window_min):
    if mode == "any" and len(set(steps)) < len(steps):
        return
    frame = _load(shared_ws, log)
    expected = reference(frame, steps, window_min * 60, mode)
    got = funnel.find_funnel(shared_ws, None, steps, window=f"{window_min}m", mode=mode, by="device")
    assert got.steps["users"].tolist() == expected["users"]
    assert got.converted == expected["converted"]
    if expected["median"] is None:
        assert got.median_s is None
    else:
        assert got.median_s == pytest.approx(expected["median"])
    groups = {(g, s): u for g, s, u in got.breakdown[["group", "step", "users"]].itertuples(index=False) if u}
    assert groups == expected["groups"]


@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=logs, steps=st.sampled_from([["a", "b"], ["a", "b", "c"], ["b", "a", "c"]]))
def test_paths_of_every_step_equal_each_steps_own(shared_ws, mode, log, steps):
    # the Funnel page's one pass (`find_funnel(…, paths=True)`) gives, at each step, what `find_dropoff_paths`
    # computes for that step alone; and the same counts as the funnel without paths
    _load(shared_ws, log)
    got = funnel.find_funnel(shared_ws, None, steps, window="20m", mode=mode, paths=True)
    assert got.steps.equals(funnel.find_funnel(shared_ws, None, steps, window="20m", mode=mode).steps)
    for k in range(1, len(steps)):
        alone = funnel.find_dropoff_paths(shared_ws, None, steps, k, window="20m", mode=mode)
        pd.testing.assert_frame_equal(got.paths_at(k), alone, check_dtype=False)
        assert int(got.paths_at(k).query("direction == 'after'")["users"].sum()) <= int(got.steps["dropped"][k - 1])


def reference_paths(events: pd.DataFrame, dropped: pd.DataFrame, length: int, gap_s: int) -> dict:
    """The drop-off paths straight from their definition, visitor by visitor (no SQL): each dropped visitor's events
    ordered by (time, label), a new visit at a new session id or a gap over `gap_s`; the `length` events before
    the first event at the drop-off instant and after the last one, within its visit. (direction, nodes, edge) →
    users."""
    out = {}
    for r in dropped.itertuples():
        ev = events[events["visitor_id"] == r.visitor_id]
        rows = sorted(
            (
                t,
                (
                    ("/" + "/".join(p.strip("/").split("/")[:2])).rstrip("/") or "/"
                    if n.lower() in funnel.PAGE_EVENTS and p is not None
                    else n
                ),
                None if pd.isna(s) else s,  # no session id: pandas holds NaN, which differs from itself
            )
            for t, n, p, s in ev[["event_time", "event_name", "page", "session_id"]].itertuples(index=False)
        )
        new = [
            i == 0 or rows[i][2] != rows[i - 1][2] or (rows[i][0] - rows[i - 1][0]).total_seconds() > gap_s
            for i in range(len(rows))
        ]
        at = [i for i, row in enumerate(rows) if row[0] == r.dropped_at]
        first, last = at[0], at[-1]
        start = max(i for i in range(last + 1) if new[i])
        end = next((i - 1 for i in range(last + 1, len(rows)) if new[i]), len(rows) - 1)
        before = tuple(row[1] for row in rows[max(start, first - length) : first])
        after = tuple(row[1] for row in rows[last + 1 : min(end, last + length) + 1])
        for key in (("before", before, first - start <= length), ("after", after, end - last <= length)):
            out[key] = out.get(key, 0) + 1
    return out


path_event = st.tuples(
    st.integers(0, 5), st.integers(0, 40), st.sampled_from(["a", "b", "c", "x", "page_view"]), st.integers(0, 2)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    log=st.lists(path_event, min_size=1, max_size=45),
    steps=st.sampled_from([["a", "b"], ["a", "b", "c"]]),
    length=st.sampled_from([1, 2, 3]),
    gap_min=st.sampled_from([5, 10, 30]),
)
def test_dropoff_paths_equal_the_reference(shared_ws, log, steps, length, gap_min):
    # visits of every length (events 5 minutes apart, gaps of 5 to 30 minutes), page views at two levels, session
    # ids on odd visitors (a function of the time: two events of one instant share it)
    pages = ["/p/q/r", "/p/z", "/"]
    frame = pd.DataFrame(
        [
            {
                "import_id": 1,
                "visitor_id": f"v{v}",
                "event_time": T0 + dt.timedelta(minutes=5 * m),
                "event_name": name,
                "device": "mobile",
                "page": pages[p] if name == "page_view" else None,
                "session_id": f"s{m // 12}" if v % 2 else None,
            }
            for v, m, name, p in log
        ]
    )
    with shared_ws.cursor() as cur:
        cur.execute("delete from events")
        cur.register("frame", frame)
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, device, page, session_id) "
            "select import_id, visitor_id, event_time, event_name, device, page, session_id from frame"
        )
    for k in range(1, len(steps)):
        dropped = funnel.find_dropped_users(shared_ws, None, steps, k, window="1h")
        got = funnel.find_dropoff_paths(
            shared_ws, None, steps, k, window="1h", length=length, top=1000, session_gap_minutes=gap_min
        )
        expected = reference_paths(frame, dropped, length, gap_min * 60)
        assert {(p.direction, p.nodes, bool(p.edge)): p.users for p in got.itertuples()} == expected
        assert all(p.share == pytest.approx(p.users / len(dropped)) for p in got.itertuples())
