"""AppTest of the Data page: upload, check what was found, load, read the report, delete the import."""

import csv
import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx.export import to_csv_bytes
from cx.format import escape_markdown
from cx.i18n import t
from cx.ingest import erase_import, import_file, list_imports
from cx.rejects import rejects_table
from cx.workspace import Workspace
from tests.conftest import REAL_EXPORTS, ROOT, clients_and_orders_workbook, write

CSV = (
    "N° client;Prénom;E-mail;Date d'inscription;CA total\r\n"
    "C001;Françoise;f@example.fr;31/12/2024;1 234,56 €\r\n"
    ";Zoé;z@example.fr;01/02/2025;3\r\n"
).encode("cp1252")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    at = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    return at.run()


def test_empty_history_says_so(app):
    assert not app.exception
    assert any("No import yet" in i.value for i in app.info)


def test_upload_detect_load_report_and_delete(app, tmp_path):
    app.file_uploader[0].upload("clients.csv", CSV, "text/csv")
    app.run()
    assert not app.exception
    markdown = " ".join(m.value for m in app.markdown)
    assert "clients" in markdown and "Customers" in markdown
    assert any("cp1252" in c.value and "delimiter “;”" in c.value for c in app.caption)
    assert app.selectbox[0].value == "customers"
    load = app.button(key="load")
    assert load.label == "Load 1 file"
    load.click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Rows read": "2", "Rows loaded": "1", "Rows rejected": "1"}
    rejects = app.dataframe[0].value
    assert rejects[["Line", "Column", "Reason"]].values.tolist() == [[3, "N° client", "required value missing"]]
    fates = app.dataframe[1].value  # every source column accounted for
    assert fates.values.tolist() == [
        ["N° client", "mapped to “Customer id”"],
        ["Prénom", "mapped to “First name”"],
        ["E-mail", "mapped to “E-mail”"],
        ["Date d'inscription", "mapped to “Sign-up date”"],
        ["CA total", "mapped to “Lifetime value”"],
    ]
    history = app.dataframe[-2].value  # the last one: the history's rejected rows (of import 1)
    assert history["file_name"].tolist() == ["clients.csv"]
    # deleting asks first, saying what goes; then says it is done, after the rerun
    app.button(key="delete").click().run()
    assert not app.exception
    assert [w.value for w in app.warning if "Delete import" in w.value] == [
        r"**Delete import #1 (clients\.csv)?** Its loaded rows still there (1, Customers) and its rejected rows (1) "
        "will be erased; the workspace file is rewritten so that nothing of them is left. This cannot be undone."
    ]
    ws = Workspace(tmp_path / "w.duckdb")
    assert ws.table_counts()["customers"] == 1
    ws.close()
    app.button(key="delete_confirm").click().run()
    assert not app.exception
    assert next(s.value for s in app.success).startswith(
        "Import 1 deleted and erased (1 row removed"
    )  # 1 in the singular
    ws = Workspace(tmp_path / "w.duckdb")
    assert ws.table_counts()["customers"] == 0
    ws.close()
    app.run()  # said once
    assert not [s for s in app.success if "deleted" in s.value]


def test_a_deletion_asked_about_one_import_never_erases_another(tmp_path, monkeypatch):
    """The question was about #1; #1 is erased elsewhere (the CLI, another tab) before the user confirms, and the
    picker falls back to the remaining import: the confirmation erases nothing and the question is dropped."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    for name in ("a.csv", "b.csv"):
        path = tmp_path / name
        path.write_text(f"customer_id,email\n{name[0]}1,{name[0]}@example.fr\n", encoding="utf-8")
        import_file(ws, path)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    app = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.run()
    app.selectbox(key="delete_pick").select(1).run()
    app.button(key="delete").click().run()
    assert any("Delete import #1" in w.value for w in app.warning)
    ws = Workspace(db)
    erase_import(ws, 1)
    ws.close()
    app.button(key="delete_confirm").click().run()
    assert not app.exception
    assert not [w for w in app.warning if "Delete import" in w.value]  # dropped, not confirmed
    ws = Workspace(db)
    assert list_imports(ws)["import_id"].tolist() == [2] and ws.table_counts()["customers"] == 1
    ws.close()


def test_a_refused_file_shows_a_clear_error_and_changes_nothing(app, tmp_path):
    app.file_uploader[0].upload("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "text/csv")
    app.run()
    assert not app.exception
    assert any(r"photo\.csv" in e.value and "not a data export" in e.value for e in app.error)
    assert app.button(key="load").disabled
    assert app.button(key="load").label == "No file ready to load"  # was "Load 0 file(s)"


def test_xlsx_upload_finds_the_data_sheet_and_survey_scales(app):
    survey = (ROOT / "sample_data" / "enquete_satisfaction.xlsx").read_bytes()
    app.file_uploader[0].upload(
        "enquete.xlsx", survey, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox[0].value == "responses"
    assert app.selectbox[1].value == "Réponses"  # the sheet with data, not the 'Questions' one
    facts = " ".join(c.value for c in app.caption)
    assert "CSAT on 1–5" in facts and "CES on 1–7, higher = easier" in facts


CLICKS = "user_id,session_id,event,timestamp,platform,acquisition_channel,referrer_url\n" + "".join(
    f"u{i % 3},s{i % 5},page_view,2025-04-0{1 + i % 3} 10:{i:02d}:00,mobile,organic,https://x.test/{i}\n"
    for i in range(12)
)


def _mapping_box(app, header):
    """The dropdown of one source column (its label is the source header)."""
    return next(s for s in app.selectbox if s.label == escape_markdown(header))


def test_mapping_is_corrected_with_dropdowns_and_load_waits_for_required_columns(app, tmp_path):
    app.file_uploader[0].upload("clicks.csv", CLICKS.encode(), "text/csv")
    app.run()
    assert not app.exception
    assert app.selectbox[0].value == "events"
    assert _mapping_box(app, "event").value == "event_name"
    assert _mapping_box(app, "timestamp").value == "event_time"
    assert _mapping_box(app, "referrer_url").value == "__keep__"  # no match: kept as extra data
    reasons = " ".join(c.value for c in app.caption)
    assert "the header is “event”" in reasons
    # unmapping the time makes the load impossible, and says why in plain words
    _mapping_box(app, "timestamp").select("__keep__").run()
    assert app.button(key="load").disabled
    assert any("Event date and time" in w.value for w in app.warning)
    _mapping_box(app, "timestamp").select("event_time").run()
    _mapping_box(app, "referrer_url").select("__ignore__").run()
    assert not app.button(key="load").disabled
    app.button(key="load").click().run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric} == {"Rows read": "12", "Rows loaded": "12", "Rows rejected": "0"}
    fates = dict(app.dataframe[0].value.values.tolist())
    assert fates["referrer_url"] == "ignored (your choice)" and fates["event"] == "mapped to “Event name”"
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        assert cur.execute(
            "select count(distinct visitor_id), count(*) filter (where properties is null) from events"
        ).fetchall() == [(3, 12)]
    ws.close()


def test_a_failed_load_keeps_the_files_and_the_choices(app, tmp_path, monkeypatch):
    app.file_uploader[0].upload("clicks.csv", CLICKS.encode(), "text/csv")
    app.run()
    _mapping_box(app, "platform").select("__ignore__").run()
    ws = Workspace(tmp_path / "w.duckdb")  # another program holds nothing; make the load fail instead
    ws.close()
    from cx.ingest import load

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_load", boom)
    app.button(key="load").click().run()
    assert not app.exception
    assert any("clicks" in e.value and "nothing was changed" in e.value for e in app.error)
    assert _mapping_box(app, "platform").value == "__ignore__"  # the choice survived the failure


REJECTS = pd.DataFrame(
    {
        "import_id": [7, 7, 7],
        "file_name": ["notes.csv"] * 3,
        "line": [3, 4, 5],
        "column": ["Date", "", "N° client"],
        "value": ["=1+1", "a;b;c", None],
        "code": ["not_a_date", "too_many_cells", "missing"],
        "reason": [
            "not a date (expected e.g. 31/12/2025)",
            "the row has more filled cells than the header",
            "required value missing",
        ],
    }
)


@pytest.mark.parametrize(
    "lang, header, reason, kept",
    [
        (
            "fr",
            "N° d’import;Fichier;Raison;Ligne;Colonne;Valeur;Conservé;Correction",
            "pas une date qui existe (mois 13, 30 février…)",
            ["la cellule seule", "la ligne entière", "la cellule seule"],
        ),
        (
            "en",
            "Import no.;File;Reason;Line;Column;Value;Kept;Fix",
            "not a date that exists (month 13, 30 February…)",
            ["the cell alone", "the whole line", "the cell alone"],
        ),
    ],
)
def test_rejected_rows_download_in_the_language_formulas_neutralised(lang, header, reason, kept):
    """The reason in words before where it is, no code column (`not_a_date` is a name for programs), an empty
    value blank, what was kept of the line and the fix."""
    text = to_csv_bytes(rejects_table(REJECTS, lang)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == header.split(";")
    assert rows[1][:6] == ["7", "notes.csv", reason, "3", "Date", "'=1+1"]  # the formula neutralised
    assert rows[1][7] == t("rejects.fix.not_a_date", lang) != ""
    assert rows[3][5] == ""  # an empty value stays empty, never "None"
    assert [r[6] for r in rows[1:]] == kept  # a refused value keeps its cell alone, an unreadable line is whole
    assert "not_a_date" not in text and "None" not in text


def test_the_history_shows_the_rejected_rows_of_an_import_loaded_in_another_session(tmp_path, monkeypatch):
    """Loaded by the command line (or an earlier session): the Data page's history still lists its rejected rows,
    with the reason and the fix, and offers them for download."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    for name, text in (("ok.csv", "customer_id,email\nC1,a@example.fr\n"), ("clients.csv", CSV.decode("cp1252"))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(ws, path)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    app = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.run()
    assert not app.exception
    pick = app.selectbox(key="rejects_pick")
    assert pick.options == ["#2 — clients.csv (rejects: 1)"]  # only the imports that have some
    shown = app.dataframe[-1].value
    assert shown.columns.tolist() == ["Reason", "Line", "Column", "Value", "Kept", "Fix"]
    assert shown.values.tolist() == [
        ["required value missing", 3, "N° client", "", "the cell alone", "Fill in this cell: the column is required."]
    ]
    assert any("only the faulty cell is kept" in c.value for c in app.caption)
    assert [b.proto.label for b in app.get("download_button")][:1] == ["Download the rejected rows (CSV)"]


def test_the_history_lists_the_imports_holding_rejects_not_an_attached_folders_left_out_rows(tmp_path, monkeypatch):
    """An attached GA4 folder counts its rows left out (no visitor) as rejected but holds none in `rejects` (the page
    raised IndexError on it); a tickets file whose only fault is an unreadable rating holds one rejected cell though
    its rows all loaded (it was not listed)."""
    from cx import attach
    from tests.test_attach import days, write_day

    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    folder = tmp_path / "ga4_export"
    for date, rows in days().items():
        write_day(folder, date, rows)
    attach.attach_events(ws, folder)
    tickets = tmp_path / "zendesk.csv"
    tickets.write_text(
        "Ticket ID,Subject,Channel,Requested,Solved,Satisfaction\n"
        "1,Late,Email,2025-05-01 10:00,2025-05-02 10:00,Good\n"
        "2,Broken,Chat,2025-05-01 11:00,2025-05-01 12:00,???\n",
        encoding="utf-8",
    )
    import_file(ws, tickets)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    app = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.selectbox(key="rejects_pick").options == ["#2 — zendesk.csv (rejects: 1)"]
    shown = app.dataframe[-1].value
    assert shown[["Line", "Column", "Value"]].values.tolist() == [[3, "Satisfaction", "???"]]
    assert shown["Fix"].iloc[0].startswith("Nothing to do to load the ticket")


# Freshdesk's ticket export, headers as the tool writes them (the real one: tests/exports/real), rows made up
FRESHDESK = (
    "Ticket ID,Subject,Description,Status,Priority,Type,Created time,Resolved time,Summary,Full name,Title,Email,"
    "Mobile phone,Contact ID,Company Name\n"
    "1,Colis en retard,Bonjour où est ma commande ?,Pending,High,,2025-12-03 16:29:08,,No Summary,Anne Martin,,"
    "anne@example.fr,,anne@example.fr,Acme\n"
    "2,Erreur de paiement,La carte est refusée,Resolved,Medium,,2025-12-04 09:00:00,2025-12-04 11:30:00,No Summary,"
    "Paul Petit,,paul@example.fr,,paul@example.fr,Acme\n"
    "3,Retour,Comment retourner un article ?,Open,Low,,2025-12-05 10:15:00,,No Summary,Anne Martin,,"
    "anne@example.fr,,anne@example.fr,Acme\n"
)


@pytest.mark.parametrize("export", ["made-up rows", "real export"])
def test_freshdesk_tickets_without_a_channel_load_with_one_channel_chosen(app, tmp_path, export):
    # Freshdesk's export has no channel column: Parcours asks tickets or customers; as tickets, the user gives
    # every ticket one channel, and every ticket loads (the real one: 45, tests/exports/real/manifest.json)
    if export == "real export":
        path = REAL_EXPORTS / "freshdesk_tickets_export.csv"
        if not path.is_file():
            pytest.skip("third-party export not in the repository; see tests/exports/real/README.md")
        name, data, n = path.name, path.read_bytes(), 45
    else:
        name, data, n = "freshdesk_tickets.csv", FRESHDESK.encode("utf-8"), 3
    app.file_uploader[0].upload(name, data, "text/csv")
    app.run()
    assert not app.exception
    app.selectbox(key=next(s.key for s in app.selectbox if s.key.startswith("kind_"))).set_value("tickets").run()
    assert app.button(key="load").disabled
    assert any("still map: Channel (or choose one for the whole file, above)" in w.value for w in app.warning)
    channel = next(s for s in app.selectbox if s.key.startswith("const_"))
    assert channel.label == "Your file has no channel column. All these tickets came through the channel:"
    assert channel.value is None  # nothing chosen for the user
    assert channel.options == ["E-mail", "Chat", "Phone", "Social media"]
    channel.set_value("email").run()
    assert not any("still map" in w.value for w in app.warning)
    app.button(key="load").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Rows read": str(n), "Rows loaded": str(n), "Rows rejected": "0"}
    assert any(c.value == "Value given to every row (not in the file): Channel = E-mail" for c in app.caption)
    history = app.dataframe[-1].value
    assert history["constants"].tolist() == ["Channel = E-mail"]
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        assert cur.execute("select count(*), count(*) filter (where channel = 'email') from tickets").fetchall() == [
            (n, n)
        ]
    ws.close()


@pytest.mark.parametrize("lang, says", [("fr", "Plusieurs devises : AUD, USD"), ("en", "Several currencies: AUD, USD")])
def test_the_currencies_note_starts_with_a_capital_where_it_starts_the_line(monkeypatch, lang, says):
    from cx.i18n import t
    from cx.models import Note
    from cx.ui import importer

    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, lang, **values))
    note = Note("several currencies: AUD, USD", "currencies", currencies="AUD, USD")
    assert importer.notes_text([note]) == says  # alone on its line: it was "plusieurs devises : AUD, USD"
    rolled = Note("2 order lines", "rolled_up", rows=2, orders=1)
    assert importer.notes_text([rolled, note]).endswith(" · " + says)


@pytest.mark.parametrize("lang, starts", [("fr", "4 tickets sur des canaux"), ("en", "4 tickets on channels")])
def test_the_unknown_channels_note_is_said_on_its_own_not_as_a_reshape(monkeypatch, lang, starts):
    from cx.i18n import t
    from cx.models import Note
    from cx.ui import importer

    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, lang, **values))
    note = Note("4 tickets…", "unknown_channels", n=4, channels="Carrier pigeon (3), Fax (1)")
    assert importer.notes_text([note]).startswith(starts)  # not "Remis en forme à la lecture : …"


def test_a_file_left_out_of_a_load_stays_and_the_report_says_so(app, tmp_path):
    # the tester dropped three files; the third one's kind was unsure: "Load 2 file(s)" loaded two and the third
    # vanished without a word. Now it is named before the click, listed in the report and still there after.
    app.file_uploader[0].upload("clients.csv", CSV, "text/csv")
    app.file_uploader[0].upload("mystery.csv", b"alpha,beta\nx,y\nz,w\n", "text/csv")
    app.run()
    assert not app.exception
    assert app.button(key="load").label == "Load 1 file"
    assert any("mystery" in w.value and "stays here" in w.value for w in app.warning)
    app.button(key="load").click().run()
    assert not app.exception
    markdown = " ".join(m.value for m in app.markdown)
    assert "mystery" in markdown and "not loaded" in markdown
    assert any("was not loaded" in w.value and "choose what it holds" in w.value for w in app.warning)
    assert {m.label: m.value for m in app.metric}["Rows loaded"] == "1"  # clients.csv was loaded
    # the left-out file is still in the uploader, with its card; the loaded one is done
    assert [f.name for f in app.file_uploader[0].value] == ["clients.csv", "mystery.csv"]
    assert app.button(key="load").label == "No file ready to load"
    assert app.selectbox(key=f"kind_{app.file_uploader[0].value[1].file_id}").value is None


def test_the_previews_mask_e_mails_before_loading_and_show_empty_cells_empty(app):
    app.file_uploader[0].upload("clients.csv", CSV, "text/csv")
    app.run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    assert r"\[e\-mail\], \[e\-mail\]" in shown and "example" not in shown  # the sample values (escaped)
    preview = next(df.value for df in app.dataframe if "E-mail" in df.value.columns)  # after the files' list
    assert preview["E-mail"].tolist() == ["[e-mail]", "[e-mail]"]
    assert preview["N° client"].tolist() == ["C001", ""]  # an empty cell, not "None"


def test_the_dropped_files_are_listed_with_their_sizes_in_the_pages_language(app):
    # Streamlit's own list writes "1.2KB" and shows two rows of files: ours lists them all, "1,2 Ko" in French
    app.session_state["lang"] = "fr"
    app.file_uploader[0].upload("a.csv", b"x" * 1229, "text/csv")
    app.file_uploader[0].upload("b.csv", b"y" * 512, "text/csv")
    app.run()
    assert any(c.value == "2 fichiers déposés" for c in app.caption)
    listed = next(df.value for df in app.dataframe if "size" in df.value.columns)
    assert listed.values.tolist() == [["a.csv", "1,2 Ko"], ["b.csv", "512 o"]]  # 1 229 / 1 000 → 1,2 Ko


def test_a_list_of_companies_is_asked_about_with_the_reason(app):
    companies = (
        b"Record ID,Company name,Create Date,City,Country/Region,Industry,Annual Revenue\r\n"
        b"1,Acme,5/7/24 10:26,Houston,United States,Real Estate,10000000\r\n"
        b"2,Globex,11/18/24 17:56,Paris,France,Retail,500000\r\n"
    )
    app.file_uploader[0].upload("hubspot_companies.csv", companies, "text/csv")
    app.run()
    assert not app.exception
    assert app.selectbox[0].value is None  # no kind chosen for the user: asked
    assert any("not sure what this file holds" in w.value for w in app.warning)
    assert any("A list of companies, not of people" in c.value for c in app.caption)
    assert app.button(key="load").disabled


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_history_says_how_many_imports_and_that_the_number_is_an_id(tmp_path, monkeypatch, lang):
    """Three files loaded, the first deleted: the history holds 2 imports, numbered 2 and 3. The numbers stay (the
    command line's `delete 3` names the same import on the page), and the page says how many imports there are and
    what the number is (a tester read "Import 6" after loading 2 files)."""
    import json

    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    for name in ("a.csv", "b.csv", "c.csv"):
        path = tmp_path / name
        path.write_text(f"customer_id,email\n{name[0]}1,{name[0]}@example.fr\n", encoding="utf-8")
        import_file(ws, path)
    erase_import(ws, 1)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    history = next(df for df in at.dataframe if "import_id" in df.value.columns)
    assert history.value["import_id"].tolist() == [3, 2]
    said = {
        "fr": "2 imports dans l’espace de travail. Le n° d’import est un identifiant, jamais réutilisé",
        "en": "2 imports in the workspace. The import no. is an id, never reused",
    }[lang]
    assert any(c.value.startswith(said) for c in at.caption)
    column = json.loads(history.proto.columns)["import_id"]
    assert column["label"] == {"fr": "N° d’import", "en": "Import no."}[lang]
    assert "python -m cx delete" in column["help"]


def test_a_file_whose_every_row_is_rejected_says_nothing_was_loaded(app):
    # the tester's Google Forms file before 12-hour times were read: every row rejected, the history said "loaded"
    text = "Timestamp,Email Address,How likely are you to recommend us?\nsoon,a@example.com,9\nlater,b@example.com,8\n"
    app.file_uploader[0].upload("form.csv", text.encode(), "text/csv")
    app.run()
    app.button(key="load").click().run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric} == {"Rows read": "2", "Rows loaded": "0", "Rows rejected": "2"}
    assert [e.value for e in app.error] == [t("data.all_rejected", "en", n=2)]
    assert not [w for w in app.warning if "rows rejected" in w.value]
    history = next(d.value for d in app.dataframe if "status" in d.value.columns)
    assert history["status"].tolist() == ["nothing loaded: every row rejected"]


def in_order(node) -> list:
    """The page's elements in the order they are drawn (blocks walked depth first)."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [e for i in sorted(children) for e in in_order(children[i])]


def test_a_file_already_imported_says_so_at_the_top_of_its_card_before_the_load(app, tmp_path):
    """A tester dropped a file loaded the day before and clicked Load: the page said "already imported" only in the
    report (the warning sat under the column mapping, below the fold). It is said first, with the import's date and
    number and what Load does; skipping loads nothing, replacing erases the earlier import: never twice the rows."""
    ws = Workspace(tmp_path / "w.duckdb")
    first = import_file(ws, write(tmp_path, "clients.csv", CSV.decode("cp1252"), "cp1252"))
    with ws.cursor() as cur:
        loaded_at = cur.execute("select finished_at from imports").fetchall()[0][0]
    ws.close()
    app.file_uploader[0].upload("clients (1).csv", CSV, "text/csv")  # the same bytes, renamed by the browser
    app.run()
    assert not app.exception
    said = (
        f"**Already imported** on {loaded_at:%Y-%m-%d %H:%M} (import #{first.import_id}, “clients\\.csv”, 1 row loaded)"
    )
    [warning] = [w for w in app.warning if w.value.startswith("**Already imported**")]
    assert warning.value.startswith(said) and "Loading it again loads nothing" in warning.value
    drawn = in_order(app.main)
    kind = next(i for i, e in enumerate(drawn) if getattr(e, "label", None) == "What this file holds")
    assert drawn.index(warning) < kind  # at the top of the card, before its kind, preview and mapping
    [choice] = [r for r in app.radio if r.label == "On load:"]
    assert choice.value == "skip"
    assert choice.options == [
        "Skip it: nothing is loaded, import #1 stays as it is",
        "Replace import #1: it is erased with its rows, then this file is loaded in its place with the mapping below",
    ]
    app.button(key="load").click().run()
    assert any("already imported (import 1); nothing loaded" in i.value for i in app.info)
    assert uncached_counts(tmp_path) == ([1], 1)
    # dropped again, replaced: the earlier import is erased, the rows are there once
    app.file_uploader[0].upload("clients (1).csv", CSV, "text/csv")
    app.run()
    next(r for r in app.radio if r.label == "On load:").set_value("replace")
    app.run()
    app.button(key="load").click().run()
    assert not app.exception
    assert uncached_counts(tmp_path) == ([2], 1)


def uncached_counts(tmp_path) -> tuple[list, int]:
    """The imports left (their ids) and the customers loaded."""
    ws = Workspace(tmp_path / "w.duckdb")
    ids = list_imports(ws)["import_id"].tolist()
    customers = ws.table_counts()["customers"]
    ws.close()
    return ids, customers


def test_two_files_of_the_same_bytes_dropped_together_are_said_so_and_loaded_once(app, tmp_path):
    app.file_uploader[0].upload("clients.csv", CSV, "text/csv")
    app.file_uploader[0].upload("clients (1).csv", CSV, "text/csv")
    app.run()
    assert not app.exception
    assert [w.value for w in app.warning if "same bytes" in w.value] == [
        "**The same bytes as “clients\\.csv”**, dropped above: on load this one is skipped, its rows are loaded once."
    ]
    app.button(key="load").click().run()
    assert not app.exception
    assert "clients \\(1\\)\\.csv: already imported (import 1); nothing loaded." in [i.value for i in app.info]
    assert uncached_counts(tmp_path) == ([1], 1)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheets(app) -> list:
    return [s for s in app.selectbox if s.label == "Sheet"]


def test_a_workbooks_other_sheet_is_not_already_imported(app, tmp_path):
    """A workbook whose 'Clients' sheet was loaded, dropped again for its 'Commandes' sheet: the card said "already
    imported" (the same bytes), Load loaded nothing, and its offered "replace" erased the clients (0 left)."""
    ws = Workspace(tmp_path / "w.duckdb")
    book = clients_and_orders_workbook(tmp_path / "book.xlsx")
    import_file(ws, book, sheet="Clients", kind="customers")
    ws.close()
    app.file_uploader[0].upload("book.xlsx", book.read_bytes(), XLSX)
    app.run()
    [sheet] = _sheets(app)
    sheet.set_value("Clients").run()
    assert [w for w in app.warning if w.value.startswith("**Already imported**")]  # that sheet was
    _sheets(app)[0].set_value("Commandes").run()
    assert not app.exception
    assert not [w for w in app.warning if w.value.startswith("**Already imported**")]
    assert not [r for r in app.radio if r.label == "On load:"]
    app.selectbox[0].set_value("orders").run()
    app.button(key="load").click().run()
    assert not app.exception
    ws = Workspace(tmp_path / "w.duckdb")
    assert sorted(list_imports(ws)["sheet"]) == ["Clients", "Commandes"]
    assert (ws.table_counts()["customers"], ws.table_counts()["orders"]) == (2, 2)
    ws.close()


def test_one_workbook_dropped_twice_for_two_sheets_is_no_twin(app, tmp_path):
    book = clients_and_orders_workbook(tmp_path / "book.xlsx").read_bytes()
    app.file_uploader[0].upload("book.xlsx", book, XLSX)
    app.file_uploader[0].upload("book (1).xlsx", book, XLSX)
    app.run()
    first, second = _sheets(app)
    first.set_value("Clients").run()
    second = _sheets(app)[1]
    second.set_value("Commandes").run()
    assert [w.value for w in app.warning if "same bytes" in w.value] == []
    kinds = [s for s in app.selectbox if s.label == "What this file holds"]
    kinds[0].set_value("customers").run()
    [s for s in app.selectbox if s.label == "What this file holds"][1].set_value("orders").run()
    app.button(key="load").click().run()
    assert not app.exception
    assert uncached_counts(tmp_path) == ([2, 1], 2)  # both sheets loaded, the clients kept
