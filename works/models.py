"""Infrastructure works (kegiatan), their status steps, handover, upkeep and progress."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from kotaku.locking import Versioned
from kotaku.uploads import PdfValidator, UploadTo
from kotaku.workflow import PENDING, Reviewed, review_permissions
from locations import codes
from locations.choices import RegionLevel
from slums.choices import SlumAspect

from .choices import PhotoStage, VolumeUnit, WorkMethod, WorkScale, WorkStatus
from .validators import PhotoValidator

# Indonesia's bounding box, with a little margin.
LON_MIN, LON_MAX = Decimal("94.0"), Decimal("141.1")
LAT_MIN, LAT_MAX = Decimal("-11.1"), Decimal("6.3")
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
KELURAHAN_ONLY = {"level": RegionLevel.KELURAHAN_DESA}
BUILDER_KINDS = ("ksm", "panitia")
KPP_KIND = "kpp"


def _money(verbose_name):
    return models.DecimalField(
        verbose_name, max_digits=15, decimal_places=0, validators=[MinValueValidator(0)]
    )


def _count(verbose_name):
    return models.PositiveIntegerField(verbose_name, default=0)


class WorkType(Versioned):
    """A kind of work (paving road, MCK, TPS3R, …), tied to the slum aspect it addresses.
    Officers extend the list in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aspect = models.CharField(_("slum aspect"), max_length=12, choices=SlumAspect.choices)
    default_unit = models.CharField(_("default unit"), max_length=4, choices=VolumeUnit.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("type of work")
        verbose_name_plural = _("types of work")
        ordering = ["aspect", "name"]

    def __str__(self):
        return self.name


class Work(Versioned):
    """A work built in a kelurahan/desa, from plan to handover and maintenance."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=YEAR_VALIDATORS)
    kelurahan = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="works",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to=KELURAHAN_ONLY,
    )
    rtrw = models.ForeignKey(
        "locations.RtRw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("RT/RW"),
    )
    slum_area = models.ForeignKey(
        "slums.SlumArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("slum area"),
    )
    aspect = models.CharField(_("slum aspect"), max_length=12, choices=SlumAspect.choices)
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, related_name="works", verbose_name=_("type of work")
    )
    name = models.CharField(_("name"), max_length=200)
    scale = models.CharField(
        _("scale"), max_length=10, choices=WorkScale.choices, default=WorkScale.LINGKUNGAN
    )
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=4, choices=VolumeUnit.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    builder = models.ForeignKey(
        "programs.CommunityGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="built_works",
        verbose_name=_("builder (KSM or Panitia)"),
    )
    method = models.CharField(
        _("method"), max_length=10, choices=WorkMethod.choices, default=WorkMethod.SWAKELOLA
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    budget = _money(_("budget (Rp)"))
    proposal = models.ForeignKey(
        "programs.RkmProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("RKM proposal"),
    )
    planned_people = _count(_("people (jiwa)"))
    planned_women = _count(_("women"))
    planned_households = _count(_("households (KK)"))
    planned_poor_households = _count(_("poor households (KK miskin)"))
    planned_mbr = _count(_("low-income (MBR)"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WorkStatus.choices,
        default=WorkStatus.PLANNED,
        db_index=True,
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["-fiscal_year", "kelurahan_id", "name"]
        indexes = [
            models.Index(fields=["fiscal_year", "kelurahan"], name="work_year_kelurahan"),
            # The list's default order, with the key: a page's keys come from the index
            # alone, however deep the page (docs/performance.md).
            models.Index(
                fields=["-fiscal_year", "kelurahan", "name", "id"], name="work_list_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(volume__gt=0), name="work_volume_positive"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="work_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="work_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_women__lte=models.F("planned_people")),
                name="work_women_within_people",
            ),
            models.CheckConstraint(
                condition=Q(planned_poor_households__lte=models.F("planned_households")),
                name="work_poor_within_households",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=LAT_MIN,
                    latitude__lte=LAT_MAX,
                    longitude__gte=LON_MIN,
                    longitude__lte=LON_MAX,
                ),
                name="work_point_in_indonesia",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("works:work_detail", args=[self.pk])

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        errors = {}
        if self.kelurahan_id and codes.level_of(self.kelurahan_id) != RegionLevel.KELURAHAN_DESA:
            errors["kelurahan"] = _("Choose a kelurahan or desa.")
        if self.volume is not None and self.volume <= 0:
            errors["volume"] = _("The volume must be more than zero.")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.planned_women > self.planned_people:
            errors["planned_women"] = _("Women cannot be more than the people served.")
        if self.planned_poor_households > self.planned_households:
            errors["planned_poor_households"] = _(
                "Poor households cannot be more than the households served."
            )
        if self.work_type_id and self.aspect and self.work_type.aspect != self.aspect:
            errors["work_type"] = _("This type of work belongs to another slum aspect.")
        errors.update(self._point_errors())
        errors.update(self._same_kelurahan_errors())
        if self.method == WorkMethod.SWAKELOLA and not self.builder_id:
            errors.setdefault(
                "builder", _("A self-managed work needs the KSM or Panitia that builds it.")
            )
        if errors:
            raise ValidationError(errors)

    def _point_errors(self):
        lat, lon = self.latitude, self.longitude
        if (lat is None) != (lon is None):
            return {"latitude": _("Give both latitude and longitude, or neither.")}
        if lat is not None and not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
            return {"latitude": _("This point is not in Indonesia.")}
        return {}

    def _same_kelurahan_errors(self):
        errors = {}
        here = self.kelurahan_id
        if self.builder_id:
            if self.builder.kind not in BUILDER_KINDS:
                errors["builder"] = _("The builder must be a KSM or a Panitia.")
            elif self.builder.kelurahan_id != here:
                errors["builder"] = _("The builder must be a group of the same kelurahan/desa.")
        if self.rtrw_id and self.rtrw.kelurahan_id != here:
            errors["rtrw"] = _("This RT/RW is in another kelurahan/desa.")
        if self.proposal_id and self.proposal.kelurahan_id != here:
            errors["proposal"] = _("This proposal is from another kelurahan/desa.")
        if self.slum_area_id and here and not self.slum_area.kelurahan.filter(code=here).exists():
            errors["slum_area"] = _("This slum area does not cover the kelurahan/desa.")
        return errors


class WorkStatusChange(models.Model):
    """One step of a work's status, with its date, who made it and (going back) why."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("work")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=WorkStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=WorkStatus.choices)
    date = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["work_id", "date", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Handover(Versioned):
    """Serah terima: who takes the finished work over (a KPP or the district), when, and
    the signed document."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, related_name="handover", verbose_name=_("work")
    )
    kpp = models.ForeignKey(
        "programs.CommunityGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_works",
        verbose_name=_("KPP"),
    )
    to_district = models.BooleanField(_("handed over to the district"), default=False)
    date = models.DateField(_("handover date"))
    document = models.FileField(
        _("handover document (PDF)"),
        upload_to=UploadTo("works/handover"),
        validators=[PdfValidator()],
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kpp__isnull=False, to_district=False)
                | Q(kpp__isnull=True, to_district=True),
                name="handover_to_kpp_xor_district",
                violation_error_message=_("Hand the work over to a KPP or to the district."),
            ),
        ]

    def __str__(self):
        return str(self.kpp) if self.kpp_id else str(_("the district"))

    def clean(self):
        if self.kpp_id and not self.to_district:
            if self.kpp.kind != KPP_KIND:
                raise ValidationError({"kpp": _("Choose a KPP.")})
            if self.work_id and self.kpp.kelurahan_id != self.work.kelurahan_id:
                raise ValidationError({"kpp": _("Choose a KPP of the same kelurahan/desa.")})
        if not self.kpp_id and not self.to_district:
            raise ValidationError({"kpp": _("Choose the KPP, or hand it over to the district.")})
        if self.kpp_id and self.to_district:
            raise ValidationError({"kpp": _("Choose the KPP or the district, not both.")})


class MaintenanceCheck(Versioned):
    """A visit after handover: is the work still there, in good condition and used?"""

    work = models.ForeignKey(
        Work,
        on_delete=models.CASCADE,
        related_name="maintenance_checks",
        verbose_name=_("work"),
    )
    checked_on = models.DateField(_("date of the check"))
    exists = models.BooleanField(_("still exists"), default=True)
    good_condition = models.BooleanField(_("in good condition"), default=True)
    used = models.BooleanField(_("used by the community"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to="works/maintenance/%Y/%m/",
        validators=[PhotoValidator()],
        blank=True,
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance check")
        verbose_name_plural = _("maintenance checks")
        ordering = ["work_id", "-checked_on"]

    def __str__(self):
        return f"{self.work} · {self.checked_on}"


class ProgressReport(Versioned, Reviewed):
    """A facilitator's report on a work: progress to date, money spent to date, and the
    labour of the period since the previous report."""

    work = models.ForeignKey(
        Work, on_delete=models.PROTECT, related_name="reports", verbose_name=_("work")
    )
    report_date = models.DateField(_("report date"))
    physical_progress = models.DecimalField(
        _("physical progress (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spent_to_date = _money(_("money spent to date (Rp)"))
    workers_men = _count(_("workers, men"))
    workers_women = _count(_("workers, women"))
    labour_days = models.DecimalField(
        _("labour days (HOK) this period"),
        max_digits=9,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    wage_value = _money(_("wages paid this period (Rp)"))
    # Beneficiaries actually served so far (to date, like the money): the work counts
    # those of its latest approved report.
    served_people = _count(_("people served (jiwa)"))
    served_women = _count(_("women served"))
    served_households = _count(_("households served (KK)"))
    served_poor_households = _count(_("poor households served (KK miskin)"))
    served_mbr = _count(_("low-income served (MBR)"))
    notes = models.TextField(_("notes"), blank=True)
    reason_for_decrease = models.TextField(
        _("reason the progress is lower"),
        blank=True,
        help_text=_("Required when the progress is lower than in the previous report."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["work_id", "-report_date", "-pk"]
        permissions = review_permissions("progressreport")
        indexes = [
            models.Index(fields=["work", "report_date"], name="report_work_date"),
            # The reports list's first page, newest first, without a filter.
            models.Index(fields=["report_date", "id"], name="report_date"),
            # What waits for review: a few rows among 1.5 million (dashboards count them).
            models.Index(
                fields=["status", "work"], condition=Q(status__in=PENDING), name="report_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                name="report_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(spent_to_date__gte=0, wage_value__gte=0, labour_days__gte=0),
                name="report_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(served_women__lte=models.F("served_people")),
                name="report_served_women_within_people",
            ),
            models.CheckConstraint(
                condition=Q(served_poor_households__lte=models.F("served_households")),
                name="report_served_poor_within_households",
            ),
        ]

    def __str__(self):
        return f"{self.work} · {self.report_date} · {self.physical_progress:g}%"

    def get_absolute_url(self):
        return reverse("works:report_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.served_women > self.served_people:
            errors["served_women"] = _("Women served cannot be more than the people served.")
        if self.served_poor_households > self.served_households:
            errors["served_poor_households"] = _(
                "Poor households served cannot be more than the households served."
            )
        if errors:
            raise ValidationError(errors)


class ReportPhoto(models.Model):
    """A photo of a work at a stage, attached to a progress report. The original file is
    kept as uploaded; a display copy (at most 1280 px) and a thumbnail (at most 320 px),
    upright and without the original's metadata (GPS), are stored next to it. All go
    through Django's default storage. Made by `services.report_photo_add`."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    stage = models.CharField(_("stage"), max_length=5, choices=PhotoStage.choices)
    image = models.FileField(
        _("photo (original)"),
        upload_to=UploadTo("works/photos"),
        validators=[PhotoValidator()],
        max_length=200,
    )
    display = models.FileField(
        _("display copy"), upload_to=UploadTo("works/photos"), max_length=200, blank=True
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=UploadTo("works/photos"), max_length=200, blank=True
    )
    image_format = models.CharField(_("format"), max_length=4, blank=True)
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    scope_field = "report__work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["report_id", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} · {self.report}"

    @property
    def display_url(self):
        """The display copy, or the original for photos recorded before copies were made."""
        return (self.display or self.image).url

    @property
    def thumbnail_url(self):
        return (self.thumbnail or self.display or self.image).url


class WorkSummary(models.Model):
    """Each work's figures as the dashboards add them up: the work's own fields that they
    group and filter by, and what its reports say (latest approved progress, labour,
    beneficiaries served, the inputs of the data-quality flags).

    Derived data, never edited: `works.services.work_summary_refresh` recomputes a work's
    row with the rules of `works.selectors` (the single source of truth) in the same
    transaction as every write that changes them, so it is never stale after an
    approval. Only the "no report for 30 days" flag depends on the day; it is computed
    when read, from `last_report_date` and `status_date`.
    """

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    # The work's own fields (copied).
    kelurahan = models.ForeignKey("locations.Region", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=WorkStatus.choices)
    status_date = models.DateField(null=True)
    aspect = models.CharField(max_length=12, choices=SlumAspect.choices)
    budget = models.DecimalField(max_digits=15, decimal_places=0)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    planned_people = models.PositiveIntegerField(default=0)
    planned_women = models.PositiveIntegerField(default=0)
    planned_households = models.PositiveIntegerField(default=0)
    planned_poor_households = models.PositiveIntegerField(default=0)
    planned_mbr = models.PositiveIntegerField(default=0)
    # From its reports.
    approved_progress = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    approved_date = models.DateField(null=True)
    last_report_date = models.DateField(null=True)
    has_pending = models.BooleanField(default=False)
    labour_days_total = models.DecimalField(max_digits=17, decimal_places=2, default=0)
    wages_total = models.DecimalField(max_digits=17, decimal_places=2, default=0)
    workers_men_peak = models.PositiveIntegerField(default=0)
    workers_women_peak = models.PositiveIntegerField(default=0)
    served_people = models.PositiveIntegerField(default=0)
    served_women = models.PositiveIntegerField(default=0)
    served_households = models.PositiveIntegerField(default=0)
    served_poor_households = models.PositiveIntegerField(default=0)
    served_mbr = models.PositiveIntegerField(default=0)
    flag_jump = models.BooleanField(default=False)
    flag_overspent = models.BooleanField(default=False)
    has_final_photo = models.BooleanField(default=False)

    scope_field = "kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        indexes = [
            models.Index(fields=["fiscal_year", "kelurahan"], name="work_summary_year"),
            # The works under construction, for the "no report for 30 days" count.
            models.Index(fields=["status", "kelurahan"], name="work_summary_status"),
            # The same count read from the index alone (every column it reads).
            models.Index(
                fields=[
                    "kelurahan",
                    "last_report_date",
                    "status_date",
                    "flag_jump",
                    "flag_overspent",
                    "has_final_photo",
                    "status",
                    "work",
                ],
                condition=Q(status=WorkStatus.UNDER_CONSTRUCTION),
                name="work_summary_construction",
            ),
        ]

    def __str__(self):
        return f"{self.work_id}"


class WorkRollup(models.Model):
    """The works' summaries added up per region (province, kabupaten/kota, kecamatan,
    kelurahan/desa) and fiscal year, so a dashboard reads a few rows instead of every
    work. Kept by `works.rollups` with increments in the same transaction as each change
    to a summary; there is no row for the nation (the sum of its provinces), so writes in
    different provinces never wait on each other. The map bounds only grow (a work moved
    away leaves them a little wider until `rollups.rebuild`)."""

    region_code = models.CharField(max_length=13)
    parent_code = models.CharField(max_length=13, blank=True)
    fiscal_year = models.PositiveSmallIntegerField()
    min_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    max_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    min_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    max_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True)

    class Meta:
        verbose_name = _("works rollup")
        verbose_name_plural = _("works rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "fiscal_year"], name="work_rollup_region_year"
            )
        ]
        indexes = [models.Index(fields=["parent_code", "fiscal_year"], name="work_rollup_parent")]

    def __str__(self):
        return f"{self.region_code} {self.fiscal_year}"


# The added-up columns (named as in `works.rollups.SUMS`): counts, then sums.
ROLLUP_COUNTS = [
    "works",
    *(f"status_{value}" for value in WorkStatus.values),
    *(f"aspect_{value}" for value in SlumAspect.values),
    "flag_jump",
    "flag_overspent",
    "flag_no_final_photo",
    "flag_stored_any",
    "pending",
    "without_point",
    "workers_men",
    "workers_women",
    "served_people",
    "served_women",
    "served_households",
    "served_poor_households",
    "served_mbr",
    "planned_people",
    "planned_women",
    "planned_households",
    "planned_poor_households",
    "planned_mbr",
]
ROLLUP_AMOUNTS = ["budget", "progress_sum", "labour_days", "wages"]
for _name in ROLLUP_COUNTS:
    WorkRollup.add_to_class(_name, models.BigIntegerField(default=0))
for _name in ROLLUP_AMOUNTS:
    WorkRollup.add_to_class(_name, models.DecimalField(max_digits=20, decimal_places=2, default=0))


class ReportMonthRollup(models.Model):
    """Approved progress reports per region, fiscal year of their work and month of the
    report: how many and the sum of their physical progress (the dashboard's monthly
    average). An approval adds one; moving a work to another place or year moves its
    reports (`works.rollups`)."""

    region_code = models.CharField(max_length=13)
    parent_code = models.CharField(max_length=13, blank=True)
    fiscal_year = models.PositiveSmallIntegerField()
    month = models.DateField()
    reports = models.BigIntegerField(default=0)
    progress_sum = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("monthly reports rollup")
        verbose_name_plural = _("monthly reports rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "fiscal_year", "month"], name="report_month_rollup_key"
            )
        ]
        indexes = [
            models.Index(fields=["parent_code", "fiscal_year"], name="report_month_rollup_parent")
        ]

    def __str__(self):
        return f"{self.region_code} {self.fiscal_year} {self.month:%Y-%m}"
