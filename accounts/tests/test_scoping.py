import pytest

from accounts.choices import Role
from accounts.scoping import ancestor_codes, covered_q
from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT
from locations.models import Region, RtRw


def test_ancestor_codes():
    assert ancestor_codes("35.19.09.2010") == ["35", "35.19", "35.19.09"]
    assert ancestor_codes("35") == []


@pytest.mark.django_db
def test_covered_q_matches_the_region_and_everything_below_it(regions):
    codes = set(
        Region.objects.filter(covered_q(["35.19.09"], "code")).values_list("code", flat=True)
    )
    assert "35.19.09" in codes
    assert "35.19.09.2010" in codes
    assert "35.19" not in codes
    assert len(codes) == 15


@pytest.mark.django_db
def test_prefix_does_not_leak_into_a_sibling_with_a_longer_number(db):
    """35.1 must not match 35.19: the prefix ends at a dot."""
    Region.objects.create(code="35", name="Jawa Timur", level=1, kind="provinsi")
    Region.objects.create(code="35.01", name="A", level=2, kind="kabupaten", parent_id="35")
    Region.objects.create(code="35.19", name="B", level=2, kind="kabupaten", parent_id="35")
    Region.objects.create(code="35.01.01", name="C", level=3, kind="kecamatan", parent_id="35.01")
    Region.objects.create(code="35.19.01", name="D", level=3, kind="kecamatan", parent_id="35.19")
    found = Region.objects.filter(covered_q(["35.01"], "code")).values_list("code", flat=True)
    assert sorted(found) == ["35.01", "35.01.01"]


def test_scoped_models_follow_the_assignment(make_user):
    RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    RtRw.objects.create(kelurahan_id="35.19.09.2002", rt=1, rw=1)
    RtRw.objects.create(kelurahan_id="35.01.04.2014", rt=1, rw=1)
    facilitator = make_user("f", Role.FACILITATOR, [KLAGENSERUT, BUKUR])
    district = make_user("d", Role.DISTRICT_STAFF, [KAB_MADIUN])
    national = make_user("n", Role.NATIONAL_OFFICER)
    nobody = make_user("x", Role.FACILITATOR)
    assert RtRw.objects.for_user(facilitator).count() == 1
    assert RtRw.objects.for_user(district).count() == 2
    assert RtRw.objects.for_user(national).count() == 3
    assert RtRw.objects.for_user(nobody).count() == 0


def test_inactive_user_sees_nothing(make_user):
    RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    user = make_user("gone", Role.NATIONAL_OFFICER)
    user.is_active = False
    assert RtRw.objects.for_user(user).count() == 0
