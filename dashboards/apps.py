from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The program at a glance: figures, drill-down, charts and the map (no models)."""

    name = "dashboards"
    verbose_name = _("Dashboards")
