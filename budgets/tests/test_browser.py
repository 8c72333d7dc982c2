"""Through the real browser: district staff allocate and disburse two tranches; the
facilitator records spending; the city coordinator verifies it, district staff approve it,
and the realization page changes."""

from decimal import Decimal

import pytest

from budgets.models import Allocation
from conftest import KLAGENSERUT
from kotaku.tests.test_browser import log_in

from .factories import BkmFactory, WorkFactory, source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser, width=390, height=844):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def realization_of_klagenserut(page, base):
    page.goto(f"{base}/anggaran/realisasi/?within=35.19.09")
    return page.inner_text(f"[data-testid=realization] tr[data-code='{KLAGENSERUT}']")


def test_allocate_disburse_spend_approve_and_see_realization(
    live_server, browser, district_editor, district_reader, facilitator
):
    base = live_server.url
    apbd = source("apbd-kabkota")
    bkm = BkmFactory(kelurahan_id=KLAGENSERUT, name="LKM Bangkit Bersama")
    work = WorkFactory(kelurahan_id=KLAGENSERUT, budget=Decimal(80_000_000))

    staff = new_page(browser)
    log_in(staff, base, district_editor.username)
    staff.goto(f"{base}/anggaran/baru/")
    staff.fill("#id_fiscal_year", "2020")
    staff.select_option("#id_source", str(apbd.pk))
    staff.select_option("#id_bkm", str(bkm.pk))
    staff.fill("#id_decree_number", "188/146/KPTS/2020")
    staff.fill("#id_decree_date", "2020-03-02")
    staff.fill("#id_amount", "Rp 80.000.000")
    staff.click("[data-testid=budget-form] button.primary")
    allocation = Allocation.objects.get()
    staff.wait_for_url(f"{base}/anggaran/{allocation.pk}/")
    assert "Rp 80.000.000" in staff.inner_text("[data-testid=allocated]")

    for termin, date in ((1, "2020-07-01"), (2, "2020-08-01")):
        staff.click(f"a[href='/anggaran/{allocation.pk}/pencairan/']")
        assert staff.input_value("#id_termin") == str(termin)
        staff.fill("#id_date", date)
        staff.fill("#id_amount", "40.000.000")
        staff.click("[data-testid=budget-form] button.primary")
        staff.wait_for_url(f"{base}/anggaran/{allocation.pk}/")
    assert "Rp 80.000.000" in staff.inner_text("[data-testid=disbursed]")
    assert "Rp 0" in staff.inner_text("[data-testid=to-disburse]")
    assert "0.0%" in realization_of_klagenserut(staff, base).replace(",", ".")

    field = new_page(browser)
    log_in(field, base, facilitator.username)
    field.goto(f"{base}/anggaran/kegiatan/{work.pk}/")
    field.click(f"a[href='/anggaran/kegiatan/{work.pk}/penggunaan/']")
    field.select_option("#id_allocation", str(allocation.pk))
    field.fill("#id_date", "2020-08-10")
    field.fill("#id_amount", "20.000.000")
    field.select_option("#id_category", "materials")
    field.click("button[name=submit]")
    field.wait_for_url(f"{base}/anggaran/penggunaan/*/")
    spending_url = field.url

    reviewer = new_page(browser)
    log_in(reviewer, base, district_reader.username)
    reviewer.goto(spending_url)
    reviewer.click("button[value=verify]")
    reviewer.wait_for_selector(".badge.status-verified")

    # Pending spending is not yet realization.
    assert "0.0%" in realization_of_klagenserut(staff, base).replace(",", ".")
    staff.goto(spending_url)
    staff.click("button[value=approve]")
    staff.wait_for_selector(".badge.status-approved")
    row = realization_of_klagenserut(staff, base).replace(",", ".")
    assert "25.0%" in row and "Rp 20.000.000" in row
    staff.screenshot(path="/tmp/budgets-realization-phone.png", full_page=True)
    for page in (staff, field, reviewer):
        page.context.close()
