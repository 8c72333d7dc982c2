"""Riwayat (/riwayat/): every change of every user-edited record, who and when, with the
before/after; a deleted record is found with its last state; scoped to the user's places."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import TANJUNGSARI
from kotaku.history import kinds
from kotaku.tests.versions import with_version
from programs.models import Member
from programs.tests.factories import make_group, make_member
from programs.tests.test_views_institutions import NIK, member_data
from works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db
MASKED_NIK = "3519********0001"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def edited_and_deleted(regions, facilitator, national_officer):
    """A member edited by the facilitator on the app's page, then deleted by a national
    officer in the admin."""
    member = make_member(make_group(), name="Siti", nik=NIK, phone="081234567890")
    url = reverse("programs:member_update", args=[member.pk])
    data = member_data(name="Siti Aminah", nik=NIK, phone="081234567890")
    response = logged_in(national_officer).post(url, with_version(member, data))
    assert response.status_code == 302
    national_officer.is_staff = True
    national_officer.save()
    delete = reverse("admin:programs_member_delete", args=[member.pk])
    assert logged_in(national_officer).post(delete, {"post": "yes"}).status_code == 302
    assert not Member.objects.exists()
    return member


def rows(response):
    return [
        (entry["kind"].key, entry["record"].history_type, entry["record"].id)
        for entry in response.context["entries"]
    ]


def test_edit_and_delete_are_listed_with_who_and_the_diff(edited_and_deleted, facilitator):
    member = edited_and_deleted
    response = logged_in(facilitator).get(reverse("history"), {"kind": "programs.member"})
    assert response.status_code == 200
    assert rows(response) == [
        ("programs.member", "-", member.pk),
        ("programs.member", "~", member.pk),
        ("programs.member", "+", member.pk),
    ]
    deleted, changed, _created = response.context["entries"]
    assert deleted["record"].history_user.username == "nasional"
    [change] = changed["changes"]
    assert (change["before"], change["after"]) == ("Siti", "Siti Aminah")
    content = response.content.decode()
    assert "Siti Aminah" in content and 'data-type="-"' in content
    # NIK and phone stay masked for a facilitator, in the list and on the record's page.
    assert NIK not in content and MASKED_NIK in content
    assert "081234567890" not in content and "********7890" in content
    detail = reverse("history_detail", args=["programs.member", deleted["record"].history_id])
    page = logged_in(facilitator).get(detail)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Siti Aminah" in text and MASKED_NIK in text and NIK not in text


def test_district_staff_see_the_nik_in_full(edited_and_deleted, district_editor):
    response = logged_in(district_editor).get(reverse("history"), {"type": "+"})
    assert NIK in response.content.decode()


def test_filters_by_change_type_user_and_date(edited_and_deleted, facilitator):
    client = logged_in(facilitator)
    deletions = client.get(reverse("history"), {"type": "-"})
    assert [row[1] for row in rows(deletions)] == ["-"]
    by_officer = client.get(reverse("history"), {"user": "nasional"})
    assert {row[1] for row in rows(by_officer)} == {"~", "-"}
    assert rows(client.get(reverse("history"), {"date_to": "2000-01-01"})) == []


def test_outsider_sees_none_of_it(edited_and_deleted, outsider):
    client = logged_in(outsider)
    response = client.get(reverse("history"))
    assert response.status_code == 200
    assert not [row for row in rows(response) if row[0] == "programs.member"]
    deleted = edited_and_deleted.history.model.objects.get(history_type="-")
    detail = reverse("history_detail", args=["programs.member", deleted.history_id])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("history_detail", args=["no.such", 1])).status_code == 404


def test_reference_data_history_is_for_those_who_see_everything(
    regions, facilitator, national_officer
):
    from works.models import WorkType

    WorkType.objects.create(name="Jembatan gantung", aspect="jalan", default_unit="m")
    assert rows(logged_in(facilitator).get(reverse("history"), {"kind": "works.worktype"})) == []
    listed = rows(logged_in(national_officer).get(reverse("history"), {"kind": "works.worktype"}))
    assert listed and {row[0] for row in listed} == {"works.worktype"}


def test_every_user_edited_model_has_history():
    keys = set(kinds())
    for key in [
        "slums.slumarea",
        "slums.slumsurvey",
        "programs.bkm",
        "programs.communitygroup",
        "programs.member",
        "programs.facilitatorprofile",
        "programs.rplp",
        "programs.rkmproposal",
        "programs.rp2kpkp",
        "programs.event",
        "works.work",
        "works.progressreport",
        "works.handover",
        "works.maintenancecheck",
        "budgets.allocation",
        "budgets.disbursement",
        "budgets.spending",
        "budgets.swadayacontribution",
        "locations.rtrw",
        "locations.region",
        "accounts.placeassignment",
    ]:
        assert key in keys, key


def test_query_count_does_not_grow_with_rows(regions, facilitator, django_assert_max_num_queries):
    client = logged_in(facilitator)
    WorkFactory()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("history"))
    for index in range(15):
        work = WorkFactory(name=f"Jalan {index}")
        work.name = f"Jalan {index} (revisi)"
        work.save()
    WorkFactory(kelurahan_id=TANJUNGSARI)
    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        response = client.get(reverse("history"))
    assert len(response.context["entries"]) > 30
