from django.db import models
from django.utils.translation import gettext_lazy as _


class SpendingCategory(models.TextChoices):
    MATERIALS = "materials", _("Materials")
    WAGES = "wages", _("Wages")
    TOOLS = "tools", _("Tools")
    OTHER = "other", _("Other")


class SwadayaKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
