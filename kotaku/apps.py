from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KotakuConfig(AppConfig):
    """Cross-cutting pieces: template tags, demo data, benchmarks."""

    name = "kotaku"
    verbose_name = _("Kotaku")
