from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ancestor_codes, covered_q, user_scope_q
from kotaku.locking import Versioned

from . import codes
from .choices import RegionKind, RegionLevel


def visible_region_q(user, field: str = "code") -> models.Q:
    """Regions in or under the user's places, plus the regions above them, so that a
    facilitator can drill down from their province to their desa."""
    if user.is_authenticated and user.sees_everything:
        return models.Q()
    above = {code for place in user.place_codes for code in ancestor_codes(place)}
    return user_scope_q(user, field) | models.Q(**{f"{field}__in": sorted(above)})


class RegionQuerySet(ScopedQuerySet):
    def for_user(self, user):
        return self.filter(visible_region_q(user))

    def under(self, code: str):
        """`code` and every region below it, in one indexed query."""
        return self.filter(covered_q([code], "code"))


class Region(models.Model):
    """A Kemendagri region: provinsi > kabupaten/kota > kecamatan > kelurahan/desa.

    The official code is the primary key: it is the natural key, it sorts in tree order,
    and its prefix selects a whole subtree (see accounts.scoping). Every model placed in
    a region stores that code in its foreign key, so scoping needs no join.
    """

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Admin edits are kept; the import writes in bulk and leaves no history rows.
    history = HistoricalRecords()

    scope_field = "code"
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="region_level_1_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, level=1)
                | models.Q(parent__isnull=False, level__gt=1),
                name="region_parent_iff_below_province",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("locations:region_detail", args=[self.code])

    def clean(self):
        if not codes.is_valid_code(self.code):
            raise ValidationError({"code": _("Malformed region code.")})
        if self.level != codes.level_of(self.code):
            raise ValidationError({"level": _("The level does not match the code.")})
        if (self.parent_id or "") != codes.parent_of(self.code):
            raise ValidationError({"parent": _("The parent does not match the code.")})

    @property
    def ancestor_codes(self):
        return ancestor_codes(self.code)

    @property
    def is_village(self):
        return self.level == RegionLevel.KELURAHAN_DESA


class RtRwQuerySet(ScopedQuerySet):
    pass


class RtRw(Versioned):
    """A neighbourhood unit under a kelurahan/desa: "RT 07 / RW 02"."""

    kelurahan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="rt_rw",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to={"level": RegionLevel.KELURAHAN_DESA},
    )
    rw = models.PositiveSmallIntegerField(
        _("RW"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    rt = models.PositiveSmallIntegerField(
        _("RT"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    history = HistoricalRecords()

    scope_field = "kelurahan__code"
    objects = RtRwQuerySet.as_manager()

    class Meta:
        verbose_name = _("RT/RW")
        verbose_name_plural = _("RT/RW")
        ordering = ["kelurahan_id", "rw", "rt"]
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "rw", "rt"], name="unique_rt_rw"),
            models.CheckConstraint(
                condition=models.Q(rw__gte=1, rw__lte=999, rt__gte=1, rt__lte=999),
                name="rt_rw_1_to_999",
            ),
        ]

    def __str__(self):
        return f"RT {self.rt:02d} / RW {self.rw:02d}"

    def clean(self):
        if self.kelurahan_id and codes.level_of(self.kelurahan_id) != RegionLevel.KELURAHAN_DESA:
            raise ValidationError({"kelurahan": _("RT/RW belong to a kelurahan or desa.")})
