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
    assert (
        e.segment == f"device={inc['device']}" and near(e.window_start, inc["from"]) and near(e.window_end, inc["to"])
    )


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
    assert next(t.step for t in report.findings if t.code == "DETRACTOR_THEME") == "delivery"


def test_p4_email_support_too_slow(report):
    [f] = [f for f in report.findings if f.code == "SLOW_SUPPORT"]
    channel = PLANTED["support"]["slow_channel"]
    assert f.step == channel and f.expected == PLANTED["support"]["expected_first_response_hours"][channel] * 60
    assert f.observed / 60 == pytest.approx(
        PLANTED["observed"]["support"]["median_first_response_hours"]["email"], abs=0.1
    )


def test_nothing_else_is_reported(report):
    found = {(f.code, f.step) for f in report.findings}
    planted = {
        ("FUNNEL_INCIDENT", "add_payment_info → purchase"),
        ("ERROR_EVENTS", "/commande/paiement"),
        ("SLOW_PAGE", "/categorie/mobilier"),
        ("LATE_DELIVERY_NPS", None),
        ("SLOW_SUPPORT", "email"),
        ("DETRACTOR_THEME", "delivery"),
    }
    echoes = {
        # P1: "paiement tickets rise from 0.9 a day to 4.0 a day inside the window" (GROUND_TRUTH)
        ("RISING_COMPLAINTS", "paiement"),
        # P4: SAV answers after an e-mail ticket have promoter −0.15, detractor +0.20 and CES − 1 (GROUND_TRUTH)
        ("HIGH_EFFORT", "après contact SAV"),
        ("LOW_CSAT_TOUCHPOINT", "après contact SAV"),
        ("DETRACTOR_THEME", "waiting"),
        # background, not planted: the generator writes "colis cassé / abîmé" comments for detractors only, and
        # the themes lexicon reads them as packaging (the same theme shows in the no-incident logs)
        ("DETRACTOR_THEME", "packaging"),
    }
    assert planted <= found <= planted | echoes, found - planted - echoes
    rising = [f for f in report.findings if f.code == "RISING_COMPLAINTS"]
    inc = PLANTED["checkout_incident"]
    assert all(near(f.window_start, inc["from"]) and near(f.window_end, inc["to"]) for f in rising)


def test_ranked_most_costly_first(report):
    money = [f.revenue_at_risk for f in report.findings if f.revenue_at_risk is not None]
    assert money == sorted(money, reverse=True) and len(money) >= 3
    first_none = next(i for i, f in enumerate(report.findings) if f.revenue_at_risk is None)
    assert all(f.revenue_at_risk is None for f in report.findings[first_none:])
    assert report.value_source == "web" and 100 < report.value_per_conversion < 300


# The findings on the sample as the single-module cx/friction.py computed them (commit 06f0a3d, before the
# detectors read the events once and the module became a package), written down by hand from its output:
# code, step, segment, window, observed, expected, comparisons corrected for, affected, revenue at risk.
# Since then one definition changed: a survey answer with a word in a score cell ("N/A") loads without that score
# (it was rejected whole), so the other answers' rates HIGH_EFFORT and LOW_CSAT_TOUCHPOINT compare with moved in
# the fourth decimal (0.301404853129 → 0.301020408163, 0.254372019078 → 0.254169976172).
BEFORE_REWRITE = [
    ("SLOW_PAGE", "/categorie/mobilier", None, None, None, 0.642927794263, 0.277413308341, 45, 2022, 5326.49625147),
    (
        "FUNNEL_INCIDENT",
        "add_payment_info → purchase",
        "device=mobile",
        "2025-10-03",
        "2025-10-19",
        0.305084745763,
        0.77133105802,
        54860,
        59,
        4619.64020796,
    ),
    (
        "ERROR_EVENTS",
        "/commande/paiement",
        "device=mobile",
        "2025-10-06",
        "2025-10-18",
        0.0599415204678,
        0.00578348093259,
        21944,
        41,
        1987.33800283,
    ),
    ("SLOW_SUPPORT", "email", None, None, None, 3824.99166667, 1440.0, 4, 370, None),
    ("DETRACTOR_THEME", "delivery", None, None, None, 0.385507246377, 0.0723562152134, 11, 133, None),
    ("LATE_DELIVERY_NPS", None, None, None, None, -31.6239316239, 36.8177613321, 1, 632, None),
    (
        "RISING_COMPLAINTS",
        "paiement",
        None,
        "2025-10-07",
        "2025-10-18",
        0.101886792453,
        0.0151253241141,
        19201,
        27,
        None,
    ),
    ("HIGH_EFFORT", "après contact SAV", None, None, None, 0.502183406114, 0.301020408163, 4, 115, None),
    ("DETRACTOR_THEME", "waiting", None, None, None, 0.168115942029, 0.0556586270872, 11, 58, None),
    ("DETRACTOR_THEME", "packaging", None, None, None, 0.0753623188406, 0.0166975881262, 11, 26, None),
    ("LOW_CSAT_TOUCHPOINT", "après contact SAV", None, None, None, 0.35, 0.254169976172, 4, 84, None),
]


def test_same_findings_as_before_the_rewrite(report):
    got = [
        (
            f.code,
            f.step,
            f.segment,
            f.window_start and f.window_start.isoformat(),
            f.window_end and f.window_end.isoformat(),
            f.observed,
            f.expected,
            f.tests,
            f.affected_users,
            f.revenue_at_risk,
        )
        for f in report.findings
    ]
    assert [g[:5] + g[7:9] for g in got] == [b[:5] + b[7:9] for b in BEFORE_REWRITE]
    for g, b in zip(got, BEFORE_REWRITE):
        assert g[5:7] == pytest.approx(b[5:7], rel=1e-9)
        assert g[9] == (None if b[9] is None else pytest.approx(b[9], rel=1e-9))
    assert report.value_per_conversion == pytest.approx(167.93481153, rel=1e-9)


def test_comparisons_counted_by_hand(report):
    # 120 days: Σ (120 − L + 1) for runs of L = 3..28 days = 26 · 121 − (3 + … + 28) = 3 146 − 403 = 2 743 runs
    runs = sum(120 - length + 1 for length in range(3, 29))
    assert runs == 2743
    tests = {d.code: d.tests for d in report.detectors}
    # 5 step pairs (view_item → add_to_cart → begin_checkout → add_shipping_info → add_payment_info → purchase),
    # each for all sessions and each of the 3 devices
    assert tests["FUNNEL_INCIDENT"] == 5 * 4 * runs and tests["REPEATED_SEARCH"] == runs
    # revenue at risk of the incident: (expected − observed) × sessions in the window × value of a purchase
    [f] = [f for f in report.findings if f.code == "FUNNEL_INCIDENT"]
    assert f.revenue_at_risk == pytest.approx((f.expected - f.observed) * 59 * report.value_per_conversion)


def test_each_finding_s_formula_uses_the_numbers_it_shows(report):
    from cx.friction import how_bad_text, revenue_formula, touched_label, touched_text

    # the slow page: its count is visits (sessions on the page), and the value in its formula is a visit's
    # (a conversion's value × the visits' conversion rate), not "per conversion" beside another finding's 24× more
    [page] = [f for f in report.findings if f.code == "SLOW_PAGE"]
    i = page.inputs
    assert (page.affected_unit, touched_label(page, "fr"), touched_text(page, "fr")) == (
        "sessions",
        "Visites touchées",
        "2\u202f022 visites",
    )
    assert i["value_per_conversion"] == pytest.approx(i["value_of_conversion"] * i["conversion"])
    assert page.revenue_at_risk == pytest.approx((page.observed - page.expected) * 2022 * i["value_per_conversion"])
    text = revenue_formula(page, report.currency, "fr")
    assert "× 2\u202f022 visites × 7\u202f€ par visite (la valeur d’une visite : 168\u202f€ par conversion" in text
    [incident] = [f for f in report.findings if f.code == "FUNNEL_INCIDENT"]
    assert "168\u202f€ par conversion" in revenue_formula(incident, report.currency, "fr")
    # the payment errors: 41 visits hit, the formula's 37 = 41 − the usual rate's share, said so; the gravity
    # says it is a share of visits, the title gives both the events a day and that share
    [e] = [f for f in report.findings if f.code == "ERROR_EVENTS"]
    i = e.inputs
    assert i["sessions_hit"] == e.affected_users == 41 and round(i["sessions_hit"] - i["sessions_usual"]) == 37
    text = revenue_formula(e, report.currency, "fr")
    assert "× 37 visites avec l’erreur au-delà du taux habituel (41 touchées − 4 attendues au taux habituel de" in text
    assert text.startswith(f"{100 * i['gap']:.1f}".replace(".", ",") + "\u202f% d’achats en moins")
    assert e.revenue_at_risk == pytest.approx(i["gap"] * (41 - i["sessions_usual"]) * i["value_per_conversion"])
    assert how_bad_text(e, "fr") == "6,0\u202f% des visites subissent l’erreur, contre 0,6\u202f% les autres jours"
