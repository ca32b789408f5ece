"""End to end: on the sample data, build the report on Rapport / Report and download both files in the browser;
the HTML is self-contained with the sample's figures, the PDF opens and its first page is kept as a screenshot."""

import shutil
import subprocess

from pypdf import PdfReader

from cx.demo import load_demo
from cx.workspace import Workspace
from tests.e2e.conftest import SCREENSHOTS, screenshot, wait_idle


def test_download_the_report(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
    page.goto(f"{base}/report?lang=en", timeout=60000)
    page.get_by_text("Share: a report for your stakeholders").wait_for(timeout=90000)
    wait_idle(page)
    page.get_by_role("button", name="Build the report").click()
    page.get_by_text("Download the PDF report").wait_for(timeout=90000)
    wait_idle(page)
    screenshot(page, "report.png")
    with page.expect_download(timeout=60000) as html_download:
        page.get_by_role("button", name="Download the HTML report").click()
    html_path = tmp_path / html_download.value.suggested_filename
    html_download.value.save_as(html_path)
    wait_idle(page)
    with page.expect_download(timeout=60000) as pdf_download:
        page.get_by_role("button", name="Download the PDF report").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    page.close()
    stop()

    assert html_path.suffix == ".html" and pdf_path.suffix == ".pdf"
    html = html_path.read_text(encoding="utf-8")
    assert "Customer experience report" in html and "<script" not in html and "src=" not in html
    assert "NPS +21.3" in html  # the sample's NPS (GROUND_TRUTH), as on the Voice of the customer page
    assert "/categorie/mobilier" in html  # the planted slow page is the top finding
    reader = PdfReader(str(pdf_path))
    assert len(reader.pages) >= 2 and "Customer experience report" in reader.pages[0].extract_text()
    if shutil.which("pdftoppm"):  # .ci/run installs poppler-utils
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(SCREENSHOTS / "report_pdf_page1"),
            ],
            check=True,
        )
        assert (SCREENSHOTS / "report_pdf_page1.png").stat().st_size > 10_000
