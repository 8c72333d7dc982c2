from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import EVERYTHING, ScopedQuerySet, covered_q, scope_of
from kotaku.locking import Versioned
from kotaku.workflow import PENDING, Reviewed, ReviewStatus, review_permissions
from locations.choices import RegionLevel

from .choices import Denominator, LocationKind, SlumAspect, SlumLevel, SurveyKind

HA = {"max_digits": 10, "decimal_places": 2}
LENGTH = {"max_digits": 12, "decimal_places": 2}


# --- Scoring methods: versioned rules, edited by officers in the admin ---------------------


class ScoringMethod(Versioned):
    """A set of scoring rules (indicators, score bands, level bands), e.g. Permen PUPR
    14/2018. A survey keeps the method it was scored with: changing the default never
    rescores history."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    is_default = models.BooleanField(_("default for new surveys"), default=False)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring method")
        verbose_name_plural = _("scoring methods")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_method"
            ),
        ]

    def __str__(self):
        return self.name


class Indicator(Versioned):
    """One indicator of a method: its volume is a share of a survey header field."""

    method = models.ForeignKey(
        ScoringMethod, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("method")
    )
    code = models.CharField(_("code"), max_length=5, help_text=_("e.g. 1a"))
    aspect = models.CharField(_("aspect"), max_length=20, choices=SlumAspect.choices)
    label = models.CharField(_("label"), max_length=200)
    unit = models.CharField(_("unit of the volume"), max_length=20)
    denominator = models.CharField(_("denominator"), max_length=20, choices=Denominator.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["method_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["method", "code"], name="unique_indicator_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.label}"


class ScoreBand(Versioned):
    """From `min_percentage` upwards an indicator scores `score` (the highest band that
    the percentage reaches wins)."""

    method = models.ForeignKey(
        ScoringMethod,
        on_delete=models.CASCADE,
        related_name="score_bands",
        verbose_name=_("method"),
    )
    min_percentage = models.DecimalField(
        _("from percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    score = models.PositiveSmallIntegerField(_("score"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["method_id", "-min_percentage"]
        constraints = [
            models.UniqueConstraint(fields=["method", "min_percentage"], name="unique_score_band"),
        ]

    def __str__(self):
        return f"≥ {self.min_percentage}% → {self.score}"


class LevelBand(Versioned):
    """From `min_total` upwards a survey's total makes the area `level`."""

    method = models.ForeignKey(
        ScoringMethod,
        on_delete=models.CASCADE,
        related_name="level_bands",
        verbose_name=_("method"),
    )
    min_total = models.PositiveSmallIntegerField(_("from total score"))
    level = models.CharField(_("level"), max_length=12, choices=SlumLevel.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")
        ordering = ["method_id", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["method", "min_total"], name="unique_level_band"),
        ]

    def __str__(self):
        return f"≥ {self.min_total} → {self.get_level_display()}"


# --- Slum areas ---------------------------------------------------------------------------


class SlumAreaQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Areas in the user's kabupaten/kota or province, or covering any kecamatan or
        kelurahan/desa of theirs (a facilitator of one desa sees the areas over it).

        Each place is matched one way only. Every kelurahan of an area lies in the
        area's kabupaten/kota (`services` checks it), so a province or kabupaten/kota
        sees exactly the areas whose kabupaten/kota lies in it; a place below a
        kabupaten/kota holds no area's kabupaten/kota, and is covered or not. The areas
        covering those places are read as one set (a subquery that the database hashes),
        not looked up area by area: with the surveys ordered by area, a lookup per area
        made PostgreSQL walk 50,000 surveys to find a facilitator's 25."""
        scope = scope_of(user)
        if scope == EVERYTHING:
            return self.all()
        wide = [code for code in scope or () if len(code) <= KABUPATEN_CODE_LENGTH]
        narrow = [code for code in scope or () if len(code) > KABUPATEN_CODE_LENGTH]
        condition = covered_q(wide, "kabupaten__code")  # nothing, without such places
        if narrow:
            area = getattr(self.model, "area_key", "pk")  # the stored results point at it
            covering = SlumArea.kelurahan.through.objects.filter(covered_q(narrow, "region__code"))
            condition |= Q(**{f"{area}__in": covering.values("slumarea_id")})
        return self.filter(condition)


# A kabupaten/kota's code: 35.19.
KABUPATEN_CODE_LENGTH = 5


class SlumArea(Versioned):
    """A kawasan kumuh, delineated by a district decree (SK Kumuh)."""

    name = models.CharField(_("name"), max_length=150)
    sk_number = models.CharField(_("SK number"), max_length=100)
    sk_date = models.DateField(_("SK date"))
    sk_issued_by = models.CharField(
        _("SK issued by"), max_length=150, help_text=_("e.g. Bupati Madiun")
    )
    area_ha = models.DecimalField(_("area (ha)"), **HA)
    kabupaten = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="slum_areas",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": RegionLevel.KABUPATEN_KOTA},
    )
    kelurahan = models.ManyToManyField(
        "locations.Region",
        related_name="covering_slum_areas",
        verbose_name=_("kelurahan/desa"),
        limit_choices_to={"level": RegionLevel.KELURAHAN_DESA},
    )
    rt_rw = models.ManyToManyField(
        "locations.RtRw", blank=True, related_name="slum_areas", verbose_name=_("RT/RW covered")
    )
    location_kind = models.CharField(
        _("kind of location"), max_length=12, choices=LocationKind.choices
    )
    outline = models.JSONField(
        _("outline (GeoJSON)"), null=True, blank=True, help_text=_("Polygon or MultiPolygon")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    scope_field = "kabupaten__code"
    objects = SlumAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("slum area")
        verbose_name_plural = _("slum areas")
        ordering = ["kabupaten_id", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(area_ha__gt=0), name="slum_area_ha_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("slums:slumarea_detail", args=[self.pk])


# --- Surveys ------------------------------------------------------------------------------


class SlumSurveyQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Surveys of the slum areas the user sees."""
        return self.filter(slum_area__in=SlumArea.objects.for_user(user).values("pk"))

    def approved(self):
        return self.filter(status=ReviewStatus.APPROVED)


class SlumSurvey(Versioned, Reviewed):
    """A penilaian kekumuhan of one slum area (or one RT in it) for a year, with the scores
    computed by `services` from the method it remembers."""

    slum_area = models.ForeignKey(
        SlumArea, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("slum area")
    )
    rt = models.ForeignKey(
        "locations.RtRw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slum_surveys",
        verbose_name=_("RT/RW (if surveyed per RT)"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SurveyKind.choices)
    method = models.ForeignKey(
        ScoringMethod, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("method")
    )
    area_ha = models.DecimalField(_("verified area (ha)"), **HA)
    buildings = models.PositiveIntegerField(_("buildings"), null=True, blank=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households (KK)"), null=True, blank=True)
    road_length_m = models.DecimalField(_("ideal road length (m)"), null=True, blank=True, **LENGTH)
    drainage_length_m = models.DecimalField(
        _("ideal drainage length (m)"), null=True, blank=True, **LENGTH
    )
    aspect_scores = models.JSONField(_("average score per aspect"), default=dict, blank=True)
    total_score = models.PositiveSmallIntegerField(_("total score"), default=0)
    level = models.CharField(_("level"), max_length=12, choices=SlumLevel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    scope_field = "slum_area__kabupaten__code"
    objects = SlumSurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("slum survey")
        verbose_name_plural = _("slum surveys")
        ordering = ["slum_area_id", "-year", "-id"]
        permissions = review_permissions("slumsurvey")
        # What waits for review (dashboards count it).
        indexes = [
            models.Index(
                fields=["status", "slum_area"],
                condition=Q(status__in=PENDING),
                name="survey_pending",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(area_ha__gt=0), name="survey_area_ha_positive"),
            models.UniqueConstraint(
                fields=["slum_area"],
                condition=Q(kind=SurveyKind.BASELINE, rt__isnull=True),
                name="one_baseline_per_area",
            ),
            models.UniqueConstraint(
                fields=["slum_area", "rt"],
                condition=Q(kind=SurveyKind.BASELINE, rt__isnull=False),
                name="one_baseline_per_area_rt",
            ),
            models.UniqueConstraint(
                fields=["slum_area", "year"],
                condition=Q(rt__isnull=True),
                name="one_survey_per_area_year",
            ),
            models.UniqueConstraint(
                fields=["slum_area", "rt", "year"],
                condition=Q(rt__isnull=False),
                name="one_survey_per_area_rt_year",
            ),
        ]

    def __str__(self):
        where = f"{self.slum_area} {self.rt}" if self.rt_id else str(self.slum_area)
        return f"{where} · {self.year} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("slums:slumsurvey_detail", args=[self.pk])

    @property
    def is_slum(self) -> bool:
        return self.level != SlumLevel.NOT_SLUM


class SurveyIndicatorValue(models.Model):
    """The affected volume of one indicator in a survey, with its computed share and score."""

    survey = models.ForeignKey(
        SlumSurvey, on_delete=models.CASCADE, related_name="values", verbose_name=_("survey")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    volume = models.DecimalField(_("volume"), **LENGTH)
    percentage = models.DecimalField(_("percentage"), max_digits=6, decimal_places=2)
    score = models.PositiveSmallIntegerField(_("score"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["survey_id", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "indicator"], name="unique_survey_indicator"),
            models.CheckConstraint(condition=Q(volume__gte=0), name="volume_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.volume}"


# --- Results kept per area ------------------------------------------------------------------


class SlumAreaResult(models.Model):
    """The results of one slum area (`selectors.compute_results`: baseline and current
    slum hectares, level, households and the 3a/5a volumes of its latest approved survey),
    with the area's kabupaten/kota and SK area, stored so that national totals read
    20,000 small rows of one table instead of running a dozen subqueries per area.
    Derived data, never edited: every write that can change it (services, admin, the
    dataset generator) rewrites it in the same transaction through
    `services.slum_area_results_refresh`; `manage.py refresh_slum_results` repairs it
    after changes made by hand. The primary key is the area's, so the area's scoping
    (`SlumAreaQuerySet.for_user`) applies as it is."""

    area = models.OneToOneField(
        SlumArea,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="result",
        verbose_name=_("slum area"),
    )
    kabupaten = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    area_ha = models.DecimalField(_("area (ha)"), **HA)
    baseline_ha = models.DecimalField(_("baseline slum (ha)"), **HA)
    current_ha = models.DecimalField(_("current slum (ha)"), **HA)
    level = models.CharField(_("level"), max_length=12, choices=SlumLevel.choices, null=True)
    latest_year = models.PositiveSmallIntegerField(_("year of the latest survey"), null=True)
    first_year = models.PositiveSmallIntegerField(_("year of the first survey"), null=True)
    every_year = models.BooleanField(
        _("surveyed every year from the first to the latest"), default=False
    )
    households = models.PositiveIntegerField(_("households (KK)"), null=True)
    no_water = models.DecimalField(_("without safe water (3a)"), null=True, **LENGTH)
    no_sanitation = models.DecimalField(_("without proper sanitation (5a)"), null=True, **LENGTH)

    scope_field = "kabupaten__code"
    area_key = "pk"
    objects = SlumAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("slum area result")
        verbose_name_plural = _("slum area results")

    def __str__(self):
        return f"{self.area_id}: {self.current_ha} ha"


class SlumAreaYearResult(models.Model):
    """The slum hectares of an area at the end of a year in which it has an approved
    survey, and the change from the year before (from the baseline figure for the first
    such year): the series by year is the baseline total plus the running sum of the
    changes. Kept with `SlumAreaResult`. Most areas are surveyed every year and most
    years change nothing, so those rows are left out: for an area surveyed every year
    from `first_year` to `latest_year` only the years that change its hectares have a
    row (its years are that span); an area with gaps has a row for each of its years."""

    area = models.ForeignKey(
        SlumArea,
        on_delete=models.CASCADE,
        related_name="year_results",
        verbose_name=_("slum area"),
    )
    kabupaten = models.ForeignKey(
        "locations.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    slum_ha = models.DecimalField(_("slum (ha) at the end of the year"), **HA)
    change_ha = models.DecimalField(_("change from the year before (ha)"), **HA)

    scope_field = "kabupaten__code"
    area_key = "area_id"
    objects = SlumAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("slum area result by year")
        verbose_name_plural = _("slum area results by year")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_result_per_area_year"),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year}: {self.slum_ha} ha"


class ProgramRollup(models.Model):
    """The kelurahan/desa in the program in or under one region (its code, at one level):
    how many a slum area covers, as an upgrading or a prevention location, and how many
    slum areas cover them. Derived data, never edited: every write that changes which
    kelurahan an area covers, or its kind of location (services.slum_area_save, the admin's
    save and delete, the dataset generator), recounts the rows of the area's kabupaten/kota,
    everything under it and its province in the same transaction
    (`services.program_rollup_refresh`). There is no nation-wide row: the nation is its
    provinces. A dashboard reads it for a user who sees the whole region."""

    code = models.CharField(_("region code"), max_length=13, primary_key=True)
    parent = models.CharField(_("parent region code"), max_length=13, blank=True, db_index=True)
    kelurahan = models.IntegerField(_("kelurahan/desa in the program"), default=0)
    upgrading = models.IntegerField(_("upgrading locations"), default=0)
    prevention = models.IntegerField(_("prevention locations"), default=0)
    areas = models.IntegerField(_("slum areas"), default=0)

    class Meta:
        verbose_name = _("program of a region (derived)")
        verbose_name_plural = _("program of regions (derived)")

    def __str__(self):
        return self.code
