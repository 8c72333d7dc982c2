"""Through the real browser: drill down from the nation and open a work from the map."""

import re

import pytest

from conftest import KLAGENSERUT
from dashboards.tests.conftest import KLAGENSERUT_POINT
from kotaku.tests.test_browser import log_in
from works.tests.factories import WorkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_drill_down_from_the_nation_to_a_kelurahan_and_open_a_work_from_the_map(
    live_server, desktop, dataset, national_officer
):
    base = live_server.url
    log_in(desktop, base, national_officer.username)
    page = desktop
    assert "Indonesia" in page.inner_text("h1")
    for name, code in [
        ("Jawa Timur", "35"),
        ("Kabupaten Madiun", "35.19"),
        ("Jiwan", "35.19.09"),
        ("Klagenserut", KLAGENSERUT),
    ]:
        page.locator("[data-testid=children]").get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"{base}/dasbor/{code}/")
        assert name.split()[-1] in page.inner_text("h1")
    assert page.inner_text("[data-figure=works]") == "2"
    page.wait_for_selector("#dash-map[data-ready='1']")
    page.locator(".map-work").first.click()
    page.wait_for_url(re.compile(rf"{base}/kegiatan/\d+/$"))
    assert "Jalan A" in page.inner_text("h1")


@pytest.mark.django_db(transaction=True)
def test_a_cluster_zooms_in_on_a_click_and_the_phone_layout_scrolls_tables(
    live_server, browser, dataset, national_officer
):
    lat, lon = KLAGENSERUT_POINT
    for name in ("Jalan F", "Jalan G"):
        WorkFactory(name=name, latitude=lat, longitude=lon)  # on Jalan A's very spot
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    log_in(page, base, national_officer.username)
    page.goto(f"{base}/dasbor/35.19.09/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{base}/dasbor/{KLAGENSERUT}/")
    page.wait_for_selector("#dash-map[data-ready='1']")
    assert page.inner_text(".map-cluster") == "3"
    assert page.locator(".map-work").count() == 0
    page.evaluate("document.getElementById('dash-map').dataset.ready = ''")
    page.locator(".map-cluster").click()
    page.wait_for_selector("#dash-map[data-ready='1']")
    assert page.locator(".map-work").count() == 3
    context.close()
