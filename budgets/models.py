"""Money of the program: allocations by funding source, their disbursements in tranches,
spending charged to works, and community contributions (swadaya).

Money records are never deleted: a mistake is reversed by a correcting entry (`reverses`
points at the original, the amount is minus the original, a reason is required), so the
history shows both. The rules across rows (disbursed ≤ allocated, spent ≤ disbursed, a
work's spending ≤ its budget) live in services.py, with the allocation row locked.
"""

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

from .choices import SpendingCategory, SwadayaKind

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _money(verbose_name):
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=0)


def _document(folder):
    return models.FileField(
        _("document (PDF)"),
        upload_to=UploadTo(f"budgets/{folder}"),
        validators=[PdfValidator()],
        blank=True,
    )


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def _entry_sign_constraint(model: str, field: str = "amount"):
    """A normal entry is positive; a correcting entry (it `reverses` one) is negative."""
    return models.CheckConstraint(
        condition=Q(reverses__isnull=True, **{f"{field}__gt": 0})
        | Q(reverses__isnull=False, **{f"{field}__lt": 0}),
        name=f"{model}_positive_or_reversal",
    )


class FundingSource(Versioned):
    """Where money comes from (BPM reguler, APBD kabupaten/kota, CSR, swadaya, …).
    Officers extend the list in the admin."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_community = models.BooleanField(
        _("community contribution"),
        default=False,
        help_text=_("Money or work given by the community itself (swadaya)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TranchePlan(Versioned):
    """The share of an allocation paid in one termin, per source and fiscal year (a
    setting: percentages differ by year and scheme). Used to suggest the next tranche."""

    source = models.ForeignKey(
        FundingSource,
        on_delete=models.CASCADE,
        related_name="tranche_plans",
        verbose_name=_("funding source"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=YEAR_VALIDATORS)
    termin = models.PositiveSmallIntegerField(
        _("termin"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tranche plan")
        verbose_name_plural = _("tranche plans")
        ordering = ["source", "-fiscal_year", "termin"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fiscal_year", "termin"], name="unique_tranche_plan"
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lte=100),
                name="tranche_percentage_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.fiscal_year} termin {self.termin}: {self.percentage:g}%"


class Allocation(Versioned):
    """Money of one source for one fiscal year, given to a BKM/LKM or to a kabupaten/kota
    (district-scale works). A district allocation may pass part of itself on to a BKM
    (`part_of`): roll-ups then count that part under the BKM's kelurahan, not twice."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=YEAR_VALIDATORS)
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("funding source"),
    )
    bkm = models.ForeignKey(
        "programs.Bkm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("BKM/LKM"),
    )
    kabupaten = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="district_allocations",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": RegionLevel.KABUPATEN_KOTA},
    )
    # The BKM's kelurahan or the kabupaten: for scoping and roll-ups by code prefix.
    region = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("region"),
        editable=False,
    )
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of district allocation"),
    )
    decree_number = models.CharField(_("decree/document number"), max_length=100)
    decree_date = models.DateField(_("decree/document date"))
    document = _document("allocations")
    amount = _money(_("amount (Rp)"))
    note = models.TextField(_("note"), blank=True)
    created_by = _user(_("entered by"))
    history = HistoricalRecords()

    scope_field = "region__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-fiscal_year", "region_id", "source__order", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "region"], name="allocation_year_region")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(bkm__isnull=False, kabupaten__isnull=True)
                | Q(bkm__isnull=True, kabupaten__isnull=False),
                name="allocation_one_recipient",
                violation_error_message=_("Choose either a BKM/LKM or a kabupaten/kota."),
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year} · {self.source} · {self.recipient_name}"

    def get_absolute_url(self):
        return reverse("budgets:allocation_detail", args=[self.pk])

    @property
    def recipient_name(self):
        if self.bkm_id:
            return str(self.bkm)
        return self.kabupaten.name if self.kabupaten_id else "–"

    def clean(self):
        if bool(self.bkm_id) == bool(self.kabupaten_id):
            raise ValidationError(_("Choose either a BKM/LKM or a kabupaten/kota."))
        if self.kabupaten_id and codes.level_of(self.kabupaten_id) != RegionLevel.KABUPATEN_KOTA:
            raise ValidationError({"kabupaten": _("Choose a kabupaten or kota.")})
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})


class Disbursement(Versioned):
    """One tranche (termin) paid out of an allocation, or the reversal of one."""

    allocation = models.ForeignKey(
        Allocation,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("allocation"),
    )
    termin = models.PositiveSmallIntegerField(
        _("termin"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    date = models.DateField(_("date"))
    amount = _money(_("amount (Rp)"))
    document = _document("disbursements")
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = _user(_("entered by"))
    history = HistoricalRecords()

    scope_field = "allocation__region__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["allocation_id", "date", "pk"]
        constraints = [_entry_sign_constraint("disbursement")]

    def __str__(self):
        return f"{self.allocation} · termin {self.termin}"

    def get_absolute_url(self):
        return self.allocation.get_absolute_url()


class OverrunApproval(Versioned):
    """District staff allow a work to spend more than its budget, with a reason."""

    work = models.ForeignKey(
        "works.Work",
        on_delete=models.PROTECT,
        related_name="overrun_approvals",
        verbose_name=_("work"),
    )
    amount = _money(_("extra amount allowed (Rp)"))
    reason = models.TextField(_("reason"))
    approved_by = _user(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget overrun approval")
        verbose_name_plural = _("budget overrun approvals")
        ordering = ["work_id", "approved_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="overrun_amount_positive"),
        ]

    def __str__(self):
        return f"{self.work} +{self.amount}"


class Spending(Versioned, Reviewed):
    """Money of an allocation used for a work (penggunaan dana), entered by the
    facilitator and reviewed like a progress report; only approved spending counts as
    spent, pending spending already holds its share of the disbursed money."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("allocation")
    )
    work = models.ForeignKey(
        "works.Work", on_delete=models.PROTECT, related_name="spendings", verbose_name=_("work")
    )
    date = models.DateField(_("date"))
    amount = _money(_("amount (Rp)"))
    category = models.CharField(_("category"), max_length=10, choices=SpendingCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    receipt = _document("spending")
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = _user(_("entered by"))
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["-date", "-pk"]
        permissions = review_permissions("spending")
        constraints = [_entry_sign_constraint("spending")]
        # What waits for review (dashboards count and sum it).
        indexes = [
            models.Index(
                fields=["status", "work"], condition=Q(status__in=PENDING), name="spending_pending"
            )
        ]

    def __str__(self):
        return f"{self.work} · {self.get_category_display()} · {self.date:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("budgets:spending_detail", args=[self.pk])


class SwadayaContribution(Versioned, Reviewed):
    """What the community gave to a work, in cash or in kind (valued in rupiah)."""

    work = models.ForeignKey(
        "works.Work",
        on_delete=models.PROTECT,
        related_name="swadaya_contributions",
        verbose_name=_("work"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=SwadayaKind.choices)
    value = _money(_("value (Rp)"))
    description = models.CharField(_("description"), max_length=200)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = _user(_("entered by"))
    history = HistoricalRecords()

    scope_field = "work__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("swadaya contribution")
        verbose_name_plural = _("swadaya contributions")
        ordering = ["-date", "-pk"]
        permissions = review_permissions("swadayacontribution")
        constraints = [_entry_sign_constraint("swadaya", "value")]

    def __str__(self):
        return f"{self.work} · {self.get_kind_display()} · {self.date:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("budgets:swadaya_detail", args=[self.pk])


# Derived totals: kept by budgets.services (budgets/rollups.py) in the same transaction as
# the write that changes them, rebuilt set-wise by `manage.py refresh_budget_totals`. Never
# edited by hand; the live sums in budgets.selectors stay the reference.


def _total():
    return models.DecimalField(max_digits=17, decimal_places=0, default=0)


class RegionMoney(models.Model):
    """The money of the allocations lying in or under one region (its code, at one
    level), per fiscal year and source: how many allocations, allocated (less the parts
    passed on to BKMs, which count under the BKM), disbursed, spent (approved) and pending.
    There is no nation-wide row: the nation is the sum of its provinces."""

    code = models.CharField(_("region code"), max_length=13)
    parent = models.CharField(_("parent region code"), max_length=13, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    source = models.ForeignKey(
        FundingSource, on_delete=models.CASCADE, related_name="+", verbose_name=_("source")
    )
    allocations = models.IntegerField(_("allocations"), default=0)
    allocated = _total()
    disbursed = _total()
    spent = _total()
    pending = _total()

    class Meta:
        verbose_name = _("money of a region (derived)")
        verbose_name_plural = _("money of regions (derived)")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "fiscal_year", "source"], name="region_money_unique"
            )
        ]
        indexes = [models.Index(fields=["parent"], name="region_money_parent")]

    def __str__(self):
        return f"{self.code} {self.fiscal_year} {self.source_id}"


class SpendingMonth(models.Model):
    """Approved spending per month of the works lying in or under one region (its code,
    at one level), per fiscal year of the allocation charged."""

    code = models.CharField(_("region code"), max_length=13)
    parent = models.CharField(_("parent region code"), max_length=13, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.DateField(_("month"))
    entries = models.IntegerField(_("entries"), default=0)
    amount = _total()

    class Meta:
        verbose_name = _("spending of a month (derived)")
        verbose_name_plural = _("spending of months (derived)")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "fiscal_year", "month"], name="spending_month_unique"
            )
        ]
        indexes = [models.Index(fields=["parent"], name="spending_month_parent")]

    def __str__(self):
        return f"{self.code} {self.fiscal_year} {self.month:%Y-%m}"
