"""Vendor export shapes arrive in `stg` as flat, well-named text columns, one row per real record, with a
note saying what was reshaped: GA4 BigQuery export (NDJSON, Parquet), Matomo visits log, SurveyMonkey and
Qualtrics multi-row headers (CSV, XLSX); GA4 interface reports are refused; paths are read literally.
Every expected value below is worked out by hand from the fixture next to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cx.errors import FileRefused
from cx.ingest import detect_file, import_file, readers, vendors
from tests.conftest import write

# ---------------------------------------------------------------- GA4 BigQuery export


def _p(key, s=None, i=None, d=None):
    return {"key": key, "value": {"string_value": s, "int_value": i, "float_value": None, "double_value": d}}


def ga4_events() -> list[dict]:
    """Three events as `events_YYYYMMDD` rows; ints as strings, as BigQuery writes INT64 in JSON exports."""
    return [
        {
            "event_date": "20250101",
            "event_timestamp": "1735689600000000",
            "event_name": "session_start",
            "user_id": None,
            "user_pseudo_id": "111.222",
            "event_params": [
                _p("ga_session_id", i="1735689600"),
                _p("page_location", s="https://shop.fr/"),
                _p("source", s="google"),
                _p("medium", s="cpc"),
                _p("engaged_session_event", i="1"),
            ],
            "device": {"category": "mobile", "operating_system": "iOS"},
            "geo": {"country": "France", "city": "Lyon"},
            "traffic_source": {"name": "(direct)", "medium": "(none)", "source": "(direct)"},
            "ecommerce": None,
            "items": [],
        },
        {
            "event_date": "20250101",
            "event_timestamp": "1735689660000000",
            "event_name": "purchase",
            "user_id": "C42",
            "user_pseudo_id": "111.222",
            "event_params": [
                _p("ga_session_id", i="1735689600"),
                _p("page_location", s="https://shop.fr/merci"),
                _p("value", d=59.9),
                _p("currency", s="EUR"),
                _p("transaction_id", s="T1"),
            ],
            "device": {"category": "mobile", "operating_system": "iOS"},
            "geo": {"country": "France", "city": "Lyon"},
            "traffic_source": {"name": "(direct)", "medium": "(none)", "source": "(direct)"},
            "ecommerce": {"purchase_revenue": None, "transaction_id": "T1", "total_item_quantity": "2"},
            "items": [{"item_id": "A"}, {"item_id": "B"}],
        },
        {
            "event_date": "20250102",
            "event_timestamp": "1735776000000000",
            "event_name": "page_view",
            "user_id": None,
            "user_pseudo_id": "333.444",
            "event_params": [
                _p("ga_session_id", i="1735776000"),
                _p("page_title", s="Accueil"),
                _p("percent_scrolled", i="90"),
            ],
            "device": {"category": "desktop", "operating_system": "Windows"},
            "geo": {"country": "Belgium", "city": "Liège"},
            "traffic_source": {"name": "newsletter", "medium": "email", "source": "brevo"},
            "ecommerce": None,
            "items": [],
        },
    ]


GA4_HEADERS = [
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
    "param_engaged_session_event",
    "param_medium",
    "param_percent_scrolled",
    "param_source",
    "param_value",
]
GA4_ROWS = [
    # session_start: the session's source / medium come from its params
    (
        "20250101",
        "1735689600000000",
        "session_start",
        "111.222",
        None,
        "1735689600",
        "https://shop.fr/",
        None,
        None,
        "mobile",
        "iOS",
        "France",
        "Lyon",
        "(direct)",
        "(none)",
        "(direct)",
        "google / cpc",
        None,
        None,
        None,
        "0",
        "1",
        "cpc",
        None,
        "google",
        None,
    ),
    # purchase: same session, so same session source; revenue from the `value` param (ecommerce has none)
    (
        "20250101",
        "1735689660000000",
        "purchase",
        "111.222",
        "C42",
        "1735689600",
        "https://shop.fr/merci",
        None,
        None,
        "mobile",
        "iOS",
        "France",
        "Lyon",
        "(direct)",
        "(none)",
        "(direct)",
        "google / cpc",
        "59.9",
        "EUR",
        "T1",
        "2",
        None,
        None,
        None,
        None,
        "59.9",
    ),
    # page_view of another user: no session source anywhere, so the user's traffic_source
    (
        "20250102",
        "1735776000000000",
        "page_view",
        "333.444",
        None,
        "1735776000",
        None,
        "Accueil",
        None,
        "desktop",
        "Windows",
        "Belgium",
        "Liège",
        "brevo",
        "email",
        "newsletter",
        "brevo / email",
        None,
        None,
        None,
        "0",
        None,
        None,
        "90",
        None,
        None,
    ),
]
GA4_NOTE = (
    "GA4 BigQuery export: event_params (10 keys) flattened into named columns and 5 param_<key> "
    "columns; device, geo, traffic source, ecommerce and items flattened"
)


def write_ga4_ndjson(tmp_path):
    path = tmp_path / "events_20250101.ndjson"
    path.write_text("\n".join(json.dumps(e) for e in ga4_events()) + "\n", encoding="utf-8")
    return path


def write_ga4_parquet(tmp_path):
    """The same events with BigQuery's Parquet types: INT64 timestamps and int_value, DOUBLE double_value."""
    events = ga4_events()
    for e in events:
        e["event_timestamp"] = int(e["event_timestamp"])
        for p in e["event_params"]:
            if p["value"]["int_value"] is not None:
                p["value"]["int_value"] = int(p["value"]["int_value"])
        if e["ecommerce"]:
            e["ecommerce"]["total_item_quantity"] = int(e["ecommerce"]["total_item_quantity"])
    s = pa.string()
    value = pa.struct(
        [("string_value", s), ("int_value", pa.int64()), ("float_value", pa.float64()), ("double_value", pa.float64())]
    )
    schema = pa.schema(
        [
            ("event_date", s),
            ("event_timestamp", pa.int64()),
            ("event_name", s),
            ("event_params", pa.list_(pa.struct([("key", s), ("value", value)]))),
            ("user_id", s),
            ("user_pseudo_id", s),
            ("device", pa.struct([("category", s), ("operating_system", s)])),
            ("geo", pa.struct([("country", s), ("city", s)])),
            ("traffic_source", pa.struct([("name", s), ("medium", s), ("source", s)])),
            (
                "ecommerce",
                pa.struct(
                    [("purchase_revenue", pa.float64()), ("transaction_id", s), ("total_item_quantity", pa.int64())]
                ),
            ),
            ("items", pa.list_(pa.struct([("item_id", s)]))),
        ]
    )
    path = tmp_path / "events_20250101.parquet"
    pq.write_table(pa.Table.from_pylist(events, schema=schema), path)
    return path


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


@pytest.mark.parametrize("writer, file_type", [(write_ga4_ndjson, "json"), (write_ga4_parquet, "parquet")])
def test_ga4_export_is_flattened_into_named_columns(con, tmp_path, writer, file_type):
    staged = readers.stage_columnar(con, writer(tmp_path), "events.x", file_type)
    assert staged.headers == GA4_HEADERS
    assert con.execute("select * from stg").fetchall() == GA4_ROWS
    assert staged.rows == 3 and staged.notes == [GA4_NOTE]
    assert con.execute("select line from stg_lines").fetchall() == [(1,), (2,), (3,)]


def test_ga4_purchase_revenue_prefers_ecommerce_and_session_source_prefers_collected(con, tmp_path):
    events = ga4_events()[:2]
    events[1]["ecommerce"]["purchase_revenue"] = 54.9  # e.g. without shipping: the ecommerce figure wins
    events[0]["event_params"] = [p for p in events[0]["event_params"] if p["key"] not in ("source", "medium")]
    events[0]["collected_traffic_source"] = {"manual_source": "newsletter", "manual_medium": "email"}
    path = tmp_path / "e.ndjson"
    path.write_text("\n".join(json.dumps(e) for e in events), encoding="utf-8")
    staged = readers.stage_columnar(con, path, "e.ndjson", "json")
    got = con.execute("select c16, c17 from stg").fetchall()
    assert staged.headers[16:18] == ["session_source_medium", "purchase_revenue"]
    assert got == [("newsletter / email", None), ("newsletter / email", "54.9")]


def test_ga4_export_loads_as_events_through_the_preset(ws, tmp_path):
    report = import_file(ws, write_ga4_ndjson(tmp_path))
    assert (report.kind, report.rows_read, report.rows_loaded, report.rows_rejected) == ("events", 3, 3, 0)
    with ws.cursor() as cur:
        rows = cur.execute(
            "select event_time, visitor_id, event_name, session_id, customer_id, page, channel, "
            "device, country, revenue from events order by event_time"
        ).fetchall()
    # µs epochs are UTC instants, stored as Paris wall-clock time (+1 h in January)
    assert rows == [
        (
            dt.datetime(2025, 1, 1, 1, 0),
            "111.222",
            "session_start",
            "1735689600",
            None,
            "https://shop.fr/",
            "google / cpc",
            "mobile",
            "France",
            None,
        ),
        (
            dt.datetime(2025, 1, 1, 1, 1),
            "111.222",
            "purchase",
            "1735689600",
            "C42",
            "https://shop.fr/merci",
            "google / cpc",
            "mobile",
            "France",
            59.9,
        ),
        (
            dt.datetime(2025, 1, 2, 1, 0),
            "333.444",
            "page_view",
            "1735776000",
            None,
            None,
            "brevo / email",
            "desktop",
            "Belgium",
            None,
        ),
    ]


def test_json_without_the_ga4_signature_flattens_objects_and_keeps_lists_as_json(con, tmp_path):
    path = tmp_path / "e.ndjson"
    path.write_text(
        '{"event_name": "x", "user_pseudo_id": "1", "device": {"category": "mobile"}, "tags": ["a"]}\n', "utf-8"
    )
    staged = readers.stage_columnar(con, path, "e.ndjson", "json")
    assert staged.headers == ["event_name", "user_pseudo_id", "device_category", "tags"]
    assert staged.notes == ["nested fields flattened into columns (device)"]
    assert con.execute("select * from stg").fetchall() == [("x", "1", "mobile", '["a"]')]


def test_an_api_page_is_read_as_its_list_of_records(con, tmp_path):
    path = tmp_path / "page.json"
    path.write_text(
        '{"type": "conversation.list", "pages": {"page": 1}, "total_count": 2, '
        '"conversations": [{"id": "7", "source": {"type": "email"}}, {"id": "8", "source": {"type": "chat"}}]}',
        "utf-8",
    )
    staged = readers.stage_columnar(con, path, "page.json", "json")
    assert staged.headers == ["id", "source_type"]
    assert staged.notes[0] == "the records listed under “conversations” were read, one row each"
    assert con.execute("select * from stg").fetchall() == [("7", "email"), ("8", "chat")]


# ---------------------------------------------------------------- Matomo visits log

MATOMO_VISITS = [
    {
        "idSite": "1",
        "idVisit": "101",
        "visitorId": "a1b2c3d4e5f60718",
        "userId": None,
        "serverTimestamp": 1735725000,
        "deviceType": "Smartphone",
        "referrerType": "search",
        "referrerName": "Google",
        "country": "France",
        "countryCode": "fr",
        "customVariables": [],
        "actionDetails": [
            {
                "type": "action",
                "url": "https://shop.fr/",
                "pageTitle": "Accueil",
                "timestamp": 1735724800,
                "pageLoadTime": "0.85s",
                "pageLoadTimeMilliseconds": 850,
            },
            {
                "type": "event",
                "url": "https://shop.fr/",
                "eventCategory": "video",
                "eventAction": "play",
                "timestamp": 1735724850,
            },
            {
                "type": "goal",
                "goalName": "Newsletter",
                "revenue": "0",
                "url": "https://shop.fr/merci",
                "timestamp": 1735724900,
            },
        ],
    },
    {
        "idSite": "1",
        "idVisit": "102",
        "visitorId": "ffeeddccbbaa9988",
        "userId": "C42",
        "serverTimestamp": 1735812000,
        "deviceType": "Desktop",
        "referrerType": "direct",
        "referrerName": "",
        "country": "Belgium",
        "countryCode": "be",
        "customVariables": {"1": {"customVariableName1": "x", "customVariableValue1": "y"}},
        "actionDetails": [
            {
                "type": "action",
                "url": "https://shop.fr/panier",
                "pageTitle": "Panier",
                "timestamp": 1735811900,
                "generationTimeMilliseconds": "1200",
            },
            {
                "type": "ecommerceOrder",
                "orderId": "O-9",
                "revenue": 89.5,
                "timestamp": 1735812000,
                "itemDetails": [{"itemSKU": "A", "price": 89.5}],
            },
        ],
    },
]
MATOMO_HEADERS = [
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
]
MATOMO_ROWS = [
    (
        "101",
        "a1b2c3d4e5f60718",
        None,
        "1735724800",
        "action",
        "https://shop.fr/",
        "Accueil",
        "Smartphone",
        "search",
        "Google",
        "fr",
        None,
        "850",
        None,
        None,
        None,
        None,
        None,
    ),
    (
        "101",
        "a1b2c3d4e5f60718",
        None,
        "1735724850",
        "play",
        "https://shop.fr/",
        None,
        "Smartphone",
        "search",
        "Google",
        "fr",
        None,
        None,
        "video",
        "play",
        None,
        None,
        None,
    ),
    (
        "101",
        "a1b2c3d4e5f60718",
        None,
        "1735724900",
        "goal",
        "https://shop.fr/merci",
        None,
        "Smartphone",
        "search",
        "Google",
        "fr",
        "0",
        None,
        None,
        None,
        None,
        "Newsletter",
        None,
    ),
    (
        "102",
        "ffeeddccbbaa9988",
        "C42",
        "1735811900",
        "action",
        "https://shop.fr/panier",
        "Panier",
        "Desktop",
        "direct",
        None,
        "be",
        None,
        "1200",
        None,
        None,
        None,
        None,
        None,
    ),
    (
        "102",
        "ffeeddccbbaa9988",
        "C42",
        "1735812000",
        "ecommerceOrder",
        None,
        None,
        "Desktop",
        "direct",
        None,
        "be",
        "89.5",
        None,
        None,
        None,
        None,
        None,
        "O-9",
    ),
]


def test_matomo_visits_log_gives_one_row_per_action(con, tmp_path):
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(MATOMO_VISITS, indent=1), encoding="utf-8")
    staged = readers.stage_columnar(con, path, "visits.json", "json")
    assert staged.headers == MATOMO_HEADERS
    assert con.execute("select * from stg").fetchall() == MATOMO_ROWS
    assert staged.rows == 5
    assert staged.notes == ["Matomo visits log: 2 visits unnested into 5 rows, one per action"]
    # a reject is reported on the visit (the JSON record) it comes from
    assert con.execute("select line from stg_lines").fetchall() == [(1,), (1,), (1,), (2,), (2,)]


def test_matomo_event_without_action_is_named_by_its_category_and_empty_visits_are_noted(con, tmp_path):
    visits = [
        dict(MATOMO_VISITS[0], actionDetails=[{"type": "event", "eventCategory": "video", "timestamp": 1735724850}]),
        dict(MATOMO_VISITS[1], actionDetails=[]),
    ]
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(visits), encoding="utf-8")
    staged = readers.stage_columnar(con, path, "visits.json", "json")
    assert con.execute("select c0, c4 from stg").fetchall() == [("101", "video")]
    assert staged.notes == [
        "Matomo visits log: 2 visits unnested into 1 rows, one per action (1 visits without actions give no row)"
    ]


# ---------------------------------------------------------------- surveys with several header rows

SURVEYMONKEY = (
    "Respondent ID,Collector ID,Start Date,End Date,How likely are you to recommend us to a friend?,,"
    "Which channels did you use?,,,Any comments?\r\n"  # line 1
    ",,,,Response,Open-Ended Response,Email,Phone,Other (please specify),Open-Ended Response\r\n"  # line 2
    '114001,4001,01/06/2025 10:02:11,01/06/2025 10:04:40,9,Great,Email,,,"Fast\ndelivery"\r\n'  # lines 3-4
    "114002,4001,01/06/2025 11:00:00,01/06/2025 11:03:00,3,,,Phone,Chat,Too slow\r\n"
)  # line 5
SURVEYMONKEY_HEADERS = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "How likely are you to recommend us to a friend?",
    "How likely are you to recommend us to a friend? — Open-Ended Response",
    "Which channels did you use? — Email",
    "Which channels did you use? — Phone",
    "Which channels did you use? — Other (please specify)",
    "Any comments?",
]
SURVEYMONKEY_ROWS = [
    (
        "114001",
        "4001",
        "01/06/2025 10:02:11",
        "01/06/2025 10:04:40",
        "9",
        "Great",
        "Email",
        None,
        None,
        "Fast\ndelivery",
    ),
    ("114002", "4001", "01/06/2025 11:00:00", "01/06/2025 11:03:00", "3", None, None, "Phone", "Chat", "Too slow"),
]

QUALTRICS = (
    "StartDate,EndDate,ResponseId,Q1,Q2_1,Q2_2,Q3\n"  # line 1
    'Start Date,End Date,Response ID,"How likely are you to recommend us?\n(0 = not at all)",'  # lines 2-3
    "Rate us - Delivery,Rate us - Delivery,Comments\n"
    '"{""ImportId"":""startDate"",""timeZone"":""Europe/Paris""}","{""ImportId"":""endDate""}",'  # line 4
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}",'
    '"{""ImportId"":""QID2_2""}","{""ImportId"":""QID3_TEXT""}"\n'
    "2025-06-01 10:00:00,2025-06-01 10:05:00,R_1,10,4,5,Parfait\n"  # line 5
    "2025-06-02 10:00:00,2025-06-02 10:05:00,R_2,2,1,2,Lent\n"
)  # line 6
# the id first (short, unique, what the survey's owner calls it), then the text; a metadata field keeps its id
QUALTRICS_HEADERS = [
    "StartDate",
    "EndDate",
    "ResponseId",
    "Q1 — How likely are you to recommend us? (0 = not at all)",
    "Q2_1 — Rate us - Delivery",
    "Q2_2 — Rate us - Delivery",
    "Q3 — Comments",
]
QUALTRICS_ROWS = [
    ("2025-06-01 10:00:00", "2025-06-01 10:05:00", "R_1", "10", "4", "5", "Parfait"),
    ("2025-06-02 10:00:00", "2025-06-02 10:05:00", "R_2", "2", "1", "2", "Lent"),
]


@pytest.mark.parametrize(
    "text, headers, rows, lines, note",
    [
        (
            SURVEYMONKEY,
            SURVEYMONKEY_HEADERS,
            SURVEYMONKEY_ROWS,
            {0: 3, 1: 5},
            "SurveyMonkey export: 2 header rows merged into 10 column names; data starts on line 3",
        ),
        (
            QUALTRICS,
            QUALTRICS_HEADERS,
            QUALTRICS_ROWS,
            {0: 5, 1: 6},
            "Qualtrics export: 3 header rows (ids, question texts, import ids) merged into 7 column names; "
            "data starts on line 5",
        ),
    ],
    ids=["surveymonkey", "qualtrics"],
)
def test_survey_csv_header_rows_are_merged_and_data_starts_after_them(con, tmp_path, text, headers, rows, lines, note):
    path = write(tmp_path, "survey.csv", text)
    got_headers, delimiter, skip = readers.csv_header(path, "utf-8", "survey.csv")
    assert got_headers == headers
    staged = readers.stage_csv(con, path, "utf-8", delimiter, skip, got_headers)
    assert con.execute("select * from stg").fetchall() == rows
    assert staged.notes == [note]
    assert readers.csv_lines_of(staged, [0, 1]) == lines
    con.execute("drop view stg")
    readers.stage_csv_preview(con, path, delimiter, skip, got_headers)
    assert con.execute("select * from stg").fetchall() == rows


def test_survey_csv_import_reports_rejects_on_their_file_line(ws, tmp_path):
    path = write(tmp_path, "survey.csv", SURVEYMONKEY.replace(",3,,,Phone", ",douze,,,Phone"))
    mapping = {
        "End Date": "responded_at",
        "How likely are you to recommend us to a friend?": "nps",
        "Any comments?": "comment",
    }
    report = import_file(ws, path, kind="responses", mapping=mapping)
    # "douze" is no score: the answer loads without it (its comment and date kept), the cell is listed on its line
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert [(r.line, r.column) for r in report.rejects] == [(5, "How likely are you to recommend us to a friend?")]


def _xlsx(tmp_path, text: str):
    wb = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text, newline="")):
        wb.active.append([c if c != "" else None for c in row])
    path = tmp_path / "survey.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "text, headers, rows, lines, note",
    [
        (
            SURVEYMONKEY,
            SURVEYMONKEY_HEADERS,
            SURVEYMONKEY_ROWS,
            [3, 4],
            "SurveyMonkey export: 2 header rows merged into 10 column names; data starts on row 3",
        ),
        (
            QUALTRICS,
            QUALTRICS_HEADERS,
            QUALTRICS_ROWS,
            [4, 5],
            "Qualtrics export: 3 header rows (ids, question texts, import ids) merged into 7 column names; "
            "data starts on row 4",
        ),
    ],
    ids=["surveymonkey", "qualtrics"],
)
def test_survey_xlsx_header_rows_are_merged(con, tmp_path, text, headers, rows, lines, note):
    staged = readers.stage_xlsx(con, _xlsx(tmp_path, text), "survey.xlsx", None)
    assert staged.headers == headers and staged.notes == [note]
    assert con.execute("select * from stg").fetchall() == rows
    assert [r[0] for r in con.execute("select line from stg_lines").fetchall()] == lines


def test_surveymonkey_without_metadata_keeps_the_last_multi_answer_columns():
    # the last question has several answers: its blank question cells end row 1
    first = ["Which channels?", None, None]
    second = ["Email", "Phone", "Open-Ended Response"]
    got = vendors.survey_header([first, second, ["Email", None, "chat"]])
    assert (
        got.headers == ["Which channels? — Email", "Which channels? — Phone", "Which channels? — Open-Ended Response"]
        and got.rows == 2
    )


@pytest.mark.parametrize(
    "text",
    [
        "id,type,text\n1,Response,hello\n2,Question,\n",  # a value "Response" in an ordinary data row
        "id,type,text\n1,Response,\n",  # … with a blank cell
        "a,b\nResponse,Open-Ended Response\n",  # no blank anywhere: not a survey's sub-labels
    ],
)
def test_ordinary_csv_is_not_taken_for_a_survey(tmp_path, text):
    headers, _delimiter, skip = readers.csv_header(write(tmp_path, "t.csv", text), "utf-8", "t.csv")
    assert headers == text.splitlines()[0].split(",") and skip == 0


# ---------------------------------------------------------------- GA4 interface reports

GA4_REPORT = (
    "# ----------------------------------------\n"
    "# Traffic acquisition: Session default channel group\n"
    "# Account: Shop\n"
    "# Property: Shop (123456789)\n"
    "# ----------------------------------------\n"
    "# \n"
    "# All Users\n"
    "# Start date: 20250101\n"
    "# End date: 20250131\n"
    "Session default channel group,Sessions,Engaged sessions,Engagement rate,Event count\n"
    "Organic Search,1200,800,0.6666666667,5400\n"
    "Direct,900,500,0.5555555556,3100\n"
    "\n"
    "# ----------------------------------------\n"
    "Page path and screen class,Views,Users\n"
    "/,3000,1200\n"
)
GA4_REFUSAL = (
    "file 'rapport.csv': this is a GA4 report of aggregated totals (sessions per session default channel group) "
    "downloaded from the GA4 interface: it holds totals, not one row per event, so it cannot give journeys or "
    "funnels — "
    "export the raw events through the GA4 BigQuery export (link the GA4 property to BigQuery, then export the "
    "events_ tables as NDJSON or Parquet) and import that file"
)


def test_ga4_interface_report_is_refused_with_the_way_to_raw_events(ws, tmp_path):
    path = write(tmp_path, "rapport.csv", GA4_REPORT)
    for call in (detect_file, import_file):
        with pytest.raises(FileRefused) as refused:
            call(ws, path)
        assert str(refused.value) == GA4_REFUSAL
    assert ws.table_counts()["events"] == 0


def test_ga4_interface_report_in_french_names_its_dimension(tmp_path):
    text = (
        "# ----------------------------------------\n# Date de début : 20250101\n# Date de fin : 20250131\n"
        "Chemin de la page et classe de l'écran,Vues,Utilisateurs\n/,3000,1200\n"
    )
    with pytest.raises(
        FileRefused,
        match=r"GA4 report of aggregated totals \(vues per chemin de la page et "
        r"classe de l'écran\)",
    ):
        readers.csv_header(write(tmp_path, "r.csv", text), "utf-8", "r.csv")


def test_ga4_exploration_with_a_client_id_is_events_not_totals(tmp_path):
    text = (
        "# ----------------------------------------\n# Start date: 20250101\n# End date: 20250131\n"
        "Date,Event name,Client ID,Page path,Event count\n20250101,page_view,111.222,/home,3\n"
    )
    headers, _delimiter, skip = readers.csv_header(write(tmp_path, "x.csv", text), "utf-8", "x.csv")
    assert headers == ["Date", "Event name", "Client ID", "Page path", "Event count"] and skip == 3


# ---------------------------------------------------------------- paths DuckDB would glob


def test_csv_path_with_a_star_or_brackets_is_read_literally(ws, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    body = "event_time,visitor_id,event_name\n2025-03-01 10:00:00,v1,page_view\n"
    (folder / "events-2.csv").write_text(body.replace("v1", "intrus") * 1, encoding="utf-8")
    for name in ("events-*.csv", "events-[12].csv"):
        path = folder / name
        path.write_text(body, encoding="utf-8")
        report = import_file(ws, path, kind="events", on_duplicate="keep")
        assert (report.rows_read, report.rows_loaded) == (1, 1), name
    with ws.cursor() as cur:
        assert cur.execute("select distinct visitor_id from events").fetchall() == [("v1",)]


@pytest.mark.parametrize("writer, file_type", [(write_ga4_ndjson, "json"), (write_ga4_parquet, "parquet")])
def test_columnar_path_with_glob_characters_is_read_literally(con, tmp_path, writer, file_type):
    path = writer(tmp_path)
    odd = path.with_name("events_*" + path.suffix)
    path.rename(odd)
    other = writer(tmp_path)  # a second matching file the glob would add
    assert other.exists()
    staged = readers.stage_columnar(con, odd, odd.name, file_type)
    assert staged.rows == 3


def test_matomo_path_with_glob_characters_is_read_literally(con, tmp_path):
    (tmp_path / "visits-a.json").write_text(json.dumps(MATOMO_VISITS), encoding="utf-8")
    path = tmp_path / "visits-?.json"
    path.write_text(json.dumps(MATOMO_VISITS[:1]), encoding="utf-8")
    assert readers.stage_columnar(con, path, path.name, "json").rows == 3


def test_without_symbolic_links_a_fresh_copy_is_read_each_time(con, tmp_path, monkeypatch):
    def refuse(*_args):
        raise OSError("links not allowed")

    monkeypatch.setattr(readers.os, "symlink", refuse)
    path = tmp_path / "visits-*.json"
    path.write_text(json.dumps(MATOMO_VISITS[:1]), encoding="utf-8")
    assert readers.stage_columnar(con, path, path.name, "json").rows == 3
    path.write_text(json.dumps(MATOMO_VISITS), encoding="utf-8")  # same name, new content
    assert readers.stage_columnar(con, path, path.name, "json").rows == 5


def test_matomo_visits_log_loads_one_event_per_action(ws, tmp_path):
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(MATOMO_VISITS), encoding="utf-8")
    report = import_file(ws, path)
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("events", 5, 0)
    assert report.mapping["action_timestamp"] == "event_time" and report.mapping["action_type"] == "event_name"
    with ws.cursor() as cur:
        rows = cur.execute("select session_id, visitor_id, event_name from events order by event_time").fetchall()
    assert rows == [
        ("101", "a1b2c3d4e5f60718", "action"),
        ("101", "a1b2c3d4e5f60718", "play"),
        ("101", "a1b2c3d4e5f60718", "goal"),
        ("102", "ffeeddccbbaa9988", "action"),
        ("102", "ffeeddccbbaa9988", "ecommerceOrder"),
    ]


def test_the_survey_note_has_its_french_label(tmp_path):
    """The command line keeps the English sentence; the pages show the note's label in the UI's language."""
    from cx.i18n import t

    _h, _d, _s = readers.csv_header(write(tmp_path, "survey.csv", SURVEYMONKEY), "utf-8", "survey.csv")
    con = duckdb.connect()
    staged = readers.stage_csv(con, tmp_path / "survey.csv", "utf-8", _d, _s, _h)
    note = staged.notes[0]
    assert note == "SurveyMonkey export: 2 header rows merged into 10 column names; data starts on line 3"
    assert t(f"import.note.{note.key}", "fr", **note.values) == (
        "Export SurveyMonkey : 2 lignes d’en-tête fusionnées en 10 noms de colonnes\u202f; les données commencent ligne 3"
    )


def test_the_matomo_wide_csv_note_has_its_french_label(ws):
    """The visits log exported as one wide CSV (actions in numbered columns) is unpivoted; its note is labelled."""
    from cx.i18n import t
    from tests.conftest import ROOT

    report = import_file(ws, ROOT / "tests" / "exports" / "matomo_visits_log.csv")
    note = next(n for n in report.notes if str(n).startswith("Matomo visits log"))
    assert note.key == "matomo" and t("import.note.matomo", "fr", **note.values).startswith(
        "Journal des visites Matomo"
    )


# ---------------------------------------------------------------- shapes first met in real exports (tests/exports/real)

MATOMO_VISITS_ONLY = (  # Live.getLastVisitsDetails as CSV with the actions left out: one row per visit
    "idSite,idVisit,visitIp,fingerprint,lastActionDateTime,firstActionTimestamp,userId,visitorType,deviceType,"
    "referrerType\n"
    "1,7,10.0.0.1,aa11,2025-01-06 09:05:00,1736154000,,new,Smartphone,search\n"  # 2025-01-06 09:00 UTC
    "1,8,10.0.0.2,bb22,2025-07-01 12:00:00,1751371200,C9,returning,Desktop,direct\n"
)  # 2025-07-01 12:00 UTC


def test_matomo_visits_without_actions_are_one_visit_event_each(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "visits.csv", MATOMO_VISITS_ONLY))
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("events", 2, 0)
    assert report.notes[0].key == "matomo_visits"
    with ws.cursor() as cur:
        rows = cur.execute(
            "select strftime(event_time, '%Y-%m-%d %H:%M'), visitor_id, session_id, event_name, "
            "customer_id, device, channel from events order by session_id"
        ).fetchall()
    # 09:00 UTC in January is 10:00 in Paris (CET); 12:00 UTC in July is 14:00 (CEST)
    assert rows == [
        ("2025-01-06 10:00", "aa11", "7", "visit", None, "Smartphone", "search"),
        ("2025-07-01 14:00", "bb22", "8", "visit", "C9", "Desktop", "direct"),
    ]
    # every column of the file has a fate; the two made for the visit event are mapped
    fates = {h: f["fate"] for h, f in report.columns.items()}
    assert all(fates[h] in ("mapped", "kept") for h in MATOMO_VISITS_ONLY.split("\n")[0].split(","))
    assert (fates["idVisit"], fates["fingerprint"], fates["action_type"]) == ("mapped", "mapped", "mapped")


QUALTRICS_GERMAN = (  # the text row in the survey's language: the metadata columns keep their field names
    "StartDate,EndDate,RecordedDate,ResponseId,Q1,Q2\n"
    "Anfangsdatum,Enddatum,Erfassungsdatum,Antwort-ID,Wie wahrscheinlich empfehlen Sie uns?,Freitext\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""recordedDate""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
    "2025-06-01 10:00:00,2025-06-01 10:05:00,2025-06-01 10:05:01,R_1,9,Sehr gut\n"
)

QUALTRICS_LEGACY = (  # the legacy export: column positions V1…, then field names and question texts
    "V1,V2,V3,V4,V5,Q1,Q2\n"
    "ResponseID,ResponseSet,StartDate,EndDate,Finished,How likely are you to recommend us?,Any comment?\n"
    "R_9,Default Response Set,2025-06-01 10:00:00,2025-06-01 10:04:00,1,7,Fine\n"
)


@pytest.mark.parametrize(
    "text, headers, lines",
    [
        (
            QUALTRICS_GERMAN,
            [
                "StartDate",
                "EndDate",
                "RecordedDate",
                "ResponseId",
                "Q1 — Wie wahrscheinlich empfehlen Sie uns?",
                "Q2 — Freitext",
            ],
            3,
        ),
        (
            QUALTRICS_LEGACY,
            [
                "ResponseID",
                "ResponseSet",
                "StartDate",
                "EndDate",
                "Finished",
                "Q1 — How likely are you to recommend us?",
                "Q2 — Any comment?",
            ],
            2,
        ),
    ],
    ids=["qualtrics-german", "qualtrics-legacy"],
)
def test_qualtrics_headers_in_any_language_and_the_legacy_layout(ws, tmp_path, text, headers, lines):
    path = write(tmp_path, "survey.csv", text)
    assert readers.csv_header(path, "utf-8", "survey.csv")[0] == headers
    report = import_file(ws, path)
    assert (report.kind, report.rows_loaded) == ("responses", 1)
    with ws.cursor() as cur:
        row = cur.execute(
            "select response_id, strftime(responded_at, '%H:%M:%S'), nps, comment from responses"
        ).fetchone()
    # the answer time is RecordedDate (10:05:01) in the current export, EndDate (10:04:00) in the legacy one
    assert row == (("R_1", "10:05:01", 9, "Sehr gut") if lines == 3 else ("R_9", "10:04:00", 7, "Fine"))


# a comma CSV opened in a semicolon-locale Excel and saved again: each line is one cell (quoted when it holds a
# quote) followed by ';'; a cell with a line break had been cut into one-cell rows
EXCEL_WRAPPED = (
    "Name,Email,Financial Status,Created at,Total,Lineitem quantity,Note Attributes;\r\n"
    '"#1,a@example.com,paid,2025-12-31 19:03:27 -0300,100,1,""country: CL";\r\n'
    "utm_source: ig;\r\n"
    '"utm_medium: paid""";\r\n'
    "#1,a@example.com,,2025-12-31 19:03:27 -0300,,2,;\r\n"
    "#2,,pending,2026-01-02 08:00:00 -0300,50.5,1,;\r\n"
)


def test_a_csv_resaved_by_excel_in_one_column_is_unwrapped(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "orders_export.csv", EXCEL_WRAPPED))
    assert report.notes[0].key == "unwrapped" and report.notes[0].values == {"lines": 6}
    # the 3 physical lines of #1's first row are one record again: 3 line items, 2 orders
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("orders", 2, 0)
    with ws.cursor() as cur:
        rows = cur.execute(
            "select order_id, amount, items, strftime(order_time, '%Y-%m-%d %H:%M') from orders order by order_id"
        ).fetchall()
    # -0300: 22:03 UTC = 23:03 Paris (CET); 11:00 UTC = 12:00 Paris
    assert rows == [("#1", 100.0, 3, "2025-12-31 23:03"), ("#2", 50.5, 1, "2026-01-02 12:00")]


def test_an_ordinary_semicolon_csv_is_not_unwrapped(tmp_path):
    from cx.ingest import sniff

    path = write(tmp_path, "c.csv", "id;name;total;\r\n1;Ana, Lima;3,5;\r\n2;Ben;4;\r\n")
    assert not sniff.wrapped_in_one_column(path)
