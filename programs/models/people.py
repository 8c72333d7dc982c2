"""Pendamping: facilitators, city assistants and coordinators, consultants, district
staff. The places they cover are their accounts.PlaceAssignment rows (the same rows that
scope what they see), not a copy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kotaku.locking import Versioned

from ..choices import Position


class FacilitatorProfileQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(
            Q(period_start__isnull=True) | Q(period_start__lte=day),
            Q(period_end__isnull=True) | Q(period_end__gte=day),
            user__is_active=True,
        )


class FacilitatorProfile(Versioned):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitator_profile",
        verbose_name=_("user"),
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    period_start = models.DateField(_("assigned from"), null=True, blank=True)
    period_end = models.DateField(_("assigned until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FacilitatorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("facilitator profile")
        verbose_name_plural = _("facilitator profiles")
        ordering = ["position", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="facilitator_period_in_order",
                violation_error_message=_("The assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.get_position_display()})"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The assignment cannot end before it starts.")})
