import datetime
from decimal import Decimal

import factory

from conftest import KAB_MADIUN, KLAGENSERUT
from slums import services
from slums.choices import LocationKind, SurveyKind
from slums.models import ScoringMethod, SlumArea

PERMEN_2018 = "permen-pupr-14-2018"

# Header of a survey that the 2018 volumes below score by hand (see test_scoring).
HEADER = {
    "area_ha": Decimal("10.00"),
    "buildings": 200,
    "people": 1200,
    "households": 300,
    "road_length_m": Decimal("1000"),
    "drainage_length_m": Decimal("800"),
}


class SlumAreaFactory(factory.django.DjangoModelFactory):
    """A slum area in Kabupaten Madiun covering Klagenserut (pass `kelurahan=[codes]`)."""

    class Meta:
        model = SlumArea
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kawasan {n}")
    sk_number = factory.Sequence(lambda n: f"188/{n}/KPTS/402.013/2020")
    sk_date = datetime.date(2020, 3, 2)
    sk_issued_by = "Bupati Madiun"
    area_ha = Decimal("10.00")
    kabupaten_id = KAB_MADIUN
    location_kind = LocationKind.UPGRADING

    @factory.post_generation
    def kelurahan(self, create, extracted, **kwargs):
        self.kelurahan.set(extracted if extracted is not None else [KLAGENSERUT])
        # what services.slum_area_save does after saving an area: store its results
        # and recount the program of its kabupaten/kota
        services.slum_area_results_refresh(area_ids=[self.pk])
        services.program_rollup_refresh(kabupaten_codes=[self.kabupaten_id])


def default_method():
    return ScoringMethod.objects.get(code=PERMEN_2018)


def make_survey(
    *,
    area,
    user=None,
    year=2020,
    kind=SurveyKind.BASELINE,
    volumes=None,
    header=None,
    status=None,
    method=None,
    rt=None,
):
    """A survey through the service; `status="approved"` walks it through the workflow."""
    from accounts.tests.factories import UserFactory

    user = user or UserFactory(is_superuser=True)
    survey = services.survey_create(
        user=user,
        slum_area=area,
        year=year,
        kind=kind,
        header=header or HEADER,
        volumes=volumes or {},
        method=method,
        rt=rt,
    )
    steps = {
        "submitted": ["submit"],
        "verified": ["submit", "verify"],
        "approved": ["submit", "verify", "approve"],
    }
    for action in steps.get(status, []):
        survey = services.survey_review(survey=survey, user=user, action=action)
    return survey


def saved_area(name="Baru", code=KLAGENSERUT, sk_number="1/2024", area_ha="2.5"):
    """A slum area of Kabupaten Madiun over kelurahan `code`, saved by the service (its
    stored results and counts follow), as a program officer would add it."""
    from locations.models import Region

    return services.slum_area_save(
        kelurahan=Region.objects.filter(code=code),
        name=name,
        sk_number=sk_number,
        sk_date="2024-01-02",
        sk_issued_by="Bupati Madiun",
        area_ha=Decimal(area_ha),
        kabupaten=Region.objects.get(code=KAB_MADIUN),
        location_kind="peningkatan",
    )
