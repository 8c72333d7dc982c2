"""Reads for the dashboard: the figures of one region (or the nation) for one fiscal year
or all years, its child regions with the same key figures, the monthly series and the map.

Every figure goes through the scoped querysets (`for_user`), so it is the intersection of
the region and the user's places: a facilitator looking at their kabupaten sees the
figures of their own desa only. Only approved records count; pending ones (submitted or
verified) are counted apart. The rules themselves come from the apps' selectors
(progress, labour, flags, realization, slum hectares); this module only adds them up,
in a fixed number of queries however many rows or children there are.
"""

from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Left, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q, user_scope_q
from budgets.models import Allocation, Disbursement, Spending, SwadayaContribution
from budgets.selectors import realization
from kotaku.workflow import PENDING, ReviewStatus
from locations.models import Region
from programs.models import Bkm, CommunityGroup
from slums.choices import LocationKind, SlumAspect, SlumLevel
from slums.models import SlumArea, SlumSurvey
from slums.selectors import results_areas, results_by_year, results_table, with_results
from works.choices import BUILT, WorkStatus
from works.models import ProgressReport, Work
from works.selectors import (
    CODE_LENGTH,
    FLAGS,
    any_flag_q,
    with_flags,
    with_labour,
    with_progress,
    with_served,
)
from works.services import SERVED_FIELDS

MONEY = DecimalField(max_digits=17, decimal_places=0)
PERCENT = DecimalField(max_digits=7, decimal_places=2)
APPROVED = Q(status=ReviewStatus.APPROVED)
IS_PENDING = Q(status__in=PENDING)
# The map groups works in square cells of about this many pixels at the current zoom;
# from MAX_CLUSTER_ZOOM on every work is its own point.
CELL_PX = 60
MAX_CLUSTER_ZOOM = 17
MAX_POINTS = 2000
INDONESIA_BBOX = (94.0, -11.1, 141.1, 6.3)


# --- Where the dashboard opens ------------------------------------------------------------


def home_code(user) -> str:
    """The code of the user's own place: "" (the nation) for a national officer or a
    user whose places lie in different provinces; the place itself for one place; the
    lowest common ancestor of several."""
    if user.sees_everything or not user.place_codes:
        return ""
    split = [code.split(".") for code in user.place_codes]
    common = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    return ".".join(common)


def fiscal_years(user) -> list[int]:
    """The fiscal years with works or allocations in the user's places, newest first."""
    works = Work.objects.for_user(user).order_by().values_list("fiscal_year", flat=True)
    money = Allocation.objects.for_user(user).order_by().values_list("fiscal_year", flat=True)
    return sorted(set(works.union(money)), reverse=True)


# --- Figures of one region ------------------------------------------------------------------


def _in(code: str, field: str) -> Q:
    return covered_q([code], field) if code else Q()


def scoped_works(user, code: str, fiscal_year=None):
    works = Work.objects.for_user(user).filter(_in(code, "kelurahan__code"))
    return works.filter(fiscal_year=fiscal_year) if fiscal_year else works


def _strip(row: dict) -> dict:
    """Aggregate keys carry a `t_` prefix so that they do not clash with the annotations
    they sum."""
    return {key.removeprefix("t_"): value for key, value in row.items()}


def work_figures(user, code: str, fiscal_year=None) -> dict:
    """Works by status and aspect, average physical progress (latest approved report;
    0 without one), beneficiaries planned and served, labour, the open data-quality flags
    and where the works lie (one query)."""
    works = with_flags(
        with_served(with_labour(with_progress(scoped_works(user, code, fiscal_year))))
    )
    totals = {
        "t_works": Count("pk"),
        "t_progress": Avg(Coalesce("approved_progress", Value(Decimal(0))), output_field=PERCENT),
        "t_budget": Sum("budget"),
        "t_labour_days": Sum("labour_days_total"),
        "t_wages": Sum("wages_total"),
        "t_workers_men": Sum("workers_men_peak"),
        "t_workers_women": Sum("workers_women_peak"),
        "t_flagged": Count("pk", filter=any_flag_q()),
        "t_with_pending": Count("pk", filter=Q(has_pending=True)),
        "t_without_point": Count("pk", filter=Q(latitude__isnull=True)),
        "t_min_lat": Min("latitude"),
        "t_max_lat": Max("latitude"),
        "t_min_lng": Min("longitude"),
        "t_max_lng": Max("longitude"),
    }
    totals |= {f"t_status_{value}": Count("pk", filter=Q(status=value)) for value in WorkStatus}
    totals |= {f"t_aspect_{value}": Count("pk", filter=Q(aspect=value)) for value in SlumAspect}
    totals |= {f"t_{flag}": Count("pk", filter=Q(**{flag: True})) for flag in FLAGS}
    totals |= {f"t_{field}": Sum(field) for field in SERVED_FIELDS}
    planned = ("people", "women", "households", "poor_households", "mbr")
    totals |= {f"t_planned_{name}": Sum(f"planned_{name}") for name in planned}
    row = _strip(works.aggregate(**totals))
    for key, value in row.items():
        if value is None and not key.startswith(("min_", "max_")):
            row[key] = Decimal(0) if key in ("progress", "labour_days") else 0
    row["by_status"] = [(s.value, s.label, row[f"status_{s.value}"]) for s in WorkStatus]
    row["by_aspect"] = [(a.value, a.label, row[f"aspect_{a.value}"]) for a in SlumAspect]
    row["completed"] = sum(row[f"status_{value}"] for value in BUILT)
    row["with_point"] = row["works"] - row["without_point"]
    return row


def pending_figures(user, region: Region | None, fiscal_year=None) -> dict:
    """What waits for review (submitted or verified): progress reports, spending, swadaya
    and slum surveys (four queries). None of it counts in the figures yet."""
    code = region.code if region else ""
    reports = ProgressReport.objects.for_user(user).filter(
        IS_PENDING, _in(code, "work__kelurahan__code")
    )
    spending = Spending.objects.for_user(user).filter(
        IS_PENDING, _in(code, "work__kelurahan__code")
    )
    swadaya = SwadayaContribution.objects.for_user(user).filter(
        IS_PENDING, _in(code, "work__kelurahan__code")
    )
    if fiscal_year:
        reports = reports.filter(work__fiscal_year=fiscal_year)
        spending = spending.filter(allocation__fiscal_year=fiscal_year)
        swadaya = swadaya.filter(work__fiscal_year=fiscal_year)
    surveys = SlumSurvey.objects.for_user(user).filter(
        IS_PENDING, slum_area__in=results_areas(user, region).values("pk")
    )
    money = spending.aggregate(n=Count("pk"), amount=Sum("amount"))
    report_counts = reports.aggregate(
        submitted=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
        verified=Count("pk", filter=Q(status=ReviewStatus.VERIFIED)),
    )
    return {
        "reports": report_counts["submitted"] + report_counts["verified"],
        "reports_submitted": report_counts["submitted"],
        "reports_verified": report_counts["verified"],
        "spending": money["n"],
        "spending_amount": money["amount"] or Decimal(0),
        "swadaya": swadaya.count(),
        "surveys": surveys.count(),
    }


def institution_figures(user, code: str) -> dict:
    """BKM/LKM and groups (KSM, KPP, Panitia; active ones) in the region (two queries).
    Institutions are not tied to a fiscal year."""
    groups = CommunityGroup.objects.for_user(user).filter(_in(code, "kelurahan__code"))
    counts = groups.aggregate(
        **{f"{kind}": Count("pk", filter=Q(kind=kind)) for kind in ("ksm", "kpp", "panitia")},
        **{
            f"{kind}_active": Count("pk", filter=Q(kind=kind, status="active"))
            for kind in ("ksm", "kpp", "panitia")
        },
    )
    counts["bkm"] = Bkm.objects.for_user(user).filter(_in(code, "kelurahan__code")).count()
    return counts


def _program_rows(user, code: str = ""):
    """(slum area, kelurahan) pairs in the user's places: a kelurahan is in the program
    when a slum area covers it, as an upgrading or a prevention location."""
    through = SlumArea.kelurahan.through.objects.filter(user_scope_q(user, "region__code"))
    return through.filter(_in(code, "region__code"))


def program_figures(user, code: str) -> dict:
    """Kelurahan/desa in the program, by kind of location (one query)."""
    return _program_rows(user, code).aggregate(
        kelurahan=Count("region_id", distinct=True),
        upgrading=Count(
            "region_id",
            distinct=True,
            filter=Q(slumarea__location_kind=LocationKind.UPGRADING),
        ),
        prevention=Count(
            "region_id",
            distinct=True,
            filter=Q(slumarea__location_kind=LocationKind.PREVENTION),
        ),
    )


def money_figures(user, code: str, fiscal_year=None) -> dict:
    """Allocated, disbursed, spent, realization by budgets.selectors.realization (per
    child region and in total), and swadaya (approved; pending apart)."""
    money = realization(user, within=code, fiscal_year=fiscal_year)
    swadaya = SwadayaContribution.objects.for_user(user).filter(_in(code, "work__kelurahan__code"))
    if fiscal_year:
        swadaya = swadaya.filter(work__fiscal_year=fiscal_year)
    money["swadaya"] = swadaya.aggregate(
        approved=Coalesce(Sum("value", filter=APPROVED), Value(Decimal(0)), output_field=MONEY),
        pending=Coalesce(Sum("value", filter=IS_PENDING), Value(Decimal(0)), output_field=MONEY),
    )
    return money


def slum_figures(user, region: Region | None) -> dict:
    """Slum areas by level and hectares at baseline, now and reduced (slums.selectors:
    latest approved surveys; not tied to a fiscal year), with the series by survey year."""
    _rows, total = results_table(user, region)
    total["by_level"] = [
        (level.value, level.label, total[f"n_{level.value}"]) for level in SlumLevel
    ]
    total["by_level"].append(("none", _("Not surveyed yet"), total["n_none"]))
    total["by_year"] = [
        (year, ha, total["baseline_ha"] - ha) for year, ha in results_by_year(user, region)
    ]
    return total


# --- Monthly series -----------------------------------------------------------------------


def monthly_series(user, code: str, fiscal_year=None) -> list[dict]:
    """Per month: approved spending (and its running total) and the average physical
    progress of the approved reports dated that month (two grouped queries)."""
    spending = Spending.objects.for_user(user).filter(APPROVED, _in(code, "work__kelurahan__code"))
    reports = ProgressReport.objects.for_user(user).filter(
        APPROVED, _in(code, "work__kelurahan__code")
    )
    if fiscal_year:
        spending = spending.filter(allocation__fiscal_year=fiscal_year)
        reports = reports.filter(work__fiscal_year=fiscal_year)
    spent = dict(
        spending.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("month", "total")
    )
    progress = dict(
        reports.annotate(month=TruncMonth("report_date"))
        .values("month")
        .annotate(average=Avg("physical_progress"))
        .order_by()
        .values_list("month", "average")
    )
    series, running = [], Decimal(0)
    for month in sorted(set(spent) | set(progress)):
        running += spent.get(month) or 0
        series.append(
            {
                "month": month,
                "spent": spent.get(month) or Decimal(0),
                "spent_to_date": running,
                "progress": progress.get(month),
            }
        )
    return series


# --- Child regions --------------------------------------------------------------------------

SORTS = {
    "name": "name",
    "code": "code",
    "kelurahan": "n_kelurahan",
    "areas": "n_areas",
    "works": "n_works",
    "completed": "n_completed",
    "progress": "avg_progress",
    "flagged": "n_flagged",
    "people": "n_people",
    "allocated": "money_allocated",
    "spent": "money_spent",
    "realization": "money_realization",
}


def _per_child(queryset, field: str, length: int, aggregate, output):
    """A correlated subquery: `aggregate` over the rows of `queryset` whose region code
    (`field`) starts with the outer child region's code — grouped by the code prefix."""
    grouped = (
        queryset.order_by()
        .annotate(child_key=Left(field, length))
        .filter(child_key=OuterRef("code"))
        .values("child_key")
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(grouped, output_field=output), Value(0), output_field=output)


def child_rows(user, code: str, fiscal_year=None, sort: str = "code"):
    """The visible child regions of `code` (the provinces for the nation), each with the
    key figures of the dashboard, sorted in the database by `sort` (a key of SORTS,
    `-` first for descending). One query, however many children."""
    level = code.count(".") + 2 if code else 1
    if level > 4:
        return Region.objects.none()
    length = CODE_LENGTH[level]
    children = Region.objects.for_user(user).filter(level=level).filter(_in(code, "code"))
    count = DecimalField(max_digits=12, decimal_places=0)

    works = scoped_works(user, code, fiscal_year)
    progress = Coalesce("approved_progress", Value(Decimal(0)), output_field=PERCENT)
    program = _program_rows(user, code)
    allocations = Allocation.objects.for_user(user).filter(_in(code, "region__code"))
    if fiscal_year:
        allocations = allocations.filter(fiscal_year=fiscal_year)
    ids = allocations.values("pk")
    passed_on = Allocation.objects.filter(part_of__in=ids)
    disbursed = Disbursement.objects.filter(allocation__in=ids)
    spending = Spending.objects.filter(APPROVED, allocation__in=ids)

    def child(queryset, field, aggregate, output=count):
        return _per_child(queryset, field, length, aggregate, output)

    # Annotation names carry a prefix: Region already has `works`, `slum_areas`, ….
    rows = children.annotate(
        n_kelurahan=child(program, "region_id", Count("region_id", distinct=True)),
        n_areas=child(program, "region_id", Count("slumarea_id", distinct=True)),
        n_works=child(works, "kelurahan_id", Count("pk")),
        n_completed=child(works.filter(status__in=BUILT), "kelurahan_id", Count("pk")),
        avg_progress=child(with_progress(works), "kelurahan_id", Avg(progress), PERCENT),
        n_flagged=child(with_flags(works).filter(any_flag_q()), "kelurahan_id", Count("pk")),
        n_people=child(with_served(works), "kelurahan_id", Sum("served_people")),
        money_own=child(allocations, "region_id", Sum("amount"), MONEY),
        money_passed_on=child(passed_on, "part_of__region_id", Sum("amount"), MONEY),
        money_allocated=F("money_own") - F("money_passed_on"),
        money_disbursed=child(disbursed, "allocation__region_id", Sum("amount"), MONEY),
        money_spent=child(spending, "allocation__region_id", Sum("amount"), MONEY),
        money_realization=Case(
            When(
                money_allocated__gt=0,
                then=F("money_spent") * Value(Decimal(100)) / F("money_allocated"),
            ),
            default=None,
            output_field=PERCENT,
        ),
    )
    field = SORTS.get(sort.lstrip("-"), "code")
    order = F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc()
    return rows.order_by(order, "code")


# --- Map ------------------------------------------------------------------------------------


def parse_bbox(text: str | None):
    """`west,south,east,north` → floats, clipped to Indonesia; Indonesia when missing or
    malformed."""
    try:
        west, south, east, north = (float(part) for part in (text or "").split(","))
    except ValueError:
        return INDONESIA_BBOX
    lo_w, lo_s, hi_e, hi_n = INDONESIA_BBOX
    return (max(west, lo_w), max(south, lo_s), min(east, hi_e), min(north, hi_n))


def map_works(user, code: str, fiscal_year=None, *, bbox=INDONESIA_BBOX, zoom: int = 5):
    """GeoJSON features of the works with a point inside `bbox`: a cluster (count and
    count per status) for each grid cell holding several works, a point (name, status,
    address of its page) for a cell holding one, or for every work from zoom 17 on.
    Two queries, whatever the number of works."""
    west, south, east, north = bbox
    works = scoped_works(user, code, fiscal_year).filter(
        latitude__isnull=False,
        longitude__gte=west,
        longitude__lte=east,
        latitude__gte=south,
        latitude__lte=north,
    )
    if zoom >= MAX_CLUSTER_ZOOM:
        return [_point(work) for work in _point_rows(works)[:MAX_POINTS]]
    cell = Decimal(360 * CELL_PX) / Decimal(256 * 2**zoom)
    cells = (
        works.order_by()
        .annotate(cx=Floor(F("longitude") / cell), cy=Floor(F("latitude") / cell))
        .values("cx", "cy")
        .annotate(
            n=Count("pk"),
            lat=Avg("latitude"),
            lng=Avg("longitude"),
            first=Min("pk"),
            **{f"s_{value}": Count("pk", filter=Q(status=value)) for value in WorkStatus},
        )
    )
    features, singles = [], []
    for row in cells:
        if row["n"] == 1:
            singles.append(row["first"])
            continue
        statuses = {value: row[f"s_{value}"] for value in WorkStatus if row[f"s_{value}"]}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_f(row["lng"]), _f(row["lat"])]},
                "properties": {
                    "kind": "cluster",
                    "count": row["n"],
                    "status": max(statuses, key=statuses.get),
                    "statuses": statuses,
                },
            }
        )
    if singles:
        features += [_point(work) for work in _point_rows(Work.objects.filter(pk__in=singles))]
    return features


def _f(value) -> float:
    return round(float(value), 6)


def _point_rows(works):
    return works.order_by("pk").values("pk", "name", "status", "latitude", "longitude")


def _point(work: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [_f(work["longitude"]), _f(work["latitude"])]},
        "properties": {
            "kind": "work",
            "name": work["name"],
            "status": work["status"],
            "status_label": str(WorkStatus(work["status"]).label),
            "url": reverse("works:work_detail", args=[work["pk"]]),
        },
    }


def map_areas(user, region: Region | None) -> list[dict]:
    """GeoJSON features of the slum area outlines in a kabupaten/kota or below, with the
    level of their latest approved survey (one query); none above that level."""
    if region is None or region.level < 2:
        return []
    areas = (
        with_results(results_areas(user, region))
        .filter(outline__isnull=False)
        .values("pk", "name", "outline", "level", "current_ha")
    )
    return [
        {
            "type": "Feature",
            "geometry": area["outline"],
            "properties": {
                "kind": "area",
                "name": area["name"],
                "level": area["level"] or "none",
                "url": reverse("slums:slumarea_detail", args=[area["pk"]]),
            },
        }
        for area in areas
        if area["outline"]
    ]
