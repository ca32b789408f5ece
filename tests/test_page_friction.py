"""AppTest of the Frictions page: the ranked finding with its sentence, figures, revenue inputs, evidence and
remedy; dismiss kept in the workspace; export; empty workspace; French."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from cx.models import Filters
from tests.conftest import ROOT, run_view
from tests.test_cli_findings import _workspace


@pytest.fixture
def db(tmp_path):
    return _workspace(tmp_path)


def run(db, monkeypatch, filters=Filters(), lang="en"):
    return run_view("friction", db, monkeypatch, filters, lang)


def test_the_finding_with_its_figures(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception and not at.error
    texts = [m.value for m in at.markdown]
    assert any(
        "On mobile: Conversion from add\\_payment\\_info to purchase collapsed from 2025-03-16 to 2025-03-22" in t
        for t in texts
    ), texts
    where = next(c.value for c in at.caption if c.value.startswith("Where:"))
    assert "Device\\: Mobile" in where and "device=" not in where  # the segment named, not its stored form
    metrics = {m.label: m.value for m in at.metric}
    # the count says what it counts: 70 sessions (visits) reached the step in the window, not customers
    assert metrics["How bad"] == "20.0%" and metrics["Visits touched"] == "70"
    assert metrics["Revenue at risk"] == "€4,200"
    # plain words on the card (20 % against 80 % over a week: far past the bar), the statistics in an expander
    assert metrics["Confidence"] == "Near certain"
    assert any(c.value.startswith("Code FUNNEL_INCIDENT · one-sided test") and "p = " in c.value for c in at.caption)
    captions = " ".join(c.value for c in at.caption)
    assert "(80.0% − 20.0%) × 70 visits × €100 per conversion (revenue per converting web session)" in captions
    assert any("What to do:" in t for t in texts)
    evidence = next(df.value for df in at.dataframe if "Day" in df.value.columns)  # headers in words
    assert len(evidence) == 40 and (evidence["●"] == "●").sum() == 7  # the incident's 7 days marked
    customers = next(df for df in at.dataframe if "visitor_id" in df.value.columns)
    assert len(customers.value) == 56
    headers = {c: v["label"] for c, v in json.loads(customers.proto.columns).items() if c in customers.value}
    assert headers["visitor_id"] == "Visitor" and headers["sessions"] == "Visits" and headers["last_day"] == "Last day"
    assert at.get("download_button")  # affected customers + the list export


def test_dismiss_is_kept(db, monkeypatch):
    at = run(db, monkeypatch)
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert not at.exception
    assert any("0 findings" in m.value for m in at.markdown)
    at = run(db, monkeypatch)  # a new session: still dismissed
    assert any("0 findings" in m.value for m in at.markdown)
    at.toggle[0].set_value(True).run()
    assert any("dismissed" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Reopen").click().run()
    assert any(m.value.startswith("1 finding · ") for m in at.markdown)  # English: 1 singular, 0 plural
    # French: 0 and 1 in the singular ("1 constats" before)
    assert any(m.value.startswith("1 constat · ") for m in run(db, monkeypatch, lang="fr").markdown)


def test_filters_and_french(db, monkeypatch):
    at = run(db, monkeypatch, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 14)), lang="fr")
    assert not at.exception and [s.value for s in at.success]
    texts = [e.value for e in [*at.caption, *at.markdown, *at.success]]
    assert not [t for t in texts if "friction." in t]


def test_empty_workspace_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # the page links to Data: needs navigation
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/friction.py").run()
    assert not at.exception and any("Load web events" in i.value for i in at.info)


def test_what_the_severity_measures_is_a_caption_not_a_cut_delta(db, monkeypatch):
    """The metric's delta chip cut the sentence at 1440 px ("64,3 % des visites s’arrêtent sur la …"): it is a caption
    under the figure now, which wraps."""
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    [how_bad] = [m for m in at.metric if m.label == "Gravité"]
    assert not how_bad.proto.delta
    assert any(c.value.startswith("20,0") and "80,0" in c.value for c in at.caption), [c.value for c in at.caption]


def test_every_column_of_the_touched_customers_has_a_header_in_both_languages():
    """The tables of customers behind a finding (friction_affected.sql, the support and delivery detectors) showed
    raw names (first_response_minutes) beside French pages: each column has a header in both languages."""
    import re

    from cx.i18n import t

    root = ROOT / "cx"
    written = (root / "sql" / "friction_affected.sql").read_text() + (root / "friction" / "customers.py").read_text()
    columns = {"visitor_id", "customer_id", "first_day", "last_day", "sessions", "device", "channel", "segment"}
    columns |= {"ticket_id", "created_at", "first_response_minutes", "late_orders", "last_order"}
    assert all(re.search(rf"\b{c}\b", written) for c in columns)
    for lang in ("fr", "en"):
        assert all(t(f"friction.customer_col.{c}", lang) != f"friction.customer_col.{c}" for c in columns)
