"""Frozen dataclasses passed between cx and the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class Note(str):
    """A note of the importer: the English sentence (command line, JSON, import history) that also names its
    label for the pages, `import.note.<key>` filled with `values`."""

    key: str
    values: dict

    def __new__(cls, text: str, key: str, **values):
        note = super().__new__(cls, text)
        note.key, note.values = key, values
        return note

    def __getnewargs_ex__(self):  # a copy or a pickle keeps the label
        return (str(self), self.key), self.values


@dataclass(frozen=True)
class Reject:
    line: int
    column: str
    value: str | None
    reason: str  # the English sentence (command line, rejects file); `code` names its label for the pages
    code: str = "unreadable_row"


@dataclass(frozen=True)
class Detection:
    """What the importer found in a file before loading it; the user may correct kind, mapping and sheet."""

    file: str
    file_type: str  # csv | xlsx | parquet | json
    kind: str | None
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    sheets: tuple[str, ...]
    headers: tuple[str, ...]
    mapping: dict  # source header -> canonical column (unmapped headers absent)
    preset: str | None
    mapping_source: str  # "preset" | "inferred" | "saved"
    kind_scores: dict
    preview: object  # pandas DataFrame of the first rows, as text
    sha256: str  # the file's bytes: an earlier import of them is `cx.ingest.earlier_import`
    options: dict = field(default_factory=dict)  # decimal marks, date formats, survey scales…
    reasons: dict = field(default_factory=dict)  # source header -> mapping.Reason (why it was mapped)
    likeliest: tuple = ()  # the two likeliest kinds, best first (asked when `kind` is None)
    mappings: dict = field(default_factory=dict)  # kind -> the mapping proposed for that kind
    kind_reasons: dict = field(default_factory=dict)  # kind -> {source header -> Reason} for that mapping
    examples: dict = field(default_factory=dict)  # source header -> a few distinct sample values
    notes: tuple = ()  # what was reshaped on reading (nested data flattened, header rows merged…)
    personal: tuple = ()  # source headers whose values are pseudonymised on load, e-mails aside (names, addresses…)


@dataclass(frozen=True)
class EarlierImport:
    """An import of the very bytes of a file about to be loaded: loading it again skips it (nothing is loaded) or,
    asked to, replaces this import."""

    import_id: int
    file: str
    loaded_at: object  # datetime: when that import finished
    rows_loaded: int
    rows_rejected: int


@dataclass(frozen=True)
class ImportReport:
    import_id: int | None
    file: str
    kind: str
    status: str  # loaded | skipped
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    mapping: dict
    rejects: tuple[Reject, ...]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    message: str = ""
    columns: dict = field(default_factory=dict)  # source header -> {"fate": mapped|kept|ignored, "column"}
    notes: tuple = ()  # what was reshaped (line items rolled up, nested actions unnested…)
    currency: str | None = None  # ISO code of the amounts, when there is one
    constants: dict = field(default_factory=dict)  # column -> the value every row was given (no source column)
    guessed: tuple = ()  # source headers a partial mapping left out, mapped by Parcours' guess (`guess_others`)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "import_id": self.import_id,
            "status": self.status,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "mapping": dict(self.mapping),
            "columns": dict(self.columns),
            "notes": list(self.notes),
            "currency": self.currency,
            "constants": dict(self.constants),
            "guessed": list(self.guessed),
            "rejects": [r.__dict__ for r in self.rejects],
        }


@dataclass(frozen=True)
class Filters:
    """The global filters every analysis page applies (hashable: a cache key).

    start/end bound every table's time column (end inclusive, a whole day). device and channel filter
    events (and what is derived from them: sessions, funnels, visitors); segment filters customers and,
    through customer_id, their orders, tickets and survey responses; persona (an id of cx.personas) does the
    same with a persona's members. None means "all". In SQL: `cx_customer_in_scope(customer_id, $segment,
    $persona)` (a macro every workspace defines).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    device: str | None = None
    channel: str | None = None
    segment: str | None = None
    persona: int | None = None  # a persona id (cx.personas): its customers, like a segment

    def params(self) -> dict:
        """Values to bind in SQL: `where ($device is null or device = $device)` and
        `($start is null or event_time >= $start) and ($end is null or event_time < $end_excl)`."""
        return {
            "start": self.start,
            "end_excl": self.end + dt.timedelta(days=1) if self.end else None,
            "device": self.device,
            "channel": self.channel,
            "segment": self.segment,
            "persona": self.persona,
        }
