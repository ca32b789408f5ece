"""Maturity on the sample data: the placement the planted facts imply (GROUND_TRUTH.md), and every measured
value equal to the module it comes from (the maturity work re-uses, never re-computes)."""

import pytest

from cx import maturity as m
from cx.demo import load_demo
from cx.models import Filters
from cx.satisfaction import summarise
from cx.support import summarise_support
from cx.workspace import Workspace


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("sample") / "w.duckdb")
    load_demo(ws)
    yield ws
    ws.close()


def test_the_sample_stops_at_level_1_because_e_mail_support_is_slow(sample):
    p = m.place_maturity(sample)
    # P4: e-mail first replies have a median of 62 h against 24 h expected → first replies on time ≈ 55 % < 70 %
    assert p.level == 1 and p.next_level == 2
    assert [c.key for c in p.missing] == ["reply_on_time"]
    assert p.missing[0].value == pytest.approx(54.86, abs=0.01)
    assert "SLOW_SUPPORT" in p.findings
    # P3: each shipped order is late with probability 0.20 → about 80 % on time
    assert p.values["on_time_delivery_share"] == pytest.approx(80, abs=3)


def test_values_are_those_of_the_existing_modules(sample):
    values, _ = m.measure_maturity(sample, Filters())
    sat, sup = summarise(sample), summarise_support(sample)
    assert values["csat"] == pytest.approx(sat.csat.csat)
    assert values["nps"] == pytest.approx(sat.nps.nps)
    assert values["promoter_share"] == pytest.approx(100 * sat.nps.promoters)
    assert values["low_effort_share"] == pytest.approx(100 * sat.ces[0].low_effort_share)
    assert values["resolution_rate"] == pytest.approx(100 * sup.resolution_rate)
    assert values["proactive_contact_share"] is None and values["advocacy_per_100_buyers"] is None
