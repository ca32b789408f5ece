"""End to end: the Journey page on the sample data on a projector (1280×720), then its workshop mode on a
1920×1080 screen — nothing cut, type a room can read."""

from cx.demo import load_demo
from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle

CUT = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"], '
    + '[data-testid="stMetricValue"] *, [data-testid="stColumn"] p')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim().slice(0, 40))"""

SIZES = """() => [...document.querySelectorAll('[data-testid="stColumn"] [data-testid="stMarkdownContainer"] p')]
  .filter(e => !e.closest('label')).map(e => parseFloat(getComputedStyle(e).fontSize))"""


def test_nothing_is_cut_at_1280x720_and_the_workshop_fills_a_1920x1080_screen(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{base}/journey?lang=fr", timeout=60000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=90000)
    wait_idle(page, timeout=90000)
    assert page.locator('[data-testid="stMetric"]').count() >= 20
    # no KPI label nor value cut with "…" (scrollWidth > clientWidth), no stage name broken ("RECOMMANDATI / ON")
    assert page.evaluate(CUT) == []
    heading = page.get_by_text("RECOMMANDATION", exact=True)
    assert heading.evaluate("e => e.getClientRects().length") == 1  # one line box: the word is whole
    page.locator('[data-testid="stColumn"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, "journey_1280x720.png")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/journey?lang=fr&workshop=1", timeout=60000)
    page.locator('[data-testid="stColumn"] textarea').first.wait_for(timeout=90000)
    wait_idle(page, timeout=90000)
    assert page.evaluate(CUT) == []
    sizes = page.evaluate(SIZES)
    assert sizes and min(sizes) >= 22, sizes  # ~13 px before; a stage's one bold KPI line was ~11 px (tester 7)
    stages = page.locator('[data-testid="stHorizontalBlock"]').filter(has=page.locator("h4")).first
    assert stages.evaluate("e => e.getBoundingClientRect().bottom") >= 0.9 * 1080  # the screen, not its top third
    screenshot(page, "journey_workshop_1920x1080.png")
    stop()


def test_a_stage_with_one_kpi_keeps_the_workshop_type(browser):
    """A stage whose only figure is one line, "**273,75 €** panier moyen" (a paragraph whose only element is its bold
    value), was drawn at the small size of a bold title line ("**ACHAT**") in the workshop mode (tester 7): the two
    style sheets as the page stacks them, on that paragraph."""
    from cx.ui.layout import JOURNEY_CSS, PROJECTOR_CSS

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    column = '<div data-testid="stColumn"><div data-testid="stMarkdownContainer"><p>{}</p></div></div>'
    page.set_content(
        JOURNEY_CSS
        + PROJECTOR_CSS
        + column.format("<strong>273,75 €</strong> panier moyen")
        + column.format("<strong>41,5 %</strong> taux de réachat<br><strong>1,2 %</strong> taux de retour")
    )
    sizes = page.evaluate(SIZES)
    assert len(sizes) == 2 and sizes[0] == sizes[1] >= 22, sizes
    page.close()
