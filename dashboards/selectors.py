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
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Floor, Left, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q, scope_of, user_scope_q
from budgets.models import RegionMoney, Spending, SwadayaContribution
from budgets.selectors import realization, spending_by_month
from kotaku.precompiled import aggregating, statements
from kotaku.workflow import PENDING, ReviewStatus
from locations.models import Region
from programs.models import Bkm, CommunityGroup
from slums.choices import LocationKind, SlumAspect, SlumLevel
from slums.models import ProgramRollup, SlumArea, SlumSurvey
from slums.selectors import results_areas, results_by_year, results_table, with_results
from works import rollups
from works.choices import BUILT, WorkStatus
from works.models import ProgressReport, Work, WorkRollup
from works.selectors import (
    CODE_LENGTH,
    summaries_for,
    with_summary_flags,
)

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
    """The fiscal years with works or allocations in the user's places, newest first
    (from the rollup rows of the user's places: works and money)."""

    def build():
        works = WorkRollup.objects.filter(works__gt=0)
        money = RegionMoney.objects.filter(allocations__gt=0)
        if user.sees_everything:
            works, money = works.filter(parent_code=""), money.filter(parent="")
        else:
            works = works.filter(region_code__in=user.place_codes)
            money = money.filter(code__in=user.place_codes)
        works = works.order_by().values_list("fiscal_year", flat=True)
        money = money.order_by().values_list("fiscal_year", flat=True)
        return works.union(money)

    return sorted(set(statements.rows(("dashboards.years", scope_of(user)), build)), reverse=True)


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
    and where the works lie. Read from the regions' rollups when the user sees the whole
    region, else added up from the summaries of their own places; plus the works under
    construction with no report for 30 days, counted today (two queries)."""

    def summaries():  # built only when a statement is compiled
        return summaries_for(user, within=code, fiscal_year=fiscal_year)

    if rollups.covers(user, code):
        row = rollups.region_totals(code, fiscal_year)
    else:
        row = rollups.strip(
            statements.one(
                ("dashboards.live_totals", scope_of(user), code, fiscal_year),
                lambda: aggregating(summaries(), **rollups.sums(), **rollups.bounds()),
            )
        )
    for key, value in row.items():
        if value is None and key not in rollups.BOUNDS:
            row[key] = 0
    row.update(
        statements.one(
            ("dashboards.stale", scope_of(user), code, fiscal_year, timezone.localdate()),
            lambda: aggregating(_stale(summaries()), **_STALE),
        )
    )
    row["progress"] = row["progress_sum"] / row["works"] if row["works"] else Decimal(0)
    row["flag_stale"] = row["stale"]
    row["flagged"] = row["flag_stored_any"] + row["stale_only"]
    row["with_pending"] = row["pending"]
    row["by_status"] = [(s.value, s.label, row[f"status_{s.value}"]) for s in WorkStatus]
    row["by_aspect"] = [(a.value, a.label, row[f"aspect_{a.value}"]) for a in SlumAspect]
    row["completed"] = sum(row[f"status_{value}"] for value in BUILT)
    row["with_point"] = row["works"] - row["without_point"]
    return row


# Works under construction with no report for 30 days (the one flag that depends on the
# day), and those of them with no other flag.
_STALE = {
    "stale": Count("pk", filter=Q(flag_stale=True)),
    "stale_only": Count("pk", filter=Q(flag_stale=True) & ~rollups.STORED_FLAGS),
}


def _stale(summaries):
    return with_summary_flags(summaries.filter(status=WorkStatus.UNDER_CONSTRUCTION))


def pending_figures(user, region: Region | None, fiscal_year=None) -> dict:
    """What waits for review (submitted or verified): progress reports, spending, swadaya
    and slum surveys (four queries). None of it counts in the figures yet."""
    code = region.code if region else ""
    key = (scope_of(user), code, fiscal_year)

    def pending(model, year_field):
        rows = model.objects.for_user(user).filter(IS_PENDING, _in(code, "work__kelurahan__code"))
        return rows.filter(**{year_field: fiscal_year}) if fiscal_year else rows

    money = statements.one(
        ("dashboards.pending.spending", *key),
        lambda: aggregating(
            pending(Spending, "allocation__fiscal_year"), n=Count("pk"), amount=Sum("amount")
        ),
    )
    report_counts = statements.one(
        ("dashboards.pending.reports", *key),
        lambda: aggregating(
            pending(ProgressReport, "work__fiscal_year"),
            submitted=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
            verified=Count("pk", filter=Q(status=ReviewStatus.VERIFIED)),
        ),
    )
    swadaya = statements.one(
        ("dashboards.pending.swadaya", *key),
        lambda: aggregating(pending(SwadayaContribution, "work__fiscal_year"), n=Count("pk")),
    )
    surveys = statements.one(
        ("dashboards.pending.surveys", *key[:2]),
        lambda: aggregating(
            SlumSurvey.objects.for_user(user).filter(
                IS_PENDING, slum_area__in=results_areas(user, region).values("pk")
            ),
            n=Count("pk"),
        ),
    )
    return {
        "reports": report_counts["submitted"] + report_counts["verified"],
        "reports_submitted": report_counts["submitted"],
        "reports_verified": report_counts["verified"],
        "spending": money["n"],
        "spending_amount": money["amount"] or Decimal(0),
        "swadaya": swadaya["n"],
        "surveys": surveys["n"],
    }


def institution_figures(user, code: str) -> dict:
    """BKM/LKM and groups (KSM, KPP, Panitia; active ones) in the region (two queries).
    Institutions are not tied to a fiscal year."""
    key = (scope_of(user), code)

    def build():
        groups = CommunityGroup.objects.for_user(user).filter(_in(code, "kelurahan__code"))
        return aggregating(
            groups,
            **{f"{kind}": Count("pk", filter=Q(kind=kind)) for kind in ("ksm", "kpp", "panitia")},
            **{
                f"{kind}_active": Count("pk", filter=Q(kind=kind, status="active"))
                for kind in ("ksm", "kpp", "panitia")
            },
        )

    counts = statements.one(("dashboards.institutions", *key), build)
    counts["bkm"] = statements.one(
        ("dashboards.bkm", *key),
        lambda: aggregating(
            Bkm.objects.for_user(user).filter(_in(code, "kelurahan__code")), n=Count("pk")
        ),
    )["n"]
    return counts


def _program_rows(user, code: str = ""):
    """(slum area, kelurahan) pairs in the user's places: a kelurahan is in the program
    when a slum area covers it, as an upgrading or a prevention location."""
    through = SlumArea.kelurahan.through.objects.filter(user_scope_q(user, "region__code"))
    return through.filter(_in(code, "region__code"))


def program_figures(user, code: str) -> dict:
    """Kelurahan/desa in the program, by kind of location (one query): from the stored
    counts (slums.models.ProgramRollup) when the user sees the whole region, else per
    kelurahan of their own places first, then counted."""
    if rollups.covers(user, code):
        figures = statements.one(
            ("dashboards.program", code),
            lambda: aggregating(
                ProgramRollup.objects.filter(**({"code": code} if code else {"parent": ""})),
                kelurahan=Sum("kelurahan"),
                upgrading=Sum("upgrading"),
                prevention=Sum("prevention"),
            ),
        )
        return {key: value or 0 for key, value in figures.items()}

    def has(kind):
        return Max(Case(When(slumarea__location_kind=kind, then=1), default=0))

    per_kelurahan = (
        _program_rows(user, code)
        .values("region_id")
        .annotate(
            has_upgrading=has(LocationKind.UPGRADING), has_prevention=has(LocationKind.PREVENTION)
        )
        .order_by()
    )
    figures = per_kelurahan.aggregate(
        kelurahan=Count("region_id"),
        upgrading=Sum("has_upgrading"),
        prevention=Sum("has_prevention"),
    )
    return {key: value or 0 for key, value in figures.items()}


def money_figures(user, code: str, fiscal_year=None) -> dict:
    """Allocated, disbursed, spent, realization by budgets.selectors.realization (per
    child region and in total), and swadaya (approved; pending apart)."""
    money = realization(user, within=code, fiscal_year=fiscal_year)

    def build():
        swadaya = SwadayaContribution.objects.for_user(user)
        swadaya = swadaya.filter(_in(code, "work__kelurahan__code"))
        if fiscal_year:
            swadaya = swadaya.filter(work__fiscal_year=fiscal_year)
        zero = Value(Decimal(0))
        return aggregating(
            swadaya,
            approved=Coalesce(Sum("value", filter=APPROVED), zero, output_field=MONEY),
            pending=Coalesce(Sum("value", filter=IS_PENDING), zero, output_field=MONEY),
        )

    money["swadaya"] = statements.one(
        ("dashboards.swadaya", scope_of(user), code, fiscal_year), build
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
    progress of the approved reports dated that month (two grouped queries, over the
    monthly rollups when the user sees the whole region)."""

    def reports():  # built only when the statement is compiled
        approved = ProgressReport.objects.for_user(user).filter(
            APPROVED, _in(code, "work__kelurahan__code")
        )
        return approved.filter(work__fiscal_year=fiscal_year) if fiscal_year else approved

    spent = spending_by_month(user, within=code, fiscal_year=fiscal_year)
    if rollups.covers(user, code):
        progress = {
            month: total / count
            for month, (count, total) in rollups.month_totals(code, fiscal_year).items()
            if count
        }
    else:
        progress = dict(
            statements.rows(
                ("dashboards.live_progress", scope_of(user), code, fiscal_year),
                lambda: (
                    reports()
                    .annotate(month=TruncMonth("report_date"))
                    .values("month")
                    .annotate(average=Avg("physical_progress"))
                    .order_by()
                    .values_list("month", "average")
                ),
            )
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


def child_rows(user, code: str, fiscal_year=None, sort: str = "code", money=None) -> list:
    """The visible child regions of `code` (the provinces for the nation), each with the
    key figures of the dashboard, sorted by `sort` (a key of SORTS, `-` first for
    descending; empty values last). A fixed number of grouped queries, however many
    children: works from the rollups (or the user's own summaries), slum-program
    kelurahan, and the money of `budgets.selectors.realization` (`money`, when the
    caller already has it)."""
    level = code.count(".") + 2 if code else 1
    if level > 4:
        return []
    length = CODE_LENGTH[level]
    children = statements.instances(
        ("dashboards.children", scope_of(user), code),
        Region,
        lambda: (
            Region.objects.for_user(user)
            .filter(level=level)
            .filter(_in(code, "code"))
            .order_by("code")
        ),
    )

    def summaries():  # built only when a statement is compiled
        return summaries_for(user, within=code, fiscal_year=fiscal_year)

    if rollups.covers(user, code):
        works = rollups.children_totals(code, fiscal_year)
    else:
        works = {
            row.pop("key"): rollups.strip(row)
            for row in statements.rows(
                ("dashboards.children.live_totals", scope_of(user), code, fiscal_year),
                lambda: (
                    summaries()
                    .annotate(key=Left("kelurahan_id", length))
                    .values("key")
                    .annotate(**rollups.sums())
                    .order_by()
                ),
            )
        }
    stale = dict(
        statements.rows(
            ("dashboards.children.stale", scope_of(user), code, fiscal_year, timezone.localdate()),
            lambda: (
                _stale(summaries())
                .annotate(key=Left("kelurahan_id", length))
                .values("key")
                .annotate(stale_only=_STALE["stale_only"])
                .order_by()
                .values_list("key", "stale_only")
            ),
        )
    )
    if rollups.covers(user, code):
        program = {
            child: {"n_kelurahan": kelurahan, "n_areas": areas}
            for child, kelurahan, areas in statements.rows(
                ("dashboards.children.program", code),
                lambda: (
                    ProgramRollup.objects.filter(parent=code)
                    .order_by()
                    .values_list("code", "kelurahan", "areas")
                ),
            )
        }
    else:
        program = {
            row["key"]: row
            for row in statements.rows(
                ("dashboards.children.live_program", scope_of(user), code),
                lambda: (
                    _program_rows(user, code)
                    .annotate(key=Left("region_id", length))
                    .values("key")
                    .annotate(
                        n_kelurahan=Count("region_id", distinct=True),
                        n_areas=Count("slumarea_id", distinct=True),
                    )
                    .order_by()
                ),
            )
        }
    if money is None:
        money = realization(user, within=code, fiscal_year=fiscal_year)
    figures = {row.key: row for row in money["rows"]}
    for child in children:
        mine = works.get(child.code) or {}
        child.n_works = mine.get("works") or 0
        child.n_completed = sum(mine.get(f"status_{value}") or 0 for value in BUILT)
        progress = mine.get("progress_sum") or Decimal(0)
        child.avg_progress = progress / child.n_works if child.n_works else Decimal(0)
        child.n_flagged = (mine.get("flag_stored_any") or 0) + stale.get(child.code, 0)
        child.n_people = mine.get("served_people") or 0
        child.n_kelurahan = program.get(child.code, {}).get("n_kelurahan", 0)
        child.n_areas = program.get(child.code, {}).get("n_areas", 0)
        figure = figures.get(child.code)
        child.money_allocated = figure.allocated if figure else Decimal(0)
        child.money_disbursed = figure.disbursed if figure else Decimal(0)
        child.money_spent = figure.spent if figure else Decimal(0)
        child.money_realization = (
            child.money_spent * 100 / child.money_allocated if child.money_allocated > 0 else None
        )
    return _sorted(children, sort)


def _sorted(children: list, sort: str) -> list:
    field = SORTS.get(sort.lstrip("-"), "code")
    children.sort(key=lambda child: child.code)
    if field == "code" and not sort.startswith("-"):
        return children
    present = [child for child in children if getattr(child, field) is not None]
    empty = [child for child in children if getattr(child, field) is None]
    # Stable sorts: equal values stay in code order.
    # A stable sort, reversed or not: equal values stay in code order.
    present.sort(key=lambda child: getattr(child, field), reverse=sort.startswith("-"))
    return present + empty


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
    # The cell of each work in floating point: numeric division of 150,000 points took
    # PostgreSQL 0.1 s more, and its estimate then chose a sort on disk over a hash.
    cell = 360 * CELL_PX / (256 * 2**zoom)
    cells = (
        works.order_by()
        .annotate(
            cx=Floor(Cast("longitude", FloatField()) / cell),
            cy=Floor(Cast("latitude", FloatField()) / cell),
        )
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
