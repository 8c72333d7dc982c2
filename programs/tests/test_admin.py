"""Admin saves keep the same rules as the pages."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from conftest import BUKUR, KLAGENSERUT
from programs.models import CommunityGroup, Member

from .factories import BkmFactory, make_group, make_member, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, regions):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_refuses_a_ksm_without_bkm(admin_client):
    response = admin_client.post(
        reverse("admin:programs_communitygroup_add"),
        {
            "kind": "ksm",
            "kelurahan": BUKUR,
            "name": "KSM X",
            "formed_on": "2024-01-01",
            "status": "active",
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["adminform"].form.errors
    assert not CommunityGroup.objects.exists()


def test_admin_places_a_new_group_under_the_kelurahan_bkm(admin_client):
    bkm = BkmFactory(kelurahan=region(KLAGENSERUT))
    response = admin_client.post(
        reverse("admin:programs_communitygroup_add"),
        {
            "kind": "ksm",
            "kelurahan": KLAGENSERUT,
            "name": "KSM Admin",
            "formed_on": "2024-01-01",
            "status": "active",
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 0,
            "members-0-name": "Siti",
            "members-0-sex": "P",
            "members-0-role": "member",
        },
    )
    assert response.status_code == 302
    group = CommunityGroup.objects.get()
    assert group.bkm == bkm
    assert group.members.get().kelurahan_id == KLAGENSERUT


def test_admin_refuses_a_member_twice_and_a_bad_nik(admin_client):
    group = make_group()
    make_member(group, "Siti", phone="0812")
    url = reverse("admin:programs_member_add")
    data = {"group": group.pk, "name": "Siti", "sex": "P", "role": "member", "phone": "0812"}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    response = admin_client.post(url, {**data, "name": "Ani", "nik": "1234567890123456"})
    assert "nik" in response.context["adminform"].form.errors
    assert Member.objects.count() == 1


def test_admin_never_deletes_a_group(admin_client):
    group = make_group()
    response = admin_client.post(
        reverse("admin:programs_communitygroup_delete", args=[group.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert CommunityGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.parametrize(
    "model", ["bkm", "communitygroup", "member", "rplp", "rkmproposal", "rp2kpkp", "event"]
)
def test_admin_pages_open(admin_client, model):
    make_group()
    assert admin_client.get(reverse(f"admin:programs_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:programs_{model}_add")).status_code == 200
