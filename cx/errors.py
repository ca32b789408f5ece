"""CxError and its children. A message says what is wrong, where, and what to do; pages show it with
`st.error`, the command line prints it on stderr and exits 2. A raw traceback never reaches the user."""
from __future__ import annotations


class CxError(Exception):
    """An error the user can act on."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: str | None = None, fix: str | None = None):
        self.message, self.file, self.line, self.column, self.fix = message, file, line, column, fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(p for p in (
            f"file {self.file!r}" if self.file else "",
            f"line {self.line}" if self.line else "",
            f"column {self.column!r}" if self.column else "") if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} — {self.fix}" if self.fix else text


class FileRefused(CxError):
    """The file cannot be read at all (wrong type, too big, encrypted, no header…); nothing was loaded."""


class MappingError(CxError):
    """The column mapping is incomplete or inconsistent (a required column is missing, a target is used twice)."""


class WorkspaceError(CxError):
    """The workspace file cannot be opened or is locked by another program."""


def unexpected(error: Exception, file: str | None = None, log: bool = True) -> CxError:
    """Wrap an error we did not foresee so the user sees a sentence, never a traceback (in the app the
    traceback goes to the server log, for us)."""
    if log:
        import logging
        logging.getLogger("cx").exception("unexpected error on %s", file)
    return CxError(f"this file could not be processed ({type(error).__name__}); nothing was changed",
                   file=file, fix="check that it is a CSV, XLSX, Parquet or JSON export; if it is, send it "
                                  "to the Parcours team with this message")
