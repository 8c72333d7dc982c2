from django.db import models
from django.utils.translation import gettext_lazy as _


class SlumAspect(models.TextChoices):
    """The 7 slum aspects of Permen PUPR 14/2018; works and proposals address one."""

    BUILDINGS = "bangunan", _("Building condition")
    ROADS = "jalan", _("Neighbourhood roads")
    WATER = "air_minum", _("Drinking water")
    DRAINAGE = "drainase", _("Neighbourhood drainage")
    WASTEWATER = "air_limbah", _("Wastewater")
    SOLID_WASTE = "persampahan", _("Solid waste")
    FIRE = "kebakaran", _("Fire protection")


class SlumLevel(models.TextChoices):
    """Tingkat kekumuhan: what a survey's total score makes of the area."""

    HEAVY = "berat", _("Heavy slum")
    MEDIUM = "sedang", _("Medium slum")
    LIGHT = "ringan", _("Light slum")
    NOT_SLUM = "tidak_kumuh", _("Not a slum")


SLUM_LEVELS = (SlumLevel.HEAVY, SlumLevel.MEDIUM, SlumLevel.LIGHT)


class LocationKind(models.TextChoices):
    UPGRADING = "peningkatan", _("Quality upgrading (peningkatan kualitas)")
    PREVENTION = "pencegahan", _("Prevention (pencegahan)")


class SurveyKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    UPDATE = "update", _("Update")
    FINAL = "final", _("Final")


class Denominator(models.TextChoices):
    """The survey header field an indicator's volume is a share of."""

    BUILDINGS = "buildings", _("buildings")
    AREA_HA = "area_ha", _("verified area (ha)")
    HOUSEHOLDS = "households", _("households (KK)")
    ROAD_LENGTH_M = "road_length_m", _("ideal road length (m)")
    DRAINAGE_LENGTH_M = "drainage_length_m", _("ideal drainage length (m)")
