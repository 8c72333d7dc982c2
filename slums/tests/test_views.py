import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.versions import with_version
from slums.models import SlumArea, SlumSurvey
from slums.tests.factories import SlumAreaFactory, make_survey, saved_area
from slums.tests.test_geojson import POLYGON

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(regions):
    return SlumAreaFactory(name="Kawasan Klagenserut", kelurahan=[KLAGENSERUT, BUKUR])


@pytest.fixture
def other_area(regions):
    return SlumAreaFactory(name="Kawasan Sambirejo", kelurahan=[SAMBIREJO])


@pytest.fixture
def pacitan_area(regions):
    return SlumAreaFactory(
        name="Kawasan Tanjungsari", kabupaten_id="35.01", kelurahan=[TANJUNGSARI],
        sk_issued_by="Bupati Pacitan",
    )  # fmt: skip


def url(name, *args):
    return reverse(f"slums:{name}", args=args)


def names(response, key="areas"):
    return [item.name for item in response.context[key]]


# --- Slum area list and detail ------------------------------------------------------------


def test_list_is_scoped(client_for, facilitator, district_reader, area, other_area, pacitan_area):
    assert names(client_for(facilitator).get(url("slumarea_list"))) == ["Kawasan Klagenserut"]
    assert names(client_for(district_reader).get(url("slumarea_list"))) == [
        "Kawasan Klagenserut",
        "Kawasan Sambirejo",
    ]


def test_list_filters_stay_in_the_url(client_for, national_officer, area, other_area, pacitan_area):
    client = client_for(national_officer)
    assert names(client.get(url("slumarea_list"), {"region": "35.01"})) == ["Kawasan Tanjungsari"]
    assert names(client.get(url("slumarea_list"), {"region": SAMBIREJO})) == ["Kawasan Sambirejo"]
    assert names(client.get(url("slumarea_list"), {"sk_year": "2019"})) == []
    make_survey(area=area, status="approved")
    response = client.get(url("slumarea_list"), {"level": "tidak_kumuh", "region": "35.19"})
    assert names(response) == ["Kawasan Klagenserut"]
    assert names(client.get(url("slumarea_list"), {"level": "none", "region": "35.19"})) == [
        "Kawasan Sambirejo"
    ]
    assert 'value="35.19"' in response.content.decode()


def test_list_query_count_does_not_grow(client_for, district_reader, django_assert_max_num_queries):
    SlumAreaFactory.create_batch(8)
    client = client_for(district_reader)
    with django_assert_max_num_queries(10):
        assert client.get(url("slumarea_list")).status_code == 200


def test_detail_shows_outline_and_surveys(client_for, facilitator, area):
    area.outline = POLYGON
    area.save()
    make_survey(area=area, status="approved", volumes={"1a": 200, "3a": 300, "5a": 300, "7a": 200})
    response = client_for(facilitator).get(url("slumarea_detail", area.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="slum-outline"' in body and "leaflet/leaflet.js" in body
    assert len(response.context["surveys"]) == 1
    assert response.context["figures"].baseline_ha == Decimal("10.00")


def test_detail_out_of_area_is_404(client_for, facilitator, outsider, other_area, area):
    assert client_for(facilitator).get(url("slumarea_detail", other_area.pk)).status_code == 404
    assert client_for(outsider).get(url("slumarea_detail", area.pk)).status_code == 404


def test_detail_query_count(client_for, district_reader, area, django_assert_max_num_queries):
    for year in range(2019, 2024):
        make_survey(area=area, year=year, kind="baseline" if year == 2019 else "update")
    client = client_for(district_reader)
    with django_assert_max_num_queries(14):
        assert client.get(url("slumarea_detail", area.pk)).status_code == 200


def test_pages_need_a_login(client, area):
    response = client.get(url("slumarea_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Slum area create and edit ------------------------------------------------------------


def form_data(**changes):
    data = {
        "name": "Kawasan Baru",
        "sk_number": "188/9/2021",
        "sk_date": "2021-05-01",
        "sk_issued_by": "Bupati Madiun",
        "area_ha": "3.25",
        "location_kind": "pencegahan",
        "kabupaten": KAB_MADIUN,
        "kelurahan": [KLAGENSERUT],
        "outline_text": json.dumps(POLYGON),
    }
    return {**data, **changes}


def test_district_staff_creates_a_slum_area(client_for, district_editor):
    client = client_for(district_editor)
    assert client.get(url("slumarea_create")).status_code == 200
    response = client.post(url("slumarea_create"), form_data())
    area = SlumArea.objects.get()
    assert response.status_code == 302 and response.url == area.get_absolute_url()
    assert area.outline == POLYGON and area.area_ha == Decimal("3.25")


def test_outline_can_be_uploaded(client_for, district_editor):
    upload = SimpleUploadedFile("kawasan.geojson", json.dumps(POLYGON).encode())
    response = client_for(district_editor).post(
        url("slumarea_create"), form_data(outline_text="", outline_file=upload)
    )
    assert response.status_code == 302
    assert SlumArea.objects.get().outline == POLYGON


def test_bad_outline_is_shown_and_nothing_saved(client_for, district_editor):
    response = client_for(district_editor).post(
        url("slumarea_create"), form_data(outline_text='{"type": "Polygon", "coordinates": []}')
    )
    assert response.status_code == 200
    assert response.context["form"].errors["outline_text"]
    assert "Kawasan Baru" in response.content.decode()  # what was typed stays
    assert not SlumArea.objects.exists()


def test_kelurahan_outside_the_kabupaten_is_not_offered(client_for, district_editor):
    response = client_for(district_editor).post(
        url("slumarea_create"), form_data(kelurahan=[TANJUNGSARI])
    )
    assert response.context["form"].errors["kelurahan"]
    assert not SlumArea.objects.exists()


def test_create_and_edit_are_403_for_facilitators_and_readers(
    client_for, facilitator, district_reader, area
):
    for user in (facilitator, district_reader):
        client = client_for(user)
        assert client.get(url("slumarea_create")).status_code == 403
        assert client.post(url("slumarea_update", area.pk), form_data()).status_code == 403
    assert SlumArea.objects.count() == 1


def test_district_staff_edits_only_in_their_kabupaten(
    client_for, district_editor, area, pacitan_area
):
    client = client_for(district_editor)
    response = client.post(
        url("slumarea_update", area.pk), with_version(area, form_data(name="Nama Baru"))
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Nama Baru"
    assert area.history.count() == 2
    assert client.get(url("slumarea_update", pacitan_area.pk)).status_code == 404


# --- Surveys ------------------------------------------------------------------------------


def survey_data(**changes):
    data = {
        "year": "2021",
        "kind": "baseline",
        "area_ha": "10",
        "buildings": "200",
        "people": "900",
        "households": "300",
        "road_length_m": "1000",
        "drainage_length_m": "800",
        "volume_1a": "160",
        "volume_3a": "300",
        "volume_5a": "228",
    }
    return {**data, **changes}


def test_facilitator_records_a_survey(client_for, facilitator, area):
    client = client_for(facilitator)
    response = client.get(url("slumsurvey_create", area.pk))
    assert response.status_code == 200
    scoring = json.loads(
        response.context["scoring_data"] and json.dumps(response.context["scoring_data"])
    )
    assert scoring["score_bands"][0] == [76.0, 5]
    response = client.post(url("slumsurvey_create", area.pk), survey_data())
    survey = SlumSurvey.objects.get()
    assert response.status_code == 302 and response.url == survey.get_absolute_url()
    assert (survey.total_score, survey.level, survey.created_by) == (15, "tidak_kumuh", facilitator)


def test_survey_errors_are_shown_by_field_and_nothing_saved(client_for, facilitator, area):
    client = client_for(facilitator)
    response = client.post(
        url("slumsurvey_create", area.pk),
        survey_data(volume_1a="201", road_length_m="", volume_2a="5", volume_3a="-1"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"volume_3a"} <= set(errors)  # negative: the form field refuses it
    assert 'value="201"' in response.content.decode()
    response = client.post(
        url("slumsurvey_create", area.pk),
        survey_data(volume_1a="201", road_length_m="", volume_2a="5"),
    )
    assert {"volume_1a", "volume_2a"} <= set(response.context["form"].errors)
    assert not SlumSurvey.objects.exists()


def test_second_baseline_is_refused_in_the_form(client_for, facilitator, area):
    make_survey(area=area, year=2020)
    response = client_for(facilitator).post(url("slumsurvey_create", area.pk), survey_data())
    assert response.status_code == 400
    assert "baseline" in " ".join(response.context["form"].errors["kind"])
    assert SlumSurvey.objects.count() == 1


def test_survey_create_out_of_area_is_404_and_read_only_is_403(
    client_for, facilitator, district_reader, other_area, area
):
    assert client_for(facilitator).get(url("slumsurvey_create", other_area.pk)).status_code == 404
    assert (
        client_for(district_reader)
        .post(url("slumsurvey_create", area.pk), survey_data())
        .status_code
        == 403
    )
    assert not SlumSurvey.objects.exists()


def test_survey_update_only_while_editable(client_for, facilitator, area):
    survey = make_survey(area=area, user=facilitator)
    client = client_for(facilitator)
    assert client.get(url("slumsurvey_update", survey.pk)).status_code == 200
    response = client.post(
        url("slumsurvey_update", survey.pk), with_version(survey, survey_data(year="2020"))
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.total_score == 15
    survey = make_survey(area=SlumAreaFactory(kelurahan=[KLAGENSERUT]), status="submitted")
    response = client.post(url("slumsurvey_update", survey.pk), with_version(survey, survey_data()))
    assert response.status_code == 400


def test_survey_detail_lists_indicators_by_aspect(
    client_for, district_reader, area, django_assert_max_num_queries
):
    survey = make_survey(area=area, volumes={"1a": 200})
    client = client_for(district_reader)
    with django_assert_max_num_queries(14):
        response = client.get(url("slumsurvey_detail", survey.pk))
    assert response.status_code == 200
    assert len(response.context["aspects"]) == 7
    assert response.context["actions"] == []  # a draft: the coordinator waits


def test_survey_list_is_scoped(
    client_for, facilitator, outsider, area, other_area, django_assert_max_num_queries
):
    make_survey(area=area)
    make_survey(area=other_area)
    client = client_for(facilitator)
    with django_assert_max_num_queries(10):
        response = client.get(url("slumsurvey_list"))
    assert [s.slum_area for s in response.context["surveys"]] == [area]
    assert client_for(outsider).get(url("slumsurvey_list")).context["surveys"].count() == 0
    survey = other_area.surveys.get()
    assert client_for(facilitator).get(url("slumsurvey_detail", survey.pk)).status_code == 404


# --- Workflow -----------------------------------------------------------------------------


def review(client, survey, action, comment=""):
    return client.post(url("slumsurvey_review", survey.pk), {"action": action, "comment": comment})


def test_facilitator_submits_coordinator_verifies_district_approves(
    client_for, facilitator, district_reader, district_editor, area
):
    survey = make_survey(area=area, user=facilitator)
    assert review(client_for(facilitator), survey, "submit").status_code == 302
    assert review(client_for(district_reader), survey, "verify").status_code == 302
    assert review(client_for(district_editor), survey, "approve").status_code == 302
    survey.refresh_from_db()
    assert survey.status == "approved"
    assert (survey.submitted_by, survey.verified_by, survey.approved_by) == (
        facilitator, district_reader, district_editor,
    )  # fmt: skip
    response = client_for(district_reader).get(url("slumsurvey_detail", survey.pk))
    assert district_reader.get_full_name() in response.content.decode()


def test_steps_cannot_be_skipped(client_for, district_editor, area):
    survey = make_survey(area=area, status="submitted")
    client = client_for(district_editor)
    response = review(client, survey, "approve")
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "submitted"


def test_return_needs_a_comment(client_for, facilitator, district_reader, area):
    survey = make_survey(area=area, status="submitted")
    client = client_for(district_reader)
    review(client, survey, "return")
    survey.refresh_from_db()
    assert survey.status == "submitted"
    review(client, survey, "return", "Volume 1a keliru")
    survey.refresh_from_db()
    assert (survey.status, survey.return_comment) == ("returned", "Volume 1a keliru")
    response = client_for(facilitator).post(
        url("slumsurvey_update", survey.pk), with_version(survey, survey_data(year="2020"))
    )
    assert response.status_code == 302  # returned: the facilitator corrects it


def test_wrong_role_is_403(client_for, facilitator, district_reader, area):
    survey = make_survey(area=area, status="submitted")
    assert review(client_for(facilitator), survey, "verify").status_code == 403
    draft = make_survey(area=SlumAreaFactory(kelurahan=[KLAGENSERUT]))
    assert review(client_for(district_reader), draft, "submit").status_code == 403
    survey.refresh_from_db()
    assert survey.status == "submitted"


def test_review_out_of_area_is_404(client_for, outsider, area):
    survey = make_survey(area=area)
    assert review(client_for(outsider), survey, "submit").status_code == 404


# --- Results ------------------------------------------------------------------------------


def test_results_drill_down_and_scope(
    client_for, facilitator, national_officer, area, pacitan_area
):
    make_survey(area=area, status="approved")
    client = client_for(national_officer)
    response = client.get(url("results"))
    assert response.context["total"]["areas"] == 2
    response = client.get(url("results", KAB_MADIUN))
    assert {row["key"] for row in response.context["rows"]} == {KLAGENSERUT, BUKUR}
    assert [a["name"] for a in response.context["areas"]] == ["Kawasan Klagenserut"]
    body = response.content.decode()
    assert "<svg" in body and "<script>" not in body and "window.pygal" not in body
    assert client_for(facilitator).get(url("results")).context["total"]["areas"] == 1
    assert client_for(facilitator).get(url("results", "35.01")).status_code == 404


def test_results_seen_before_show_the_figures_of_now(client_for, national_officer, area):
    make_survey(area=area, status="approved")
    client = client_for(national_officer)
    client.cookies["django_language"] = "en"
    first = client.get(url("results", KAB_MADIUN)).content.decode()
    assert "Kawasan Klagenserut" in first and "<svg" in first
    SlumArea.objects.filter(pk=area.pk).update(name="Kawasan Baru")
    renamed = client.get(url("results", KAB_MADIUN)).content.decode()
    assert "Kawasan Baru" in renamed and "Kawasan Klagenserut" not in renamed
    before = client.get(url("results", KAB_MADIUN))  # the same state: the same page
    assert before.content.decode().split("<main>")[1] == renamed.split("<main>")[1]
    saved_area("Kawasan Kedua")
    added = client.get(url("results", KAB_MADIUN))
    assert added.context["total"]["areas"] == before.context["total"]["areas"] + 1
    assert "Kawasan Kedua" in added.content.decode()
    client.cookies["django_language"] = "id"
    assert "Hasil kumuh" in client.get(url("results", KAB_MADIUN)).content.decode()


def test_results_query_count(client_for, district_reader, django_assert_max_num_queries, regions):
    for index in range(6):
        make_survey(area=SlumAreaFactory(), year=2019 + index % 2, status="approved")
    client = client_for(district_reader)
    with django_assert_max_num_queries(14):
        assert client.get(url("results", KAB_MADIUN)).status_code == 200


def test_results_export_csv_and_xlsx(client_for, national_officer, area):
    import io

    from openpyxl import load_workbook

    make_survey(area=area, status="approved")
    client = client_for(national_officer)
    response = client.get(url("results"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert len(lines) == 3 and lines[1].startswith("35,Jawa Timur,1,")
    response = client.get(url("results"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == "Jawa Timur"
    assert sheet.max_row == 3


def test_survey_form_query_count(client_for, facilitator, area, django_assert_max_num_queries):
    client = client_for(facilitator)
    with django_assert_max_num_queries(16):  # fixed: the method's rules, not per indicator
        assert client.get(url("slumsurvey_create", area.pk)).status_code == 200
