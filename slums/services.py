"""Writes: slum areas, surveys (scored here, in one transaction) and their review."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Left
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kotaku.workflow import ReviewAction, ReviewStatus, review_transition
from locations.choices import RegionLevel
from locations.codes import LEVEL_LENGTHS, parent_of
from locations.models import Region

from . import scoring, selectors
from .choices import LocationKind, SurveyKind
from .geojson import parse_outline
from .models import (
    ProgramRollup,
    ScoringMethod,
    SlumArea,
    SlumAreaResult,
    SlumAreaYearResult,
    SlumSurvey,
    SurveyIndicatorValue,
)

HEADER_FIELDS = [
    "area_ha",
    "buildings",
    "people",
    "households",
    "road_length_m",
    "drainage_length_m",
]
AREA_FIELDS = [
    "name",
    "sk_number",
    "sk_date",
    "sk_issued_by",
    "area_ha",
    "kabupaten",
    "location_kind",
]


# --- Slum areas ---------------------------------------------------------------------------


def check_area_places(*, kabupaten, kelurahan, rt_rw):
    """Every kelurahan/desa lies in the area's kabupaten/kota; every RT/RW in one of them."""
    errors = {}
    kelurahan = list(kelurahan)
    if not kelurahan:
        errors["kelurahan"] = _("Choose at least one kelurahan/desa.")
    outside = [
        region.name
        for region in kelurahan
        if region.level != RegionLevel.KELURAHAN_DESA
        or not kabupaten
        or not region.code.startswith(f"{kabupaten.code}.")
    ]
    if outside:
        errors["kelurahan"] = _("Not a kelurahan/desa of the chosen kabupaten/kota: %(names)s.") % {
            "names": ", ".join(outside)
        }
    codes = {region.code for region in kelurahan}
    stray = [f"{unit} ({unit.kelurahan_id})" for unit in rt_rw if unit.kelurahan_id not in codes]
    if stray:
        errors["rt_rw"] = _("These RT/RW lie outside the chosen kelurahan/desa: %(units)s.") % {
            "units": ", ".join(stray)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def slum_area_save(*, area: SlumArea | None = None, kelurahan, rt_rw=(), outline_text="", **data):
    """Create (`area=None`) or update a slum area. The outline is GeoJSON text (pasted or
    read from an uploaded file); a bad outline or place saves nothing."""
    area = area or SlumArea()
    for name in AREA_FIELDS:
        if name in data:
            setattr(area, name, data[name])
    errors = {}
    try:
        area.outline = parse_outline(outline_text)
    except ValidationError as error:
        errors["outline"] = error.messages
    try:
        check_area_places(
            kabupaten=area.kabupaten if area.kabupaten_id else None,
            kelurahan=kelurahan,
            rt_rw=list(rt_rw),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        area.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    before = kabupaten_of(area)
    area.save()
    area.kelurahan.set(kelurahan)
    area.rt_rw.set(rt_rw)
    slum_area_results_refresh(area_ids=[area.pk])  # the SK area counts until a baseline
    program_rollup_refresh(kabupaten_codes={*before, area.kabupaten_id})
    return area


def kabupaten_of(area: SlumArea) -> set[str]:
    """The kabupaten/kota the area lies in as stored (none for a new area)."""
    if area.pk is None:
        return set()
    return set(SlumArea.objects.filter(pk=area.pk).values_list("kabupaten_id", flat=True))


# --- Surveys ------------------------------------------------------------------------------


def rules_for(method: ScoringMethod) -> scoring.Rules:
    """A method's rules as plain data (3 queries)."""
    return scoring.Rules(
        indicators=tuple(
            scoring.IndicatorRule(i.code, i.aspect, i.denominator)
            for i in method.indicators.order_by("order", "code")
        ),
        score_bands=tuple(
            (band.min_percentage, band.score)
            for band in method.score_bands.order_by("-min_percentage")
        ),
        level_bands=tuple(
            (band.min_total, band.level) for band in method.level_bands.order_by("-min_total")
        ),
    )


def default_method() -> ScoringMethod:
    method = ScoringMethod.objects.filter(is_default=True).first()
    if method is None:
        raise ValidationError(_("No default scoring method is set; ask an officer."))
    return method


def _check_baseline(survey: SlumSurvey):
    """One baseline per area (and per RT when surveyed per RT); one survey a year."""
    others = SlumSurvey.objects.filter(slum_area=survey.slum_area, rt=survey.rt).exclude(
        pk=survey.pk
    )
    if survey.kind == SurveyKind.BASELINE and others.filter(kind=SurveyKind.BASELINE).exists():
        raise ValidationError(
            {"kind": _("This slum area already has a baseline survey; record an update instead.")}
        )
    if others.filter(year=survey.year).exists():
        raise ValidationError({"year": _("This slum area already has a survey for that year.")})


def _store(*, survey: SlumSurvey, header: dict, volumes: dict):
    result = scoring.score(rules_for(survey.method), header, volumes)
    if result.errors:
        raise ValidationError({f"volume_{code}": msg for code, msg in result.errors.items()})
    if survey.rt_id and survey.rt.pk not in set(
        survey.slum_area.rt_rw.values_list("pk", flat=True)
    ):
        raise ValidationError({"rt": _("This RT/RW is not part of the slum area.")})
    survey.aspect_scores = {aspect: str(avg) for aspect, avg in result.aspects.items()}
    survey.total_score = result.total
    survey.level = result.level
    _check_baseline(survey)
    survey.full_clean(exclude=["created_by"])
    survey.save()
    _store_values(survey, result)
    if survey.status == ReviewStatus.APPROVED:  # only approved surveys count
        slum_area_results_refresh(area_ids=[survey.slum_area_id])
    return survey


def _store_values(survey: SlumSurvey, result: scoring.ScoreResult):
    indicators = {i.code: i for i in survey.method.indicators.all()}
    existing = {value.indicator_id: value for value in survey.values.all()}
    new, changed = [], []
    for code, computed in result.indicators.items():
        row = existing.get(indicators[code].pk)
        if row is None:
            row = SurveyIndicatorValue(survey=survey, indicator=indicators[code])
            new.append(row)
        else:
            changed.append(row)
        row.volume, row.percentage, row.score = computed.volume, computed.percentage, computed.score
    bulk_create_with_history(new, SurveyIndicatorValue)
    if changed:
        bulk_update_with_history(changed, SurveyIndicatorValue, ["volume", "percentage", "score"])


@transaction.atomic
def survey_create(
    *,
    user,
    slum_area: SlumArea,
    year: int,
    kind: str,
    header: dict,
    volumes: dict,
    rt=None,
    method: ScoringMethod | None = None,
) -> SlumSurvey:
    """Record a survey scored with `method` (the default one unless given). The slum
    area row is locked so two baselines cannot slip in side by side."""
    SlumArea.objects.select_for_update().filter(pk=slum_area.pk).first()
    survey = SlumSurvey(
        slum_area=slum_area,
        rt=rt,
        year=year,
        kind=kind,
        method=method or default_method(),
        created_by=user,
        **{name: header.get(name) for name in HEADER_FIELDS},
    )
    return _store(survey=survey, header=header, volumes=volumes)


@transaction.atomic
def survey_update(
    *, survey: SlumSurvey, year: int, kind: str, header: dict, volumes: dict, rt=None
) -> SlumSurvey:
    """Correct a draft or returned survey; it is rescored with the method it remembers."""
    SlumArea.objects.select_for_update().filter(pk=survey.slum_area_id).first()
    survey = SlumSurvey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_editable:
        raise ValidationError(_("Only a draft or returned survey can be changed."))
    survey.year, survey.kind, survey.rt = year, kind, rt
    for name in HEADER_FIELDS:
        setattr(survey, name, header.get(name))
    return _store(survey=survey, header=header, volumes=volumes)


@transaction.atomic
def survey_review(*, survey: SlumSurvey, user, action: str, comment: str = "") -> SlumSurvey:
    """Submit, verify, return or approve (kotaku.workflow keeps the rules). An approved
    survey counts from now on: the area's stored results are refreshed in the same
    transaction (the area row is locked first, as `survey_update` does)."""
    if action == ReviewAction.APPROVE:
        SlumArea.objects.select_for_update().filter(pk=survey.slum_area_id).first()
    survey = review_transition(record=survey, user=user, action=action, comment=comment)
    if survey.status == ReviewStatus.APPROVED:
        slum_area_results_refresh(area_ids=[survey.slum_area_id])
    return survey


def header_of(survey: SlumSurvey) -> dict:
    return {name: getattr(survey, name) for name in HEADER_FIELDS}


def volumes_of(survey: SlumSurvey) -> dict[str, Decimal]:
    return {value.indicator.code: value.volume for value in survey.values.all()}


@transaction.atomic
def scoring_method_save(*, method: ScoringMethod) -> ScoringMethod:
    """Save a method; making it the default takes the flag from the previous default
    (surveys keep the method they were scored with)."""
    method.full_clean(validate_constraints=False)
    if method.is_default:
        ScoringMethod.objects.filter(is_default=True).exclude(pk=method.pk).update(is_default=False)
    method.save()
    return method


# --- Results kept per area ----------------------------------------------------------------

RESULT_COLUMNS = (
    "area_id",
    "kabupaten_id",
    "area_ha",
    *selectors.RESULT_FIELDS,
    "first_year",
    "every_year",
)
YEAR_RESULT_COLUMNS = ("area_id", "kabupaten_id", "year", "slum_ha", "change_ha")


def slum_area_results_refresh(*, area_ids=None) -> int:
    """Recompute the stored results of the areas `area_ids` (every area when None) from
    their surveys, with the rule expressions themselves (`selectors.result_rows` and
    `year_result_rows`, INSERT … SELECT in the database), so that they cannot disagree
    with the rules. Every write that can change an area's results (the area saved, a
    survey approved) calls it in its own transaction. The area rows are locked first:
    of two approvals in one area, the second refreshes after the first commits and sees
    both. Returns how many areas were refreshed."""
    areas = SlumArea.objects.all()
    if area_ids is not None:
        areas = areas.filter(pk__in=sorted(set(area_ids)))
    with transaction.atomic():
        count = len(areas.select_for_update().order_by("pk").values_list("pk", flat=True))
        if not count:
            return 0
        SlumAreaResult.objects.filter(area__in=areas.values("pk")).delete()
        _insert_select(SlumAreaResult, RESULT_COLUMNS, selectors.result_rows(areas))
        SlumAreaYearResult.objects.filter(area__in=areas.values("pk")).delete()
        years = selectors.year_result_rows(areas)
        if years is not None:
            _insert_select(SlumAreaYearResult, YEAR_RESULT_COLUMNS, years)
    return count


def program_rollup_refresh(*, kabupaten_codes=None) -> int:
    """Recount the stored program rows (`ProgramRollup`) of the kabupaten/kota
    `kabupaten_codes`, every region under them and their provinces, from the slum areas'
    kelurahan as they are now (every region when None). The province rows are locked
    first, so that of two saves in one province the second recounts after the first
    commits and sees both. Returns how many rows were written."""
    through = SlumArea.kelurahan.through.objects.all()
    with transaction.atomic():
        if kabupaten_codes is None:
            ProgramRollup.objects.all().delete()
            scopes = [("", LEVEL_LENGTHS)]
        else:
            kabupaten = sorted({code for code in kabupaten_codes if code})
            provinces = sorted({code.split(".")[0] for code in kabupaten})
            list(
                Region.objects.select_for_update()
                .filter(code__in=provinces)
                .order_by("code")
                .values_list("code", flat=True)
            )
            for code in kabupaten:
                ProgramRollup.objects.filter(Q(code=code) | Q(code__startswith=f"{code}.")).delete()
            ProgramRollup.objects.filter(code__in=provinces).delete()
            scopes = [(code, LEVEL_LENGTHS[1:]) for code in kabupaten]
            scopes += [(code, LEVEL_LENGTHS[:1]) for code in provinces]
        rows = []
        for prefix, lengths in scopes:
            pairs = through.filter(region__code__startswith=f"{prefix}.") if prefix else through
            for length in lengths:
                counted = (
                    pairs.annotate(key=Left("region_id", length))
                    .values("key")
                    .annotate(
                        n_kelurahan=Count("region_id", distinct=True),
                        n_upgrading=Count(
                            "region_id",
                            distinct=True,
                            filter=Q(slumarea__location_kind=LocationKind.UPGRADING),
                        ),
                        n_prevention=Count(
                            "region_id",
                            distinct=True,
                            filter=Q(slumarea__location_kind=LocationKind.PREVENTION),
                        ),
                        n_areas=Count("slumarea_id", distinct=True),
                    )
                    .order_by()
                )
                rows += [
                    ProgramRollup(
                        code=row["key"],
                        parent=parent_of(row["key"]),
                        kelurahan=row["n_kelurahan"],
                        upgrading=row["n_upgrading"],
                        prevention=row["n_prevention"],
                        areas=row["n_areas"],
                    )
                    for row in counted
                ]
        ProgramRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _insert_select(model, columns, rows):
    """INSERT INTO the model's table the rows of a values() queryset whose names are the
    model's field names, in one statement (the rows never leave the database)."""
    quote = connection.ops.quote_name
    sql, params = rows.query.sql_with_params()
    names = ", ".join(quote(name) for name in columns)
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        # Names come from the model's meta; the values are the queryset's parameters.
        cursor.execute(
            f"INSERT INTO {table} ({targets}) SELECT {names} FROM ({sql}) computed",  # noqa: S608
            params,
        )
