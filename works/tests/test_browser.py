"""Through the real browser, on a phone-sized window: a progress report with a photo,
verified by the city coordinator and approved by district staff."""

import datetime
from decimal import Decimal

import pytest

from kotaku.tests.test_browser import log_in
from locations.models import RtRw
from works.models import ProgressReport

from .factories import WorkFactory, image_bytes

pytestmark = pytest.mark.browser


def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.django_db(transaction=True)
def test_progress_report_with_photo_is_verified_and_approved(
    live_server,
    browser,
    facilitator,
    district_reader,
    district_editor,  # noqa: F811
):
    base = live_server.url
    work = WorkFactory(
        name="Jalan paving RT 07 Klagenserut",
        volume=Decimal("140"),
        rtrw=RtRw.objects.create(kelurahan_id="35.19.09.2010", rt=7, rw=2),
        status_date=datetime.date(2020, 7, 1),
    )

    context, page = phone_page(browser)
    log_in(page, base, facilitator.username)
    page.goto(f"{base}/kegiatan/saya/")
    assert "Jalan paving RT 07 Klagenserut" in page.inner_text("[data-testid=my-works]")
    page.click(f"a[href='/kegiatan/{work.pk}/laporan/']")
    page.fill("#id_report_date", "2020-08-03")
    page.fill("#id_physical_progress", "45")
    page.fill("#id_spent_to_date", "32.500.000")
    assert page.get_attribute("#id_photo", "capture") == "environment"
    page.set_input_files(
        "#id_photo",
        {
            "name": "IMG_20200803.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes("JPEG", (2000, 1500), noise=True),
        },
    )
    page.select_option("#id_stage", "50")
    page.click("button[name=submit]")
    page.wait_for_selector(".msg.success")
    report = ProgressReport.objects.get()
    assert page.url == f"{base}/kegiatan/laporan/{report.pk}/"
    assert page.is_visible("[data-testid=review] .status-submitted")
    assert report.photos.count() == 1 and report.physical_progress == Decimal("45")
    photo = report.photos.get()
    thumb = page.locator("[data-testid=photos] img")
    assert thumb.get_attribute("src") == photo.thumbnail.url
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) == 320
    assert page.get_attribute("[data-testid=original]", "href") == photo.image.url
    page.screenshot(path="/tmp/works_report_phone.png", full_page=True)
    context.close()

    for user, action, status in [
        (district_reader, "verify", "verified"),
        (district_editor, "approve", "approved"),
    ]:
        context, page = phone_page(browser)
        log_in(page, base, user.username)
        page.goto(f"{base}/kegiatan/laporan/{report.pk}/")
        page.click(f"button[name=action][value={action}]")
        page.wait_for_selector(f"[data-testid=review] .status-{status}")
        context.close()

    context, page = phone_page(browser)
    log_in(page, base, facilitator.username)
    page.goto(f"{base}/kegiatan/{work.pk}/")
    assert "45%" in page.inner_text("[data-testid=progress]")
    assert not page.is_visible("[data-testid=pending]")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_work_form_takes_the_point_from_the_phones_location(live_server, browser, facilitator):
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": -7.6199, "longitude": 111.5603},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, facilitator.username)
    page.goto(f"{base}/kegiatan/baru/")
    page.click("#use-location")
    page.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert page.input_value("#id_latitude") == "-7.619900"
    assert page.input_value("#id_longitude") == "111.560300"
    context.close()
