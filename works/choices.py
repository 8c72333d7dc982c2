from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkStatus(models.TextChoices):
    """The life of a work, in order; a step forward can't be skipped."""

    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    CERTIFIED = "certified", _("Certified")
    HANDED_OVER = "handed_over", _("Handed over")
    MAINTAINED = "maintained", _("Maintained")


STATUS_ORDER = list(WorkStatus.values)
# Statuses in which the work is built: a 100% photo is expected from here on.
BUILT = (
    WorkStatus.COMPLETED,
    WorkStatus.CERTIFIED,
    WorkStatus.HANDED_OVER,
    WorkStatus.MAINTAINED,
)
# A progress report is filed while the work is being built or just completed.
REPORTABLE = (WorkStatus.UNDER_CONSTRUCTION, WorkStatus.COMPLETED)
# Beneficiaries served, as a report counts them to date.
SERVED_FIELDS = [
    "served_people",
    "served_women",
    "served_households",
    "served_poor_households",
    "served_mbr",
]


class WorkScale(models.TextChoices):
    LINGKUNGAN = "lingkungan", _("Neighbourhood (lingkungan)")
    KAWASAN = "kawasan", _("Area (kawasan)")


class WorkMethod(models.TextChoices):
    SWAKELOLA = "swakelola", _("Self-managed (swakelola)")
    CONTRACT = "contract", _("Contract")


class VolumeUnit(models.TextChoices):
    METRE = "m", "m"
    SQUARE_METRE = "m2", "m²"
    CUBIC_METRE = "m3", "m³"
    UNIT = "unit", _("unit")


class PhotoStage(models.TextChoices):
    START = "0", "0%"
    HALF = "50", "50%"
    DONE = "100", "100%"
    OTHER = "other", _("Other")
