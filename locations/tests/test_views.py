import pytest
from django.urls import reverse

from conftest import BUKUR, JAWA_TIMUR, JIWAN, KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, SAMBIREJO
from locations.models import RtRw


def detail(code):
    return reverse("locations:region_detail", args=[code])


def names_in(response, key="children"):
    return [region.name for region in response.context[key]]


def test_root_shows_only_provinces_in_the_users_places(client_for, facilitator, outsider):
    response = client_for(facilitator).get(reverse("locations:region_root"))
    assert response.status_code == 200
    [province] = response.context["children"]
    assert province.code == JAWA_TIMUR
    assert province.child_count == 1  # only Kabupaten Madiun leads to their desa


def test_facilitator_drills_down_to_their_desa(client_for, facilitator):
    client = client_for(facilitator)
    assert names_in(client.get(detail(JAWA_TIMUR))) == ["Kabupaten Madiun"]
    assert names_in(client.get(detail(KAB_MADIUN))) == ["Jiwan"]
    response = client.get(detail(JIWAN))
    assert names_in(response) == ["Bukur", "Klagenserut"]
    response = client.get(detail(KLAGENSERUT))
    assert response.status_code == 200
    assert [crumb.code for crumb in response.context["breadcrumb"]] == [
        JAWA_TIMUR,
        KAB_MADIUN,
        JIWAN,
    ]


def test_facilitator_cannot_see_other_desa(client_for, facilitator):
    client = client_for(facilitator)
    assert client.get(detail(SAMBIREJO)).status_code == 404
    assert client.get(detail(KAB_PACITAN)).status_code == 404
    assert client.get(detail("99.99")).status_code == 404


def test_outsider_cannot_see_madiun(client_for, outsider):
    client = client_for(outsider)
    assert client.get(detail(KAB_MADIUN)).status_code == 404
    assert client.get(detail(KLAGENSERUT)).status_code == 404
    assert client.get(detail(KAB_PACITAN)).status_code == 200


def test_district_user_sees_every_desa_of_their_kabupaten(client_for, district_reader):
    response = client_for(district_reader).get(detail(JIWAN))
    assert len(response.context["children"]) == 14
    assert client_for(district_reader).get(detail(KAB_PACITAN)).status_code == 404


def test_national_officer_sees_everything(client_for, national_officer):
    client = client_for(national_officer)
    response = client.get(detail(JAWA_TIMUR))
    assert names_in(response) == ["Kabupaten Pacitan", "Kabupaten Bondowoso", "Kabupaten Madiun"]
    assert [r.child_count for r in response.context["children"]] == [1, 1, 1]
    assert client.get(detail(KLAGENSERUT)).status_code == 200


def test_region_pages_need_a_login(client, regions):
    response = client.get(detail(JAWA_TIMUR))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_facilitator_adds_rt_rw_in_their_desa(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("locations:rtrw_create", args=[KLAGENSERUT]), {"rt": "7", "rw": "2"}
    )
    assert response.status_code == 302
    unit = RtRw.objects.get()
    assert (unit.kelurahan_id, unit.rt, unit.rw, str(unit)) == (KLAGENSERUT, 7, 2, "RT 07 / RW 02")


def test_duplicate_rt_rw_is_refused_with_a_message(client_for, facilitator):
    client = client_for(facilitator)
    url = reverse("locations:rtrw_create", args=[KLAGENSERUT])
    client.post(url, {"rt": "7", "rw": "2"})
    response = client.post(url, {"rt": "7", "rw": "2"})
    assert response.status_code == 400
    assert response.context["rt_rw_form"].non_field_errors()
    assert RtRw.objects.count() == 1


def test_invalid_rt_rw_keeps_what_was_typed(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("locations:rtrw_create", args=[KLAGENSERUT]), {"rt": "1000", "rw": "x"}
    )
    assert response.status_code == 400
    form = response.context["rt_rw_form"]
    assert set(form.errors) == {"rt", "rw"}
    assert 'value="1000"' in response.content.decode()
    assert not RtRw.objects.exists()


def test_rt_rw_out_of_area_is_404(client_for, outsider):
    url = reverse("locations:rtrw_create", args=[KLAGENSERUT])
    assert client_for(outsider).post(url, {"rt": "1", "rw": "1"}).status_code == 404


def test_rt_rw_by_read_only_role_is_403(client_for, district_reader):
    url = reverse("locations:rtrw_create", args=[KLAGENSERUT])
    assert client_for(district_reader).post(url, {"rt": "1", "rw": "1"}).status_code == 403
    assert not RtRw.objects.exists()


def test_rt_rw_cannot_be_added_to_a_kecamatan(client_for, district_editor):
    url = reverse("locations:rtrw_create", args=[JIWAN])
    assert client_for(district_editor).post(url, {"rt": "1", "rw": "1"}).status_code == 404


def test_search_by_name_is_scoped(client_for, facilitator, national_officer):
    url = reverse("locations:region_list")
    assert names_in(client_for(facilitator).get(url, {"q": "jiwan"}), "regions") == ["Jiwan"]
    found = names_in(client_for(national_officer).get(url, {"q": "jiwan"}), "regions")
    assert found == ["Jiwan", "Jiwan"]  # the kecamatan and the desa


def test_search_by_code_prefix_and_level(client_for, district_reader):
    url = reverse("locations:region_list")
    response = client_for(district_reader).get(url, {"q": JIWAN, "level": "4"})
    assert len(response.context["regions"]) == 14
    response = client_for(district_reader).get(url, {"q": "35.01"})
    assert names_in(response, "regions") == []


@pytest.mark.parametrize("code", [JAWA_TIMUR, KAB_MADIUN, JIWAN, KLAGENSERUT])
def test_region_page_query_count_does_not_grow_with_children(
    client_for, national_officer, django_assert_max_num_queries, code
):
    client = client_for(national_officer)
    # Constant: the kelurahan page adds its RT/RW, BKM and groups, one query each.
    with django_assert_max_num_queries(15):
        assert client.get(detail(code)).status_code == 200


def test_search_page_query_count_is_bounded(
    client_for, district_reader, django_assert_max_num_queries
):
    client = client_for(district_reader)
    with django_assert_max_num_queries(12):
        client.get(reverse("locations:region_list"), {"q": "3"})


def test_kelurahan_page_lists_rt_rw(client_for, facilitator):
    RtRw.objects.create(kelurahan_id=BUKUR, rt=3, rw=1)
    response = client_for(facilitator).get(detail(BUKUR))
    assert "RT 03 / RW 01" in response.content.decode()


def test_export_csv_has_exactly_the_filtered_scoped_rows(client_for, facilitator):
    response = client_for(facilitator).get(
        reverse("locations:region_list"), {"level": "4", "export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # header + Bukur + Klagenserut, nothing outside their places
    assert lines[1].startswith("35.19.09.2001,Bukur,4,")
    assert lines[2].startswith("35.19.09.2010,Klagenserut,4,")


def test_export_xlsx_matches_the_filters(client_for, district_reader):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(district_reader).get(
        reverse("locations:region_list"), {"q": "Jiwan", "export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["35.19.09", "35.19.09.2004"]
    assert rows[1][2] == 3  # the level stays a number


def test_export_out_of_scope_rows_are_not_exported(client_for, outsider):
    response = client_for(outsider).get(
        reverse("locations:region_list"), {"q": "35.19", "export": "csv"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1:] == []
