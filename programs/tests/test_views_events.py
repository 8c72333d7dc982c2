import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, TANJUNGSARI
from programs.models import Event

from .factories import make_event
from .test_services import ATTENDANCE_CSV
from .test_uploads import PDF

pytestmark = pytest.mark.django_db


def event_data(**changes):
    data = {
        "title": "Pelatihan KSM",
        "kind": "pelatihan",
        "level": "kelurahan",
        "start_date": "2024-03-01",
        "end_date": "2024-03-02",
        "place": "Balai desa",
        "organiser": "Tim Faskel",
        "regions": [KLAGENSERUT],
        "men": 3,
        "women": 4,
        "bkm_participants": 0,
        "ksm_participants": 7,
        "kpp_participants": 0,
        "facilitator_participants": 0,
        "government_participants": 0,
    }
    data.update(changes)
    return data


def test_event_list_is_scoped_with_totals(client_for, facilitator, django_assert_max_num_queries):
    for number in range(4):
        make_event(title=f"Event {number}", start=datetime.date(2020 + number % 2, 2, 1))
    make_event(codes=(KAB_MADIUN,), title="Workshop kabupaten", level="kabupaten")
    make_event(codes=(TANJUNGSARI,), title="Pacitan")
    client = client_for(facilitator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("programs:event_list"))
    titles = {event.title for event in response.context["events"]}
    assert "Pacitan" not in titles and "Workshop kabupaten" in titles and len(titles) == 5
    by_year = {row["year"]: row for row in response.context["totals_by_year"]}
    assert by_year[2020]["events"] == 3 and by_year[2020]["men"] == 30
    assert by_year[2021]["events"] == 2


def test_event_totals_by_region(client_for, district_editor):
    make_event(codes=(KLAGENSERUT, BUKUR), title="Dua desa")
    make_event(codes=(KLAGENSERUT,), title="Satu desa")
    response = client_for(district_editor).get(reverse("programs:event_list"), {"totals_level": 4})
    rows = {row["region__code"]: row for row in response.context["totals_by_region"]}
    assert rows[KLAGENSERUT]["events"] == 2 and rows[KLAGENSERUT]["men"] == 20
    assert rows[BUKUR]["events"] == 1


def test_facilitator_records_an_event(client_for, facilitator):
    response = client_for(facilitator).post(reverse("programs:event_create"), event_data())
    event = Event.objects.get()
    assert response.status_code == 302
    assert [r.code for r in event.regions.all()] == [KLAGENSERUT]


def test_event_ending_before_it_starts_keeps_the_input(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("programs:event_create"), event_data(end_date="2024-02-01", title="Salah")
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert 'value="Salah"' in response.content.decode()
    assert not Event.objects.exists()


def test_event_outside_the_users_places_is_refused(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("programs:event_create"), event_data(regions=[TANJUNGSARI])
    )
    assert "regions" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("cast", "status"),
    [("outsider", 404), ("district_reader", 403), ("facilitator", 200)],
)
def test_event_edit_is_scoped_and_role_checked(request, regions, client_for, cast, status):
    event = make_event()
    url = reverse("programs:event_update", args=[event.pk])
    assert client_for(request.getfixturevalue(cast)).get(url).status_code == status


def test_facilitator_cannot_edit_a_kabupaten_event_they_can_read(client_for, facilitator):
    event = make_event(codes=(KAB_MADIUN,), level="kabupaten")
    client = client_for(facilitator)
    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("programs:event_update", args=[event.pk])).status_code == 403


def test_attendance_upload_updates_counts(client_for, facilitator, django_assert_max_num_queries):
    event = make_event()
    client = client_for(facilitator)
    url = reverse("programs:attendance_upload", args=[event.pk])
    upload = SimpleUploadedFile("hadir.csv", ATTENDANCE_CSV.encode())
    assert client.post(url, {"file": upload}).status_code == 302
    event.refresh_from_db()
    assert (event.men, event.women) == (2, 2)
    with django_assert_max_num_queries(15):
        response = client.get(event.get_absolute_url())
    assert len(response.context["attendance"]) == 4


def test_attendance_upload_errors_are_listed_row_by_row(client_for, facilitator):
    event = make_event()
    url = reverse("programs:attendance_upload", args=[event.pk])
    bad = "nama,jk,peran\nSiti,X,KSM\nBudi,L,camat\n"
    response = client_for(facilitator).post(
        url, {"file": SimpleUploadedFile("hadir.csv", bad.encode())}
    )
    assert response.status_code == 400
    errors = response.context["upload_form"].non_field_errors()
    assert len(errors) == 2
    assert not event.attendance.exists()


def test_attendance_upload_refuses_a_pdf(client_for, facilitator):
    event = make_event()
    url = reverse("programs:attendance_upload", args=[event.pk])
    response = client_for(facilitator).post(url, {"file": SimpleUploadedFile("hadir.pdf", PDF)})
    assert response.status_code == 400
    assert not event.attendance.exists()


@pytest.mark.parametrize(("cast", "status"), [("outsider", 404), ("district_reader", 403)])
def test_attendance_upload_is_scoped_and_role_checked(request, regions, client_for, cast, status):
    event = make_event()
    url = reverse("programs:attendance_upload", args=[event.pk])
    upload = SimpleUploadedFile("hadir.csv", ATTENDANCE_CSV.encode())
    response = client_for(request.getfixturevalue(cast)).post(url, {"file": upload})
    assert response.status_code == status
    assert not event.attendance.exists()
