"""The work page's cached part (works/detail_cache.py): served from the cache while
nothing it shows has changed, never after a change."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from conftest import KLAGENSERUT
from kotaku.middleware import csrf_placeholder
from locations.models import Region
from works import detail_cache, services
from works.models import ReportPhoto

from .factories import GroupFactory, ReportFactory, WorkFactory, pdf_file, photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def work(regions):
    return WorkFactory(name="Jalan Mawar", kelurahan_id=KLAGENSERUT, status="construction")


@pytest.fixture
def page(client_for, national_officer, work):
    client = client_for(national_officer)

    def get(user_client=None):
        response = (user_client or client).get(work.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()

    return get


def served_from_cache():
    """Within it, computing the cached part fails the test."""
    return mock.patch.object(
        detail_cache.selectors, "work_detail_queryset", side_effect=AssertionError("computed")
    )


def test_the_second_request_is_served_from_the_cache(page, work):
    first = page()
    with served_from_cache():
        second = page()
    assert "Jalan Mawar" in second
    # The same page but for the CSRF tokens (new for each request).
    strip = [line for line in first.splitlines() if "csrfmiddlewaretoken" not in line]
    assert strip == [line for line in second.splitlines() if "csrfmiddlewaretoken" not in line]


def test_a_new_report_shows_at_once(page, work):
    assert "37,5%" not in page()
    ReportFactory(work=work, physical_progress=Decimal("37.5"), report_date=timezone.localdate())
    assert "37,5%" in page()


def test_a_review_shows_at_once(page, work, national_officer):
    report = ReportFactory(work=work, physical_progress=Decimal("40"), status="submitted")
    assert 'data-testid="pending"' in page()
    report.status = "approved"
    report.save()
    html = page()
    assert 'data-testid="pending"' not in html
    assert "40%" in html


def test_a_deleted_report_disappears(page, work):
    report = ReportFactory(work=work, physical_progress=Decimal("55"))
    assert "55%" in page()
    report.delete()
    assert "55%" not in page()


def test_a_photo_shows_at_once(page, work):
    report = ReportFactory(work=work)
    assert "<img" not in page().split('data-testid="reports"')[1].split("</section>")[0]
    ReportPhoto.objects.create(report=report, stage="50", image=photo_file())
    assert "<img" in page().split('data-testid="reports"')[1].split("</section>")[0]


def test_a_change_of_the_work_shows_at_once(page, work):
    assert "Jalan Mawar" in page()
    work.name = "Jalan Melati"
    work.save()
    assert "Jalan Melati" in page()
    # Even a change that bypasses save() (no new version).
    type(work).objects.filter(pk=work.pk).update(name="Jalan Kenanga")
    assert "Jalan Kenanga" in page()


def test_a_renamed_kelurahan_or_type_of_work_shows_at_once(page, work):
    page()
    Region.objects.filter(code=KLAGENSERUT).update(name="Klagen Baru")
    assert "Klagen Baru" in page()
    work_type = work.work_type
    work_type.name = "Paving blok"
    work_type.save()
    assert "Paving blok" in page()


def test_a_status_step_shows_at_once(page, work, national_officer):
    page()
    services.work_status_change(
        work=work, user=national_officer, to_status="completed", date=timezone.localdate()
    )
    html = page()
    assert 'data-testid="work-status">' in html
    assert "work-status-completed" in html


def test_the_key_changes_with_the_day_the_language_and_the_users_rights(work, national_officer):
    row = detail_cache.work_page_queryset(national_officer).get(pk=work.pk)
    rights = {"can_change": True, "can_report": True, "can_hand_over": False}
    key = detail_cache.cache_key(row, **rights)
    assert key == detail_cache.cache_key(row, **rights)
    for right in rights:
        assert key != detail_cache.cache_key(row, **{**rights, right: not rights[right]})
    with translation.override("en"):
        assert key != detail_cache.cache_key(row, **rights)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch.object(detail_cache.timezone, "localdate", return_value=tomorrow):
        assert key != detail_cache.cache_key(row, **rights)


def test_a_user_never_sees_what_anothers_rights_show(page, client, work, district_reader):
    officer_page = page()
    assert reverse("works:work_update", args=[work.pk]) in officer_page  # may edit
    client.force_login(district_reader)  # reads only
    reader_page = page(client)
    assert reverse("works:work_update", args=[work.pk]) not in reader_page
    assert reverse("works:report_create", args=[work.pk]) not in reader_page


def test_the_cache_never_opens_a_work_out_of_scope(page, client, work, outsider):
    page()  # cached for the officer
    client.force_login(outsider)
    assert client.get(work.get_absolute_url()).status_code == 404


def test_the_language_is_that_of_the_request(page, client, work, national_officer):
    indonesian = page()
    client.cookies["django_language"] = "en"
    english = page()
    with translation.override("id"):
        title = translation.gettext("Progress over time")
    assert title != "Progress over time"
    assert title in indonesian
    assert title not in english
    assert "Progress over time" in english


def test_a_new_kpp_is_offered_for_the_handover_at_once(page, work):
    type(work).objects.filter(pk=work.pk).update(status="certified")
    assert "KPP Lestari" not in page()
    GroupFactory(kind="kpp", name="KPP Lestari")
    assert "KPP Lestari" in page()


def test_handover_and_maintenance_show_at_once(page, work, national_officer):
    type(work).objects.filter(pk=work.pk).update(status="certified")
    kpp = GroupFactory(kind="kpp", name="KPP Lestari")
    page()
    today = timezone.localdate()
    services.work_handover(
        work=work, user=national_officer, date=today, document=pdf_file(), kpp=kpp
    )
    html = page().split('data-testid="handover"')[1].split("</section>")[0]
    assert "KPP Lestari" in html and "bast" in html
    html = page()
    assert 'data-testid="maintenance"' in html and "checked_on" in html  # the check form
    services.maintenance_check_create(
        work=work,
        user=national_officer,
        checked_on=today,
        exists=True,
        good_condition=False,
        used=True,
        notes="Retak di ujung saluran",
    )
    assert "Retak di ujung saluran" in page()
    kpp.name = "KPP Lestari Jaya"
    kpp.save()
    assert "KPP Lestari Jaya" in page()


def test_a_renamed_person_shows_at_once(page, work, national_officer):
    services.work_status_change(
        work=work, user=national_officer, to_status="completed", date=timezone.localdate()
    )
    page()
    national_officer.first_name, national_officer.last_name = "Ratna", "Sari"
    national_officer.save()
    assert "Ratna Sari" in page().split('data-testid="status-steps"')[1]


def test_each_request_gets_its_own_csrf_token(work, national_officer):
    """The cached page holds a placeholder: a form posted from another session (its own
    CSRF secret, rotated at login) than the one whose request filled the cache passes
    the CSRF check."""
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(national_officer)
    second.force_login(national_officer)
    first.get(work.get_absolute_url())  # fills the cache
    with served_from_cache():
        html = second.get(work.get_absolute_url()).content.decode()
    assert csrf_placeholder() not in html
    token = html.split('data-testid="status-steps"')[1].split('name="csrfmiddlewaretoken" value="')[
        1
    ]
    token = token.split('"')[0]
    response = second.post(
        reverse("works:work_status", args=[work.pk]),
        {"csrfmiddlewaretoken": token, "to_status": "completed", "date": timezone.localdate()},
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == "completed"


def test_a_form_with_errors_is_not_cached(client_for, work, national_officer):
    client = client_for(national_officer)
    client.get(work.get_absolute_url())
    response = client.post(
        reverse("works:work_status", args=[work.pk]), {"to_status": "completed", "date": ""}
    )
    assert response.status_code == 400
    assert response.context["detail_key"] is None
    assert 'class="error"' in response.content.decode() or "errorlist" in response.content.decode()
    # And the next plain request does not show those errors.
    assert response.context["status_form"].errors
    html = client.get(work.get_absolute_url()).content.decode()
    assert "errorlist" not in html.split('data-testid="status-steps"')[1].split("</section>")[0]
