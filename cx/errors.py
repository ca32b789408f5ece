"""CxError and its children. A message says what is wrong, where, and what to do; pages show it with
`st.error` (in the UI's language when the error has a `key`: the label `errors.<key>` of cx/locales), the
command line prints it on stderr and exits 2. A raw traceback never reaches the user."""

from __future__ import annotations

import errno
from pathlib import Path


class CxError(Exception):
    """An error the user can act on. `key` + `values` name a translated label (`errors.<key>`, placeholders
    filled from `values`) for the pages; `str()` is the English sentence of the command line."""

    key: str | None = None

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        fix: str | None = None,
        key: str | None = None,
        values: dict | None = None,
    ):
        self.message, self.file, self.line, self.column, self.fix = message, file, line, column, fix
        self.key = key or type(self).key
        self.values = dict(values or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"file {self.file!r}" if self.file else "",
                f"line {self.line}" if self.line else "",
                f"column {self.column!r}" if self.column else "",
            )
            if p
        )
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.fix}" if self.fix else text

    def text(self, lang: str) -> str:
        """The message in `lang` when it has a label, else the English sentence."""
        if not self.key:
            return str(self)
        from .i18n import LANGUAGES, catalogue

        label = catalogue(lang if lang in LANGUAGES else "en").get(f"errors.{self.key}")
        try:
            return label.format(**{"file": self.file or "", **self.values}) if label else str(self)
        except (KeyError, IndexError, ValueError):  # a label and its values out of step: the English sentence
            return str(self)


class FileRefused(CxError):
    """The file cannot be read at all (wrong type, too big, encrypted, no header…); nothing was loaded."""


class MappingError(CxError):
    """The column mapping is incomplete or inconsistent (a required column is missing, a target is used twice)."""


class WorkspaceError(CxError):
    """The workspace file cannot be opened or is locked by another program."""


class DiskFull(WorkspaceError):
    key = "disk_full"


class WorkspaceLocked(WorkspaceError):
    key = "locked"


class WorkspaceDamaged(WorkspaceError):
    key = "damaged"


class ReadOnly(WorkspaceError):
    key = "read_only"


class KeyMissing(WorkspaceError):
    key = "key_missing"


class StorageTooNew(WorkspaceError):
    """The workspace file was written by a newer DuckDB than the one Parcours is pinned to (2.0 vs 1.5)."""

    key = "storage_newer"


def storage_copy_command(path) -> str:
    """The commands that copy a workspace written by DuckDB 2.0 into the format of the pinned DuckDB."""
    return (
        "python3 -m venv /tmp/cx-copy && /tmp/cx-copy/bin/pip install duckdb==2.0.0 && "
        f"/tmp/cx-copy/bin/python -m cx.storage_copy {path}"
    )


def system_error(error: BaseException, path=None) -> CxError | None:
    """The CxError for a failure of the machine rather than of the file (disk full, workspace locked by
    another process, damaged workspace, read-only folder), or None. `path` is the workspace file."""
    if isinstance(error, CxError):
        return error
    text = str(error)
    low = text.lower()
    code = getattr(error, "errno", None)
    if path is None and getattr(error, "filename", None):
        path = error.filename  # an OSError names the file it failed on
    if path is None:
        from .workspace import default_path

        path = default_path()
    where = str(path)
    values = {"path": where}
    if code == errno.ENOSPC or "no space left" in low or "disk is full" in low:
        return DiskFull(
            f"the disk holding {where} is full; nothing was changed",
            values=values,
            fix="free some space (or set CX_DB to a file on another disk) and try again",
        )
    if "could not set lock" in low or "conflicting lock" in low:
        return WorkspaceLocked(
            f"the workspace {where} is open in another program",
            values=values,
            fix="close the other Parcours window or command (python -m cx …), or set CX_DB to another file",
        )
    if "trying to read a database file with version number" in low:
        import duckdb

        command = storage_copy_command(where)
        return StorageTooNew(
            f"the workspace {where} was written by a newer DuckDB than the one Parcours runs on "
            f"(DuckDB {duckdb.__version__}); nothing was changed",
            values={**values, "version": duckdb.__version__, "command": command},
            fix=f"copy it once into this version's format, from the Parcours folder: {command} "
            "(the old file is kept beside it as .duckdb2; see docs/SCALING.md)",
        )
    if (
        "not a valid duckdb database" in low
        or "could not read enough bytes" in low
        or "corrupt" in low
        or "checksum" in low
        and "block" in low
    ):
        if Path(where).is_file() and Path(where).stat().st_size == 0:  # `touch w.duckdb`, a copy cut at its start
            return WorkspaceDamaged(
                f"the workspace {where} is an empty file (0 bytes): it holds no data",
                key="empty_workspace",
                values=values,
                fix="delete it (or move it aside) and restart Parcours to begin an empty workspace, "
                "or restore it from a backup",
            )
        return WorkspaceDamaged(
            f"the workspace {where} is damaged or is not a Parcours workspace",
            values=values,
            fix="restore it from a backup, or move it aside and restart Parcours to begin an empty workspace",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "permission denied" in low or "read-only file system" in low:
        return ReadOnly(
            f"Parcours cannot write to {where} (read-only folder or file)",
            values=values,
            fix="give your user write access to that folder, or set CX_DB to a file in a folder you can write to",
        )
    return None


#: how the view of attached events (cx/attach.py) starts the sentence it raises when a folder cannot be read
UNREADABLE_ATTACHMENT = "the attached events folder"


def unexpected(error: Exception, file: str | None = None, log: bool = True, path=None) -> CxError:
    """Wrap an error we did not foresee so the user sees a sentence, never a traceback (in the app the
    traceback goes to the server log, for us). A machine failure (disk full, lock, damaged workspace,
    read-only folder) gets its own message, not the one about the file."""
    known = system_error(error, path)
    if known is not None:
        return known
    text = str(error)
    if UNREADABLE_ATTACHMENT in text:  # raised inside DuckDB by the view of attached events (cx/attach.py)
        message, _, fix = text[text.index(UNREADABLE_ATTACHMENT) :].partition(" — ")
        return CxError(message, fix=fix or None)
    if log:
        import logging

        logging.getLogger("cx").exception("unexpected error on %s", file)
    return CxError(
        f"this file could not be processed ({type(error).__name__}); nothing was changed",
        file=file,
        key="unexpected" if file else "unexpected_no_file",
        values={"kind": type(error).__name__},
        fix="check that it is a CSV, XLSX, Parquet or JSON export; if it is, send it "
        "to the Parcours team with this message",
    )
