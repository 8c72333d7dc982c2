"""Through the real browser: Debian's Chromium driven by Playwright."""

import os
from pathlib import Path

import pytest

from accounts.tests.factories import PASSWORD
from conftest import need

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM.exists(), "Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, so Django's async guard can be relaxed for tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
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


def log_in(page, base, username):
    page.goto(f"{base}/akun/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_facilitator_drills_down_to_their_desa_and_not_beyond(live_server, phone, facilitator):
    base = live_server.url
    log_in(phone, base, facilitator.username)
    assert "Fasilitator" in phone.inner_text("[data-testid=who]")
    for link, code in [
        ("Wilayah", ""),
        ("Jawa Timur", "35/"),
        ("Kabupaten Madiun", "35.19/"),
        ("Jiwan", "35.19.09/"),
    ]:
        phone.get_by_role("link", name=link, exact=True).first.click()
        phone.wait_for_url(f"{base}/wilayah/{code}")
    children = phone.inner_text("[data-testid=children]")
    assert "Klagenserut" in children and "Bukur" in children
    assert "Sambirejo" not in children
    phone.get_by_role("link", name="Klagenserut").click()
    phone.wait_for_url(f"{base}/wilayah/35.19.09.2010/")
    assert "Klagenserut" in phone.inner_text("h1")
    response = phone.goto(f"{base}/wilayah/35.19.09.2002/")
    assert response.status == 404


@pytest.mark.django_db(transaction=True)
def test_language_switch_to_english_and_back(live_server, phone, facilitator):
    base = live_server.url
    log_in(phone, base, facilitator.username)
    assert phone.locator("html").get_attribute("lang") == "id"
    assert phone.is_visible("text=Keluar")
    phone.click("button[name=language][value=en]")
    phone.wait_for_selector("html[lang=en]")
    assert phone.is_visible("text=Log out")
    phone.click("button[name=language][value=id]")
    phone.wait_for_selector("html[lang=id]")
    assert phone.is_visible("text=Keluar")


@pytest.mark.django_db(transaction=True)
def test_a_page_and_the_admin_load_without_a_failed_request(live_server, phone, national_officer):
    """Everything the login page, the dashboard and the admin ask for answers, and the
    browser finds the site's icon (it used to ask for /favicon.ico and get a 404)."""
    base = live_server.url
    failed, icons = [], []
    phone.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    phone.on("request", lambda r: icons.append(r.url) if "favicon" in r.url else None)
    log_in(phone, base, national_officer.username)
    phone.wait_for_load_state("networkidle")
    phone.goto(f"{base}/admin/")
    phone.wait_for_load_state("networkidle")
    assert failed == []
    assert any(url.endswith("/static/favicon.svg") for url in icons)
