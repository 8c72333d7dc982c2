"""Reads of works, always through the user's scope. Progress, labour and data-quality
flags are computed in the database (subqueries and aggregates), never one query per row."""

import operator
from datetime import timedelta
from decimal import Decimal
from functools import reduce

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Left, NullIf, Round
from django.utils import timezone

from accounts.scoping import covered_q
from kotaku.workflow import PENDING, ReviewStatus
from locations.models import Region

from . import rollups
from .choices import BUILT, REPORTABLE, SERVED_FIELDS, PhotoStage, WorkStatus
from .models import ProgressReport, ReportPhoto, Work, WorkStatusChange, WorkSummary

# Reports sent on by the facilitator: what coordinators look at for data quality.
REPORTED = (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.APPROVED)
JUMP_POINTS = 50
STALE_DAYS = 30
REPORT_DUE_DAYS = 14
# Length of a region code at each level: 35 / 35.19 / 35.19.09 / 35.19.09.2010.
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
FLAGS = ("flag_jump", "flag_stale", "flag_no_final_photo", "flag_overspent")

_DECIMAL = DecimalField(max_digits=17, decimal_places=2)


def _reports(**filters):
    return ProgressReport.objects.filter(work=OuterRef("pk"), **filters)


def _latest(queryset, field):
    return Subquery(queryset.order_by("-report_date", "-pk").values(field)[:1])


def _summed(queryset, field, output=_DECIMAL):
    total = queryset.order_by().values("work").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=output), Value(0), output_field=output)


def _peak(queryset, field):
    peak = queryset.order_by().values("work").annotate(peak=Max(field)).values("peak")
    return Coalesce(Subquery(peak, output_field=IntegerField()), Value(0))


def with_progress(queryset):
    """Each work's latest approved progress and its date, whether a report is pending,
    and the date of its latest report of any state."""
    approved = _reports(status=ReviewStatus.APPROVED)
    return queryset.annotate(
        approved_progress=_latest(approved, "physical_progress"),
        approved_date=_latest(approved, "report_date"),
        has_pending=Exists(_reports(status__in=PENDING)),
        last_report_date=_latest(_reports(), "report_date"),
    )


def with_labour(queryset):
    """Labour from the approved reports: labour days (HOK) and wages summed over the
    periods; workers by sex as the most reported at one time (the same people work
    through several periods, so counts are not added up)."""
    approved = _reports(status=ReviewStatus.APPROVED)
    return queryset.annotate(
        labour_days_total=_summed(approved, "labour_days"),
        wages_total=_summed(approved, "wage_value"),
        workers_men_peak=_peak(approved, "workers_men"),
        workers_women_peak=_peak(approved, "workers_women"),
    )


def _served(approved, field):
    return Coalesce(_latest(approved, field), Value(0), output_field=IntegerField())


def with_served(queryset):
    """Beneficiaries actually served, as the latest approved report counts them to date
    (`served_people`, `served_women`, … ; 0 without an approved report)."""
    approved = _reports(status=ReviewStatus.APPROVED)
    return queryset.annotate(**{field: _served(approved, field) for field in SERVED_FIELDS})


def _previous_progress():
    """The progress of the reported report just before the outer one (0 for the first)."""
    before = ProgressReport.objects.filter(work=OuterRef("work"), status__in=REPORTED).filter(
        Q(report_date__lt=OuterRef("report_date"))
        | Q(report_date=OuterRef("report_date"), pk__lt=OuterRef("pk"))
    )
    return Coalesce(_latest(before, "physical_progress"), Value(Decimal(0)), output_field=_DECIMAL)


def _final_photos():
    """Photos of the 100% stage in reports sent on (a draft's photo is not there yet)."""
    return ReportPhoto.objects.filter(
        report__work=OuterRef("pk"), report__status__in=REPORTED, stage=PhotoStage.DONE
    )


def _jumps():
    """Reports sent on that raised the progress by more than 50 points at once."""
    return (
        ProgressReport.objects.filter(work=OuterRef("pk"), status__in=REPORTED)
        .annotate(previous=_previous_progress())
        .filter(physical_progress__gt=F("previous") + JUMP_POINTS)
    )


def _overspent():
    """Reports sent on that say more money was spent than the work's budget."""
    return ProgressReport.objects.filter(
        work=OuterRef("pk"), status__in=REPORTED, spent_to_date__gt=OuterRef("budget")
    )


def _stale_q(today, since: str) -> Q:
    """Under construction and nothing reported for 30 days since `since` (a date field)."""
    cutoff = (today or timezone.localdate()) - timedelta(days=STALE_DAYS)
    return Q(status=WorkStatus.UNDER_CONSTRUCTION, **{f"{since}__lt": cutoff})


def _false_if_null(condition) -> Coalesce:
    # With no date at all the comparison is NULL, which must read as False (or
    # "exclude flagged works" would drop the work too).
    return Coalesce(
        ExpressionWrapper(condition, output_field=BooleanField()),
        Value(False),
        output_field=BooleanField(),
    )


def with_flags(queryset, *, today=None):
    """The data-quality flags of each work, as booleans computed in SQL:

    - flag_jump: a report raised the progress by more than 50 points at once;
    - flag_stale: under construction and no report for 30 days (counted from the start
      of construction when there is none yet);
    - flag_no_final_photo: completed (or later) without a photo of the 100% stage in a
      report sent on;
    - flag_overspent: a report says more money was spent than the work's budget.
    """
    # The latest report, or the start of construction when there is none yet.
    since = Coalesce(_latest(_reports(), "report_date"), F("status_date"))
    queryset = queryset.annotate(_stale_since=since)
    return queryset.annotate(
        flag_jump=Exists(_jumps()),
        flag_stale=_false_if_null(_stale_q(today, "_stale_since")),
        flag_no_final_photo=ExpressionWrapper(
            Q(status__in=BUILT) & ~Exists(_final_photos()), output_field=BooleanField()
        ),
        flag_overspent=Exists(_overspent()),
    )


# --- The per-work summary (works.models.WorkSummary) ----------------------------------------

PLANNED_FIELDS = [
    "planned_people",
    "planned_women",
    "planned_households",
    "planned_poor_households",
    "planned_mbr",
]
# Copied from the work as they are.
SUMMARY_COPIED = [
    "kelurahan_id",
    "fiscal_year",
    "status",
    "status_date",
    "aspect",
    "budget",
    "latitude",
    "longitude",
    *PLANNED_FIELDS,
]
# Computed from its reports and photos by the rules above.
SUMMARY_COMPUTED = [
    "approved_progress",
    "approved_date",
    "last_report_date",
    "has_pending",
    "labour_days_total",
    "wages_total",
    "workers_men_peak",
    "workers_women_peak",
    *SERVED_FIELDS,
    "flag_jump",
    "flag_overspent",
    "has_final_photo",
]
SUMMARY_FIELDS = SUMMARY_COPIED + SUMMARY_COMPUTED


def summary_source(queryset):
    """The works of `queryset` as `values()` rows of their summary, computed here by the
    same rules that the pages of one work use (`work_summary_refresh` stores them)."""
    computed = with_served(with_labour(with_progress(queryset))).annotate(
        flag_jump=Exists(_jumps()),
        flag_overspent=Exists(_overspent()),
        has_final_photo=Exists(_final_photos()),
    )
    return computed.order_by().values("pk", *SUMMARY_FIELDS)


def with_summary_flags(summaries, *, today=None):
    """WorkSummary rows with the four flags of `with_flags` (the same names): two are
    stored, "no 100% photo" follows from the status, and "no report for 30 days"
    depends on the day, so it is computed when read."""
    since = Coalesce(F("last_report_date"), F("status_date"))
    return summaries.annotate(_stale_since=since).annotate(
        flag_stale=_false_if_null(_stale_q(today, "_stale_since")),
        flag_no_final_photo=ExpressionWrapper(
            Q(status__in=BUILT, has_final_photo=False), output_field=BooleanField()
        ),
    )


def summaries_for(user, *, within: str = "", fiscal_year=None):
    """The summaries of the works a user may see, under the region code `within`."""
    rows = WorkSummary.objects.for_user(user)
    if within:
        rows = rows.filter(covered_q([within], "kelurahan__code"))
    return rows.filter(fiscal_year=fiscal_year) if fiscal_year else rows


def any_flag_q() -> Q:
    condition = Q(pk__in=[])
    for flag in FLAGS:
        condition |= Q(**{flag: True})
    return condition


def work_list_queryset(user):
    """The works a user may see, with progress and flags, ready for the list page."""
    works = Work.objects.for_user(user).select_related("kelurahan", "work_type", "builder")
    return with_flags(with_progress(works))


def work_detail_queryset(user):
    works = Work.objects.for_user(user).select_related(
        "kelurahan__parent__parent",
        "rtrw",
        "slum_area",
        "work_type",
        "builder",
        "proposal",
        "handover__kpp",
    )
    return with_served(with_labour(with_flags(with_progress(works))))


def work_reports(work):
    """The reports of a work, newest first, with who did what and their photos."""
    return (
        work.reports.select_related("created_by", "submitted_by", "verified_by", "approved_by")
        .prefetch_related("photos")
        .order_by("-report_date", "-pk")
    )


def work_status_changes(work):
    return WorkStatusChange.objects.filter(work=work).select_related("by").order_by("date", "pk")


def progress_series(reports):
    """(date, progress, status) of each report, oldest first, for the chart and its table."""
    return sorted(
        ((r.report_date, r.physical_progress, r.status) for r in reports),
        key=lambda point: point[0],
    )


def report_queryset(user):
    return ProgressReport.objects.for_user(user).select_related(
        "work__kelurahan",
        "work__work_type",
        "created_by",
        "submitted_by",
        "verified_by",
        "approved_by",
        "returned_by",
    )


def report_list_queryset(user):
    """The reports a user may see, newest first, each with its financial progress: the
    money spent to date as a percentage of the work's budget (none without a budget).

    The budget is read by a subquery, not a join: the list's count and its page's keys
    leave an unused annotation out, but not its join (1.5 million reports joined to their
    works for nothing took a national officer's list about 0.6 s)."""
    budget = Work.objects.filter(pk=OuterRef("work_id")).values("budget")[:1]
    ratio = ExpressionWrapper(
        F("spent_to_date") * Value(Decimal(100)) / NullIf(Subquery(budget), Value(0)),
        output_field=_DECIMAL,
    )
    financial = Round(ratio, 2, output_field=_DECIMAL)
    return (
        ProgressReport.objects.for_user(user)
        .select_related("work__kelurahan")
        .annotate(financial_progress=financial)
        .order_by("-report_date", "-pk")
    )


def my_works(user, *, today=None):
    """For a facilitator: the works in their places that take reports — under
    construction, and completed ones still without a 100% photo (their final report) —
    with the date of the latest report and whether a report is due (none for 14 days or
    more, or the final photo missing)."""
    final_photos = _final_photos()
    works = (
        with_progress(Work.objects.for_user(user))
        .filter(status__in=REPORTABLE)
        .annotate(needs_final_photo=~Exists(final_photos))
        .filter(Q(status=WorkStatus.UNDER_CONSTRUCTION) | Q(needs_final_photo=True))
        .select_related("kelurahan", "work_type")
        .annotate(report_due=_report_due(today))
        .order_by("-report_due", "last_report_date", "name")
    )
    return works


def _report_due(today=None):
    """A completed work (its final report), or none for REPORT_DUE_DAYS days or ever."""
    due = (today or timezone.localdate()) - timedelta(days=REPORT_DUE_DAYS)
    return ExpressionWrapper(
        Q(status=WorkStatus.COMPLETED)
        | Q(last_report_date__isnull=True)
        | Q(last_report_date__lte=due),
        output_field=BooleanField(),
    )


def my_works_keys(user, *, today=None):
    """The keys of `my_works(user)`, in its order, read from the stored summaries: one
    query however many works (a national officer's covers the whole country, where the
    live annotations took seconds). Ties end on the key, so that pages never overlap."""
    return (
        WorkSummary.objects.for_user(user)
        .filter(status__in=REPORTABLE)
        .filter(Q(status=WorkStatus.UNDER_CONSTRUCTION) | Q(has_final_photo=False))
        .annotate(report_due=_report_due(today))
        .order_by("-report_due", "last_report_date", "work__name", "work_id")
        .values_list("work_id", flat=True)
    )


def returned_reports(user):
    return report_queryset(user).filter(status=ReviewStatus.RETURNED).order_by("-returned_at")


def region_rollup(user, *, level: int, within: str = ""):
    """Works, money, planned and served beneficiaries, labour and progress summed per
    region at `level` (1 province … 4 kelurahan), under the region code `within` if given,
    with the regions' names: `rollup_queryset` read whole. A page of them
    (`RegionRollupView`) slices the queryset instead, so that only its rows are summed
    and named."""
    return add_region_names(finish_rollup_rows(rollup_queryset(user, level=level, within=within)))


def rollup_queryset(user, *, level: int, within: str = ""):
    """One grouped query, ordered by region code, of the rows `region_rollup` shows: from
    the stored rollups when the user sees the whole region `within` (and the level lies
    below it), otherwise from the summaries of the user's own works. Progress is the
    average of the works' latest approved progress (works without an approved report
    count as 0); beneficiaries served are those of each work's latest approved report,
    summed; workers by sex at each work's peak, summed."""
    length = CODE_LENGTH[level]
    if rollups.covers(user, within) and (not within or len(within) < length):
        return _rollup_rows(level, within)
    return _live_rollup_rows(user, length, within)


def finish_rollup_rows(rows) -> list[dict]:
    """The rows of `rollup_queryset` with their `code` and average `progress`."""
    rows = list(rows)
    for row in rows:
        row["code"] = row["key"]
        row["progress"] = (row.pop("progress_sum") or Decimal(0)) / row["works"]
        row["labour_days"] = row["labour_days"] or Decimal(0)
        row["wages"] = row["wages"] or Decimal(0)
    return rows


def add_region_names(rows):
    """Each row's region name (`name`, by its `code`): one query."""
    names = dict(
        Region.objects.filter(code__in=[row["code"] for row in rows]).values_list("code", "name")
    )
    for row in rows:
        row["name"] = names.get(row["code"], "")
    return rows


_TOTALLED = (
    "budget",
    "progress_sum",
    "workers_men",
    "workers_women",
    "labour_days",
    "wages",
    *PLANNED_FIELDS,
    *SERVED_FIELDS,
)


def _rollup_rows(level: int, within: str):
    """The same rows from the stored rollups (a region's years added up), when the user
    sees the whole region; regions whose works all moved away are left out."""
    built = reduce(operator.add, (F(f"status_{status}") for status in BUILT))
    return (
        rollups.level_rows(level, within)
        .annotate(key=F("region_code"))
        .values("key")
        .annotate(
            works=Sum("works"),
            completed=Sum(built),
            **{name: Sum(name) for name in _TOTALLED},
        )
        .filter(works__gt=0)
        .order_by("key")
    )


def _live_rollup_rows(user, length: int, within: str):
    return (
        summaries_for(user, within=within)
        .annotate(key=Left("kelurahan_id", length))
        .values("key")
        .annotate(
            works=Count("pk"),
            completed=Count("pk", filter=Q(status__in=BUILT)),
            budget=Sum("budget"),
            progress_sum=Sum(Coalesce("approved_progress", Value(Decimal(0)))),
            workers_men=Sum("workers_men_peak"),
            workers_women=Sum("workers_women_peak"),
            labour_days=Sum("labour_days_total"),
            wages=Sum("wages_total"),
            **{field: Sum(field) for field in PLANNED_FIELDS + SERVED_FIELDS},
        )
        .order_by("key")
    )


def works_of_group(group, user):
    """The works a KSM/Panitia builds or a KPP has taken over, within the user's places."""
    return (
        Work.objects.for_user(user)
        .filter(Q(builder=group) | Q(handover__kpp=group))
        .select_related("work_type")
        .order_by("-fiscal_year", "name")
    )
