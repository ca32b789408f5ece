"""The sample-data generator: determinism, byte-level quirks, exact headers and the planted CX problems,
checked from the written files (not from the generator's own bookkeeping)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

EVENTS_HEADER = (
    "event_date,event_timestamp,event_name,user_pseudo_id,user_id,ga_session_id,page_location,"
    "device_category,session_source_medium,geo_country,load_time_ms,purchase_revenue,currency"
)
CRM_HEADER = (
    "N° client;Civilité;Prénom;Nom;E-mail;Date d'inscription;Année de naissance;Ville;Pays;Segment;"
    "Canal d'acquisition;Membre fidélité;CA total"
)
ORDERS_HEADER = [
    "Order ID",
    "Customer ID",
    "Order date",
    "Status",
    "Total (€)",
    "Items",
    "Payment method",
    "Channel",
    "Promised delivery",
    "Delivered at",
    "Return reason",
]
TICKETS_HEADER = (
    "Ticket ID,Customer ID,Channel,Created at,First response at,Solved at,Category,Priority,"
    "Complaint,Satisfaction,Description"
)
SURVEY_HEADER = [
    "Horodateur",
    "N° client",
    "Quelle est la probabilité que vous recommandiez Maison Lumen à un proche ? (0-10)",
    "Dans l’ensemble, êtes-vous satisfait(e) de votre dernière commande ? (1-5)",
    "Maison Lumen m’a facilité la résolution de ma demande (1-7)",
    "Pourquoi cette note ?",
    "Point de contact",
    "Langue",
]
DATA_FILES = (
    "events_ga4.csv",
    "clients_crm.csv",
    "commandes.xlsx",
    "tickets_support.csv",
    "enquete_satisfaction.xlsx",
    "planted.json",
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for name, seed in (("a", 42), ("b", 42), ("seven", 7)):
        d = tmp_path_factory.mktemp(f"sample_{name}")
        out[name] = gen.generate(d, seed=seed)
    return out


@pytest.fixture(scope="module")
def d42(runs) -> Path:
    return runs["a"]["events"].parent


def planted(paths) -> dict:
    return json.loads(paths["planted"].read_text(encoding="utf-8"))


def events(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"user_id": str, "event_date": str, "user_pseudo_id": str})


def tickets(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def survey(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Réponses", dtype=object)


def orders(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Commandes", dtype=object)


# ------------------------------------------------------------------------------------------ files
def test_returns_all_paths(runs):
    paths = runs["a"]
    assert {p.name for p in paths.values()} == set(DATA_FILES)
    assert all(p.exists() for p in paths.values())


def test_same_seed_same_bytes(runs):
    a, b = runs["a"], runs["b"]
    for kind in a:
        assert a[kind].read_bytes() == b[kind].read_bytes(), f"{a[kind].name} differs between two runs"


def test_xlsx_properties_fixed(d42):
    for name in ("commandes.xlsx", "enquete_satisfaction.xlsx"):
        wb = openpyxl.load_workbook(d42 / name, read_only=True)
        assert wb.properties.created == wb.properties.modified
        assert wb.properties.created.year == 2025


def test_sizes_and_row_counts(d42):
    assert (d42 / "events_ga4.csv").stat().st_size < 15_000_000
    e = events(d42 / "events_ga4.csv")
    assert 55_000 <= len(e) <= 80_000
    assert 6_000 <= e.user_pseudo_id.nunique() <= 8_000
    crm = (d42 / "clients_crm.csv").read_bytes().decode("cp1252").split("\r\n")
    assert 2_900 <= len([x for x in crm[1:] if x]) <= 3_100
    assert 4_500 <= len(orders(d42 / "commandes.xlsx")) <= 5_500
    assert 1_100 <= len(tickets(d42 / "tickets_support.csv")) <= 1_300
    assert 1_400 <= len(survey(d42 / "enquete_satisfaction.xlsx")) <= 1_600


# -------------------------------------------------------------------------------------- encodings
def test_crm_is_cp1252_not_utf8(d42):
    raw = (d42 / "clients_crm.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    for ch in ("é", "è", "ç", "œ", "€", "’", "ÿ", "\u00a0"):
        assert ch in text, ch
    assert "L’Haÿ-les-Roses" in text
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF only
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    amounts = [r[12] for r in rows[1:] if r]
    assert all(a.endswith(" €") and "," in a and "." not in a for a in amounts)
    assert any("\u00a0" in a for a in amounts)  # NBSP thousands separator, e.g. '1 234,56 €'
    assert all(len(r[5]) == 10 and r[5][2] == "/" and r[5][5] == "/" for r in rows[1:] if r)


def test_tickets_have_bom_and_tricky_text(d42):
    raw = (d42 / "tickets_support.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    t = tickets(d42 / "tickets_support.csv")
    desc = t["Description"]
    assert desc.str.contains("\n").sum() >= 20
    assert desc.str.contains(",").mean() > 0.3
    assert desc.str.contains("<b>").any() and desc.str.contains("&").any() and desc.str.contains('"').any()
    assert desc.str.startswith("=HYPERLINK(").sum() == 1


def test_events_plain_utf8(d42):
    raw = (d42 / "events_ga4.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    raw.decode("utf-8")


# ---------------------------------------------------------------------------------------- headers
def test_headers_exact(d42):
    assert (d42 / "events_ga4.csv").read_text(encoding="utf-8").split("\n", 1)[0] == EVENTS_HEADER
    assert (d42 / "clients_crm.csv").read_bytes().decode("cp1252").split("\r\n", 1)[0] == CRM_HEADER
    assert (d42 / "tickets_support.csv").read_bytes().decode("utf-8-sig").split("\r\n", 1)[0] == TICKETS_HEADER
    wb = openpyxl.load_workbook(d42 / "commandes.xlsx", read_only=True)
    assert wb.sheetnames == ["Notes", "Commandes"]
    assert [c for c in next(wb["Commandes"].iter_rows(max_row=1, values_only=True))] == ORDERS_HEADER
    wb = openpyxl.load_workbook(d42 / "enquete_satisfaction.xlsx", read_only=True)
    assert wb.sheetnames == ["Réponses", "Questions"]
    assert [c for c in next(wb["Réponses"].iter_rows(max_row=1, values_only=True))] == SURVEY_HEADER


def test_cell_types(d42):
    wb = openpyxl.load_workbook(d42 / "commandes.xlsx", read_only=True)
    row = next(wb["Commandes"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[2].__class__.__name__ == "datetime" and isinstance(row[4], float) and isinstance(row[5], int)
    wb = openpyxl.load_workbook(d42 / "enquete_satisfaction.xlsx", read_only=True)
    row = next(wb["Réponses"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(row[0], str) and row[0][2] == "/" and row[0][5] == "/" and len(row[0]) == 19


# -------------------------------------------------------------------------------- planted problems
def step_share(e: pd.DataFrame, inc: dict) -> tuple[float, float, int]:
    """Share of sessions at inc['step_from'] that reach inc['step_to'], for inc['device'], in/out of the window."""
    key = ["user_pseudo_id", "ga_session_id"]
    starts = e[e.event_name == "session_start"].set_index(key)[["event_date", "device_category"]]
    has = lambda name: e[e.event_name == name].groupby(key).size().rename(name)
    s = starts.join(has(inc["step_from"]), how="inner").join(has(inc["step_to"]), how="left")
    s = s[s.device_category == inc["device"]]
    day = pd.to_datetime(s.event_date, format="%Y%m%d")
    inside = (day >= inc["from"]) & (day <= inc["to"])
    reached = s[inc["step_to"]].notna()
    return reached[inside].mean(), reached[~inside].mean(), int(inside.sum())


def test_payment_incident_visible_in_events(runs):
    inc = planted(runs["a"])["checkout_incident"]
    assert (inc["device"], inc["from"], inc["to"], inc["step_from"], inc["step_to"]) == (
        "mobile",
        "2025-10-06",
        "2025-10-19",
        "add_payment_info",
        "purchase",
    )
    e = events(runs["a"]["events"])
    inside, outside, n = step_share(e, inc)
    assert n >= 30
    assert inside < 0.40 and outside > 0.65, (inside, outside)
    # other devices are not affected in the same window
    other = dict(inc, device="desktop")
    assert step_share(e, other)[0] > 0.6
    # payment_error on /commande/paiement piles up for mobile sessions inside the window
    err = e[(e.event_name == "payment_error") & (e.device_category == "mobile")]
    assert err.page_location.str.endswith("/commande/paiement").all()
    day = pd.to_datetime(err.event_date, format="%Y%m%d")
    win = (day >= inc["from"]) & (day <= inc["to"])
    per_day_in = win.sum() / 14
    per_day_out = (~win).sum() / (120 - 14)
    assert per_day_in > 5 * per_day_out


def test_incident_moves_with_seed(runs):
    a, b = planted(runs["a"])["checkout_incident"], planted(runs["seven"])["checkout_incident"]
    assert (a["from"], a["to"]) != (b["from"], b["to"])
    inside, outside, _ = step_share(events(runs["seven"]["events"]), b)
    assert inside < 0.45 and outside > 0.6, (b, inside, outside)


def test_slow_page(d42):
    e = events(d42 / "events_ga4.csv")
    pv = e[e.event_name == "page_view"].copy()
    pv["path"] = pv.page_location.str.replace("https://www.maisonlumen.fr", "", regex=False)
    med = pv.groupby("path").load_time_ms.median()
    assert 4000 <= med["/categorie/mobilier"] <= 6000
    assert med.drop("/categorie/mobilier").between(800, 1800).all()
    assert e.loc[e.event_name != "page_view", "load_time_ms"].isna().all()
    last = pv.groupby(["user_pseudo_id", "ga_session_id"]).path.last()
    seen = pv.drop_duplicates(["user_pseudo_id", "ga_session_id", "path"]).path.value_counts()
    exit_rate = last.value_counts() / seen
    assert exit_rate["/categorie/mobilier"] > 2 * max(
        exit_rate["/categorie/luminaires"], exit_rate["/categorie/textile"]
    )


def test_email_first_response_slow(d42):
    t = tickets(d42 / "tickets_support.csv")
    created = pd.to_datetime(t["Created at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    first = pd.to_datetime(t["First response at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    hours = (first - created).dt.total_seconds() / 3600
    med = hours.groupby(t.Channel).median()
    assert med["email"] > 48
    assert med["chat"] < 2 / 60 and med["phone"] < 10 / 60 and med["social"] < 1


def test_late_deliveries_and_nps(d42):
    o = orders(d42 / "commandes.xlsx")
    done = o[(o.Status == "completed") & o["Delivered at"].notna()]
    late = pd.to_datetime(done["Delivered at"]) > pd.to_datetime(done["Promised delivery"])
    assert 0.15 <= late.mean() <= 0.25
    assert o.loc[o.Status == "cancelled", "Delivered at"].isna().all()
    assert o.loc[o.Status != "returned", "Return reason"].isna().all()
    assert o.loc[o.Status == "returned", "Return reason"].notna().all()
    s = survey(d42 / "enquete_satisfaction.xlsx")
    nps = pd.to_numeric(s.iloc[:, 2], errors="coerce")
    nps = nps[nps.between(0, 10)]
    score = 100 * ((nps >= 9).mean() - (nps <= 6).mean())
    assert 10 <= score <= 25
    csat = pd.to_numeric(s.iloc[:, 3])
    assert 0.70 <= (csat >= 4).mean() <= 0.80
    # responses whose customer's latest order (at response time) was late score much lower
    o["when"] = pd.to_datetime(o["Order date"])
    o["late"] = pd.to_datetime(o["Delivered at"]) > pd.to_datetime(o["Promised delivery"])
    s["when"] = pd.to_datetime(s.Horodateur, format="%d/%m/%Y %H:%M:%S")
    s["nps"] = pd.to_numeric(s.iloc[:, 2], errors="coerce")
    s = s[s.nps.between(0, 10) & s["N° client"].notna()].sort_values("when")
    j = pd.merge_asof(
        s,
        o.sort_values("when")[["when", "Customer ID", "late"]],
        on="when",
        left_by="N° client",
        right_by="Customer ID",
        direction="backward",
    )
    j = j[j["Customer ID"].notna()]

    def nps_of(x):
        return 100 * ((x >= 9).mean() - (x <= 6).mean())

    assert nps_of(j.loc[j.late == True, "nps"]) < nps_of(j.loc[j.late == False, "nps"]) - 40


def test_loyal_group(d42):
    o = orders(d42 / "commandes.xlsx")
    o = o[pd.to_numeric(o["Total (€)"], errors="coerce").notna() & (o.Status != "cancelled")]
    o["total"] = o["Total (€)"].astype(float)
    n = orders(d42 / "commandes.xlsx").groupby("Customer ID").size()
    big = n[n >= 5].index
    assert 0.06 <= len(big) / 3000 <= 0.10
    aov_big = o[o["Customer ID"].isin(big)].total.mean()
    aov_rest = o[~o["Customer ID"].isin(big)].total.mean()
    assert 1.6 <= aov_big / aov_rest <= 2.6


def test_dirty_rows_are_exactly_the_documented_ones(d42):
    p = json.loads((d42 / "planted.json").read_text(encoding="utf-8"))
    dirty = p["dirty_rows"]
    by_file = {}
    for d in dirty:
        by_file.setdefault(d["file"], []).append(d)
    assert {k: len(v) for k, v in by_file.items()} == {
        "clients_crm.csv": 2,
        "commandes.xlsx": 3,
        "enquete_satisfaction.xlsx": 2,
        "tickets_support.csv": 1,
    }
    crm_lines = (d42 / "clients_crm.csv").read_bytes().decode("cp1252").split("\r\n")
    assert sorted(i + 1 for i, line in enumerate(crm_lines) if line.startswith(";")) == sorted(
        d["line"] for d in by_file["clients_crm.csv"]
    )
    o = orders(d42 / "commandes.xlsx")
    bad = o[pd.to_numeric(o["Total (€)"], errors="coerce").isna()]
    assert sorted(bad.index + 2) == sorted(d["excel_row"] for d in by_file["commandes.xlsx"])
    s = survey(d42 / "enquete_satisfaction.xlsx")
    nps = pd.to_numeric(s.iloc[:, 2], errors="coerce")
    bad = s[~nps.between(0, 10)]
    assert sorted(bad.index + 2) == sorted(d["excel_row"] for d in by_file["enquete_satisfaction.xlsx"])
    t = tickets(d42 / "tickets_support.csv")
    created = pd.to_datetime(t["Created at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    assert t.loc[created.isna(), "Ticket ID"].tolist() == [by_file["tickets_support.csv"][0]["ticket_id"]]
    assert t.loc[created.isna(), "Created at"].tolist() == ["demain"]


def test_everything_else_valid(d42):
    e = events(d42 / "events_ga4.csv")
    assert set(e.device_category) == {"desktop", "mobile", "tablet"}
    assert set(e.event_name) == {
        "session_start",
        "page_view",
        "view_item_list",
        "view_item",
        "search",
        "add_to_cart",
        "begin_checkout",
        "add_shipping_info",
        "add_payment_info",
        "payment_error",
        "form_error",
        "purchase",
    }
    assert e.page_location.str.startswith("https://www.maisonlumen.fr/").all()
    assert e.purchase_revenue.notna().eq(e.event_name == "purchase").all()
    known = set(e.user_id.dropna())
    crm = pd.read_csv(d42 / "clients_crm.csv", sep=";", encoding="cp1252", dtype=str)
    assert known <= set(crm["N° client"].dropna())
    assert crm["E-mail"].str.match(r"^[a-z0-9.]+@example\.(fr|com|org|net)$").all()
    t = tickets(d42 / "tickets_support.csv")
    assert set(t.Channel) == {"chat", "email", "phone", "social"}
    assert set(t.Complaint) == {"yes", "no"}
    assert set(t.Satisfaction) <= {"", "1", "2", "3", "4", "5"}
    s = survey(d42 / "enquete_satisfaction.xlsx")
    assert set(s.Langue) == {"fr", "en"} and 0.6 <= (s.Langue == "fr").mean() <= 0.8
    assert pd.to_numeric(s.iloc[:, 3]).between(1, 5).all()
    ces = pd.to_numeric(s.iloc[:, 4])
    assert ces.dropna().between(1, 7).all() and ces.isna().any()


def test_ga4_purchases_match_orders(d42):
    e = events(d42 / "events_ga4.csv")
    pu = e[(e.event_name == "purchase") & e.user_id.notna()].copy()
    pu["local"] = (
        pd.to_datetime(pu.event_timestamp, unit="us", utc=True)
        .dt.tz_convert("Europe/Paris")
        .dt.tz_localize(None)
        .dt.floor("s")
    )
    o = orders(d42 / "commandes.xlsx")
    o["Order date"] = pd.to_datetime(o["Order date"])
    m = pu.merge(o, left_on=["user_id", "local"], right_on=["Customer ID", "Order date"], how="left")
    assert m["Order ID"].notna().all()
    assert (m["Total (€)"].astype(float).round(2) == m.purchase_revenue).all()
    assert (m.Channel == "web").all()


def test_committed_files_are_up_to_date(runs):
    """sample_data/ holds the seed-42 output of the current generator."""
    fresh = runs["a"]
    for path in fresh.values():
        committed = SAMPLE_DIR / path.relative_to(fresh["planted"].parent)  # en/ too
        if not committed.exists():
            pytest.skip("sample_data/ has not been generated yet")
        if path.suffix == ".xlsx":  # compare cell values: zip bytes may vary with the openpyxl/zlib version
            a, b = openpyxl.load_workbook(committed), openpyxl.load_workbook(path)
            assert a.sheetnames == b.sheetnames
            for ws in a.sheetnames:
                assert list(a[ws].values) == list(b[ws].values), f"{path.name}:{ws} is stale"
        else:
            assert committed.read_bytes() == path.read_bytes(), f"{path.name} is stale: run generate.py"
