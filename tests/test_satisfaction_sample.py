"""The planted facts of the sample data (sample_data/GROUND_TRUTH.md, planted.json) are visible: overall NPS and
CSAT, late deliveries hurting NPS, delivery complaints among detractors, slow e-mail support."""

import json

import pytest

from cx.ingest import import_file
from cx.satisfaction import breakdown, find_drivers, summarise
from cx.support import support_by_channel
from cx.text import find_themes
from cx.workspace import Workspace
from tests.conftest import ROOT

PLANTED = json.loads((ROOT / "sample_data" / "planted.json").read_text())["observed"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("sample") / "s.duckdb")
    # every sample file but the 11 MB web events, which no figure here needs
    for name in ("clients_crm.csv", "commandes.xlsx", "tickets_support.csv", "enquete_satisfaction.xlsx"):
        import_file(ws, ROOT / "sample_data" / name)
    yield ws
    ws.close()


def test_overall_nps_and_csat(sample):
    result = summarise(sample)
    assert round(result.nps.nps, 1) == PLANTED["survey"]["nps"]  # +21.3
    assert round(result.csat.csat / 100, 2) == PLANTED["survey"]["csat_top2_share"]  # 73.0 %
    assert result.ces[0].scale == 7 and result.ces[0].higher_is_better  # "m'a facilité": higher is easier


def test_late_delivery_hurts_nps(sample):
    late = PLANTED["late_delivery"]
    groups = breakdown(sample, None, "late_delivery").set_index("group")
    assert groups.loc["late", "n"] == late["responses_latest_order_late"]  # 234
    assert round(groups.loc["late", "nps"], 1) == late["nps_latest_order_late"]  # −31.6
    assert round(groups.loc["on_time", "nps"], 1) == late["nps_latest_order_on_time"]  # +36.8
    assert groups.loc["late", "significant"] and groups.loc["on_time", "significant"]
    drivers = find_drivers(sample).set_index(["attribute", "group"])
    assert (
        drivers.loc[("late_delivery", "late"), "importance"] > 5
        and drivers.loc[("late_delivery", "late"), "significant"]
    )


def test_delivery_is_a_detractor_theme(sample):
    themes = find_themes(sample).set_index("theme")
    delivery = themes.loc["delivery"]
    # the planted shares (regex livr|retard|colis|delivery|late|parcel|package|courier): 28.1 % vs 7.2 %
    assert delivery["detractor_share"] >= PLANTED["late_delivery"]["delivery_mention_share_detractors"]
    assert delivery["detractor_share"] > 3 * delivery["promoter_share"]
    assert delivery["nps"] < -30 and themes["detractor_share"].idxmax() == "delivery"


def test_email_support_is_slow(sample):
    channels = support_by_channel(sample).set_index("channel_group")
    hours = PLANTED["support"]["median_first_response_hours"]
    assert round(channels.loc["email", "first_response_median_minutes"] / 60, 2) == hours["email"]  # 63.75 h
    assert channels.loc["email", "slower_than_expected"]
    assert not channels.drop(index="email")["slower_than_expected"].any()
    after_support = breakdown(sample, None, "touchpoint").set_index("group").loc["après contact SAV"]
    assert round(after_support["nps"], 1) == -4.6  # GROUND_TRUTH P4
    assert channels.loc["email", "csat_mean"] < channels.drop(index="email")["csat_mean"].min()
