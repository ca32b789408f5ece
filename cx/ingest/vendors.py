"""Recognise the shapes real vendor exports come in and reshape them into flat rows of text, in DuckDB.

- GA4 BigQuery export (NDJSON or Parquet rows of `events_YYYYMMDD`): nested `event_params`, `device`, `geo`,
  `traffic_source`, `ecommerce`, `items` become flat columns named as the GA4 preset of `cx.schema` expects.
- Matomo visits log (`Live.getLastVisitsDetails`, JSON): one row per action of `actionDetails`, with the
  visit's fields repeated on each.
- Survey exports with several header rows (SurveyMonkey: 2, Qualtrics: 3): one header per column.
- GA4 reports downloaded from the interface (totals per dimension): refused, they hold no events.
- E-mail campaign reports (Brevo, Mailchimp: one row per campaign with its totals): refused, they hold no person.

Every reshape adds a short English note saying what was done; `readers` puts it in `Staged.notes`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from ..errors import FileRefused
from ..models import Note
from ..schema import normalise_header
from ..sql import literal
from .mapping import names_a_row
from .staging import replace_stg

# ---------------------------------------------------------------- GA4 BigQuery export

GA4_SIGNATURE = ("event_timestamp", "event_name", "event_params", "user_pseudo_id")
# params that feed a named column one for one; every other key gets its own `param_<key>` column (`value`,
# `source` and `medium` too: they feed purchase_revenue and session_source_medium only in part)
GA4_NAMED_PARAMS = ("ga_session_id", "page_location", "page_title", "page_referrer", "currency", "transaction_id")
_V = "VARCHAR"


def _duck_type(shape) -> str:
    """The DuckDB type of a json_transform shape."""
    if isinstance(shape, list):
        return _duck_type(shape[0]) + "[]"
    if isinstance(shape, dict):
        return "STRUCT(" + ", ".join(f'"{k}" {_duck_type(v)}' for k, v in shape.items()) + ")"
    return shape


_GA4_SHAPE = {
    "event_date": _V,
    "event_timestamp": _V,
    "event_name": _V,
    "user_id": _V,
    "user_pseudo_id": _V,
    "event_params": [
        {"key": _V, "value": {"string_value": _V, "int_value": _V, "float_value": _V, "double_value": _V}}
    ],
    "device": {"category": _V, "operating_system": _V},
    "geo": {"country": _V, "city": _V},
    "traffic_source": {"name": _V, "medium": _V, "source": _V},
    "collected_traffic_source": {"manual_source": _V, "manual_medium": _V},
    "session_traffic_source_last_click": {"manual_campaign": {"source": _V, "medium": _V}},
    "ecommerce": {"purchase_revenue": _V, "transaction_id": _V},
}
GA4_COLUMNS = (
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "ga_session_id",
    "page_location",
    "page_title",
    "page_referrer",
    "device_category",
    "device_operating_system",
    "geo_country",
    "geo_city",
    "traffic_source_source",
    "traffic_source_medium",
    "traffic_source_name",
    "session_source_medium",
    "purchase_revenue",
    "currency",
    "transaction_id",
    "item_count",
)


def is_ga4_export(columns: list[str]) -> bool:
    names = {c.lower() for c in columns}
    return all(s in names for s in GA4_SIGNATURE)


def _param(key: str) -> str:
    """The text of one event param (`params` holds each param's key and text, see `stage_ga4`)."""
    return f"list_filter(params, lambda p: p.key = '{key.replace(chr(39), chr(39) * 2)}')[1].text"


def _source_medium(source: str, medium: str) -> str:
    return (
        f"case when {source} is not null or {medium} is not null then "
        f"coalesce({source}, '(not set)') || ' / ' || coalesce({medium}, '(not set)') end"
    )


def stage_ga4(cur, raw: str = "stg_raw") -> tuple[list[str], list[str]]:
    """Flatten GA4 export rows of table `raw` into temp table `stg` (c0…cN, text); returns headers and notes.

    The fields used are turned into one JSON value per row and read back through a fixed shape
    (`json_transform`), so a field the export lacks (no `ecommerce`, no `float_value`) is NULL rather than an
    error, whatever the types the reader inferred; each param's value becomes text once, from whichever of
    its four value fields is set."""
    described = cur.execute(f"describe {raw}").fetchall()
    present = {name.lower(): name for (name, *_r) in described}
    types = {name.lower(): type_ for (name, type_, *_r) in described}
    items = (
        "null"
        if "items" not in present
        else (
            f'len(t."{present["items"]}")'
            if types["items"].endswith("[]")
            else f'json_array_length(to_json(t."{present["items"]}"))'
        )
    )
    # DuckDB casts a struct to another by field name (a missing field is NULL, an extra one dropped): the
    # fast way; a column the reader typed otherwise (JSON of mixed values) goes through json_transform
    cast = ", ".join(
        f"'{k}': " + (f't."{present[k]}"::{_duck_type(v)}' if k in present else f"null::{_duck_type(v)}")
        for k, v in _GA4_SHAPE.items()
    )
    fields = ", ".join(f"'{k}': t.\"{present[k]}\"" for k in _GA4_SHAPE if k in present)
    via_json = f"json_transform(to_json({{{fields}}}), '{json.dumps(_GA4_SHAPE)}')"
    for r in (f"{{{cast}}}", via_json):
        try:
            cur.execute(f"""create or replace temp table ga4_rows as
                select record, r, item_count, list_transform(r.event_params, lambda p: {{'key': p.key,
                    'text': coalesce(p.value.string_value, p.value.int_value, p.value.float_value,
                                     p.value.double_value)}}) as params
                from (select rowid as record, {r} as r, {items} as item_count from {raw} t)
                order by record""")
            break
        except duckdb.Error:
            if r == via_json:
                raise
    found = [
        k
        for (k,) in cur.execute(
            "select distinct p.key from (select unnest(r.event_params) as p from ga4_rows) "
            "where p.key is not null order by p.key"
        ).fetchall()
    ]
    keys = [k for k in found if k not in GA4_NAMED_PARAMS]
    per_event = (
        " coalesce("
        + ", ".join(
            (
                _source_medium(_param("source"), _param("medium")),
                _source_medium(
                    "r.session_traffic_source_last_click.manual_campaign.source",
                    "r.session_traffic_source_last_click.manual_campaign.medium",
                ),
                _source_medium("r.collected_traffic_source.manual_source", "r.collected_traffic_source.manual_medium"),
            )
        )
        + ")"
    )
    session = (
        "partition by r.user_pseudo_id, " + _param("ga_session_id") + " order by record "
        "rows between unbounded preceding and unbounded following"
    )
    exprs = {
        "event_date": "r.event_date",
        "event_timestamp": "r.event_timestamp",
        "event_name": "r.event_name",
        "user_pseudo_id": "r.user_pseudo_id",
        "user_id": "r.user_id",
        "ga_session_id": _param("ga_session_id"),
        "page_location": _param("page_location"),
        "page_title": _param("page_title"),
        "page_referrer": _param("page_referrer"),
        "device_category": "r.device.category",
        "device_operating_system": "r.device.operating_system",
        "geo_country": "r.geo.country",
        "geo_city": "r.geo.city",
        "traffic_source_source": "r.traffic_source.source",
        "traffic_source_medium": "r.traffic_source.medium",
        "traffic_source_name": "r.traffic_source.name",
        # the session's own source: the first one seen in the session (events after session_start carry none)
        "session_source_medium": f"coalesce(case when {_param('ga_session_id')} is not null then "
        f"first({per_event} ignore nulls) over ({session}) end, {per_event}, "
        + _source_medium("r.traffic_source.source", "r.traffic_source.medium")
        + ")",
        "purchase_revenue": "coalesce(r.ecommerce.purchase_revenue, case when r.event_name = 'purchase' then "
        + _param("value")
        + " end)",
        "currency": _param("currency"),
        "transaction_id": f"coalesce(r.ecommerce.transaction_id, {_param('transaction_id')})",
        "item_count": "item_count",
    }
    headers = list(GA4_COLUMNS) + [f"param_{k}" for k in keys]
    selects = [exprs[c] for c in GA4_COLUMNS] + [_param(k) for k in keys]
    cols = ", ".join(f"nullif(trim(({e})::varchar), '') as c{i}" for i, e in enumerate(selects))
    cur.execute(f"create or replace temp table stg as select {cols} from ga4_rows order by record")
    cur.execute("create or replace temp table stg_lines as select record + 1 as line from ga4_rows order by record")
    cur.execute("drop table ga4_rows")
    note = Note(
        f"GA4 BigQuery export: event_params ({len(found)} keys) flattened into named columns and "
        f"{len(keys)} param_<key> columns; device, geo, traffic source, ecommerce and items flattened",
        "ga4",
        keys=len(found),
        params=len(keys),
    )
    return headers, [note]


# ---------------------------------------------------------------- Matomo visits log

MATOMO_COLUMNS = (
    "idvisit",
    "visitorid",
    "userid",
    "action_timestamp",
    "action_type",
    "url",
    "page_title",
    "devicetype",
    "referrertype",
    "referrername",
    "countrycode",
    "revenue",
    "load_time_ms",
    "eventcategory",
    "eventaction",
    "eventname",
    "goalname",
    "orderid",
)


def looks_like_matomo(head: str) -> bool:
    """A Live.getLastVisitsDetails JSON: visits with `idVisit` and an `actionDetails` list (first bytes)."""
    return '"idVisit"' in head and '"actionDetails"' in head


def stage_matomo(cur, path: str) -> tuple[list[str], list[str], int]:
    """One row per action of each visit, in visit then action order, into temp table `stg`; `stg_lines`
    holds the visit number (1-based) of each row. Returns headers, notes and the number of visits."""
    cur.execute(
        "create or replace temp table matomo_visits as select json as j from read_json_objects($path, format='auto')",
        {"path": path},
    )
    a, v = "a.unnest", "mv.j"
    exprs = {
        "idvisit": f"{v} ->> 'idVisit'",
        "visitorid": f"{v} ->> 'visitorId'",
        "userid": f"{v} ->> 'userId'",
        "action_timestamp": f"{a} ->> 'timestamp'",
        # an event is named by what happened (its action, else its category); other actions by their type
        "action_type": f"case when {a} ->> 'type' = 'event' then coalesce({a} ->> 'eventAction', "
        f"{a} ->> 'eventCategory', 'event') else {a} ->> 'type' end",
        "url": f"{a} ->> 'url'",
        "page_title": f"coalesce({a} ->> 'pageTitle', {a} ->> 'title')",
        "devicetype": f"{v} ->> 'deviceType'",
        "referrertype": f"{v} ->> 'referrerType'",
        "referrername": f"{v} ->> 'referrerName'",
        "countrycode": f"coalesce({v} ->> 'countryCode', {v} ->> 'country')",
        "revenue": f"{a} ->> 'revenue'",
        # Matomo 4+ (PagePerformance) gives pageLoadTimeMilliseconds; Matomo 3 gave generationTimeMilliseconds
        "load_time_ms": f"coalesce({a} ->> 'pageLoadTimeMilliseconds', {a} ->> 'generationTimeMilliseconds')",
        "eventcategory": f"{a} ->> 'eventCategory'",
        "eventaction": f"{a} ->> 'eventAction'",
        "eventname": f"{a} ->> 'eventName'",
        "goalname": f"{a} ->> 'goalName'",
        "orderid": f"{a} ->> 'orderId'",
    }
    cols = ", ".join(f"nullif(trim({exprs[c]}), '') as c{i}" for i, c in enumerate(MATOMO_COLUMNS))
    cur.execute(f"""create or replace temp table matomo_actions as
        select mv.rowid as visit, a.ordinality as action, {cols}
        from matomo_visits mv, unnest(json_extract(mv.j, '$.actionDetails[*]')) with ordinality a
        order by visit, action""")
    cur.execute(
        f"create or replace temp table stg as select {', '.join(f'c{i}' for i in range(len(MATOMO_COLUMNS)))} "
        "from matomo_actions order by visit, action"
    )
    cur.execute(
        "create or replace temp table stg_lines as select visit + 1 as line from matomo_actions order by visit, action"
    )
    visits, empty = cur.execute(
        "select count(*), count(*) filter (where coalesce(json_array_length(j, '$.actionDetails'), 0) = 0) "
        "from matomo_visits"
    ).fetchall()[0]
    actions = cur.execute("select count(*) from stg").fetchall()[0][0]
    cur.execute("drop table matomo_actions")
    cur.execute("drop table matomo_visits")
    note = Note(
        f"Matomo visits log: {visits} visits unnested into {actions} rows, one per action"
        + (f" ({empty} visits without actions give no row)" if empty else ""),
        "matomo_empty" if empty else "matomo",
        visits=visits,
        actions=actions,
        empty=empty,
    )
    return list(MATOMO_COLUMNS), [note], visits


# ---------------------------------------------------------------- survey exports with several header rows

SM_SUBLABELS = {"response", "open-ended response"}
_QUALTRICS_IMPORT = re.compile(r'^\s*\{\s*"ImportId"\s*:')


@dataclass(frozen=True)
class SurveyHeader:
    headers: list[str | None]
    rows: int  # header rows, the first included
    note: str
    vendor: str
    width: int  # column names made from them


def survey_note(survey: SurveyHeader, line: int, unit: str = "line") -> Note:
    """What the reader did with the header rows, for the import report (`import.note.survey_headers`)."""
    return Note(
        f"{survey.note}; data starts on {unit} {line}",
        "survey_headers",
        vendor=survey.vendor,
        rows=survey.rows,
        columns=survey.width,
        line=line,
    )


def _blank(v) -> bool:
    return v is None or not str(v).strip()


def survey_header(rows: list[list]) -> SurveyHeader | None:
    """Merge the header rows of a SurveyMonkey (2) or Qualtrics (3) export; None for any other file.

    `rows` are the first rows of the file (header first), as lists of cell texts (None or "" for blanks).
    """
    if len(rows) >= 3 and any(isinstance(c, str) and _QUALTRICS_IMPORT.match(c) for c in rows[2]):
        return _qualtrics(rows)
    if len(rows) >= 2 and _is_qualtrics_legacy(rows[0], rows[1]):
        return _qualtrics_legacy(rows[0], rows[1])
    if len(rows) >= 2 and _is_surveymonkey(rows[0], rows[1]):
        return _surveymonkey(rows[0], rows[1])
    return None


def _cell(row: list, i: int):
    """A header cell as one line (question texts often hold line breaks), None when blank."""
    v = row[i] if i < len(row) else None
    return None if _blank(v) else " ".join(str(v).split())


def _is_surveymonkey(first: list, second: list) -> bool:
    if not any(_cell(second, i) and _cell(second, i).casefold() in SM_SUBLABELS for i in range(len(second))):
        return False
    if any(_cell(first, i) and _cell(first, i).casefold() in SM_SUBLABELS for i in range(len(first))):
        return False
    # the metadata columns (Respondent ID first) have no sub-label; the answers to a multi-answer question
    # have no question text: a data row under a one-row header has neither
    width = max(len(first), len(second))
    return (_cell(first, 0) is not None and _cell(second, 0) is None) or any(
        _cell(first, i) is None and _cell(second, i) is not None for i in range(width)
    )


def _surveymonkey(first: list, second: list) -> SurveyHeader:
    width = max(len(first), len(second))
    while width and _cell(first, width - 1) is None and _cell(second, width - 1) is None:
        width -= 1
    headers, question = [], None
    for i in range(width):
        q, sub = _cell(first, i), _cell(second, i)
        if q is not None:
            question = q
            choice = sub is not None and sub.casefold() not in SM_SUBLABELS
            headers.append(f"{q} — {sub}" if choice else q)
        elif sub is not None and question is not None:
            headers.append(f"{question} — {sub}")
        else:
            headers.append(sub)
    return SurveyHeader(
        headers, 2, f"SurveyMonkey export: 2 header rows merged into {width} column names", "SurveyMonkey", width
    )


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


_QUALTRICS_QUESTION = re.compile(r'"ImportId"\s*:\s*"QID', re.IGNORECASE)


def _qualtrics_metadata(imports: list, i: int) -> bool:
    """A column whose import id is a field name (`startDate`, `_recordId`, `recipientEmail`…), not a question
    (`QID1`, `QID3_TEXT`): its id row is the name, whatever language the text row is written in."""
    cell = _cell(imports, i)
    return cell is not None and _QUALTRICS_IMPORT.match(cell) is not None and not _QUALTRICS_QUESTION.search(cell)


def _qualtrics(rows: list[list]) -> SurveyHeader:
    ids, texts = rows[0], rows[1]
    width = max(len(ids), len(texts))
    while width and _cell(ids, width - 1) is None and _cell(texts, width - 1) is None:
        width -= 1
    seen: dict[str, int] = {}
    for i in range(width):
        t = _cell(texts, i)
        if t is not None:
            seen[t.casefold()] = seen.get(t.casefold(), 0) + 1
    headers = []
    for i in range(width):
        qid, text = _cell(ids, i), _cell(texts, i)
        if text is None or qid is None:
            headers.append(qid or text)
        elif _letters(text) == _letters(qid) or _qualtrics_metadata(rows[2], i):
            # a metadata field spelled out (`ResponseId` / `Response ID`, or `Anfangsdatum` in German)
            headers.append(qid)
        else:  # the id first: short, unique even when a text repeats, and what survey owners call it
            headers.append(f"{qid} — {text}")
    return SurveyHeader(
        headers,
        3,
        f"Qualtrics export: 3 header rows (ids, question texts, import ids) merged into {width} column names",
        "Qualtrics",
        width,
    )


_LEGACY_ID = re.compile(r"^V\d+$")


def _is_qualtrics_legacy(first: list, second: list) -> bool:
    """The legacy Qualtrics CSV: column ids `V1, V2…` then the field names (`ResponseID`…) on row 2."""
    ids = sum(1 for i in range(len(first)) if _cell(first, i) and _LEGACY_ID.match(_cell(first, i)))
    return ids >= 3 and any(_cell(second, i) and _letters(_cell(second, i)) == "responseid" for i in range(len(second)))


def _qualtrics_legacy(first: list, second: list) -> SurveyHeader:
    width = max(len(first), len(second))
    while width and _cell(first, width - 1) is None and _cell(second, width - 1) is None:
        width -= 1
    headers = []
    for i in range(width):
        qid, text = _cell(first, i), _cell(second, i)
        if text is None or qid is None or _LEGACY_ID.match(qid) or _letters(text) == _letters(qid):
            headers.append(text or qid)  # `V8` is only a position: the field name says what it is
        else:
            headers.append(f"{qid} — {text}")
    return SurveyHeader(
        headers,
        2,
        f"Qualtrics export (legacy): 2 header rows (ids, field names and question "
        f"texts) merged into {width} column names",
        "Qualtrics",
        width,
    )


# ---------------------------------------------------------------- GA4 reports from the interface

_GA4_DATE_LINE = re.compile(r"^#\s*(start date|end date|date de d[ée]but|date de fin)\s*:\s*\d{8}\s*$", re.IGNORECASE)
# a table with one of these holds rows per visitor or per event, not totals (GA4 explorations can)
_ROW_LEVEL = {
    "client_id",
    "user_id",
    "user_pseudo_id",
    "effective_user_id",
    "app_instance_id",
    "stream_id",
    "event_timestamp",
    "ga_session_id",
    "session_id",
    "visitor_id",
    "transaction_id",
    "id_client",
    "identifiant_client",
    "id_utilisateur",
}


def refuse_ga4_report(preamble: list[str], headers: list[str], name: str) -> None:
    """Raise FileRefused when a CSV is a GA4 interface report: the `#` preamble with its date range, then a
    table of totals per dimension (no column that names a visitor, session or event)."""
    if not any(_GA4_DATE_LINE.match(line.strip()) for line in preamble):
        return
    if not headers or any(normalise_header(h) in _ROW_LEVEL for h in headers):
        return
    dimension = headers[0]
    metric = headers[1] if len(headers) > 1 else "totals"
    raise FileRefused(
        f"this is a GA4 report of aggregated totals ({metric.lower()} per {dimension.lower()}) downloaded from "
        "the GA4 interface: it holds totals, not one row per event, so it cannot give journeys or funnels",
        file=name,
        fix="export the raw events through the GA4 BigQuery export (link the GA4 property to BigQuery, then "
        "export the events_ tables as NDJSON or Parquet) and import that file",
        key="refused.ga4_report",
        values={"metric": metric.lower(), "dimension": dimension.lower()},
    )


# ---------------------------------------------------------------- e-mail campaign reports

# what a campaign report counts per campaign (Brevo in French and English, Mailchimp's "Total Recipients",
# "Successful Deliveries", "Unique Opens", "Open Rate", "Unique Clicks", "Unsubscribes", "Abuse Complaints"…): one
# word of a header names its family
_CAMPAIGN_FAMILIES = {
    "opens": {"open", "opens", "opened", "ouverture", "ouvertures", "ouvreurs", "ouverts"},
    "clicks": {"click", "clicks", "clicked", "clickers", "clic", "clics", "cliqueurs"},
    "unsubscribes": {"unsubscribe", "unsubscribes", "unsubscribed", "unsubscriptions", "desinscription"}
    | {"desinscriptions", "desinscrits", "desabonnement", "desabonnements", "desabonnes"},
    "bounces": {"bounce", "bounces", "bounced", "rebond", "rebonds"},
    "deliveries": {"delivered", "deliveries", "delivres", "delivre", "delivrabilite"},
    "recipients": {"recipients", "destinataires"},
    "complaints": {"complaints", "plaintes", "spam"},
}
_CAMPAIGN_MIN_FAMILIES = 3
# a column that names a person or a row (a contact's e-mail, a customer, an order, any id): then each row is one
# recipient's activity, a customer's or an order's, not a campaign
_PERSON_WORDS = {"email", "mail", "courriel", "contact", "subscriber", "abonne", "member", "membre"}
_ROW_WORDS = {"customer", "client", "order", "commande"}
# the words of an id that names the campaign itself, not a row of people or orders (Mailchimp's "Folder Id" and
# "Unique Id", Brevo's "ID de la campagne")
_CAMPAIGN_ID_WORDS = {"campaign", "campagne", "folder", "dossier", "list", "liste", "unique"}


def refuse_campaign_report(headers: list[str], name: str) -> None:
    """Raise FileRefused when a file is an e-mail campaign report: one row per campaign with its totals (at
    least three of recipients, deliveries, opens, clicks, unsubscribes, bounces, complaints, opens or clicks among
    them) and no column that names a person or a row. Parcours has no table for campaigns."""
    words = [set(normalise_header(str(h or "").replace("\u2019", "'")).split("_")) for h in headers]
    found = {h: family for h, w in zip(headers, words) for family, stems in _CAMPAIGN_FAMILIES.items() if w & stems}
    families = set(found.values())
    if len(families) < _CAMPAIGN_MIN_FAMILIES or not families & {"opens", "clicks"}:
        return
    if any(w & (_PERSON_WORDS | _ROW_WORDS) for w in words) or any(normalise_header(h) in _ROW_LEVEL for h in headers):
        return
    if any(names_a_row(h) and not w & _CAMPAIGN_ID_WORDS for h, w in zip(headers, words)):
        return
    metrics = ", ".join(list(found)[:4])
    raise FileRefused(
        f"this is an e-mail campaign report (one row per campaign with its totals: {metrics}): Parcours has no "
        "table for campaigns, it reads one row per person, visit, order, ticket or answer",
        file=name,
        fix="import the people instead (the contacts or audience export of Brevo or Mailchimp, as customers) and "
        "the visits the campaigns brought (GA4 or Matomo: their UTM tags name each campaign)",
        key="refused.campaign_report",
        values={"metrics": metrics},
    )


# ---------------------------------------------------------------- Matomo visits log, flattened (CSV/XLSX)

_WIDE = re.compile(r"^actionDetails_(\d+)_(\w+)$")
# the action fields that feed canonical columns get the names the JSON visits log gives them
_WIDE_NAMES = {
    "timestamp": "action_timestamp",
    "url": "url",
    "pageTitle": "page_title",
    "pageLoadTimeMilliseconds": "load_time_ms",
    "revenue": "revenue",
}


def unpivot_matomo_wide(cur, headers: list[str]) -> tuple[list[str], str] | None:
    """A Matomo visits log exported as CSV or XLSX has one row per visit and its actions side by side
    (`actionDetails_0_url`, `actionDetails_1_url`…): turn it into one row per action, like the JSON log.
    Replaces `stg`; `stg_origin.src_row` keeps each row's visit row. Returns (headers, note) or None."""
    slots: dict[int, dict[str, int]] = {}
    for i, h in enumerate(headers):
        m = _WIDE.match(h)
        if m:
            slots.setdefault(int(m.group(1)), {})[m.group(2)] = i
    if len(slots) < 2:
        return visits_without_actions(cur, headers)
    visit = [(i, h) for i, h in enumerate(headers) if not _WIDE.match(h)]
    fields = list(dict.fromkeys(f for slot in slots.values() for f in slot))
    names = [_WIDE_NAMES.get(f, "action_" + f) for f in fields]

    def col(slot: dict, field: str) -> str:
        return f"nullif(trim(c{slot[field]}), '')" if field in slot else "null"

    parts = []
    for n, slot in sorted(slots.items()):
        values = [f"c{i}" for i, _ in visit]
        for field in fields:
            if field == "type":  # an event is named by what happened, as in the JSON log
                values.append(
                    f"case when {col(slot, 'type')} = 'event' then coalesce({col(slot, 'eventAction')}, "
                    f"{col(slot, 'eventCategory')}, 'event') else {col(slot, 'type')} end"
                )
            else:
                values.append(col(slot, field))
        filled = " or ".join(f"{col(slot, f)} is not null" for f in slot)
        parts.append(
            f"select rn as src_row, {n} as action, "
            + ", ".join(f"{v} as c{j}" for j, v in enumerate(values))
            + f" from numbered where {filled}"
        )
    cur.execute("create or replace temp table numbered as select row_number() over () - 1 as rn, * from stg")
    visits = cur.execute("select count(*) from numbered").fetchall()[0][0]
    cur.execute(f"create or replace temp table stg_origin as {' union all '.join(parts)} order by src_row, action")
    replace_stg(cur, "select * exclude (src_row, action) from stg_origin order by src_row, action")
    cur.execute("drop table numbered")
    actions = cur.execute("select count(*) from stg").fetchall()[0][0]
    return [h for _, h in visit] + names, Note(
        f"Matomo visits log: {visits} visits unnested into {actions} rows, one per action",
        "matomo",
        visits=visits,
        actions=actions,
    )


# the visit's own time, best first: the first action's unix time (UTC), the server time as written
_VISIT_TIMES = ("firstActionTimestamp", "serverTimestamp", "lastActionTimestamp")


def visits_without_actions(cur, headers: list[str]) -> tuple[list[str], Note] | None:
    """A Matomo visits log exported without its actions (CSV/XLSX of Live.getLastVisitsDetails whose
    actionDetails were left out): each visit becomes one `visit` event at the visit's first action time, and
    the visit's id is its session. None for any other file."""
    names = {h: i for i, h in enumerate(headers)}
    time = next((t for t in _VISIT_TIMES if t in names), None)
    if "idVisit" not in names or time is None or not ({"visitorId", "fingerprint", "visitorType"} & set(names)):
        return None
    if {"action_type", "action_timestamp"} & set(names):
        return None
    cur.execute(
        "create or replace temp table stg_origin as select row_number() over () - 1 as src_row, *, "
        f"'visit' as c{len(headers)}, c{names[time]} as c{len(headers) + 1} from stg"
    )
    replace_stg(cur, "select * exclude (src_row) from stg_origin order by src_row")
    visits = cur.execute("select count(*) from stg").fetchall()[0][0]
    return headers + ["action_type", "action_timestamp"], Note(
        f"Matomo visits log without its actions: {visits} visits, one 'visit' event each (at {time})",
        "matomo_visits",
        visits=visits,
        time=time,
    )


# ---------------------------------------------------------------- Intercom conversations (API page)

INTERCOM_SIGNATURE = ("source_type", "source_delivered_as", "source_body")
# Intercom's `source.type` says what started the conversation: "conversation" is its Messenger (a chat)
INTERCOM_SOURCES = {"conversation": "chat", "phone_call": "phone", "phone_switch": "phone"}
_HTML_ENTITIES = (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&"))


def html_text(expr: str) -> str:
    """SQL for the text of an HTML fragment `expr`: its tags taken out (an inline one, `<b>`, glued to its words;
    another one, `<p>`, `<br>`, a space), its usual entities written as characters, its spaces collapsed (null when
    nothing is left)."""
    inline = f"regexp_replace({expr}, '</?(b|i|u|em|strong|span|a|font|small|sup|sub)\\b[^>]*>', '', 'gi')"
    text = f"regexp_replace({inline}, '<[^>]*>', ' ', 'g')"
    for entity, char in _HTML_ENTITIES:
        text = f"replace({text}, {literal(entity)}, {literal(char)})"
    return f"nullif(trim(regexp_replace({text}, '\\s+', ' ', 'g')), '')"


def shape_intercom(cur, raw: str = "stg_raw") -> list[Note]:
    """Intercom's conversations (an API page, flattened: `source_type`, `source_body`…) as tickets: the channel is
    `channel.initial` ("chat", "email"…) where the API gives it, else the source's type ("conversation", its
    Messenger, is a chat); the text is the subject, or the first message's body without its HTML when the subject is
    empty (a Messenger conversation has none); the author's name (`source.author.name`, the customer of a conversation
    they started) is a person's name, pseudonymised as one (`author_name`). Other files: nothing done."""
    columns = [r[0] for r in cur.execute(f"describe {raw}").fetchall()]
    if not set(INTERCOM_SIGNATURE) <= set(columns):
        return []
    sources = " ".join(f"when '{k}' then '{v}'" for k, v in INTERCOM_SOURCES.items())
    source = f"case lower(source_type) {sources} else source_type end"
    channel = f"coalesce(nullif(trim(channel_initial), ''), {source})" if "channel_initial" in columns else source
    subject = "nullif(trim(source_subject), '')" if "source_subject" in columns else "null"
    body = html_text("source_body")
    dropped = {"channel", "source_subject", "source_body", "text"} & set(columns)
    kept = [f'"{c}"' if c != "source_author_name" else '"source_author_name" as author_name' for c in columns]
    kept = [k for k, c in zip(kept, columns) if c not in dropped]
    cur.execute(
        f"create or replace temp table {raw} as select {', '.join(kept)}, {channel} as channel, "
        f"coalesce({subject}, {body}) as text from {raw} order by rowid"
    )
    return [
        Note(
            "Intercom conversations: the channel from channel.initial, else the source's type (its Messenger is a "
            "chat); the text is the subject, else the first message without its HTML",
            "intercom_conversations",
        )
    ]
