from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Community institutions, plans, works and progress (later issues)."""

    name = "programs"
    verbose_name = _("Programs")
