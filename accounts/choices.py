from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role; each is a Django group of the same name (see roles.py)."""

    NATIONAL_OFFICER = "national_officer", _("National officer")
    PROVINCE_COORDINATOR = "province_coordinator", _("Province coordinator")
    DISTRICT_STAFF = "district_staff", _("District staff (Dinas Perkim)")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator (Askot/Korkot)")
    FACILITATOR = "facilitator", _("Facilitator")
