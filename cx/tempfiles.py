"""Private temporary folders for the raw bytes of a file being read (an upload, a transcoded CSV).

They live only while the file is read: `private_copy` and `private_dir` remove them when the block ends,
whatever the outcome. A process killed in the middle cannot clean up, so each folder carries its
process id and `sweep` (run when the app or a command starts) removes those of processes that are gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

PREFIX = "cx-"
_OWNED = re.compile(rf"^{PREFIX}[a-z]+-(\d+)-")


def private_dir(purpose: str) -> Path:
    """A new folder readable by this user only (mkdtemp), named after `purpose` and this process."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{purpose}-{os.getpid()}-"))


@contextmanager
def private_folder(purpose: str):
    folder = private_dir(purpose)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_copy(data: bytes, purpose: str = "upload"):
    """Write `data` to a private file (never under the user's file name) for the length of the block."""
    with private_folder(purpose) as folder:
        path = folder / "file.bin"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else, or the platform cannot tell: leave it
        return True
    return True


def sweep(folder: str | Path | None = None) -> int:
    """Remove the private folders left by processes that died before they could; returns how many."""
    folder = Path(folder or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        m = _OWNED.match(entry.name)
        if m and entry.is_dir(follow_symlinks=False) and not _alive(int(m.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += not os.path.exists(entry.path)
    return removed
