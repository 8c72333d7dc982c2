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
The rules are the expressions of `compute_results` and `current_ha` (correlated
subqueries over the surveys). Running them for every area on every page costs seconds
nationally, so `services.slum_area_results_refresh` stores what they give for each area
(`SlumAreaResult`, `SlumAreaYearResult`) in the same transaction as every write that can
change it, and the pages read the stored figures (`with_results`, `results_by_year`): a
fixed number of queries over small rows, however many areas and surveys there are.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
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

from accounts.scoping import scope_of
from kotaku.precompiled import aggregating, statements
from kotaku.workflow import ReviewStatus
from locations.models import Region

from .choices import SLUM_LEVELS, SlumLevel, SurveyKind
from .models import (
    SlumArea,
    SlumAreaResult,
    SlumAreaYearResult,
    SlumSurvey,
    SurveyIndicatorValue,
)

HA_FIELD = DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")
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


RESULT_FIELDS = (
    "baseline_ha",
    "current_ha",
    "level",
    "latest_year",
    "households",
    "no_water",
    "no_sanitation",
)


def with_results(areas):
    """Annotate each area: baseline_ha, current_ha, reduced_ha, level, latest_year,
    households and the volumes of 3a (no safe water) and 5a (no proper sanitation) of the
    latest approved survey, read from the stored results (`compute_results` gives the
    same figures; an area without a stored row counts as not surveyed: its SK area)."""
    return areas.annotate(
        baseline_ha=Coalesce(F("result__baseline_ha"), F("area_ha"), output_field=HA_FIELD),
        current_ha=Coalesce(F("result__current_ha"), F("area_ha"), output_field=HA_FIELD),
        reduced_ha=F("baseline_ha") - F("current_ha"),
        level=F("result__level"),
        latest_year=F("result__latest_year"),
        households=F("result__households"),
        no_water=F("result__no_water"),
        no_sanitation=F("result__no_sanitation"),
    )


def compute_results(areas):
    """The rules themselves: the annotations of `with_results` computed from the approved
    surveys (a dozen correlated subqueries per area). The services store what this gives;
    pages read the stored rows."""
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


def _with_span(areas):
    """Annotate first_year and every_year (approved surveys of the whole area in every
    year from the first to the latest: one survey a year at most, so their count tells)."""
    approved = _approved_area_surveys().order_by()
    return areas.annotate(
        first_year=Subquery(approved.order_by("year").values("year")[:1]),
        span_latest=Subquery(approved.order_by("-year").values("year")[:1]),
        survey_years=Subquery(
            approved.values("slum_area").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        every_year=Case(
            When(survey_years=F("span_latest") - F("first_year") + 1, then=Value(True)),
            default=Value(False),
        ),
    )


def result_rows(areas):
    """The rows of `SlumAreaResult` for `areas`, computed by `compute_results` (values
    named as its fields: the services insert them with INSERT … SELECT)."""
    return (
        _with_span(compute_results(areas))
        .order_by()
        .values(
            "kabupaten_id",
            "area_ha",
            *RESULT_FIELDS,
            "first_year",
            "every_year",
            area_id=F("pk"),
        )
    )


def year_result_rows(areas):
    """The rows of `SlumAreaYearResult` for `areas`, computed with `current_ha`: one per
    area and year with an approved survey of the whole area, except the years that change
    nothing in an area surveyed every year (a union of one query per year), or None when
    there is none. Reads `every_year` from the areas' `SlumAreaResult`, so those are
    stored first."""
    years = sorted(
        set(
            SlumSurvey.objects.approved()
            .filter(slum_area__in=areas.values("pk"), rt__isnull=True)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    )
    parts = [
        areas.filter(Exists(_approved_area_surveys().filter(year=year)))
        .annotate(
            every_year=Coalesce(F("result__every_year"), Value(False)),
            slum_ha=current_ha(year),
            change_ha=current_ha(year) - current_ha(year - 1),
        )
        .filter(Q(every_year=False) | ~Q(change_ha=0))
        .order_by()
        .values(
            "kabupaten_id",
            "slum_ha",
            "change_ha",
            area_id=F("pk"),
            year=Value(year, output_field=IntegerField()),
        )
        for year in years
    ]
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


# --- Results by region --------------------------------------------------------------------

LEVEL_KEYS = [level.value for level in SlumLevel] + ["none"]


def _totals():
    """Aggregates over annotated areas; keys carry a `t_` prefix so that they do not clash
    with the per-area annotations they sum (`_finish` strips it)."""
    counts = {f"t_n_{level}": Count("pk", filter=Q(level=level)) for level in SlumLevel}
    return {
        "t_areas": Count("pk"),
        "t_sk_ha": Sum("area_ha"),
        "t_baseline_ha": Sum("baseline_ha"),
        "t_current_ha": Sum("current_ha"),
        "t_households_3a": Sum("households", filter=Q(no_water__isnull=False)),
        "t_households_5a": Sum("households", filter=Q(no_sanitation__isnull=False)),
        "t_no_water": Sum("no_water"),
        "t_no_sanitation": Sum("no_sanitation"),
        "t_n_none": Count("pk", filter=Q(level__isnull=True)),
        **counts,
    }


def child_key(region: Region | None, area=""):
    """How areas group into the rows under `region`: provinces under the nation,
    kabupaten/kota under a province, kelurahan/desa under a kabupaten/kota (an area
    covering several kelurahan shows under each, so those rows may add up to more than
    the total, which counts each area once). `area`: the path to the area ("area__"
    from its stored results)."""
    if region is None:
        return Substr("kabupaten_id", 1, 2)
    if region.level == 1:
        return F("kabupaten_id")
    return F(f"{area}kelurahan__code")


def _in_region(rows, region: Region | None, area="pk"):
    """Areas, or their stored results (same kabupaten/kota field; `area`: the field that
    holds the area's key), in `region`."""
    if region is None:
        return rows
    if region.level <= 2:
        return rows.filter(
            Q(kabupaten_id=region.code) | Q(kabupaten__code__startswith=f"{region.code}.")
        )
    in_region = Q(kelurahan__code=region.code) | Q(kelurahan__code__startswith=f"{region.code}.")
    return rows.filter(**{f"{area}__in": SlumArea.objects.filter(in_region).values("pk")})


def results_areas(user, region: Region | None):
    return _in_region(SlumArea.objects.for_user(user), region)


def stored_results(user, region: Region | None):
    """The stored results (`SlumAreaResult`) of `results_areas(user, region)`: one
    narrow table, no join, for the totals."""
    return _in_region(SlumAreaResult.objects.for_user(user), region)


def results_table(user, region: Region | None):
    """(rows, total): one row per child region with the figures above, and the total of
    the region (each area once), from the stored results. Above a kabupaten/kota every
    area falls in one row and the total is their sum: one query, plus one for the region
    names; below, the total is a query of its own."""
    # Compiled once per scope and region (kotaku.precompiled).
    key = (scope_of(user), region.code if region else "")
    rows = statements.rows(
        ("slums.results_table.rows", *key),
        lambda: (
            stored_results(user, region)
            .annotate(key=child_key(region, area="area__"))
            .values("key")
            .annotate(**_totals())
            .order_by("key")
        ),
    )
    if region is None or region.level < 2:
        total = _finish(_add_up(rows))
    else:
        total = _finish(
            statements.one(
                ("slums.results_table.total", *key),
                lambda: aggregating(stored_results(user, region), **_totals()),
            )
        )
        # only the kelurahan in the region (an area may also cover others)
        rows = [row for row in rows if row["key"] and _within(row["key"], region.code)]
    codes = tuple(row["key"] for row in rows)
    names = dict(
        statements.rows(
            ("slums.results_table.names", codes),
            lambda: Region.objects.filter(code__in=codes).values_list("code", "name"),
        )
    )
    return [_finish(row, name=names.get(row["key"], row["key"])) for row in rows], total


def _add_up(rows) -> dict:
    """The total of rows that each hold different areas (counts and sums add up)."""
    total = {}
    for key, aggregate in _totals().items():
        values = [row[key] for row in rows if row[key] is not None]
        empty = 0 if isinstance(aggregate, Count) else None
        total[key] = sum(values[1:], values[0]) if values else empty
    return total


def _within(code, region_code):
    return code == region_code or code.startswith(f"{region_code}.")


def results_areas_table(user, region: Region):
    """One row (a dict) per slum area in a kabupaten/kota or below, with what the table
    shows (one query)."""
    return (
        with_results(results_areas(user, region))
        .order_by("name")
        .values("pk", "name", "baseline_ha", "current_ha", "reduced_ha", "level", "latest_year")
    )


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
    survey in the region (two queries): the baseline total plus the running sum of the
    stored changes by year (`SlumAreaYearResult`; the years without a row come from the
    spans of areas surveyed every year); `compute_results_by_year` gives the same from
    the surveys."""
    key = (scope_of(user), region.code if region else "")
    changes = dict(
        statements.rows(
            ("slums.results_by_year.changes", *key),
            lambda: (
                _in_region(SlumAreaYearResult.objects.for_user(user), region, area="area_id")
                .order_by()
                .values("year")
                .annotate(change=Sum("change_ha"))
                .values_list("year", "change")
            ),
        )
    )
    spans = statements.rows(
        ("slums.results_by_year.spans", *key),
        lambda: (
            stored_results(user, region)
            .order_by()
            .values("first_year", "latest_year", "every_year")
            .annotate(ha=Sum("baseline_ha"))
        ),
    )
    years, running = set(changes), Decimal("0.00")
    for span in spans:
        running += span["ha"] or 0
        if span["every_year"] and span["first_year"] is not None:
            years.update(range(span["first_year"], span["latest_year"] + 1))
    series = []
    for year in sorted(years):
        running += changes.get(year) or 0
        series.append((year, Decimal(running).quantize(CENT)))
    return series


def compute_results_by_year(areas):
    """`results_by_year` of an area queryset computed from the surveys (the rule)."""
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
