"""The status of a finding (open, in progress, dismissed), kept in the workspace across recomputation."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..errors import CxError
from ..workspace import Workspace, edit
from .models import Finding

DRIFT_DAYS = 3  # a stored status still applies when the window moved by at most this many days
STATUSES = ("open", "in_progress", "dismissed")


def load_statuses(ws: Workspace) -> pd.DataFrame:
    """Stored statuses: key, window_start, window_end, status, updated_at."""
    with ws.cursor() as cur:
        return cur.execute("select key, window_start, window_end, status, updated_at from friction_status").df()


def _same_window(a_start, a_end, b_start, b_end) -> bool:
    if a_start is None or b_start is None or pd.isna(a_start) or pd.isna(b_start):
        return (a_start is None or pd.isna(a_start)) and (b_start is None or pd.isna(b_start))
    a_start, a_end = pd.Timestamp(a_start), pd.Timestamp(a_end)
    b_start, b_end = pd.Timestamp(b_start), pd.Timestamp(b_end)
    return abs((a_start - b_start).days) <= DRIFT_DAYS and abs((a_end - b_end).days) <= DRIFT_DAYS


def status_of(finding: Finding, statuses: pd.DataFrame) -> str:
    """The stored status of a finding: same key (code + step/page + segment) and a window within DRIFT_DAYS."""
    for r in statuses[statuses["key"] == finding.key].sort_values("updated_at", ascending=False).itertuples():
        if _same_window(finding.window_start, finding.window_end, r.window_start, r.window_end):
            return r.status
    return "open"


def apply_statuses(findings, statuses: pd.DataFrame) -> list[Finding]:
    return [replace(f, status=status_of(f, statuses)) for f in findings]


@edit
def set_finding_status(ws: Workspace, finding: Finding, status: str) -> None:
    """Mark a finding open, in progress or dismissed; kept across recomputation (a window that moves by a few
    days keeps it)."""
    if status not in STATUSES:
        raise CxError(f"unknown status {status!r}", fix="use open, in_progress or dismissed")
    statuses = load_statuses(ws)
    with ws.transaction() as cur:
        for r in statuses[statuses["key"] == finding.key].itertuples():
            if _same_window(finding.window_start, finding.window_end, r.window_start, r.window_end):
                cur.execute(
                    "delete from friction_status where key = $k and window_start is not distinct from $s "
                    "and window_end is not distinct from $e",
                    {
                        "k": r.key,
                        "s": None if pd.isna(r.window_start) else r.window_start,
                        "e": None if pd.isna(r.window_end) else r.window_end,
                    },
                ).fetchall()
        cur.execute(
            "insert into friction_status values ($k, $code, $s, $e, $status, now()::timestamp)",
            {
                "k": finding.key,
                "code": finding.code,
                "s": finding.window_start,
                "e": finding.window_end,
                "status": status,
            },
        ).fetchall()
