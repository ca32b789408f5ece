"""What a file's bytes say before and while it is read: whether it is pure ASCII (then it is UTF-8 and needs
no decoding pass), and its sha256 (duplicate detection) with its line count, computed in a thread while
DuckDB loads the file (`hashlib` releases the GIL), so neither waits for the other.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class Text:
    ascii: bool  # pure ASCII is valid UTF-8: no need to decode the file to know its encoding
    nul: bool  # a NUL byte: UTF-16 (or binary), even when every byte is ASCII


def ascii_scan(path: Path) -> Text:
    """Whether every byte is ASCII, and whether one is NUL; stops at the first non-ASCII chunk (the
    encoding is then found by decoding the file)."""
    nul = False
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            nul = nul or b"\x00" in chunk
            if not chunk.isascii():
                return Text(False, nul)
    return Text(True, nul)


@dataclass(frozen=True)
class Digest:
    sha256: str
    lines: int | None  # physical lines (a last line without a newline counts); None when a lone CR ends lines


def digest(path: Path, stop: threading.Event | None = None) -> Digest | None:
    """sha256 and line count in one pass; None when `stop` was set before the end."""
    h, lines, lone_cr, last = hashlib.sha256(), 0, 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if stop is not None and stop.is_set():
                return None
            h.update(chunk)
            lines += chunk.count(b"\n")
            cr = chunk.count(b"\r")
            if cr:  # a CRLF cut by a chunk counts as a lone CR: the safe side
                lone_cr += cr - chunk.count(b"\r\n")
            last = chunk[-1:]
    return Digest(h.hexdigest(), None if lone_cr else lines + (last != b"\n"))


class Background:
    """`digest(path)` computed in a thread from now on; `result()` waits for it, `cancel()` stops it."""

    def __init__(self, path: Path):
        self._stop = threading.Event()
        self._result: Digest | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="cx-digest", daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            self._result = digest(path, self._stop)
        except BaseException as e:  # handed to the caller of result()
            self._error = e

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> Digest:
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise RuntimeError("the file's digest was cancelled")
        return self._result

    def cancel(self) -> None:
        self._stop.set()
        self._thread.join()
