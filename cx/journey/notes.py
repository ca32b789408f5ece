"""Workshop notes, one per journey stage."""

from __future__ import annotations

from ..errors import CxError
from ..workspace import Workspace, edit
from .rules import STAGES


def journey_notes(ws: Workspace) -> dict[str, str]:
    """{stage: note} for every stage ("" when nothing was written)."""
    with ws.cursor() as cur:
        saved = dict(cur.execute("select stage, note from journey_notes").fetchall())
    return {stage: saved.get(stage, "") for stage in STAGES}


@edit
def save_journey_note(ws: Workspace, stage: str, text: str) -> None:
    """Store the workshop note of a stage (an empty text removes it)."""
    if stage not in STAGES:
        raise CxError(f"unknown journey stage {stage!r}", fix=f"use one of {', '.join(STAGES)}")
    with ws.transaction() as cur:
        cur.execute("delete from journey_notes where stage = $stage", {"stage": stage})
        if text and text.strip():
            cur.execute(
                "insert into journey_notes values ($stage, $note, current_timestamp::timestamp)",
                {"stage": stage, "note": text},
            )
