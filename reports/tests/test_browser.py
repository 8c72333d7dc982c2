"""Through the real browser: open the report from the picker, print it, download the PDF."""

import pytest

from conftest import KAB_MADIUN
from kotaku.tests.test_browser import log_in

from .dataset import august_2020

pytestmark = pytest.mark.browser


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_open_the_report_from_the_picker_print_it_and_download_the_pdf(
    live_server, desktop, district_reader
):
    august_2020()
    base = live_server.url
    page = desktop
    log_in(page, base, district_reader.username)
    page.click("nav.mainnav a[href='/laporan/bulanan/']")
    page.wait_for_url(f"{base}/laporan/bulanan/")
    page.select_option("#id_kabupaten", KAB_MADIUN)
    page.fill("#id_year", "2020")
    page.select_option("#id_month", "8")
    page.click("[data-testid=picker] button[type=submit]")
    page.wait_for_url(f"{base}/laporan/bulanan/{KAB_MADIUN}/2020/8/")
    assert "Kabupaten Madiun" in page.inner_text("h1")
    assert "Rp 520.000.000" in page.inner_text("[data-testid=money-total]")

    assert page.is_visible("header.topbar") and page.is_visible("[data-print]")
    page.emulate_media(media="print")
    # the printable width of an A4 page with 12 mm margins: 186 mm at 96 px per inch
    page.set_viewport_size({"width": 703, "height": 1000})
    assert not page.is_visible("header.topbar")
    assert not page.is_visible("nav.report-tools")
    assert page.is_visible("[data-testid=works]")
    # no column is cut off: the widest table fits the printed page's width
    widths = page.evaluate(
        "() => { const t = document.querySelector('.works-table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; }"
    )
    assert widths[0] <= widths[1]
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_download() as download_info:
        page.click("[data-testid=pdf-link]")
    download = download_info.value
    assert download.suggested_filename == "laporan-bulanan-35.19-2020-08.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
