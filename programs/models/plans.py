"""Plans: the kelurahan's RPLP and RKM proposals, the district's RP2KPKP/memorandum."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ancestor_codes, user_scope_q
from kotaku.locking import Versioned
from kotaku.uploads import PdfValidator, UploadTo
from locations import codes
from locations.choices import RegionLevel
from slums.choices import SlumAspect

from ..choices import DocumentStatus, FundingSource, VolumeUnit
from .institutions import KELURAHAN_ONLY, check_is_kelurahan

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _money(label):
    """Whole rupiah, more than zero."""
    return models.DecimalField(
        label, max_digits=15, decimal_places=0, validators=[MinValueValidator(1)]
    )


class Rplp(Versioned):
    """The settlement plan (Rencana Penataan Lingkungan Permukiman) of a kelurahan."""

    kelurahan = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="rplps",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to=KELURAHAN_ONLY,
    )
    title = models.CharField(_("title"), max_length=200)
    document_status = models.CharField(
        _("document status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("e.g. the decree number")
    )
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to=UploadTo("programs/rplp"),
        validators=[PdfValidator()],
        blank=True,
        max_length=200,
    )
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("RPLP")
        verbose_name_plural = _("RPLP")
        ordering = ["kelurahan_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan"],
                name="unique_rplp_per_kelurahan",
                violation_error_message=_("This kelurahan/desa already has an RPLP."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:rplp_detail", args=[self.pk])

    def clean(self):
        check_is_kelurahan(self.kelurahan_id)
        if self.document_status == DocumentStatus.APPROVED and not self.approved_on:
            raise ValidationError({"approved_on": _("An approved RPLP needs its approval date.")})


class RkmProposal(Versioned):
    """A proposed work (usulan kegiatan) of the community work plan (RKM)."""

    kelurahan = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="rkm_proposals",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to=KELURAHAN_ONLY,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    aspect = models.CharField(_("slum aspect"), max_length=12, choices=SlumAspect.choices)
    work_type = models.CharField(
        _("type of work"), max_length=120, help_text=_("e.g. paving road, drainage, septic tank")
    )
    rtrw = models.ForeignKey(
        "locations.RtRw",
        on_delete=models.PROTECT,
        related_name="rkm_proposals",
        verbose_name=_("RT/RW"),
    )
    volume = models.DecimalField(
        _("volume"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    unit = models.CharField(_("unit"), max_length=4, choices=VolumeUnit.choices)
    estimated_cost = _money(_("estimated cost (Rp)"))
    priority = models.PositiveSmallIntegerField(
        _("priority rank"), validators=[MinValueValidator(1)], help_text=_("1 is the first")
    )
    funding_source = models.CharField(
        _("proposed funding source"), max_length=15, choices=FundingSource.choices
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("RKM proposal")
        verbose_name_plural = _("RKM proposals")
        ordering = ["kelurahan_id", "-year", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "year", "priority"],
                name="unique_rkm_priority",
                violation_error_message=_(
                    "Another proposal of this kelurahan already has this priority rank that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__gt=0),
                name="rkm_cost_positive",
                violation_error_message=_("The estimated cost must be more than zero."),
            ),
            models.CheckConstraint(condition=Q(volume__gt=0), name="rkm_volume_positive"),
        ]

    def __str__(self):
        return f"{self.year} #{self.priority} {self.work_type}"

    def get_absolute_url(self):
        return reverse("programs:rkm_detail", args=[self.pk])

    def clean(self):
        check_is_kelurahan(self.kelurahan_id)
        if self.volume is not None and self.volume <= 0:
            raise ValidationError({"volume": _("The volume must be more than zero.")})
        if self.rtrw_id and self.kelurahan_id and self.rtrw.kelurahan_id != self.kelurahan_id:
            raise ValidationError({"rtrw": _("This RT/RW is in another kelurahan.")})


class Rp2kpkpQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Plans of the user's kabupaten: those in their places, and the plan of the
        kabupaten above a facilitator's kelurahan (read only)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        above = {code for place in user.place_codes for code in ancestor_codes(place)}
        return self.filter(user_scope_q(user, "kabupaten__code") | Q(kabupaten__in=above))

    def editable_by(self, user):
        return self.filter(user_scope_q(user, "kabupaten__code"))


class Rp2kpkp(Versioned):
    """The district's 5-year plan (RP2KPKP) and its memorandum program of commitments."""

    kabupaten = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="rp2kpkps",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": RegionLevel.KABUPATEN_KOTA},
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    document = models.FileField(
        _("document (PDF)"),
        upload_to=UploadTo("programs/rp2kpkp"),
        validators=[PdfValidator()],
        blank=True,
        max_length=200,
    )
    history = HistoricalRecords()

    scope_field = "kabupaten__code"
    objects = Rp2kpkpQuerySet.as_manager()

    class Meta:
        verbose_name = _("RP2KPKP / memorandum program")
        verbose_name_plural = _("RP2KPKP / memorandum programs")
        ordering = ["kabupaten_id", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="rp2kpkp_period_in_order",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.UniqueConstraint(
                fields=["kabupaten", "start_year"],
                name="unique_rp2kpkp_period",
                violation_error_message=_(
                    "This kabupaten/kota already has a plan starting that year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self):
        return reverse("programs:rp2kpkp_detail", args=[self.pk])

    def clean(self):
        if self.kabupaten_id and codes.level_of(self.kabupaten_id) != RegionLevel.KABUPATEN_KOTA:
            raise ValidationError({"kabupaten": _("Choose a kabupaten or kota.")})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})


class Commitment(Versioned):
    """A funding commitment of the memorandum program: year, source, amount."""

    plan = models.ForeignKey(
        Rp2kpkp,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("RP2KPKP"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    funding_source = models.CharField(
        _("funding source"), max_length=15, choices=FundingSource.choices
    )
    amount = _money(_("amount (Rp)"))
    history = HistoricalRecords()

    scope_field = "plan__kabupaten__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan_id", "year", "funding_source"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "funding_source"],
                name="unique_commitment_year_source",
                violation_error_message=_(
                    "This plan already has a commitment from that source for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="commitment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_funding_source_display()}"

    def clean(self):
        if (
            self.plan_id
            and self.year
            and not (self.plan.start_year <= self.year <= self.plan.end_year)
        ):
            raise ValidationError(
                {
                    "year": _("The year is outside the plan's period (%(start)d–%(end)d).")
                    % {"start": self.plan.start_year, "end": self.plan.end_year}
                }
            )
