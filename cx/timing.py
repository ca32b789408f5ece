"""Opt-in timing of the app's script runs, for the pages benchmark (bench/pages.py): when `CX_TIMING_LOG` names a
file, app.py appends one JSON line per run to it — the page, when the run began (epoch seconds), its wall and CPU
seconds (the run's own thread: its imports, queries and drawing, not the background run's) and the phases it marked
(`set_up`: seconds until the page itself began). Off by default: nothing is measured nor written."""

from __future__ import annotations

import json
import os
import time

VARIABLE = "CX_TIMING_LOG"


class RunTimer:
    """The timing of one script run, started when made: `mark(phase)` notes the seconds since, `end(page)` writes
    the line (nothing when `path` is None)."""

    def __init__(self, path: str | None):
        self.path, self.phases = path, {}
        self.began, self._wall, self._cpu = time.time(), time.perf_counter(), time.thread_time()

    def mark(self, phase: str) -> None:
        if self.path:
            self.phases[phase] = round(time.perf_counter() - self._wall, 4)

    def end(self, page: str) -> None:
        if not self.path:
            return
        line = {
            "page": page,
            "began": self.began,
            "wall": round(time.perf_counter() - self._wall, 4),
            "cpu": round(time.thread_time() - self._cpu, 4),
            **self.phases,
        }
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")


def run_timer() -> RunTimer:
    """A timer of this run, writing to `$CX_TIMING_LOG` when it is set."""
    return RunTimer(os.environ.get(VARIABLE) or None)
