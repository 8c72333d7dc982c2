"""Capacity-building events: sosialisasi, workshops, trainings, coordination meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ancestor_codes, user_scope_q
from kotaku.locking import Versioned
from kotaku.uploads import SpreadsheetValidator, UploadTo

from ..choices import EventKind, EventLevel, ParticipantRole, Sex

COUNT_FIELDS = [
    "men",
    "women",
    "bkm_participants",
    "ksm_participants",
    "kpp_participants",
    "facilitator_participants",
    "government_participants",
]


class EventQuerySet(ScopedQuerySet):
    """An event is placed in every region it concerns; no duplicate rows from the M2M."""

    def _concerning(self, condition):
        through = Event.regions.through.objects.filter(condition, event=OuterRef("pk"))
        return self.filter(Exists(through))

    def for_user(self, user):
        """Events concerning the user's places, or a region above them (a district
        workshop is seen by the facilitators of its desa)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        above = {code for place in user.place_codes for code in ancestor_codes(place)}
        return self._concerning(user_scope_q(user, "region__code") | Q(region__in=above))

    def editable_by(self, user):
        if user.sees_everything:
            return self
        return self._concerning(user_scope_q(user, "region__code"))

    def within(self, code):
        return self._concerning(Q(region__code=code) | Q(region__code__startswith=f"{code}."))


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class Event(Versioned):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=EventLevel.choices)
    regions = models.ManyToManyField(
        "locations.Region", related_name="events", verbose_name=_("regions concerned")
    )
    men = _count(_("men"))
    women = _count(_("women"))
    bkm_participants = _count(_("from BKM"))
    ksm_participants = _count(_("from KSM"))
    kpp_participants = _count(_("from KPP"))
    facilitator_participants = _count(_("facilitators"))
    government_participants = _count(_("from government"))
    attendance_file = models.FileField(
        _("attendance list (CSV/XLSX)"),
        upload_to=UploadTo("programs/attendance"),
        validators=[SpreadsheetValidator()],
        blank=True,
        max_length=200,
    )
    history = HistoricalRecords(m2m_fields=[regions])

    scope_field = "regions__code"
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity-building event")
        verbose_name_plural = _("capacity-building events")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:event_detail", args=[self.pk])

    @property
    def participants(self):
        return self.men + self.women

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The event cannot end before it starts.")})


class AttendanceRow(models.Model):
    """One line of an uploaded attendance list."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("event")
    )
    line = models.PositiveIntegerField(_("line"))
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("attendance row")
        verbose_name_plural = _("attendance rows")
        ordering = ["event_id", "line"]

    def __str__(self):
        return self.name
