"""Survey exports a new user brought on 2026-12-07 (tests/data/tester7/: SurveyMonkey as CSV and as XLSX, Qualtrics
in French; invented answers) that got in wrong: the same survey loaded twice was counted twice, SurveyMonkey's
satisfaction words were not read. Each figure below is worked out by hand from the files."""

from pathlib import Path

from cx.ingest import import_file, load
from cx.rejects import fix_text, reject_reason
from cx.satisfaction import summarise
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester7"
SURVEY_CSV = DATA / "surveymonkey_enquete.csv"
SURVEY_XLSX = DATA / "surveymonkey_multi.xlsx"


def _responses(ws) -> int:
    with ws.cursor() as cur:
        return cur.execute("select count(*) from responses").fetchall()[0][0]


def test_the_same_survey_loaded_again_from_another_file_is_counted_once(ws):
    first = import_file(ws, SURVEY_CSV)
    nps = summarise(ws, None).nps
    # the XLSX holds the same 160 answers (same Respondent IDs, lines 3 to 162 of its sheet): none is loaded again
    second = import_file(ws, SURVEY_XLSX)
    assert (second.rows_read, second.rows_loaded) == (160, 0)
    assert _responses(ws) == first.rows_loaded
    again = summarise(ws, None).nps
    assert (again.n, again.nps, again.moe) == (nps.n, nps.nps, nps.moe)  # was 2 × n, the margin ÷ √2
    already = [r for r in second.rejects if r.code == "already_loaded"]
    assert len(already) == first.rows_loaded and already[0].column == ""  # the whole line is kept
    # the reason names the earlier import and its file, in both languages
    assert already[0].reason.endswith(f"import #{first.import_id} (surveymonkey_enquete.csv)")
    assert reject_reason("already_loaded", already[0].reason, "fr") == (
        f"même identifiant qu’une ligne déjà chargée par l’import n° {first.import_id} (surveymonkey_enquete.csv) : "
        "ignorée, comptée une fois"
    )
    assert "supprimez d’abord l’import précédent" in fix_text("already_loaded", "fr")
    note = next(n for n in second.notes if n.key == "already_loaded")
    assert note.values == {"n": first.rows_loaded, "imports": str(first.import_id)}


TICKETS = "ticket_id,created_at,channel,customer_id\nT1,2026-01-01 10:00,email,c1\nT2,2026-01-02 10:00,chat,c2\n"


def test_a_ticket_an_earlier_import_loaded_is_not_loaded_again(ws, tmp_path):
    import_file(ws, write(tmp_path, "t1.csv", TICKETS), kind="tickets")
    # the next export lists T2 again (line 2) and a new ticket T3 (line 3): T3 only is loaded
    later = TICKETS.splitlines()[0] + "\nT2,2026-01-02 10:00,chat,c2\nT3,2026-01-03 10:00,phone,c3\n"
    report = import_file(ws, write(tmp_path, "t2.csv", later), kind="tickets")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert [(r.line, r.code) for r in report.rejects] == [(2, "already_loaded")]
    with ws.cursor() as cur:
        assert cur.execute("select ticket_id from tickets order by ticket_id").fetchall() == [("T1",), ("T2",), ("T3",)]


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
    assert _responses(ws) == 2


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
