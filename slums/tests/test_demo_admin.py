import json

import pytest
from django.urls import reverse

from slums import demo
from slums.models import SlumArea, SlumSurvey
from slums.selectors import with_results
from slums.tests.factories import SlumAreaFactory, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(regions):
    from accounts import demo as accounts_demo

    accounts_demo.load()


def test_demo_shows_hectares_reduced_and_loads_once(demo_users):
    assert demo.load() == 2
    counts = (SlumArea.objects.count(), SlumSurvey.objects.count(), SlumSurvey.history.count())
    assert demo.load() == 0
    assert (
        SlumArea.objects.count(),
        SlumSurvey.objects.count(),
        SlumSurvey.history.count(),
    ) == counts
    areas = {area.kabupaten_id: area for area in with_results(SlumArea.objects.all())}
    assert areas["35.19"].reduced_ha > 0 and areas["35.11"].reduced_ha > 0
    assert set(SlumSurvey.objects.values_list("status", flat=True)) == {"approved"}


@pytest.mark.parametrize(
    "name",
    ["slumarea", "slumsurvey", "scoringmethod", "surveyindicatorvalue", "indicator"],
)
def test_admin_pages_work(client_for, national_officer, name):
    national_officer.is_staff = True
    national_officer.save()
    survey = make_survey(area=SlumAreaFactory(), status="approved")
    client = client_for(national_officer)
    assert client.get(reverse(f"admin:slums_{name}_changelist")).status_code == 200
    value = survey.values.first()
    obj = {
        "slumarea": survey.slum_area,
        "slumsurvey": survey,
        "scoringmethod": survey.method,
        "surveyindicatorvalue": value,
        "indicator": value.indicator,
    }[name]
    assert client.get(reverse(f"admin:slums_{name}_change", args=[obj.pk])).status_code == 200


def test_admin_refuses_a_bad_outline(client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    area = SlumAreaFactory()
    response = client_for(national_officer).post(
        reverse("admin:slums_slumarea_change", args=[area.pk]),
        {
            "name": area.name, "sk_number": area.sk_number, "sk_date": "2020-03-02",
            "sk_issued_by": "Bupati", "area_ha": "10", "location_kind": "peningkatan",
            "kabupaten": "35.19", "kelurahan": ["35.19.09.2010"],
            "outline_text": json.dumps({"type": "Polygon", "coordinates": [[[0, 0]] * 4]}),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "outline_text" in response.context["adminform"].form.errors
    area.refresh_from_db()
    assert area.outline is None


def test_method_used_by_surveys_has_locked_rules(client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    survey = make_survey(area=SlumAreaFactory())
    response = client_for(national_officer).get(
        reverse("admin:slums_scoringmethod_change", args=[survey.method_id])
    )
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission
