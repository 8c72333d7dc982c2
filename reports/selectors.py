"""The monthly district report (laporan bulanan): every figure for one kabupaten/kota and
month, read once here so that the HTML page and the PDF cannot disagree.

Rules it keeps:
- everything is intersected with the user's places (`for_user`): a facilitator's report
  of a kabupaten covers only their kelurahan/desa, and says so (`MonthlyReport.partial`);
- the state is taken at the end of the month: a work's status from its status steps up
  to that day, its progress, labour and beneficiaries from its approved reports dated up
  to that day; money of the month's fiscal year dated up to that day;
- only approved data counts in figures; pending reports, spending, swadaya and surveys
  are shown apart as pending;
- every section is a fixed number of grouped queries, however many works, allocations,
  areas or photos there are (the works table is one annotated query).
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q, user_scope_q
from accounts.selectors import user_place_regions
from budgets.models import Allocation, Disbursement, Spending, SwadayaContribution
from budgets.selectors import Figures
from kotaku.workflow import PENDING, ReviewStatus
from locations.models import Region
from programs.choices import GroupKind
from programs.models import Bkm, CommunityGroup
from slums.choices import SlumLevel, SurveyKind
from slums.models import SlumArea, SlumSurvey
from slums.selectors import HA_FIELD, KIND_RANK, SLUM_HA, current_ha, results_areas
from works.choices import PhotoStage, WorkStatus
from works.models import ProgressReport, ReportPhoto, Work, WorkStatusChange
from works.selectors import FLAGS, REPORTED, with_flags
from works.services import SERVED_FIELDS

MONEY = DecimalField(max_digits=17, decimal_places=0)
PERCENT = DecimalField(max_digits=9, decimal_places=2)
APPROVED = Q(status=ReviewStatus.APPROVED)
IS_PENDING = Q(status__in=PENDING)
# Works of earlier fiscal years still appear while they are not built yet.
ONGOING = (WorkStatus.PLANNED, WorkStatus.UNDER_CONSTRUCTION)
# Enough photos for a few printed pages; the works table lists every completed work.
MAX_PHOTOS = 36
LONG_TABLE = 8
# The same words as the works pages use for each flag (works/_flags.html).
FLAG_LABELS = {
    "flag_jump": _("progress jumped over 50 points"),
    "flag_stale": _("no report for 30 days"),
    "flag_no_final_photo": _("no 100% photo"),
    "flag_overspent": _("spending above budget"),
}


@dataclass
class Period:
    year: int
    month: int

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)


@dataclass
class MonthlyReport:
    region: Region
    period: Period
    partial: bool
    places: list
    summary: dict
    money: list
    money_total: Figures
    recipients: list
    swadaya: dict
    works: list
    works_total: dict
    slum_areas: list
    slum_total: dict
    photos: list
    flags: list = field(default_factory=list)

    @property
    def flagged_works(self):
        """The rows of the works table with any flag (already fetched: no query)."""
        return [work for work in self.works if work.flag_labels]

    @property
    def works_on_new_page(self):
        """A long works table starts on a page of its own, in print and in the PDF."""
        return len(self.works) > LONG_TABLE

    @property
    def filename(self):
        return f"laporan-bulanan-{self.region.code}-{self.period.year}-{self.period.month:02d}.pdf"


def kabupaten_for_user(user):
    """The kabupaten/kota a user may take a report of: those they can see (their own, or
    the one above their kecamatan or desa)."""
    return Region.objects.for_user(user).filter(level=2).order_by("code")


def report_coverage(user, region: Region) -> tuple[bool, list]:
    """(partial, places): whether the user sees only part of the kabupaten, and which of
    their assigned places lie in it."""
    if user.sees_everything:
        return False, []
    codes = user.place_codes
    whole = any(region.code == code or region.code.startswith(f"{code}.") for code in codes)
    if whole:
        return False, []
    inside = [p for p in user_place_regions(user) if p.code.startswith(f"{region.code}.")]
    return True, inside


def monthly_report(user, region: Region, year: int, month: int) -> MonthlyReport:
    period = Period(year, month)
    partial, places = report_coverage(user, region)
    works = report_works(user, region, period)
    rows = list(works)
    for row in rows:
        row.financial_progress = _share(row.approved_spent, row.budget)
        row.flag_labels = [label for flag, label in FLAG_LABELS.items() if getattr(row, flag)]
        row.status_at_end_label = WorkStatus(row.status_at_end).label
    works_total = works_totals(works)
    allocations = report_allocations(user, region, period)
    money, money_total = money_by(allocations, period, BY_SOURCE)
    recipients, _total = money_by(allocations, period, BY_RECIPIENT)
    for row in recipients:
        row.extra["own"] = row.key == region.code
    slum_areas, slum_total = slum_reduction(user, region, period)
    return MonthlyReport(
        region=region,
        period=period,
        partial=partial,
        places=places,
        summary=program_summary(user, region, period, works_total),
        money=money,
        money_total=money_total,
        recipients=recipients,
        swadaya=swadaya_totals(user, region, period),
        works=rows,
        works_total=works_total,
        slum_areas=slum_areas,
        slum_total=slum_total,
        photos=completed_photos(user, region, period),
        flags=[(label, works_total[flag]) for flag, label in FLAG_LABELS.items()],
    )


def _share(part, whole):
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- Program summary ----------------------------------------------------------------------


def program_summary(user, region: Region, period: Period, works_total: dict) -> dict:
    """Kelurahan in the program (with a BKM), by kind of location (from the slum areas
    delineated by month end), BKM/KSM/KPP/Panitia active at month end, and works by
    status at month end (from the works totals). Three queries."""
    end = period.last
    bkms = (
        Bkm.objects.for_user(user)
        .filter(covered_q([region.code], "kelurahan__code"))
        .filter(Q(formed_on__isnull=True) | Q(formed_on__lte=end))
        .aggregate(n=Count("pk"))
    )
    active = Q(formed_on__lte=end) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
    groups = (
        CommunityGroup.objects.for_user(user)
        .filter(covered_q([region.code], "kelurahan__code"))
        .filter(active)
        .aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in GroupKind.values})
    )
    covered = SlumArea.kelurahan.through.objects.filter(
        slumarea__in=results_areas(user, region).filter(sk_date__lte=end).values("pk"),
    ).filter(covered_q([region.code], "region__code"), user_scope_q(user, "region__code"))
    locations = covered.aggregate(
        **{
            kind: Count("region", distinct=True, filter=Q(slumarea__location_kind=kind))
            for kind in ("peningkatan", "pencegahan")
        }
    )
    return {
        "kelurahan": bkms["n"],
        "bkm": bkms["n"],
        "ksm": groups[GroupKind.KSM],
        "kpp": groups[GroupKind.KPP],
        "panitia": groups[GroupKind.PANITIA],
        "upgrading": locations["peningkatan"],
        "prevention": locations["pencegahan"],
        "by_status": [
            (label, works_total[f"status_{value}"]) for value, label in WorkStatus.choices
        ],
        "works": works_total["works"],
        "started": works_total["started"],
        "completed": works_total["completed"],
    }


# --- Works --------------------------------------------------------------------------------


def _status_at(end):
    """A work's status on `end`: the last step taken by then; before its first step, the
    status that step left; the current status when no steps were recorded."""
    steps = WorkStatusChange.objects.filter(work=OuterRef("pk"))
    return Coalesce(
        Subquery(steps.filter(date__lte=end).order_by("-date", "-pk").values("to_status")[:1]),
        Subquery(steps.order_by("date", "pk").values("from_status")[:1]),
        F("status"),
    )


def _stepped_in(period: Period, to_status):
    return Exists(
        WorkStatusChange.objects.filter(
            work=OuterRef("pk"), to_status=to_status, date__range=(period.first, period.last)
        )
    )


def _latest(reports, name, output=None):
    rows = reports.order_by("-report_date", "-pk").values(name)[:1]
    return Subquery(rows, output_field=output) if output else Subquery(rows)


def _summed(reports, name, output=MONEY):
    rows = reports.order_by().values("work").annotate(total=Sum(name)).values("total")
    return Coalesce(Subquery(rows, output_field=output), Value(0), output_field=output)


def _peak(reports, name):
    rows = reports.order_by().values("work").annotate(peak=Max(name)).values("peak")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _works_of(user, region: Region, period: Period):
    """The works of the report: the month's fiscal year, plus works of earlier years not
    yet built at month end; each with its status at month end."""
    return (
        Work.objects.for_user(user)
        .filter(covered_q([region.code], "kelurahan__code"))
        .annotate(status_at_end=_status_at(period.last))
        .filter(
            Q(fiscal_year=period.year) | Q(fiscal_year__lt=period.year, status_at_end__in=ONGOING)
        )
    )


def report_works(user, region: Region, period: Period):
    """The works table, one annotated query: each work's status at month end; its latest
    approved progress (physical, money spent to date) dated up to month end and whether a
    report is pending; labour (HOK to date and this month, wages, workers by sex at their
    peak); beneficiaries served; the data-quality flags as of month end."""
    end = period.last
    reports = ProgressReport.objects.filter(work=OuterRef("pk"), report_date__lte=end)
    approved = reports.filter(APPROVED)
    this_month = approved.filter(report_date__gte=period.first)
    works = (
        _works_of(user, region, period)
        .select_related("kelurahan", "work_type", "builder")
        .annotate(
            approved_progress=_latest(approved, "physical_progress"),
            approved_date=_latest(approved, "report_date"),
            approved_spent=_latest(approved, "spent_to_date"),
            has_pending=Exists(reports.filter(IS_PENDING)),
            labour_days_total=_summed(approved, "labour_days"),
            labour_days_month=_summed(this_month, "labour_days"),
            wages_total=_summed(approved, "wage_value"),
            workers_men_peak=_peak(approved, "workers_men"),
            workers_women_peak=_peak(approved, "workers_women"),
            started_in_month=_stepped_in(period, WorkStatus.UNDER_CONSTRUCTION),
            completed_in_month=_stepped_in(period, WorkStatus.COMPLETED),
            **{
                name: Coalesce(_latest(approved, name), Value(0), output_field=IntegerField())
                for name in SERVED_FIELDS
            },
        )
        .order_by("kelurahan_id", "name", "pk")
    )
    return with_flags(works, today=end)


def _totals(queryset, **aggregates) -> dict:
    """`queryset.aggregate()` under `t_` aliases: an aggregate named like the annotation
    it sums would replace that annotation in the inner query (as in slums.selectors).
    Empty sums read 0."""
    totals = queryset.order_by().aggregate(
        **{f"t_{name}": aggregate for name, aggregate in aggregates.items()}
    )
    return {name.removeprefix("t_"): value or 0 for name, value in totals.items()}


def works_totals(works) -> dict:
    """Totals of the works table in one aggregate query: counts by status at month end,
    started and completed this month, budget, average progress, labour, beneficiaries,
    pending reports and each flag."""
    statuses = {
        f"status_{value}": Count("pk", filter=Q(status_at_end=value)) for value in WorkStatus
    }
    summed = (
        "labour_days_total",
        "labour_days_month",
        "wages_total",
        "workers_men_peak",
        "workers_women_peak",
        *SERVED_FIELDS,
    )
    totals = _totals(
        works,
        works=Count("pk"),
        started=Count("pk", filter=Q(started_in_month=True)),
        completed=Count("pk", filter=Q(completed_in_month=True)),
        pending=Count("pk", filter=Q(has_pending=True)),
        budget=Sum("budget"),
        progress=Avg(Coalesce("approved_progress", Value(Decimal(0)), output_field=PERCENT)),
        **{name: Sum(name) for name in summed},
        **{flag: Count("pk", filter=Q(**{flag: True})) for flag in FLAGS},
        **statuses,
    )
    totals["progress"] = Decimal(totals["progress"]).quantize(Decimal("0.1"))
    return totals


def completed_photos(user, region: Region, period: Period) -> list:
    """Photos of the works completed during the month (one query): from their reports
    sent on up to month end, the 100% stage first; each knows whether its report is
    still pending."""
    completed = (
        _works_of(user, region, period)
        .filter(_stepped_in(period, WorkStatus.COMPLETED))
        .values("pk")
    )
    final_first = Case(When(stage=PhotoStage.DONE, then=Value(0)), default=Value(1))
    return list(
        ReportPhoto.objects.filter(
            report__work__in=completed,
            report__status__in=REPORTED,
            report__report_date__lte=period.last,
        )
        .select_related("report__work__kelurahan")
        .order_by("report__work__kelurahan_id", "report__work__name", final_first, "pk")[
            :MAX_PHOTOS
        ]
    )


# --- Money --------------------------------------------------------------------------------


BY_SOURCE = ("source_id", "source__name", "source__order")
# The recipient's region: a BKM's kelurahan/desa, or the kabupaten's own allocation.
BY_RECIPIENT = ("region_id", "region__name", "region_id")


def report_allocations(user, region: Region, period: Period):
    """Allocations of the month's fiscal year in the kabupaten, decreed by month end."""
    return (
        Allocation.objects.for_user(user)
        .filter(covered_q([region.code], "region__code"))
        .filter(fiscal_year=period.year, decree_date__lte=period.last)
    )


def money_by(allocations, period: Period, names=BY_SOURCE) -> tuple[list, Figures]:
    """Money of `allocations` grouped by `names` (key, name, order; BY_SOURCE or
    BY_RECIPIENT): allocated (a part passed on to a BKM counts once, under the BKM),
    disbursed and approved spending up to month end and during the month, pending
    spending, and the realization (spent ÷ allocated). Four grouped queries."""
    end = period.last
    pks = allocations.values("pk")
    in_month = Q(date__gte=period.first)
    figures: dict[object, Figures] = {}

    def grouped(queryset, prefix, **sums):
        fields = [f"{prefix}{name}" for name in names]
        for row in queryset.values(*fields).annotate(**sums).order_by():
            key, name, order = (row[field] for field in fields)
            extra = {"order": order, "disbursed_month": 0, "spent_month": 0}
            yield figures.setdefault(key, Figures(key=key, name=name, extra=extra)), row

    for figure, row in grouped(allocations, "", total=Sum("amount")):
        figure.allocated += row["total"]
    passed_on = Allocation.objects.filter(part_of__in=pks, decree_date__lte=end)
    for figure, row in grouped(passed_on, "part_of__", total=Sum("amount")):
        figure.allocated -= row["total"]
    disbursed = Disbursement.objects.filter(allocation__in=pks, date__lte=end)
    for figure, row in grouped(
        disbursed, "allocation__", total=Sum("amount"), month=Sum("amount", filter=in_month)
    ):
        figure.disbursed += row["total"] or 0
        figure.extra["disbursed_month"] += row["month"] or 0
    spending = Spending.objects.filter(allocation__in=pks, date__lte=end)
    for figure, row in grouped(
        spending,
        "allocation__",
        spent=Sum("amount", filter=APPROVED),
        month=Sum("amount", filter=APPROVED & in_month),
        pending=Sum("amount", filter=IS_PENDING),
    ):
        figure.spent += row["spent"] or 0
        figure.extra["spent_month"] += row["month"] or 0
        figure.pending += row["pending"] or 0
    rows = sorted(figures.values(), key=lambda f: (f.extra["order"], f.name))
    total = Figures(name="total", extra={"disbursed_month": 0, "spent_month": 0})
    for figure in rows:
        total.add(figure)
        for name in ("disbursed_month", "spent_month"):
            total.extra[name] += figure.extra[name]
    return rows, total


def swadaya_totals(user, region: Region, period: Period) -> dict:
    """Community contributions (cash and in kind, valued in rupiah) to works in the
    kabupaten, dated in the fiscal year up to month end: approved, of which this month,
    and pending. One query."""
    zero = Value(Decimal(0), output_field=MONEY)
    totals = (
        SwadayaContribution.objects.for_user(user)
        .filter(covered_q([region.code], "work__kelurahan__code"))
        .filter(date__range=(period.year_start, period.last))
        .aggregate(
            approved=Coalesce(Sum("value", filter=APPROVED), zero, output_field=MONEY),
            month=Coalesce(
                Sum("value", filter=APPROVED & Q(date__gte=period.first)), zero, output_field=MONEY
            ),
            pending=Coalesce(Sum("value", filter=IS_PENDING), zero, output_field=MONEY),
        )
    )
    return totals


# --- Slum reduction -----------------------------------------------------------------------


def _area_surveys(year):
    return SlumSurvey.objects.filter(
        slum_area=OuterRef("pk"), rt__isnull=True, status=ReviewStatus.APPROVED, year__lte=year
    )


def slum_reduction(user, region: Region, period: Period) -> tuple[list, dict]:
    """The slum areas delineated by month end, each with baseline, current (approved
    surveys up to the month's year) and reduced hectares and its level then, and whether
    a survey waits for review; plus the totals and areas by level. Two queries. The
    hectare rules are those of slums.selectors."""
    baseline = _area_surveys(period.year).filter(kind=SurveyKind.BASELINE)
    latest = _area_surveys(period.year).order_by("-year", -KIND_RANK, "-id")
    areas = (
        results_areas(user, region)
        .filter(sk_date__lte=period.last)
        .annotate(
            baseline_ha=Coalesce(
                Subquery(baseline.annotate(ha=SLUM_HA).values("ha")[:1], output_field=HA_FIELD),
                F("area_ha"),
                output_field=HA_FIELD,
            ),
            current_ha=current_ha(period.year),
            reduced_ha=F("baseline_ha") - F("current_ha"),
            level=Subquery(latest.values("level")[:1]),
            survey_pending=Exists(
                SlumSurvey.objects.filter(slum_area=OuterRef("pk"), status__in=PENDING)
            ),
        )
    )
    levels = {
        f"level_{level}": Count("pk", filter=Q(level=level), distinct=True) for level in SlumLevel
    }
    total = _totals(
        areas,
        areas=Count("pk", distinct=True),
        sk_ha=Sum("area_ha"),
        baseline_ha=Sum("baseline_ha"),
        current_ha=Sum("current_ha"),
        pending=Count("pk", filter=Q(survey_pending=True), distinct=True),
        level_none=Count("pk", filter=Q(level__isnull=True), distinct=True),
        **levels,
    )
    for name in ("sk_ha", "baseline_ha", "current_ha"):
        total[name] = Decimal(total[name]).quantize(Decimal("0.01"))
    total["reduced_ha"] = total["baseline_ha"] - total["current_ha"]
    total["by_level"] = [
        *((label, total[f"level_{value}"]) for value, label in SlumLevel.choices),
        (_("Not surveyed yet"), total["level_none"]),
    ]
    rows = list(areas.order_by("name", "pk"))
    for row in rows:
        row.level_label = SlumLevel(row.level).label if row.level else ""
    return rows, total
