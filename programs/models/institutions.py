"""Community institutions of a kelurahan: the BKM/LKM, its groups (KSM, KPP, Panitia) and
their members."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from kotaku.locking import Versioned
from locations import codes
from locations.choices import RegionLevel

from ..choices import GroupKind, GroupStatus, IndependenceStatus, MemberRole, Sex
from ..validators import mask_nik, validate_nik

KELURAHAN_ONLY = {"level": RegionLevel.KELURAHAN_DESA}


def _kelurahan_fk(related_name):
    return models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("kelurahan/desa"),
        limit_choices_to=KELURAHAN_ONLY,
    )


def check_is_kelurahan(region_code, field="kelurahan"):
    if region_code and codes.level_of(region_code) != RegionLevel.KELURAHAN_DESA:
        raise ValidationError({field: _("Choose a kelurahan or desa.")})


class WithMemberCounts(ScopedQuerySet):
    """Counts of members by sex and poor households, computed in the database.

    Each count is a subquery, not a join with GROUP BY: a list's count and its page's
    keys then leave them out (a national list of 58,000 groups was counted and paged
    over every member row, about 0.3 s), and only a page's rows, or a sort by a count,
    compute them."""

    def with_member_counts(self):
        owner = self.model._meta.get_field("members").field.name  # "bkm" or "group"

        def count(**where):
            members = (
                Member.objects.filter(**{owner: OuterRef("pk")}, **where)
                .order_by()
                .values(owner)
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(members), 0)

        return self.annotate(
            member_count=count(),
            men_count=count(sex=Sex.MALE),
            women_count=count(sex=Sex.FEMALE),
            poor_count=count(poor_household=True),
        )


class Bkm(Versioned):
    """The BKM/LKM of a kelurahan/desa: one per kelurahan."""

    kelurahan = _kelurahan_fk("bkms")
    name = models.CharField(_("name"), max_length=150)
    coordinator = models.CharField(_("coordinator"), max_length=150, blank=True)
    address = models.TextField(_("address"), blank=True)
    deed_number = models.CharField(_("notary deed number"), max_length=60, blank=True)
    deed_date = models.DateField(_("notary deed date"), null=True, blank=True)
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    formed_on = models.DateField(_("formation date"), null=True, blank=True)
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = WithMemberCounts.as_manager()

    class Meta:
        verbose_name = _("BKM/LKM")
        verbose_name_plural = _("BKM/LKM")
        ordering = ["kelurahan_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan"],
                name="unique_bkm_per_kelurahan",
                violation_error_message=_("This kelurahan/desa already has a BKM/LKM."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:bkm_detail", args=[self.pk])

    def clean(self):
        check_is_kelurahan(self.kelurahan_id)
        if self.deed_date and self.formed_on and self.deed_date < self.formed_on:
            raise ValidationError(
                {"deed_date": _("The notary deed cannot be dated before the formation.")}
            )


class BkmStatus(Versioned):
    """The independence status a BKM reached in a year."""

    bkm = models.ForeignKey(
        Bkm, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("BKM/LKM")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=15, choices=IndependenceStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    scope_field = "bkm__kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("BKM yearly status")
        verbose_name_plural = _("BKM yearly statuses")
        ordering = ["bkm_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bkm", "year"],
                name="unique_bkm_status_year",
                violation_error_message=_("This BKM already has a status for that year."),
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.get_status_display()}"


class CommunityGroup(Versioned):
    """A KSM, KPP or Panitia of a kelurahan; it belongs to that kelurahan's BKM.

    Never deleted once it has works: it is dissolved instead (kept with its members).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    bkm = models.ForeignKey(
        Bkm, on_delete=models.PROTECT, related_name="groups", verbose_name=_("BKM/LKM")
    )
    # Copied from the BKM so that scoping and lists filter without a join.
    kelurahan = _kelurahan_fk("community_groups")
    name = models.CharField(_("name"), max_length=150)
    formed_on = models.DateField(_("formation date"))
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolution date"), null=True, blank=True)
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = WithMemberCounts.as_manager()

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["kelurahan_id", "kind", "name"]
        indexes = [models.Index(fields=["kind", "status"], name="group_kind_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "kind", "name"],
                name="unique_group_name_in_kelurahan",
                violation_error_message=_(
                    "This kelurahan already has a group of this kind with that name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=GroupStatus.ACTIVE, dissolved_on__isnull=True)
                | Q(status=GroupStatus.DISSOLVED, dissolved_on__isnull=False),
                name="group_dissolved_iff_date",
                violation_error_message=_("A dissolved group needs its dissolution date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:group_detail", args=[self.pk])

    @property
    def kind_short(self):
        """The kind without its explanation: "KSM", "KPP" or "Panitia"."""
        return self.get_kind_display().split(" (")[0]

    @property
    def is_active(self):
        return self.status == GroupStatus.ACTIVE

    def clean(self):
        check_is_kelurahan(self.kelurahan_id)
        if self.dissolved_on and self.formed_on and self.dissolved_on < self.formed_on:
            raise ValidationError(
                {"dissolved_on": _("A group cannot be dissolved before it was formed.")}
            )


class Member(Versioned):
    """A member of a BKM or of a community group (exactly one of the two)."""

    bkm = models.ForeignKey(
        Bkm,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("BKM/LKM"),
    )
    group = models.ForeignKey(
        CommunityGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("group"),
    )
    kelurahan = _kelurahan_fk("community_members")
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    role = models.CharField(
        _("role in the group"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    poor_household = models.BooleanField(_("poor household (KK miskin)"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik],
        help_text=_("16 digits; optional."),
    )
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bkm__isnull=False, group__isnull=True)
                | Q(bkm__isnull=True, group__isnull=False),
                name="member_of_bkm_xor_group",
            ),
            models.UniqueConstraint(
                fields=["group", "nik"],
                condition=~Q(nik=""),
                name="unique_group_member_nik",
                violation_error_message=_("A member with this NIK is already in the group."),
            ),
            models.UniqueConstraint(
                fields=["bkm", "nik"],
                condition=~Q(nik=""),
                name="unique_bkm_member_nik",
                violation_error_message=_("A member with this NIK is already in the group."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def parent(self):
        return self.group or self.bkm

    @property
    def masked_nik(self):
        return mask_nik(self.nik)
