"""Through the real browser: the works list filtered, sorted by a header click, and its
CSV export downloaded with exactly the rows shown."""

import csv
import io

import pytest

from conftest import BUKUR, KLAGENSERUT, TANJUNGSARI
from kotaku.tests.test_browser import log_in
from works.views import WorkListView

from .factories import WorkFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_filter_sort_by_header_and_download_the_csv(live_server, browser, district_reader):
    for name, code, year in [
        ("Drainase Bukur", BUKUR, 2020),
        ("Jalan Bukur", BUKUR, 2020),
        ("Sumur Klagenserut", KLAGENSERUT, 2020),
        ("Jalan 2021", KLAGENSERUT, 2021),
        ("Jalan Pacitan", TANJUNGSARI, 2020),
    ]:
        WorkFactory(name=name, kelurahan_id=code, fiscal_year=year)
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base, district_reader.username)
        page.goto(f"{base}/kegiatan/")
        page.click(".list-filters > summary")  # the filters fold away until used
        page.fill("#id_fiscal_year", "2020")
        page.click("form[data-testid=filters] button[type=submit]")
        page.wait_for_url("**fiscal_year=2020**")
        page.click("th[data-sort=name] a")
        page.wait_for_url("**sort=name**")
        assert page.get_attribute("th[data-sort=name]", "aria-sort") == "ascending"
        page.click("th[data-sort=name] a")
        page.wait_for_url("**sort=-name**")
        assert page.get_attribute("th[data-sort=name]", "aria-sort") == "descending"
        shown = [
            text.split("\n")[0].strip()
            for text in page.locator(
                "[data-testid=results] tbody tr td:first-child a"
            ).all_inner_texts()
        ]
        assert shown == ["Sumur Klagenserut", "Jalan Bukur", "Drainase Bukur"]
        assert page.input_value("#id_fiscal_year") == "2020"  # the filter stays
        with page.expect_download() as info:
            page.click("[data-testid=export-csv]")
        download = info.value
        assert download.suggested_filename == "kegiatan.csv"
        with open(download.path(), encoding="utf-8-sig") as handle:
            rows = list(csv.reader(io.StringIO(handle.read())))
        # Headers are in the interface language: find the column by its field.
        index = [column.value for column in WorkListView.export_columns].index("name")
        names = [row[index] for row in rows[1:]]
        assert names == shown
    finally:
        context.close()
