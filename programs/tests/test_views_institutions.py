import pytest
from django.urls import reverse

from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.versions import with_version
from programs.models import Bkm, BkmStatus, CommunityGroup, Member

from .factories import BkmFactory, make_group, make_member, region

pytestmark = pytest.mark.django_db

NIK = "3519094507800001"


def member_data(**changes):
    data = {"name": "Siti", "sex": "P", "role": "member", "phone": "0812", "nik": ""}
    data.update(changes)
    return data


# Lists -------------------------------------------------------------------------------


def test_group_list_is_scoped_filtered_and_counted(
    client_for, facilitator, django_assert_max_num_queries
):
    group = make_group()
    make_member(group, "Ani", "P", poor_household=True)
    make_member(group, "Budi", "L")
    make_group(code=BUKUR, kind="kpp", name="KPP Bukur")
    make_group(code=TANJUNGSARI, name="KSM Pacitan")
    client = client_for(facilitator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:group_list"))
    assert response.status_code == 200
    rows = {g.name: g for g in response.context["groups"]}
    assert set(rows) == {"KSM Rukun", "KPP Bukur"}
    ksm = rows["KSM Rukun"]
    assert (ksm.member_count, ksm.men_count, ksm.women_count, ksm.poor_count) == (2, 1, 1, 1)
    response = client.get(reverse("programs:group_list"), {"kind": "kpp"})
    assert [g.name for g in response.context["groups"]] == ["KPP Bukur"]
    response = client.get(reverse("programs:group_list"), {"region": BUKUR, "q": "bukur"})
    assert [g.name for g in response.context["groups"]] == ["KPP Bukur"]
    response = client.get(reverse("programs:group_list"), {"year_formed": 1999})
    assert list(response.context["groups"]) == []


def test_group_list_query_count_does_not_grow_with_rows(
    client_for, national_officer, django_assert_max_num_queries
):
    for number in range(8):
        group = make_group(name=f"KSM {number}")
        make_member(group, f"Anggota {number}", "L")
    client = client_for(national_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:group_list"))
    assert len(response.context["groups"]) == 8


def test_bkm_list_is_scoped(client_for, district_reader, django_assert_max_num_queries):
    BkmFactory(kelurahan=region(KLAGENSERUT), name="LKM Bangkit Bersama")
    BkmFactory(kelurahan=region(TANJUNGSARI), name="LKM Pacitan")
    client = client_for(district_reader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:bkm_list"))
    assert [b.name for b in response.context["bkms"]] == ["LKM Bangkit Bersama"]


# Details ---------------------------------------------------------------------------


def test_group_detail_shows_members_counts_and_history(
    client_for, facilitator, django_assert_max_num_queries
):
    group = make_group()
    for number in range(5):
        make_member(group, f"Anggota {number}", "L" if number % 2 else "P")
    client = client_for(facilitator)
    with django_assert_max_num_queries(15):
        response = client.get(group.get_absolute_url())
    assert response.status_code == 200
    assert response.context["counts"] == {"total": 5, "men": 2, "women": 3, "poor": 0}
    assert len(response.context["history"]) == 1
    assert b'data-testid="works"' in response.content


def test_group_detail_out_of_area_is_404(client_for, outsider):
    group = make_group()
    assert client_for(outsider).get(group.get_absolute_url()).status_code == 404


def test_bkm_detail_lists_groups_and_statuses(client_for, district_editor):
    group = make_group()
    BkmStatus.objects.create(bkm=group.bkm, year=2020, status="mandiri")
    response = client_for(district_editor).get(group.bkm.get_absolute_url())
    assert response.status_code == 200
    assert [g.pk for g in response.context["groups"]] == [group.pk]
    assert [s.year for s in response.context["statuses"]] == [2020]


# NIK masking -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cast", "shown"),
    [
        ("facilitator", "3519********0001"),
        ("district_reader", "3519********0001"),
        ("district_editor", NIK),
        ("national_officer", NIK),
    ],
)
def test_nik_is_masked_except_for_district_staff_and_national(
    request, regions, client_for, cast, shown
):
    group = make_group()
    make_member(group, nik=NIK)
    user = request.getfixturevalue(cast)
    content = client_for(user).get(group.get_absolute_url()).content.decode()
    assert shown in content
    if shown != NIK:
        assert NIK not in content


def test_member_edit_form_does_not_reveal_the_nik_to_a_facilitator(client_for, facilitator):
    group = make_group()
    member = make_member(group, nik=NIK)
    client = client_for(facilitator)
    url = reverse("programs:member_update", args=[member.pk])
    content = client.get(url).content.decode()
    assert NIK not in content and "3519********0001" in content
    data = member_data(name="Siti Aminah", nik="3519********0001")
    response = client.post(url, with_version(member, data))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.nik) == ("Siti Aminah", NIK)


# Create and edit ---------------------------------------------------------------------


def test_facilitator_registers_a_ksm_in_their_desa(client_for, facilitator):
    BkmFactory()
    response = client_for(facilitator).post(
        reverse("programs:group_create"),
        {"kind": "ksm", "kelurahan": KLAGENSERUT, "name": "KSM Baru", "formed_on": "2024-05-01"},
    )
    group = CommunityGroup.objects.get()
    assert response.status_code == 302 and response.url == group.get_absolute_url()
    assert group.bkm.kelurahan_id == KLAGENSERUT


def test_ksm_without_bkm_shows_a_message_and_keeps_the_input(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("programs:group_create"),
        {"kind": "ksm", "kelurahan": BUKUR, "name": "KSM Tanpa BKM", "formed_on": "2024-05-01"},
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["form"].errors
    assert 'value="KSM Tanpa BKM"' in response.content.decode()
    assert not CommunityGroup.objects.exists()


def test_facilitator_cannot_create_outside_their_places(client_for, facilitator):
    BkmFactory(kelurahan=region(SAMBIREJO))
    response = client_for(facilitator).post(
        reverse("programs:group_create"),
        {"kind": "ksm", "kelurahan": SAMBIREJO, "name": "KSM", "formed_on": "2024-05-01"},
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["form"].errors
    assert not CommunityGroup.objects.exists()


def test_read_only_role_cannot_open_the_create_form(client_for, district_reader):
    assert client_for(district_reader).get(reverse("programs:group_create")).status_code == 403
    assert client_for(district_reader).get(reverse("programs:bkm_create")).status_code == 403


def test_second_bkm_is_refused_in_the_form(client_for, district_editor):
    BkmFactory()
    response = client_for(district_editor).post(
        reverse("programs:bkm_create"), {"kelurahan": KLAGENSERUT, "name": "LKM Kedua"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Bkm.objects.count() == 1


def test_district_editor_edits_a_bkm(client_for, district_editor):
    bkm = BkmFactory()
    url = reverse("programs:bkm_update", args=[bkm.pk])
    response = client_for(district_editor).post(
        url, with_version(bkm, {"name": "LKM Bangkit Bersama"})
    )
    assert response.status_code == 302
    bkm.refresh_from_db()
    assert bkm.name == "LKM Bangkit Bersama"


@pytest.mark.parametrize(
    ("cast", "status"), [("outsider", 404), ("district_reader", 403), ("facilitator", 200)]
)
def test_group_edit_is_scoped_and_role_checked(request, regions, client_for, cast, status):
    group = make_group()
    url = reverse("programs:group_update", args=[group.pk])
    assert client_for(request.getfixturevalue(cast)).get(url).status_code == status


def test_member_added_on_the_group_page(client_for, facilitator):
    group = make_group()
    url = reverse("programs:group_member_create", args=[group.pk])
    response = client_for(facilitator).post(url, member_data(nik=NIK))
    assert response.status_code == 302
    assert group.members.get().nik == NIK


def test_member_twice_is_refused_with_a_message(client_for, facilitator):
    group = make_group()
    make_member(group, "Siti", phone="0812")
    url = reverse("programs:group_member_create", args=[group.pk])
    response = client_for(facilitator).post(url, member_data())
    assert response.status_code == 400
    assert response.context["member_form"].non_field_errors()
    assert Member.objects.count() == 1


def test_invalid_nik_in_the_member_form_keeps_the_input(client_for, facilitator):
    group = make_group()
    url = reverse("programs:group_member_create", args=[group.pk])
    response = client_for(facilitator).post(url, member_data(name="Joko", nik="9919094507800001"))
    assert response.status_code == 400
    assert "nik" in response.context["member_form"].errors
    assert 'value="Joko"' in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.parametrize(("cast", "status"), [("outsider", 404), ("district_reader", 403)])
def test_member_add_is_scoped_and_role_checked(request, regions, client_for, cast, status):
    group = make_group()
    url = reverse("programs:group_member_create", args=[group.pk])
    assert client_for(request.getfixturevalue(cast)).post(url, member_data()).status_code == status
    assert not Member.objects.exists()


def test_bkm_status_added_and_duplicate_year_refused(client_for, district_editor):
    bkm = BkmFactory()
    client = client_for(district_editor)
    url = reverse("programs:bkmstatus_create", args=[bkm.pk])
    assert client.post(url, {"year": 2021, "status": "mandiri"}).status_code == 302
    response = client.post(url, {"year": 2021, "status": "berdaya"})
    assert response.status_code == 400
    assert BkmStatus.objects.get().status == "mandiri"


def test_group_is_dissolved_not_deleted(client_for, facilitator):
    group = make_group()
    url = reverse("programs:group_dissolve", args=[group.pk])
    assert client_for(facilitator).post(url, {"dissolved_on": "2023-01-01"}).status_code == 302
    group.refresh_from_db()
    assert group.status == "dissolved"


def test_kelurahan_page_lists_its_institutions_in_constant_queries(
    client_for, facilitator, django_assert_max_num_queries
):
    url = reverse("locations:region_detail", args=[KLAGENSERUT])
    make_group()
    client = client_for(facilitator)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(5):
        make_group(kind="kpp", name=f"KPP {number}")
    client = client_for(facilitator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    content = response.content.decode()
    assert 'data-testid="institutions"' in content and "KPP 4" in content


def test_group_list_exports_the_filtered_scoped_rows_as_csv(client_for, facilitator):
    group = make_group(name="=KSM Rukun")
    make_member(group, "Ani", "P", poor_household=True)
    make_group(code=BUKUR, kind="kpp", name="KPP Bukur")
    make_group(code=TANJUNGSARI, name="KSM Pacitan")
    response = client_for(facilitator).get(
        reverse("programs:group_list"), {"export": "csv", "kind": "ksm"}
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].split(",")[:4] == [KLAGENSERUT, "Klagenserut", "KSM", "'=KSM Rukun"]
    assert lines[1].split(",")[-4:] == ["1", "0", "1", "1"]


def test_bkm_list_exports_csv(client_for, district_editor):
    bkm = BkmFactory(name="LKM Bangkit Bersama")
    BkmStatus.objects.create(bkm=bkm, year=2020, status="mandiri")
    response = client_for(district_editor).get(reverse("programs:bkm_list"), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "LKM Bangkit Bersama" in lines[1]
