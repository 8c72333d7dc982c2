from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlumsConfig(AppConfig):
    """Slum areas (kawasan kumuh, SK Kumuh), the slum survey and its scoring."""

    name = "slums"
    verbose_name = _("Slum areas and surveys")
