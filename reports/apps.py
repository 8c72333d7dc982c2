from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The monthly district report (laporan bulanan): printable HTML and PDF."""

    name = "reports"
    verbose_name = _("Reports")
