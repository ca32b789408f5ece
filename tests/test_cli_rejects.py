"""`python -m cx rejects [--import N] [--csv FILE]`: the rejected rows of past imports, their JSON contract and
their words (French by default)."""

import csv
import io
import json

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import write
from tests.test_cli import cx


def _workspace(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "a.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-01,10\n"))
    import_file(
        ws,
        write(
            tmp_path,
            "b.csv",
            "order_id,customer_id,order_date,total\nB1,C1,2025-01-02,=2+3\nB2,C2,31/02/2025,4\nB3,C3,2025-01-03,5\n",
        ),
    )
    ws.close()
    return db


def test_rejects_json_lists_every_import_s_rejected_rows(tmp_path):
    db = _workspace(tmp_path)
    doc = json.loads(cx("rejects", "--json", db=db).stdout)
    # import 1 is clean; import 2: line 2 (a formula, not a number), line 3 (31 February)
    assert doc == {
        "rejects": [
            {
                "import_id": 2,
                "file": "b.csv",
                "line": 2,
                "column": "total",
                "value": "=2+3",
                "code": "not_a_number",
                "reason": "not a number",
                "whole_row": False,
            },
            {
                "import_id": 2,
                "file": "b.csv",
                "line": 3,
                "column": "order_date",
                "value": "31/02/2025",
                "code": "not_a_date",
                "reason": doc["rejects"][1]["reason"],
                "whole_row": False,
            },
        ],
        "csv": None,
    }
    assert json.loads(cx("rejects", "--import", "1", "--json", db=db).stdout)["rejects"] == []


def test_rejects_in_french_by_default_and_saved_with_formulas_neutralised(tmp_path):
    db = _workspace(tmp_path)
    out = tmp_path / "rejets.csv"
    text = cx("rejects", "--import", "2", "--csv", str(out), db=db).stdout
    assert text.splitlines() == [
        "Import 2 — b.csv : 2 lignes rejetées",
        "  ligne 2, « total » = « =2+3 » (la cellule seule) : pas un nombre. "
        "Écrivez un nombre seul, sans mots (par ex. 12,50).",
        "  ligne 3, « order_date » = « 31/02/2025 » (la cellule seule) : pas une date qui existe (mois 13, 30 "
        "février…). Écrivez une date qui existe, par ex. 31/12/2025 ou 2025-12-31.",
        f"2 lignes rejetées écrites dans {out}",
    ]
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["N° d’import", "Fichier", "Raison", "Ligne", "Colonne", "Valeur", "Conservé", "Correction"]
    assert rows[1][:7] == ["2", "b.csv", "pas un nombre", "2", "total", "'=2+3", "la cellule seule"]
    english = cx("rejects", "--lang", "en", db=db).stdout
    assert english.startswith("Import 2 — b.csv: 2 rejected rows\n  line 2, “total” = “=2+3” (the cell alone): not a")


def test_rejects_of_an_unknown_import_is_a_clear_error(tmp_path):
    db = _workspace(tmp_path)
    out = cx("rejects", "--import", "9", db=db, check=False)
    assert out.returncode != 0 and "there is no import 9" in out.stderr and "Traceback" not in out.stderr
