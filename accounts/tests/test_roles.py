import pytest
from django.contrib.auth.models import Group

from accounts import demo
from accounts.choices import Role
from accounts.models import PlaceAssignment, User


@pytest.mark.django_db
def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_read_only_roles_cannot_write(district_reader, facilitator, district_editor):
    assert district_reader.has_perm("locations.view_region")
    assert not district_reader.has_perm("locations.add_rtrw")
    assert facilitator.has_perm("locations.add_rtrw")
    assert district_editor.has_perm("locations.change_rtrw")
    assert not facilitator.has_perm("accounts.change_user")


def test_role_and_places_of_a_user(facilitator, national_officer):
    assert facilitator.role == Role.FACILITATOR
    assert facilitator.place_codes == ("35.19.09.2001", "35.19.09.2010")
    assert not facilitator.sees_everything
    assert national_officer.sees_everything
    assert national_officer.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_demo_users_load_twice_without_changes(regions):
    demo.load()
    snapshot = list(User.objects.order_by("username").values_list("username", "password"))
    history = User.history.count()
    demo.load()
    assert list(User.objects.order_by("username").values_list("username", "password")) == snapshot
    assert User.history.count() == history
    jiwan = User.objects.get(username="fasilitator.jiwan")
    assert jiwan.role == Role.FACILITATOR
    assert set(
        PlaceAssignment.objects.filter(user=jiwan).values_list("region__name", flat=True)
    ) == {
        "Klagenserut",
        "Bukur",
    }
    assert jiwan.check_password(demo.DEMO_PASSWORD)
