"""Survey exports a new user brought on 2026-12-07 (tests/data/tester7/: SurveyMonkey as CSV and as XLSX, Qualtrics
in French; invented answers) that got in wrong: the same survey loaded twice was counted twice, SurveyMonkey's
satisfaction words were not read. Each figure below is worked out by hand from the files."""

from pathlib import Path

from cx.ingest import import_file, load
from cx.ingest.erase import erase_imports
from cx.satisfaction import summarise
from cx.workspace import sql_file
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester7"
SURVEY_CSV = DATA / "surveymonkey_enquete.csv"
SURVEY_XLSX = DATA / "surveymonkey_multi.xlsx"


def _read(ws, kind: str) -> list[tuple]:
    """The rows the pages read (staging/linked_<kind>.sql): import, id and, for a ticket, its resolution and CSAT."""
    columns = (
        "import_id, ticket_id, resolved_at is not null, csat" if kind == "tickets" else "import_id, response_id, nps"
    )
    with ws.cursor() as cur:
        return cur.execute(f"select {columns} from ({sql_file(f'staging/linked_{kind}.sql')}) order by all").fetchall()


def test_the_same_survey_loaded_again_from_another_file_is_counted_once(ws):
    first = import_file(ws, SURVEY_CSV)
    nps = summarise(ws, None).nps
    # the XLSX holds the same 160 answers (same Respondent IDs and dates, lines 3 to 162 of its sheet): all are
    # loaded, and the pages read each once, the XLSX's
    second = import_file(ws, SURVEY_XLSX)
    assert (second.rows_read, second.rows_loaded, second.rows_rejected) == (160, 160, 0)
    again = summarise(ws, None).nps
    assert (again.n, again.nps, again.moe) == (nps.n, nps.nps, nps.moe)  # was 2 × n, the margin ÷ √2
    assert {r[0] for r in _read(ws, "responses")} == {second.import_id}
    note = next(n for n in second.notes if n.key == "already_loaded")
    assert note.values == {"n": 160, "imports": str(first.import_id)}
    # deleting the first import loses nothing: the XLSX's answers are still read, once
    erase_imports(ws, [first.import_id])
    assert summarise(ws, None).nps.n == nps.n


TICKETS = (
    "Ticket ID,Requester email,Channel,Created at,Status,Solved at,Satisfaction\n"
    "T1,a@x.fr,email,2025-02-01 10:00,open,,\nT2,b@x.fr,email,2025-02-02 10:00,open,,\n"
)
NEXT_WEEK = (
    TICKETS.splitlines()[0] + "\nT1,a@x.fr,email,2025-02-01 10:00,solved,2025-02-03 10:00,bad\n"
    "T2,b@x.fr,email,2025-02-02 10:00,solved,2025-02-02 12:00,good\nT3,c@x.fr,email,2025-02-05 10:00,open,,\n"
)


def test_a_helpdesk_s_next_export_is_read_as_it_is_now(ws, tmp_path):
    week1 = import_file(ws, write(tmp_path, "w1.csv", TICKETS), kind="tickets")
    # the next week's export lists T1 and T2 again, solved and rated (bad = 1, good = 5), and a new ticket T3
    week2 = import_file(ws, write(tmp_path, "w2.csv", NEXT_WEEK), kind="tickets")
    assert (week2.rows_loaded, week2.rows_rejected) == (3, 0)
    w2 = week2.import_id
    assert _read(ws, "tickets") == [(w2, "T1", True, 1.0), (w2, "T2", True, 5.0), (w2, "T3", False, None)]
    note = next(n for n in week2.notes if n.key == "already_loaded")
    assert note.values == {"n": 2, "imports": str(week1.import_id)}
    # deleting the newer export brings the older one back as it was; nothing else
    erase_imports(ws, [w2])
    w1 = week1.import_id
    assert _read(ws, "tickets") == [(w1, "T1", False, None), (w1, "T2", False, None)]


def test_two_surveys_numbering_their_answers_from_1_are_both_read(ws, tmp_path):
    # the same ids, other dates: two surveys (a shop's, the support's), not one exported twice
    header = "Response ID,Submitted At,How likely are you to recommend us?\n"
    shop = import_file(ws, write(tmp_path, "shop.csv", header + "1,2025-02-01,9\n2,2025-02-02,3\n"), kind="responses")
    support = import_file(
        ws,
        write(tmp_path, "support.csv", header + "1,2025-03-01,0\n2,2025-03-02,2\n3,2025-03-03,8\n"),
        kind="responses",
    )
    assert "already_loaded" not in [n.key for n in support.notes]
    assert [(i, r) for i, r, _ in _read(ws, "responses")] == [
        (shop.import_id, "1"), (shop.import_id, "2"), (support.import_id, "1"), (support.import_id, "2"),
        (support.import_id, "3"),
    ]  # fmt: skip


ANSWERS = "Response ID,NPS,Submitted\nr1,9,2026-04-19\nr2,3,2026-04-20\n"
MAPPING = {"Response ID": "response_id", "NPS": "nps", "Submitted": "responded_at"}


def test_replacing_the_same_bytes_loads_them_again_even_when_their_digest_comes_late(ws, tmp_path, monkeypatch):
    # a file bigger than DIGEST_FIRST_BYTES is compared with earlier imports after its load: its answers must not be
    # taken for the answers of the very import it replaces
    monkeypatch.setattr(load, "DIGEST_FIRST_BYTES", 0)
    path = write(tmp_path, "a.csv", ANSWERS)
    import_file(ws, path, kind="responses", mapping=MAPPING)
    again = import_file(ws, path, kind="responses", mapping=MAPPING, on_duplicate="replace")
    assert (again.rows_loaded, again.rows_rejected) == (2, 0)
    assert "already_loaded" not in [n.key for n in again.notes]  # not its own, replaced, answers
    with ws.cursor() as cur:
        assert cur.execute("select count(*) from responses").fetchall() == [(2,)]


def test_a_survey_without_response_id_says_its_repeats_cannot_be_recognised(ws, tmp_path):
    path = write(tmp_path, "a.csv", ANSWERS)
    report = import_file(ws, path, kind="responses", mapping={"NPS": "nps", "Submitted": "responded_at"})
    assert "no_response_id" in [n.key for n in report.notes]
    with_id = import_file(ws, write(tmp_path, "b.csv", ANSWERS.replace("r1", "r9")), kind="responses", mapping=MAPPING)
    assert "no_response_id" not in [n.key for n in with_id.notes]


NPS_QUESTION = "Quelle est la probabilité que vous recommandiez Maison Ocre à un ami ou un collègue ?"
CSAT_QUESTION = "Dans l'ensemble, êtes-vous satisfait(e) de votre dernière commande ?"
COMMENT_QUESTION = "Qu'est-ce qui pourrait être amélioré ?"
BY_HAND = {
    "Respondent ID": "response_id",
    "End Date": "responded_at",
    "Email Address": "customer_id",
    NPS_QUESTION: "nps",
    CSAT_QUESTION: "csat",
    COMMENT_QUESTION: "comment",
}


def test_surveymonkey_satisfaction_words_are_read_as_the_csat(ws):
    report = import_file(ws, SURVEY_CSV, kind="responses", mapping=BY_HAND)
    # every answer has a satisfaction word (the generator's truth: 160 rated, 113 "Satisfait" or "Très satisfait" =
    # 70.6 %, mean 3.92); the 8 "Ne sait pas" NPS are no score, their answers loaded with their CSAT
    assert (report.rows_loaded, report.rows_rejected) == (160, 0)
    assert {r.code for r in report.rejects} == {"no_score"} and len(report.rejects) == 8
    # the note names the score left out and its column (it said "159 answers with no score": the CSAT words, unread)
    said = [n.values for n in report.notes if n.key.startswith("no_score")]
    assert said == [{"n": 8, "score": "NPS", "column": NPS_QUESTION}]
    s = summarise(ws, None).csat
    assert (s.n, round(s.csat, 1)) == (160, 70.6)
    with ws.cursor() as cur:
        assert round(cur.execute("select avg(csat) from responses").fetchall()[0][0], 2) == 3.92


LABELS = (
    "Timestamp,Email Address,How satisfied are you with your order?\n"
    "2026/03/05 2:14:33 PM,a@example.com,Very satisfied\n"  # 5
    "2026/03/05 2:15:33 PM,b@example.com,satisfied\n"  # 4
    "2026/03/05 2:16:33 PM,c@example.com,Neither satisfied nor dissatisfied\n"  # 3
    "2026/03/05 2:17:33 PM,d@example.com,Dissatisfied\n"  # 2
    "2026/03/05 2:18:33 PM,e@example.com,Très insatisfaite\n"  # 1
    "2026/03/05 2:19:33 PM,f@example.com,Plutôt satisfait\n"  # 4
)


def test_a_satisfaction_scale_s_labels_are_read_five_to_one_in_french_and_english(ws, tmp_path):
    mapping = {"Timestamp": "responded_at", "Email Address": "customer_id", LABELS.split(",")[2].split("\n")[0]: "csat"}
    report = import_file(ws, write(tmp_path, "forms.csv", LABELS), kind="responses", mapping=mapping)
    assert (report.rows_loaded, report.rejects) == (6, ())
    with ws.cursor() as cur:
        rows = cur.execute("select csat, csat_scale from responses order by responded_at").fetchall()
    assert rows == [(5, 5), (4, 5), (3, 5), (2, 5), (1, 5), (4, 5)]
    s = summarise(ws, None).csat
    assert (s.n, s.csat) == (6, 50.0)  # rated 4–5: 3 of 6


def test_surveymonkey_s_satisfaction_question_and_comment_are_mapped_and_every_answer_loads(ws):
    report = import_file(ws, SURVEY_CSV)
    assert report.mapping[CSAT_QUESTION] == "csat" and report.mapping[COMMENT_QUESTION] == "comment"
    # the 8 "Ne sait pas" answers (lines 3 to 10) were rejected as empty: their CSAT and comment are there
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (160, 160, 0)
    assert [(r.line, r.code) for r in report.rejects] == [(line, "no_score") for line in range(3, 11)]


def test_a_rejected_answer_gives_one_reason_not_also_loaded_without_its_score(ws, tmp_path):
    # line 2: an N/A score and nothing else, an empty answer: rejected, and only that is said (it also said
    # "no score: the answer is loaded without it", which it was not); line 3 loads without its N/A score
    text = "Response ID,NPS,Comment,Submitted\nr1,N/A,,2026-04-19\nr2,N/A,Trop cher,2026-04-20\n"
    mapping = {"Response ID": "response_id", "NPS": "nps", "Comment": "comment", "Submitted": "responded_at"}
    report = import_file(ws, write(tmp_path, "a.csv", text), kind="responses", mapping=mapping)
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert [(r.line, r.code) for r in report.rejects] == [(2, "empty_answer"), (3, "no_score")]


def test_a_question_about_ease_is_the_ces_even_when_it_asks_to_rate(ws):
    report = import_file(ws, DATA / "qualtrics_fr.csv")
    # "Comment évaluez-vous la facilité de votre commande ?" (answers 1–7): ease, so the CES (was the CSAT by the
    # rating rule, "évaluez")
    assert report.mapping["Q2 — Comment évaluez-vous la facilité de votre commande ?"] == "ces"
    assert "csat" not in report.mapping.values()


def test_please_rate_your_satisfaction_is_no_question_about_ease():
    from cx.ingest.mapping import map_headers

    headers = ["Response ID", "Please rate your satisfaction with our service", "Submitted"]
    assert map_headers(headers, "responses")[headers[1]] == "csat"


def test_surveymonkey_s_collector_id_is_no_channel(ws):
    report = import_file(ws, SURVEY_CSV)
    # "4321" on every row: the id of the collector (a link, an e-mail invitation), not how the customer came
    assert "Collector ID" not in report.mapping and report.columns["Collector ID"]["fate"] == "kept"
