"""The access backend gives each user the role and permissions Django's own backend
and the groups give, in fewer queries."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import AccessBackend
from accounts.choices import Role
from accounts.models import User
from accounts.selectors import user_place_regions
from conftest import KAB_MADIUN, KLAGENSERUT
from locations.models import Region

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def loaded(user):
    """`user` as a request would load it: a fresh row, no cached role or permissions."""
    return AccessBackend().get_user(user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_the_permissions_of_its_group(role):
    user = UserFactory(role=role)
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    fresh = loaded(user)
    assert fresh.role == role == User.objects.get(pk=user.pk).role
    assert fresh.get_all_permissions() == expected
    assert expected  # every role may do something


def test_own_permissions_count_and_several_groups_give_the_first_role():
    user = UserFactory(role=Role.FACILITATOR)
    user.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF.value))
    own = Permission.objects.get(codename="delete_user")
    user.user_permissions.add(own)
    fresh = loaded(user)
    assert fresh.role == Role.DISTRICT_STAFF == User.objects.get(pk=user.pk).role
    assert fresh.has_perm("accounts.delete_user")
    assert fresh.get_all_permissions() == ModelBackend().get_all_permissions(
        User.objects.get(pk=user.pk)
    )


def test_superuser_has_every_permission_and_no_role_user_none():
    admin = UserFactory(is_superuser=True)
    assert loaded(admin).get_all_permissions() == ModelBackend().get_all_permissions(
        User.objects.get(pk=admin.pk)
    )
    nobody = loaded(UserFactory())
    assert nobody.role is None and nobody.get_all_permissions() == set()


def test_an_inactive_user_is_nobody():
    user = UserFactory(role=Role.NATIONAL_OFFICER, is_active=False)
    assert loaded(user) is None
    assert AccessBackend().get_user(10**9) is None


def test_role_permissions_and_places_cost_two_queries(regions):
    user = UserFactory(role=Role.DISTRICT_STAFF, places=[KLAGENSERUT, KAB_MADIUN])
    loaded(UserFactory(role=Role.DISTRICT_STAFF))  # the role's permissions, now known
    with CaptureQueriesContext(connection) as queries:
        fresh = loaded(user)
        assert fresh.role == Role.DISTRICT_STAFF
        assert fresh.has_perm("works.change_work") and not fresh.has_perm("auth.delete_group")
        assert fresh.has_perm("works.add_handover")
        places = user_place_regions(fresh)
        assert fresh.place_codes == (KAB_MADIUN, KLAGENSERUT)
    assert len(queries) == 2
    expected = list(Region.objects.filter(code__in=[KLAGENSERUT, KAB_MADIUN]).order_by("code"))
    assert places == expected
    for place, region in zip(places, expected, strict=True):
        assert (place.name, place.level, place.kind, place.parent_id) == (
            region.name,
            region.level,
            region.kind,
            region.parent_id,
        )
        assert not place._state.adding


def test_a_change_of_a_roles_permissions_is_seen_at_once():
    user = UserFactory(role=Role.CITY_COORDINATOR)
    group = Group.objects.get(name=Role.CITY_COORDINATOR.value)
    assert loaded(user).has_perm("works.view_work")  # the role's permissions, now cached
    view_work = Permission.objects.get(codename="view_work", content_type__app_label="works")
    group.permissions.remove(view_work)
    assert not loaded(user).has_perm("works.view_work")
    delete_user = Permission.objects.get(codename="delete_user")
    group.permissions.add(delete_user)
    assert loaded(user).has_perm("accounts.delete_user")
    # Removed and another added: same count, newer key.
    group.permissions.remove(delete_user)
    group.permissions.add(view_work)
    fresh = loaded(user)
    assert fresh.has_perm("works.view_work") and not fresh.has_perm("accounts.delete_user")
    assert fresh.get_all_permissions() == ModelBackend().get_all_permissions(
        User.objects.get(pk=user.pk)
    )


def test_a_known_set_of_groups_costs_one_query_for_access():
    first, second = UserFactory(role=Role.FACILITATOR), UserFactory(role=Role.FACILITATOR)
    loaded(first)
    with CaptureQueriesContext(connection) as queries:
        assert loaded(second).has_perm("works.add_progressreport")
    assert len(queries) == 2  # the user's row, then groups, permissions and places
