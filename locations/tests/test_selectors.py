"""Region reads by SQL compiled once equal the ORM's, in the user's scope."""

import pytest

from conftest import BUKUR, JAWA_TIMUR, JIWAN, KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, TANJUNGSARI
from locations.models import Region
from locations.selectors import region_breadcrumb, visible_region

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Region._meta.concrete_fields]


def as_orm(region):
    return None if region is None else [getattr(region, name) for name in FIELDS]


def test_visible_region_is_the_region_the_user_may_see(
    regions, facilitator, outsider, national_officer
):
    codes = [JAWA_TIMUR, KAB_MADIUN, JIWAN, KLAGENSERUT, BUKUR, KAB_PACITAN, TANJUNGSARI, "99"]
    for user in (facilitator, outsider, national_officer):
        for code in codes:
            orm = Region.objects.for_user(user).filter(code=code).first()
            assert as_orm(visible_region(user, code)) == as_orm(orm), (user, code)
    # A facilitator sees their places and the regions above them, not their neighbours'.
    assert visible_region(facilitator, JAWA_TIMUR).code == JAWA_TIMUR
    assert visible_region(facilitator, TANJUNGSARI) is None


def test_a_breadcrumb_is_the_regions_above_top_first(regions):
    region = Region.objects.get(code=KLAGENSERUT)
    crumbs = region_breadcrumb(region)
    assert [crumb.code for crumb in crumbs] == [JAWA_TIMUR, KAB_MADIUN, JIWAN]
    Region.objects.filter(code=JIWAN).update(name="Jiwan Baru")
    assert [crumb.name for crumb in region_breadcrumb(region)][-1] == "Jiwan Baru"


def test_a_province_has_no_breadcrumb_and_needs_no_query(regions, django_assert_num_queries):
    province = Region.objects.get(code=JAWA_TIMUR)
    with django_assert_num_queries(0):
        assert region_breadcrumb(province) == []


def test_a_user_without_places_sees_no_region_and_no_work(regions, make_user, client):
    from accounts.models import Role
    from works.tests.factories import WorkFactory

    placeless = make_user("tanpa-wilayah", Role.FACILITATOR)
    assert visible_region(placeless, KLAGENSERUT) is None
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    client.force_login(placeless)
    assert client.get(f"/dasbor/{KLAGENSERUT}/").status_code == 404
    assert client.get(f"/kegiatan/{work.pk}/").status_code == 404
    assert client.get("/kegiatan/").status_code == 200
