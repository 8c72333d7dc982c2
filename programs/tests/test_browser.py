"""A facilitator registers a KSM with five members on a phone, in the real browser."""

import os

import pytest

from conftest import KLAGENSERUT, need
from kotaku.tests.test_browser import CHROMIUM, log_in
from programs.models import CommunityGroup

from .factories import BkmFactory, region

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM.exists(), "Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


MEMBERS = [
    ("Suparno", "L", "chair", False),
    ("Siti Aminah", "P", "secretary", True),
    ("Joko Santoso", "L", "treasurer", False),
    ("Sri Wahyuni", "P", "member", True),
    ("Bambang Riyadi", "L", "member", False),
]


@pytest.mark.django_db(transaction=True)
def test_facilitator_registers_a_ksm_with_five_members_on_a_phone(
    live_server, phone, facilitator, tmp_path
):
    BkmFactory(kelurahan=region(KLAGENSERUT), name="LKM Bangkit Bersama")
    base = live_server.url
    log_in(phone, base, facilitator.username)
    phone.goto(f"{base}/program/kelompok/baru/?kelurahan={KLAGENSERUT}")
    phone.select_option("#id_kind", "ksm")
    assert phone.input_value("#id_kelurahan") == KLAGENSERUT
    phone.fill("#id_name", "KSM Rukun Makmur")
    phone.fill("#id_formed_on", "2020-06-15")
    phone.click("button.primary")
    group = CommunityGroup.objects.get()
    phone.wait_for_url(f"{base}{group.get_absolute_url()}")
    for name, sex, role, poor in MEMBERS:
        phone.click(".add-member summary")
        phone.fill("#id_name", name)
        phone.check(f"input[name=sex][value={sex}]")
        phone.select_option("#id_role", role)
        if poor:
            phone.check("#id_poor_household")
        phone.click("[data-testid=member-form] button.primary")
        phone.wait_for_selector(f"[data-testid=members] >> text={name}")
    assert phone.inner_text("[data-testid=count-total]") == "5"
    assert phone.inner_text("[data-testid=count-men]") == "3"
    assert phone.inner_text("[data-testid=count-women]") == "2"
    assert phone.inner_text("[data-testid=count-poor]") == "2"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the group page must not scroll sideways on a phone"
    phone.screenshot(path=str(tmp_path / "group.png"), full_page=True)
