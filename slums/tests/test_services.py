import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import BUKUR, KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, TANJUNGSARI
from locations.models import Region, RtRw
from slums import services
from slums.choices import LocationKind, SlumLevel, SurveyKind
from slums.models import ScoringMethod, SlumArea, SlumSurvey
from slums.tests.factories import HEADER, SlumAreaFactory, make_survey
from slums.tests.test_geojson import POLYGON

pytestmark = pytest.mark.django_db


def area_data(**changes):
    data = {
        "name": "Kawasan Jiwan",
        "sk_number": "188/1/2020",
        "sk_date": "2020-01-02",
        "sk_issued_by": "Bupati Madiun",
        "area_ha": Decimal("4.5"),
        "kabupaten": Region.objects.get(code=KAB_MADIUN),
        "location_kind": LocationKind.UPGRADING,
        "kelurahan": [Region.objects.get(code=KLAGENSERUT)],
        "outline_text": json.dumps(POLYGON),
    }
    return {**data, **changes}


def test_slum_area_is_saved_with_its_outline_and_places(regions):
    unit = RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    area = services.slum_area_save(**area_data(rt_rw=[unit]))
    assert area.outline == POLYGON
    assert list(area.kelurahan.values_list("code", flat=True)) == [KLAGENSERUT]
    assert list(area.rt_rw.all()) == [unit]


def test_kelurahan_outside_the_kabupaten_is_refused(regions):
    with pytest.raises(ValidationError) as error:
        services.slum_area_save(**area_data(kelurahan=[Region.objects.get(code=TANJUNGSARI)]))
    assert "kelurahan" in error.value.message_dict
    assert not SlumArea.objects.exists()


def test_rt_rw_outside_the_chosen_kelurahan_is_refused(regions):
    unit = RtRw.objects.create(kelurahan_id=BUKUR, rt=1, rw=1)
    with pytest.raises(ValidationError) as error:
        services.slum_area_save(**area_data(rt_rw=[unit]))
    assert "rt_rw" in error.value.message_dict


def test_bad_outline_saves_nothing(regions):
    with pytest.raises(ValidationError) as error:
        services.slum_area_save(**area_data(outline_text='{"type": "Point"}'))
    assert "outline" in error.value.message_dict
    assert not SlumArea.objects.exists()


def test_area_must_be_positive_in_the_form_and_the_database(regions):
    with pytest.raises(ValidationError):
        services.slum_area_save(**area_data(area_ha=Decimal("0")))
    with pytest.raises(IntegrityError), transaction.atomic():
        SlumAreaFactory(area_ha=Decimal("-1"))


def test_survey_stores_its_scores(regions):
    survey = make_survey(area=SlumAreaFactory(), volumes={"1a": 200, "3a": 300})
    assert survey.total_score == 10
    assert survey.level == SlumLevel.NOT_SLUM
    assert survey.aspect_scores["bangunan"] == "1.67"
    assert survey.values.count() == 16
    assert survey.values.get(indicator__code="1a").percentage == Decimal("100.00")


@pytest.mark.parametrize(
    ("header", "volumes", "field", "fragment"),
    [
        (HEADER, {"1a": 201}, "volume_1a", "larger than"),
        ({**HEADER, "road_length_m": None}, {"2a": 10}, "volume_2a", "first"),
        (HEADER, {"3a": -1}, "volume_3a", "negative"),
    ],
)
def test_bad_volumes_are_refused_with_a_message(regions, header, volumes, field, fragment):
    with pytest.raises(ValidationError) as error:
        make_survey(area=SlumAreaFactory(), header=header, volumes=volumes)
    assert fragment in " ".join(error.value.message_dict[field])
    assert not SlumSurvey.objects.exists()


def test_second_baseline_is_refused(regions):
    area = SlumAreaFactory()
    make_survey(area=area, year=2020)
    with pytest.raises(ValidationError) as error:
        make_survey(area=area, year=2021)
    assert "already has a baseline" in error.value.message_dict["kind"][0]
    assert SlumSurvey.objects.count() == 1


def test_baseline_per_rt_is_allowed_beside_the_area_baseline(regions):
    area = SlumAreaFactory()
    unit = RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    area.rt_rw.add(unit)
    make_survey(area=area)
    make_survey(area=area, rt=unit)
    with pytest.raises(ValidationError):
        make_survey(area=area, rt=unit, year=2022)


def test_rt_outside_the_area_is_refused(regions):
    unit = RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    with pytest.raises(ValidationError) as error:
        make_survey(area=SlumAreaFactory(), rt=unit)
    assert "rt" in error.value.message_dict


def test_update_rescores_only_while_editable(regions):
    survey = make_survey(area=SlumAreaFactory(), volumes={"1a": 10})
    survey = services.survey_update(
        survey=survey, year=2020, kind=SurveyKind.BASELINE, header=HEADER, volumes={"1a": 200}
    )
    assert survey.values.get(indicator__code="1a").score == 5
    approved = make_survey(area=SlumAreaFactory(), status="approved")
    with pytest.raises(ValidationError, match="draft or returned"):
        services.survey_update(
            survey=approved, year=2020, kind=SurveyKind.BASELINE, header=HEADER, volumes={}
        )


def make_2016_method():
    """A second method, entered as data only (as an officer would in the admin)."""
    method = services.scoring_method_save(
        method=ScoringMethod(name="Permen PUPR 2/2016", code="permen-2-2016", is_default=True)
    )
    method.indicators.create(code="1a", aspect="bangunan", label="x", unit="unit",
                             denominator="buildings", order=1)  # fmt: skip
    method.indicators.create(code="3a", aspect="air_minum", label="y", unit="KK",
                             denominator="households", order=2)  # fmt: skip
    for minimum, score in [(76, 5), (51, 3), (25, 1)]:
        method.score_bands.create(min_percentage=minimum, score=score)
    for minimum, level in [(8, "berat"), (4, "sedang"), (1, "ringan"), (0, "tidak_kumuh")]:
        method.level_bands.create(min_total=minimum, level=level)
    return method


def test_a_second_method_in_data_scores_new_surveys(regions):
    method = make_2016_method()
    survey = make_survey(area=SlumAreaFactory(), volumes={"1a": 120, "3a": 160})  # 60%, 53%
    assert survey.method == method
    assert survey.values.count() == 2
    assert (survey.total_score, survey.level) == (6, SlumLevel.MEDIUM)


def test_old_surveys_keep_their_method_after_the_default_changes(regions):
    area = SlumAreaFactory()
    old = make_survey(area=area, volumes={"1a": 160, "3a": 160})
    make_2016_method()
    assert ScoringMethod.objects.get(is_default=True).code == "permen-2-2016"
    old.refresh_from_db()
    assert old.method.code == "permen-pupr-14-2018"
    assert (old.total_score, old.level, old.values.count()) == (8, SlumLevel.NOT_SLUM, 16)
    corrected = services.survey_update(
        survey=old, year=2020, kind=SurveyKind.BASELINE, header=HEADER,
        volumes={"1a": 160, "3a": 160},
    )  # fmt: skip
    assert corrected.method.code == "permen-pupr-14-2018"
    assert corrected.total_score == 8


def test_only_one_default_method(regions):
    make_2016_method()
    assert ScoringMethod.objects.filter(is_default=True).count() == 1


def test_area_of_another_kabupaten_cannot_cover_pacitan_desa(regions):
    with pytest.raises(ValidationError):
        services.slum_area_save(
            **area_data(
                kabupaten=Region.objects.get(code=KAB_PACITAN),
                kelurahan=[Region.objects.get(code=KLAGENSERUT)],
            )
        )
