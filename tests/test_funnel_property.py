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
