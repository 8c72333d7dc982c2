"""Demo slum areas with approved surveys that show hectares reduced. Idempotent: an area
that already exists is left as it is."""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User

from . import services
from .choices import LocationKind, SurveyKind
from .models import SlumArea


def _square(lon, lat, size=0.004):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat - size], [lon, lat - size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


BASELINE = {  # total 52: kumuh sedang
    "1a": 120, "1b": 4, "1c": 90, "2a": 600, "2b": 800, "3a": 240, "3b": 160, "4a": 5,
    "4b": 500, "4c": 350, "5a": 250, "5b": 170, "6a": 240, "6b": 200, "7a": 180, "7b": 160,
}  # fmt: skip
UPDATE = {  # total 18: kumuh ringan
    "1a": 60, "1c": 40, "2a": 300, "2b": 200, "3a": 100, "3b": 60, "4a": 2, "4b": 250,
    "4c": 100, "5a": 160, "5b": 90, "6a": 160, "6b": 100, "7a": 120, "7b": 110,
}  # fmt: skip
FINAL = {"3a": 20, "5a": 30, "6a": 40, "7a": 30}  # total 0: tidak kumuh

HEADER = {"buildings": 200, "people": 1150, "households": 300,
          "road_length_m": Decimal(1000), "drainage_length_m": Decimal(800)}  # fmt: skip

# name, kabupaten, kelurahan, SK, area ha, outline, [(year, kind, verified ha, volumes)],
# (facilitator, coordinator, district staff) usernames
AREAS = [
    (
        "Kawasan Kumuh Klagenserut",
        "35.19",
        ["35.19.09.2010"],
        ("188/214/KPTS/402.013/2019", datetime.date(2019, 6, 12), "Bupati Madiun"),
        Decimal("12.50"),
        _square(111.578, -7.618),
        [(2019, SurveyKind.BASELINE, "12.50", BASELINE), (2022, SurveyKind.UPDATE, "8.20", UPDATE)],
        ("fasilitator.jiwan", "askot.madiun", "perkim.madiun"),
    ),
    (
        "Kawasan Kumuh Kotakulon–Dabasah",
        "35.11",
        ["35.11.11.1009", "35.11.11.1007"],
        ("188.45/231/430.4.2/2020", datetime.date(2020, 4, 6), "Bupati Bondowoso"),
        Decimal("9.80"),
        _square(113.818, -7.908, 0.005),
        [(2020, SurveyKind.BASELINE, "9.80", BASELINE), (2023, SurveyKind.UPDATE, "9.80", FINAL)],
        ("nasional", "nasional", "perkim.bondowoso"),
    ),
]


@transaction.atomic
def load() -> int:
    """Create the demo slum areas and their approved surveys; returns how many areas
    were created (0 on a second run)."""
    import json

    created = 0
    for name, kabupaten, kelurahan, sk, area_ha, outline, surveys, cast in AREAS:
        if SlumArea.objects.filter(name=name, kabupaten_id=kabupaten).exists():
            continue
        area = services.slum_area_save(
            name=name,
            kabupaten=_region(kabupaten),
            kelurahan=[_region(code) for code in kelurahan],
            sk_number=sk[0],
            sk_date=sk[1],
            sk_issued_by=sk[2],
            area_ha=area_ha,
            location_kind=LocationKind.UPGRADING,
            outline_text=json.dumps(outline),
        )
        facilitator, coordinator, district = (User.objects.get(username=u) for u in cast)
        for year, kind, verified_ha, volumes in surveys:
            survey = services.survey_create(
                user=facilitator, slum_area=area, year=year, kind=kind,
                header={**HEADER, "area_ha": Decimal(verified_ha)}, volumes=volumes,
            )  # fmt: skip
            for user, action in [
                (facilitator, "submit"),
                (coordinator, "verify"),
                (district, "approve"),
            ]:
                survey = services.survey_review(survey=survey, user=user, action=action)
        created += 1
    return created


def _region(code):
    from locations.models import Region

    return Region.objects.get(code=code)
