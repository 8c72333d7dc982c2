import datetime

import pytest
from django.urls import reverse

from accounts.choices import Role
from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from programs import selectors
from programs.choices import Position
from programs.models import FacilitatorProfile

from .factories import BkmFactory, region

pytestmark = pytest.mark.django_db


def profile(user, position=Position.FACILITATOR, **extra):
    return FacilitatorProfile.objects.create(user=user, position=position, **extra)


@pytest.fixture
def program(regions):
    for code in (KLAGENSERUT, BUKUR, SAMBIREJO, TANJUNGSARI):
        BkmFactory(kelurahan=region(code))


def test_coverage_finds_kelurahan_with_nobody(program, facilitator, district_editor):
    profile(facilitator)
    rows = {r.code: r.covered for r in selectors.coverage_kelurahan(district_editor)}
    assert rows == {BUKUR: True, SAMBIREJO: False, KLAGENSERUT: True}


def test_an_askot_on_the_kabupaten_covers_every_desa_below(program, make_user, national_officer):
    askot = make_user("askot2", Role.CITY_COORDINATOR, [KAB_MADIUN])
    profile(askot, Position.ASKOT)
    rows = {r.code: r.covered for r in selectors.coverage_kelurahan(national_officer)}
    assert rows == {BUKUR: True, SAMBIREJO: True, KLAGENSERUT: True, TANJUNGSARI: False}


@pytest.mark.parametrize(
    ("place", "pacitan"), [("35", True), (KAB_MADIUN, False), ("35.19.09", False)]
)
def test_a_pendamping_on_any_region_above_covers_the_desa_below(
    program, make_user, national_officer, place, pacitan
):
    """Province, kabupaten or kecamatan: each prefix of the desa's code counts (Jawa
    Timur covers Tanjungsari in Pacitan too; Madiun and Jiwan do not)."""
    profile(make_user("korkot", Role.CITY_COORDINATOR, [place]), Position.ASKOT)
    rows = {r.code: r.covered for r in selectors.coverage_kelurahan(national_officer)}
    assert rows == {BUKUR: True, SAMBIREJO: True, KLAGENSERUT: True, TANJUNGSARI: pacitan}


def test_users_without_profile_or_out_of_period_do_not_cover(program, facilitator, outsider):
    profile(facilitator, period_end=datetime.date(2020, 1, 1))
    rows = selectors.coverage_kelurahan(facilitator.__class__.objects.get(username="luar"))
    assert {r.code: r.covered for r in rows} == {TANJUNGSARI: False}
    from accounts.tests.factories import UserFactory

    officer = UserFactory(username="n2", role=Role.NATIONAL_OFFICER)
    assert not any(r.covered for r in selectors.coverage_kelurahan(officer))


def test_coverage_page_for_district_staff(
    program, client_for, facilitator, district_editor, django_assert_max_num_queries
):
    profile(facilitator, phone="0812")
    client = client_for(district_editor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:coverage"))
    assert response.status_code == 200
    rows = {region.code: people for region, people in response.context["rows"]}
    assert set(rows) == {KLAGENSERUT, BUKUR, SAMBIREJO}
    assert [a.user.username for a in rows[KLAGENSERUT]] == ["fasilitator"]
    assert rows[SAMBIREJO] == []
    assert response.context["summary"] == {"total": 3, "uncovered": 1}
    response = client_for(district_editor).get(reverse("programs:coverage"), {"uncovered": "1"})
    assert [r.code for r, _ in response.context["rows"]] == [SAMBIREJO]


def test_coverage_page_is_not_for_facilitators(program, client_for, facilitator):
    assert client_for(facilitator).get(reverse("programs:coverage")).status_code == 403


def test_coverage_page_is_scoped(program, client_for, make_user):
    reader = make_user("askot-pacitan", Role.CITY_COORDINATOR, ["35.01"])
    response = client_for(reader).get(reverse("programs:coverage"))
    assert [r.code for r, _ in response.context["rows"]] == [TANJUNGSARI]


@pytest.mark.parametrize("page", ["programs:index", "programs:bkm_list", "programs:rplp_list"])
def test_the_program_pages_link_to_the_coverage_only_for_those_who_may_open_it(
    program, client_for, facilitator, district_reader, page
):
    link = f'href="{reverse("programs:coverage")}"'
    assert link not in client_for(facilitator).get(reverse(page)).text
    assert link in client_for(district_reader).get(reverse(page)).text
