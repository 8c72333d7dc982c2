from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kotaku.locking import Versioned

from .choices import Role


class User(AbstractUser):
    """A kotaku user. What they may do comes from their role (a Django group); which
    rows they see comes from their place assignments."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role(self) -> Role | None:
        names = {group.name for group in self.groups.all()}
        return next((role for role in Role if role.value in names), None)

    @property
    def role_label(self) -> str:
        if self.role:
            return self.role.label
        return _("Administrator") if self.is_superuser else _("No role")

    @cached_property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.NATIONAL_OFFICER

    @cached_property
    def place_codes(self) -> tuple[str, ...]:
        """Codes of the regions this user is assigned to (each covers all below it)."""
        from .selectors import user_place_regions

        return tuple(region.code for region in user_place_regions(self))


class PlaceAssignment(Versioned):
    """A user assigned to a region; it covers that region and every region below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    region = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place assignment")
        verbose_name_plural = _("place assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="unique_user_region"),
        ]

    def __str__(self):
        return f"{self.user} → {self.region}"
