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
