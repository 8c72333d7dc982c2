"""A facilitator fills a survey on a phone and sees the level live; the city coordinator
verifies it (Debian's Chromium through Playwright)."""

import pytest

from kotaku.tests.test_browser import browser, log_in, phone  # noqa: F401 (fixtures)
from slums.models import SlumSurvey
from slums.tests.factories import SlumAreaFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_facilitator_fills_a_survey_and_coordinator_verifies(
    live_server,
    phone,  # noqa: F811 (the fixture imported above)
    facilitator,
    district_reader,
):
    base = live_server.url
    area = SlumAreaFactory(name="Kawasan Klagenserut")
    assert phone.viewport_size == {"width": 390, "height": 844}
    log_in(phone, base, facilitator.username)
    phone.goto(f"{base}/kumuh/{area.pk}/")
    phone.click("a.button.primary")  # New survey
    phone.wait_for_url(f"{base}/kumuh/{area.pk}/penilaian/tambah/")
    phone.fill("#id_year", "2021")
    for field, value in [("buildings", "200"), ("households", "300"),
                         ("road_length_m", "1000"), ("drainage_length_m", "800")]:  # fmt: skip
        phone.fill(f"#id_{field}", value)
    level = phone.locator("[data-testid=live-level]")
    assert level.get_attribute("data-level") == "tidak_kumuh"
    for code, value in [("1a", "200"), ("1c", "200"), ("3a", "300"), ("5a", "300")]:
        phone.fill(f"#id_volume_{code}", value)
    assert phone.inner_text("[data-pct='1a']") == "100.00%"
    assert phone.inner_text("#live-total") == "20"
    assert level.get_attribute("data-level") == "ringan"
    phone.fill("#id_volume_6a", "240")  # 80% → 5
    phone.fill("#id_volume_7a", "160")  # 80% → 5
    assert phone.inner_text("#live-total") == "30"
    assert level.get_attribute("class") == "badge level-ringan"
    phone.fill("#id_volume_3b", "300")
    phone.fill("#id_volume_5b", "300")
    assert phone.inner_text("#live-total") == "40"
    assert level.get_attribute("data-level") == "sedang"
    assert level.is_visible()  # the summary bar stays in view on the phone
    phone.click("[data-testid=summary] button.primary")
    phone.wait_for_url(f"{base}/kumuh/penilaian/*/")
    assert phone.inner_text("[data-testid=total]") == "40"
    phone.click("button[name=action][value=submit]")
    phone.wait_for_selector(".status-submitted")

    phone.context.clear_cookies()
    log_in(phone, base, district_reader.username)
    survey = SlumSurvey.objects.get()
    phone.goto(f"{base}{survey.get_absolute_url()}")
    phone.click("button[name=action][value=verify]")
    phone.wait_for_selector(".status-verified")
    survey.refresh_from_db()
    assert (survey.status, survey.verified_by, survey.total_score) == (
        "verified", district_reader, 40,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_outline_draws_when_map_tiles_fail(live_server, phone, district_reader):  # noqa: F811
    from slums.tests.test_geojson import POLYGON

    area = SlumAreaFactory(name="Kawasan Klagenserut", outline=POLYGON)
    phone.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    log_in(phone, live_server.url, district_reader.username)
    phone.goto(f"{live_server.url}{area.get_absolute_url()}")
    phone.wait_for_selector("#slum-map[data-ready='1']")
    assert phone.locator("#slum-map path.leaflet-interactive").count() == 1
    assert "Kawasan Klagenserut" in phone.inner_text("h1")
