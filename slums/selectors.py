"""Reads: slum areas, surveys and the results (hectares, levels, 100-0-100), all scoped.

How results count (only approved surveys of the whole area count; surveys of one RT are
shown on the area but do not change its hectares):
- baseline slum ha of an area = the verified area of its approved baseline when that
  baseline found a slum level, 0 when it found "not a slum"; the SK area until a
  baseline is approved (the decree delineated it as slum);
- current slum ha = the same rule applied to the latest approved survey (latest year,
  then final > update > baseline); the baseline figure until any survey is approved;
- hectares reduced = baseline − current (negative when the slum grew);
- the level of an area is the level of its latest approved survey.
Every figure is computed in the database with correlated subqueries: a fixed number of
queries, however many areas and surveys there are.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from kotaku.workflow import ReviewStatus
from locations.models import Region

from .choices import SLUM_LEVELS, SlumLevel, SurveyKind
from .models import SlumArea, SlumSurvey, SurveyIndicatorValue

HA_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=HA_FIELD)
KIND_RANK = Case(
    When(kind=SurveyKind.FINAL, then=Value(3)),
    When(kind=SurveyKind.UPDATE, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)
SLUM_HA = Case(When(level__in=SLUM_LEVELS, then=F("area_ha")), default=ZERO, output_field=HA_FIELD)


# --- Lists and details --------------------------------------------------------------------


def slum_area_list(user):
    """The user's slum areas with their region and current level (one query)."""
    return with_results(
        SlumArea.objects.for_user(user).select_related("kabupaten").order_by("kabupaten_id", "name")
    )


def slum_area_detail_queryset(user):
    return SlumArea.objects.for_user(user).select_related("kabupaten")


def surveys_of_area(area: SlumArea):
    return area.surveys.select_related("rt", "method").order_by("-year", "-id")


def survey_list(user):
    return SlumSurvey.objects.for_user(user).select_related("slum_area__kabupaten", "rt", "method")


def survey_values_by_aspect(survey: SlumSurvey):
    """[(aspect value, aspect label, average, [values])] in the method's order."""
    from .choices import SlumAspect

    groups: dict[str, list] = {}
    for value in survey.values.select_related("indicator").order_by("indicator__order"):
        groups.setdefault(value.indicator.aspect, []).append(value)
    return [
        (aspect, SlumAspect(aspect).label, survey.aspect_scores.get(aspect), values)
        for aspect, values in groups.items()
    ]


# --- Per-area figures as annotations ------------------------------------------------------


def _approved_area_surveys(year=None, area=None):
    surveys = SlumSurvey.objects.filter(
        slum_area=area if area is not None else OuterRef("pk"),
        rt__isnull=True,
        status=ReviewStatus.APPROVED,
    )
    return surveys.filter(year__lte=year) if year is not None else surveys


def _latest(year=None, area=None):
    return _approved_area_surveys(year, area).order_by("-year", -KIND_RANK, "-id")


def _baseline_ha():
    baseline = _approved_area_surveys().filter(kind=SurveyKind.BASELINE)
    return Coalesce(
        Subquery(baseline.annotate(ha=SLUM_HA).values("ha")[:1], output_field=HA_FIELD),
        F("area_ha"),
        output_field=HA_FIELD,
    )


def current_ha(year=None):
    """Slum hectares of the area after its latest approved survey (up to `year`)."""
    return Coalesce(
        Subquery(_latest(year).annotate(ha=SLUM_HA).values("ha")[:1], output_field=HA_FIELD),
        _baseline_ha(),
        output_field=HA_FIELD,
    )


def _indicator_volume(code):
    latest_id = _latest(area=OuterRef(OuterRef("pk"))).values("pk")[:1]
    return Subquery(
        SurveyIndicatorValue.objects.filter(survey_id=latest_id, indicator__code=code).values(
            "volume"
        )[:1],
        output_field=HA_FIELD,
    )


def with_results(areas):
    """Annotate each area: baseline_ha, current_ha, reduced_ha, level, households and the
    volumes of 3a (no safe water) and 5a (no proper sanitation) of the latest survey."""
    return areas.annotate(
        baseline_ha=_baseline_ha(),
        current_ha=current_ha(),
        reduced_ha=F("baseline_ha") - F("current_ha"),
        level=Subquery(_latest().values("level")[:1]),
        latest_year=Subquery(_latest().values("year")[:1]),
        households=Subquery(_latest().values("households")[:1]),
        no_water=_indicator_volume("3a"),
        no_sanitation=_indicator_volume("5a"),
    )


# --- Results by region --------------------------------------------------------------------

LEVEL_KEYS = [level.value for level in SlumLevel] + ["none"]


def _totals():
    """Aggregates over annotated areas; keys carry a `t_` prefix so that they do not clash
    with the per-area annotations they sum (`_finish` strips it)."""
    counts = {
        f"t_n_{level}": Count("pk", filter=Q(level=level), distinct=True) for level in SlumLevel
    }
    return {
        "t_areas": Count("pk", distinct=True),
        "t_sk_ha": Sum("area_ha"),
        "t_baseline_ha": Sum("baseline_ha"),
        "t_current_ha": Sum("current_ha"),
        "t_households_3a": Sum("households", filter=Q(no_water__isnull=False)),
        "t_households_5a": Sum("households", filter=Q(no_sanitation__isnull=False)),
        "t_no_water": Sum("no_water"),
        "t_no_sanitation": Sum("no_sanitation"),
        "t_n_none": Count("pk", filter=Q(level__isnull=True), distinct=True),
        **counts,
    }


def child_key(region: Region | None):
    """How areas group into the rows under `region`: provinces under the nation,
    kabupaten/kota under a province, kelurahan/desa under a kabupaten/kota (an area
    covering several kelurahan shows under each, so those rows may add up to more than
    the total, which counts each area once)."""
    if region is None:
        return Substr("kabupaten_id", 1, 2)
    if region.level == 1:
        return F("kabupaten_id")
    return F("kelurahan__code")


def results_areas(user, region: Region | None):
    areas = SlumArea.objects.for_user(user)
    if region is None:
        return areas
    if region.level <= 2:
        return areas.filter(
            Q(kabupaten_id=region.code) | Q(kabupaten__code__startswith=f"{region.code}.")
        )
    in_region = Q(kelurahan__code=region.code) | Q(kelurahan__code__startswith=f"{region.code}.")
    return areas.filter(pk__in=SlumArea.objects.filter(in_region).values("pk"))


def results_table(user, region: Region | None):
    """(rows, total): one row per child region with the figures above, and the total of
    the region (each area once). Two queries, plus one for the region names."""
    areas = with_results(results_areas(user, region))
    total = _finish(areas.aggregate(**_totals()))
    rows = list(
        areas.annotate(key=child_key(region)).values("key").annotate(**_totals()).order_by("key")
    )
    if region is not None and region.level >= 2:
        # only the kelurahan in the region (an area may also cover others)
        rows = [row for row in rows if row["key"] and _within(row["key"], region.code)]
    names = dict(
        Region.objects.filter(code__in=[row["key"] for row in rows]).values_list("code", "name")
    )
    return [_finish(row, name=names.get(row["key"], row["key"])) for row in rows], total


def _within(code, region_code):
    return code == region_code or code.startswith(f"{region_code}.")


def results_areas_table(user, region: Region):
    """One row per slum area in a kabupaten/kota or below (one query)."""
    return with_results(results_areas(user, region)).select_related("kabupaten").order_by("name")


def _finish(row, name=None):
    row = {key.removeprefix("t_"): value for key, value in row.items()}
    for key in ("sk_ha", "baseline_ha", "current_ha"):
        row[key] = row.get(key) or Decimal("0.00")
    row["reduced_ha"] = row["baseline_ha"] - row["current_ha"]
    row["water_pct"] = _share_served(row.get("no_water"), row.get("households_3a"))
    row["sanitation_pct"] = _share_served(row.get("no_sanitation"), row.get("households_5a"))
    row["slum_pct"] = (
        (row["current_ha"] * 100 / row["sk_ha"]).quantize(Decimal("0.1")) if row["sk_ha"] else None
    )
    if name is not None:
        row["name"] = name
    return row


def _share_served(lacking, households):
    """100-0-100: the share of households that are served (1 − lacking ÷ households)."""
    if not households or lacking is None:
        return None
    return ((1 - Decimal(lacking) / Decimal(households)) * 100).quantize(Decimal("0.1"))


def results_by_year(user, region: Region | None):
    """[(year, current slum ha at the end of that year)] for every year with an approved
    survey in the region: one query."""
    areas = results_areas(user, region)
    years = sorted(
        set(
            SlumSurvey.objects.approved()
            .filter(slum_area__in=areas.values("pk"), rt__isnull=True)
            .values_list("year", flat=True)
        )
    )
    if not years:
        return []
    sums = areas.annotate(**{f"ha_{year}": current_ha(year) for year in years}).aggregate(
        **{f"y{year}": Sum(f"ha_{year}") for year in years}
    )
    return [(year, sums[f"y{year}"] or Decimal("0.00")) for year in years]
