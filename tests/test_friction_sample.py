"""On the sample data every planted problem of GROUND_TRUTH.md is found, with the right window and segment, and
nothing else but the echoes GROUND_TRUTH itself describes."""
import datetime as dt
import json

import pytest

from cx.demo import SAMPLE_DIR, load_demo
from cx.friction import find_friction
from cx.workspace import Workspace

PLANTED = json.loads((SAMPLE_DIR / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("sample") / "w.duckdb")
    load_demo(ws)
    out = find_friction(ws)
    ws.close()
    return out


def near(day: dt.date, iso: str, days: int = 2) -> bool:
    return abs((day - dt.date.fromisoformat(iso)).days) <= days


def test_p1_checkout_incident_window_and_device(report):
    inc = PLANTED["checkout_incident"]
    [f] = [f for f in report.findings if f.code == "FUNNEL_INCIDENT"]
    assert f.segment == f"device={inc['device']}" and f.step == f"{inc['step_from']} → {inc['step_to']}"
    # the start comes out 3 days early on this seed: on 3–5 Oct mobile payment sessions converted 4 of 8 (0.5
    # against 0.76 usually), which the data cannot tell from the incident (the errors below start on the day)
    assert near(f.window_start, inc["from"], 3) and near(f.window_end, inc["to"])
    # the rate in the window found (3 days longer than the planted one) is between the planted incident rate and
    # half-way to the normal rate; outside, the rate is the observed one outside the planted window, give or take
    # the 3 days moved in
    observed = PLANTED["observed"]["checkout_incident"]
    assert inc["incident_rate"] <= f.observed < (inc["incident_rate"] + inc["normal_rate"]) / 2
    assert f.expected == pytest.approx(observed["device_rate_outside_window"], abs=0.02)
    assert f.revenue_at_risk > 0 and f.p_value < 1e-6
    # the payment errors of the same incident (GROUND_TRUTH P1: 82 on mobile in the window, 31 outside)
    [e] = [f for f in report.findings if f.code == "ERROR_EVENTS"]
    assert e.params["name"] == inc["error_event"] and e.step == inc["error_page"]
    assert e.segment == f"device={inc['device']}" and near(e.window_start, inc["from"]) and near(e.window_end, inc["to"])


def test_p2_slow_page(report):
    [f] = [f for f in report.findings if f.code == "SLOW_PAGE"]
    page = PLANTED["slow_page"]["page"]
    observed = PLANTED["observed"]["slow_page"]
    assert f.step == page
    # GROUND_TRUTH: exit rate 0.643 against 0.288 / 0.264 on the other category pages (the expected rate is the
    # siblings' pooled one, between the two); median load 4 908 ms
    others = [rate for path, rate in observed["exit_rate"].items() if path != page]
    assert f.observed == pytest.approx(observed["exit_rate"][page], abs=0.002)
    assert min(others) < f.expected < max(others)
    assert f.params["median_load_ms"] == pytest.approx(observed["median_load_ms"][page], abs=1)
    assert f.params["overall_load_ms"] == pytest.approx(observed["median_load_ms_all_other_pages"], abs=1)


def test_p3_late_deliveries_hurt_nps(report):
    [f] = [f for f in report.findings if f.code == "LATE_DELIVERY_NPS"]
    observed = PLANTED["observed"]["late_delivery"]
    assert f.observed == pytest.approx(observed["nps_latest_order_late"], abs=0.1)
    assert f.expected == pytest.approx(observed["nps_latest_order_on_time"], abs=0.1)
    assert [t.step for t in report.findings if t.code == "DETRACTOR_THEME"][0] == "delivery"


def test_p4_email_support_too_slow(report):
    [f] = [f for f in report.findings if f.code == "SLOW_SUPPORT"]
    channel = PLANTED["support"]["slow_channel"]
    assert f.step == channel and f.expected == PLANTED["support"]["expected_first_response_hours"][channel] * 60
    assert f.observed / 60 == pytest.approx(PLANTED["observed"]["support"]["median_first_response_hours"]["email"],
                                            abs=0.1)


def test_nothing_else_is_reported(report):
    found = {(f.code, f.step) for f in report.findings}
    planted = {("FUNNEL_INCIDENT", "add_payment_info → purchase"), ("ERROR_EVENTS", "/commande/paiement"),
               ("SLOW_PAGE", "/categorie/mobilier"), ("LATE_DELIVERY_NPS", None), ("SLOW_SUPPORT", "email"),
               ("DETRACTOR_THEME", "delivery")}
    echoes = {
        # P1: "paiement tickets rise from 0.9 a day to 4.0 a day inside the window" (GROUND_TRUTH)
        ("RISING_COMPLAINTS", "paiement"),
        # P4: SAV answers after an e-mail ticket have promoter −0.15, detractor +0.20 and CES − 1 (GROUND_TRUTH)
        ("HIGH_EFFORT", "après contact SAV"), ("LOW_CSAT_TOUCHPOINT", "après contact SAV"),
        ("DETRACTOR_THEME", "waiting"),
        # background, not planted: the generator writes "colis cassé / abîmé" comments for detractors only, and
        # the themes lexicon reads them as packaging (the same theme shows in the no-incident logs)
        ("DETRACTOR_THEME", "packaging"),
    }
    assert planted <= found and found <= planted | echoes, found - planted - echoes
    rising = [f for f in report.findings if f.code == "RISING_COMPLAINTS"]
    inc = PLANTED["checkout_incident"]
    assert all(near(f.window_start, inc["from"]) and near(f.window_end, inc["to"]) for f in rising)


def test_ranked_most_costly_first(report):
    money = [f.revenue_at_risk for f in report.findings if f.revenue_at_risk is not None]
    assert money == sorted(money, reverse=True) and len(money) >= 3
    first_none = next(i for i, f in enumerate(report.findings) if f.revenue_at_risk is None)
    assert all(f.revenue_at_risk is None for f in report.findings[first_none:])
    assert report.value_source == "web" and 100 < report.value_per_conversion < 300
