"""End to end: on each analysis page, change each sidebar filter in turn (period, device, channel, segment,
persona, one after the other) and check that the page then shows what a fresh load of the same URL shows (the
filters are kept in the URL). One app and one browser for every page, on the sample data."""

import datetime as dt
import difflib

import pytest

from cx.demo import load_demo
from cx.personas import find_personas
from cx.workspace import Workspace
from tests.e2e.conftest import start_app

PAGES = ("journey", "funnel", "retention", "voice", "support", "friction", "personas", "maturity")
PERIOD = (dt.date(2025, 9, 1), dt.date(2025, 10, 15))  # inside the sample's web events (Aug → Dec 2025)
SELECTS = ("Device", "Channel", "Customer segment", "Persona")


def wait_drawn(page, timeout=120000) -> None:
    """Until the script run has ended and every element it sent is drawn (no placeholder, nothing stale)."""
    page.wait_for_function(
        """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState
        === 'notRunning' && !document.querySelector('[data-testid=stSkeleton], [data-stale=true]')""",
        timeout=timeout,
    )


def shown(page) -> dict:
    """What the main area shows once drawn and still: its text, and each visible chart's labels (in any order: Vega
    may draw an axis's ticks in another order). Tables are left out: drawn on a canvas, their text comes later."""
    wait_drawn(page)
    last = None
    for _ in range(40):  # charts draw after the run ends
        page.wait_for_timeout(250)
        now = page.evaluate("""() => {
            const main = document.querySelector('[data-testid=stMain]'), copy = main.cloneNode(true);
            copy.querySelectorAll('[data-testid=stVegaLiteChart], [data-testid=stDataFrame]').forEach(e => e.remove());
            const charts = [...main.querySelectorAll('[data-testid=stVegaLiteChart]')].filter(  // not in a closed
                c => c.checkVisibility());  // expander nor another tab: those are drawn when opened
            return {text: copy.textContent, drawn: charts.every(c => c.querySelector('.marks')),
                    charts: charts.map(c => [...c.querySelectorAll('text')].map(t => t.textContent).sort())};
        }""")
        if now == last and now["drawn"]:
            return {"text": now["text"], "charts": now["charts"]}
        last = now
    raise AssertionError("the page kept changing")


def difference(after: dict, fresh: dict) -> list[str]:
    """The words that differ, for the failure message."""
    words = lambda shown: [w for chart in shown["charts"] for w in chart] + shown["text"].split()
    return [d for d in difflib.ndiff(words(fresh), words(after)) if d[0] in "+-"]


def set_period(page, start: dt.date, end: dt.date) -> None:
    for which, day in (("start", start), ("end", end)):
        for part, value in (("day", f"{day.day:02}"), ("month", f"{day.month:02}"), ("year", str(day.year))):
            page.get_by_role("spinbutton", name=f"{part}, Period {which} date").click()
            page.keyboard.type(value)
    page.locator("h1").first.click()  # leaving the field sends the new period


def pick_first(page, label: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option").first.click()


@pytest.fixture(scope="module")
def sample_app(browser, tmp_path_factory):
    db = tmp_path_factory.mktemp("filters") / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    find_personas(ws)  # stored: the Persona filter lists them
    ws.close()
    apps = start_app.__wrapped__(db.parent)  # the conftest fixture's generator: one app for the module
    base, _ = next(apps)(db)
    yield base
    next(apps, None)  # stops it


@pytest.mark.parametrize("name", PAGES)
def test_each_filter_change_shows_what_a_fresh_load_shows(browser, sample_app, name):
    live, fresh = (
        browser.new_page(viewport={"width": 1400, "height": 1200}),
        browser.new_page(viewport={"width": 1400, "height": 1200}),
    )
    live.goto(f"{sample_app}/{name}?lang=en", timeout=60000)
    before = shown(live)
    changes = [("period", lambda: set_period(live, *PERIOD))] + [
        (label, lambda label=label: pick_first(live, label)) for label in SELECTS
    ]
    for what, change in changes:
        url = live.url
        change()
        live.wait_for_url(lambda u, old=url: u != old, timeout=60000)  # the run that read the new filter began
        after = shown(live)
        fresh.goto(live.url, timeout=60000)
        expected = shown(fresh)
        assert after == expected, (name, what, live.url, difference(after, expected))
    assert after != before, name  # the filters did change what the page shows
    assert not live.locator('[data-testid="stException"]').count()
    live.close()
    fresh.close()
