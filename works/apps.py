from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    """Infrastructure works, their status steps, progress reports, handover and upkeep."""

    name = "works"
    verbose_name = _("Works")
