"""The works' figures added up per region and fiscal year (`WorkRollup`) and the approved
reports per month (`ReportMonthRollup`), so that the dashboard of the nation, a province
or a district reads tens of rows instead of 150,000 works and 1.5 million reports.

Writes: `works.services` calls `apply_summary_change` with the summaries of the works it
changed as they were before (their stored rows) and after, and `add_approved_report` /
`move_reports` when a report is approved or a work moves to another place or year; each
turns the change into increments (`UPDATE … SET x = x + delta`) of the rows of the
four regions above the kelurahan, in the same transaction, touched in a fixed order.
`rebuild` recomputes everything from the summaries and reports (after a bulk load).

Reads: `covers(user, code)` says whether a user sees the whole region, the only case in
which a rollup answers for them; otherwise the dashboard adds up the summaries of their
own places (few rows). The "no report for 30 days" flag depends on the day: it is never
stored, but counted from the summaries of the works under construction when read.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, Left, Length, TruncMonth

from kotaku.precompiled import aggregating, statements
from kotaku.workflow import ReviewStatus
from slums.choices import SlumAspect

from .choices import BUILT, WorkStatus
from .models import (
    ROLLUP_AMOUNTS,
    ROLLUP_COUNTS,
    ProgressReport,
    ReportMonthRollup,
    WorkRollup,
    WorkSummary,
)

# Length of a region code at each level: 35 / 35.19 / 35.19.09 / 35.19.09.2010.
LENGTHS = (2, 5, 8, 13)
COLUMNS = ROLLUP_COUNTS + ROLLUP_AMOUNTS
STORED_FLAGS = (
    Q(flag_jump=True) | Q(flag_overspent=True) | Q(status__in=BUILT, has_final_photo=False)
)
BOUNDS = {
    "min_lat": (Min, "latitude"),
    "max_lat": (Max, "latitude"),
    "min_lng": (Min, "longitude"),
    "max_lng": (Max, "longitude"),
}
_ZERO = Value(Decimal(0))


def parent_of(code: str) -> str:
    return code.rpartition(".")[0]


def sums() -> dict:
    """Each rollup column as an aggregate over WorkSummary rows (prefixed `r_`: the plain
    names clash with the summary's own fields)."""
    columns = {
        "works": Count("pk"),
        **{f"status_{v}": Count("pk", filter=Q(status=v)) for v in WorkStatus.values},
        **{f"aspect_{v}": Count("pk", filter=Q(aspect=v)) for v in SlumAspect.values},
        "flag_jump": Count("pk", filter=Q(flag_jump=True)),
        "flag_overspent": Count("pk", filter=Q(flag_overspent=True)),
        "flag_no_final_photo": Count("pk", filter=Q(status__in=BUILT, has_final_photo=False)),
        "flag_stored_any": Count("pk", filter=STORED_FLAGS),
        "pending": Count("pk", filter=Q(has_pending=True)),
        "without_point": Count("pk", filter=Q(latitude__isnull=True)),
        "workers_men": Sum("workers_men_peak"),
        "workers_women": Sum("workers_women_peak"),
        **{name: Sum(name) for name in ROLLUP_COUNTS if name.startswith(("served_", "planned_"))},
        "budget": Sum("budget"),
        "progress_sum": Sum(Coalesce("approved_progress", _ZERO)),
        "labour_days": Sum("labour_days_total"),
        "wages": Sum("wages_total"),
    }
    assert set(columns) == set(COLUMNS)
    return {f"r_{name}": aggregate for name, aggregate in columns.items()}


def bounds() -> dict:
    return {f"r_{name}": function(field) for name, (function, field) in BOUNDS.items()}


def strip(row: dict) -> dict:
    return {key.removeprefix("r_"): value for key, value in row.items()}


# --- Writes ---------------------------------------------------------------------------------


def contributions(work_ids) -> dict:
    """{(kelurahan code, fiscal year): {column: value, …, bounds}} of these works' stored
    summaries (one grouped query)."""
    rows = (
        WorkSummary.objects.filter(pk__in=list(work_ids))
        .values("kelurahan_id", "fiscal_year")
        .annotate(**sums(), **bounds())
        .order_by()
    )
    return {(row.pop("kelurahan_id"), row.pop("fiscal_year")): strip(row) for row in rows}


def apply_summary_change(before: dict, after: dict) -> None:
    """Add (after − before), the `contributions` of the same works around a change, to
    the rollup rows of every region above each kelurahan."""
    deltas: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    grown: dict[tuple, list] = defaultdict(list)
    for sign, side in ((-1, before), (1, after)):
        for (kelurahan, year), values in side.items():
            for length in LENGTHS:
                key = (kelurahan[:length], year)
                for column in COLUMNS:
                    deltas[key][column] += sign * (values[column] or 0)
                if sign > 0 and values["min_lat"] is not None:
                    grown[key].append(values)
    keys = sorted(key for key in deltas if any(deltas[key].values()) or key in grown)
    _ensure_rows(WorkRollup, [{"region_code": code, "fiscal_year": year} for code, year in keys])
    for code, year in keys:
        changes = {
            column: F(column) + delta for column, delta in deltas[(code, year)].items() if delta
        }
        for values in grown.get((code, year), []):
            changes |= _grow_bounds(values)
        if changes:
            WorkRollup.objects.filter(region_code=code, fiscal_year=year).update(**changes)


def _grow_bounds(values: dict) -> dict:
    grow = {"min_lat": Least, "max_lat": Greatest, "min_lng": Least, "max_lng": Greatest}
    return {
        name: function(Coalesce(F(name), Value(values[name])), Value(values[name]))
        for name, function in grow.items()
    }


def _ensure_rows(model, keys: list[dict]) -> None:
    """Create the missing rows (zeros) of these keys; existing ones are left alone."""
    if keys:
        model.objects.bulk_create(
            [model(parent_code=parent_of(key["region_code"]), **key) for key in keys],
            ignore_conflicts=True,
        )


def _month_deltas(rows, sign: int, deltas: dict) -> None:
    for row in rows:
        for length in LENGTHS:
            key = (row["kelurahan"][:length], row["year"], row["month"])
            deltas[key]["reports"] += sign * row["reports"]
            deltas[key]["progress_sum"] += sign * row["progress_sum"]


def _apply_month_deltas(deltas: dict) -> None:
    keys = sorted(key for key, values in deltas.items() if any(values.values()))
    _ensure_rows(
        ReportMonthRollup,
        [{"region_code": code, "fiscal_year": year, "month": month} for code, year, month in keys],
    )
    for code, year, month in keys:
        values = deltas[(code, year, month)]
        ReportMonthRollup.objects.filter(region_code=code, fiscal_year=year, month=month).update(
            reports=F("reports") + values["reports"],
            progress_sum=F("progress_sum") + values["progress_sum"],
        )


def add_approved_report(report: ProgressReport, *, kelurahan_id: str, fiscal_year: int) -> None:
    """An approved report (approval is final) counts in its month."""
    deltas: dict = defaultdict(lambda: defaultdict(int))
    month = report.report_date.replace(day=1)
    row = {
        "kelurahan": kelurahan_id,
        "year": fiscal_year,
        "month": month,
        "reports": 1,
        "progress_sum": report.physical_progress,
    }
    _month_deltas([row], 1, deltas)
    _apply_month_deltas(deltas)


def _approved_by_month(work_id: int) -> list[dict]:
    return list(
        ProgressReport.objects.filter(work_id=work_id, status=ReviewStatus.APPROVED)
        .annotate(month=TruncMonth("report_date"))
        .values("month")
        .annotate(reports=Count("pk"), progress_sum=Sum("physical_progress"))
        .order_by()
    )


def move_reports(work_id: int, *, old: tuple, new: tuple) -> None:
    """A work moved from (kelurahan, fiscal year) `old` to `new`: its approved reports
    move with it. Callers hold the work's row lock (no approval can come between)."""
    if old == new:
        return
    rows = _approved_by_month(work_id)
    deltas: dict = defaultdict(lambda: defaultdict(int))
    for sign, (kelurahan, year) in ((-1, old), (1, new)):
        _month_deltas([{**row, "kelurahan": kelurahan, "year": year} for row in rows], sign, deltas)
    _apply_month_deltas(deltas)


@transaction.atomic
def rebuild(out=None) -> tuple[int, int]:
    """Recompute every rollup row from the summaries and the approved reports: one grouped
    query per level. Returns the numbers of rows written."""
    WorkRollup.objects.all().delete()
    ReportMonthRollup.objects.all().delete()
    work_rows = month_rows = 0
    for length in LENGTHS:
        rows = (
            WorkSummary.objects.annotate(key=Left("kelurahan_id", length))
            .values("key", "fiscal_year")
            .annotate(**sums(), **bounds())
            .order_by()
        )
        objects = [
            WorkRollup(
                region_code=row["key"],
                parent_code=parent_of(row["key"]),
                fiscal_year=row["fiscal_year"],
                **{name: value or 0 for name, value in strip(row).items() if name in COLUMNS},
                **{name: row[f"r_{name}"] for name in BOUNDS},
            )
            for row in rows
        ]
        WorkRollup.objects.bulk_create(objects, batch_size=2000)
        work_rows += len(objects)
        months = (
            ProgressReport.objects.filter(status=ReviewStatus.APPROVED)
            .annotate(key=Left("work__kelurahan_id", length), month=TruncMonth("report_date"))
            .values("key", "work__fiscal_year", "month")
            .annotate(reports=Count("pk"), progress_sum=Sum("physical_progress"))
            .order_by()
        )
        objects = [
            ReportMonthRollup(
                region_code=row["key"],
                parent_code=parent_of(row["key"]),
                fiscal_year=row["work__fiscal_year"],
                month=row["month"],
                reports=row["reports"],
                progress_sum=row["progress_sum"],
            )
            for row in months
        ]
        ReportMonthRollup.objects.bulk_create(objects, batch_size=2000)
        month_rows += len(objects)
        if out:
            out(f"rollups of regions with codes of {length} characters: done")
    return work_rows, month_rows


# --- Reads ----------------------------------------------------------------------------------


def covers(user, code: str) -> bool:
    """Whether the user sees every work of the region `code` ("" the nation)."""
    if user.sees_everything:
        return True
    return bool(code) and any(
        code == place or code.startswith(f"{place}.") for place in user.place_codes
    )


def _rows(code: str, fiscal_year=None, *, children=False):
    by_parent = children or not code
    rows = WorkRollup.objects.filter(**{"parent_code" if by_parent else "region_code": code})
    return rows.filter(fiscal_year=fiscal_year) if fiscal_year else rows


def _rollup_sums() -> dict:
    return {
        **{f"r_{name}": Sum(name) for name in COLUMNS},
        **{f"r_{name}": function(name) for name, (function, _field) in BOUNDS.items()},
    }


def region_totals(code: str, fiscal_year=None) -> dict:
    """The rollup columns and bounds of one region (or the nation), one query (compiled
    once per region and year: kotaku.precompiled)."""
    return strip(
        statements.one(
            ("works.region_totals", code, fiscal_year),
            lambda: aggregating(_rows(code, fiscal_year), **_rollup_sums()),
        )
    )


def children_totals(code: str, fiscal_year=None) -> dict[str, dict]:
    """{child region code: columns} of the regions right below `code`, one query."""
    rows = statements.rows(
        ("works.children_totals", code, fiscal_year),
        lambda: (
            _rows(code, fiscal_year, children=True)
            .values("region_code")
            .annotate(**_rollup_sums())
            .order_by()
        ),
    )
    return {row.pop("region_code"): strip(row) for row in rows}


def level_rows(level: int, within: str = ""):
    """The rollup rows (one per region and year) of the regions at `level` (1 province …
    4 kelurahan) below `within` ("" the nation): tens of thousands of rows for the
    nation's kelurahan, not 150,000 summaries."""
    rows = WorkRollup.objects.annotate(code_length=Length("region_code")).filter(
        code_length=LENGTHS[level - 1]
    )
    if within:
        rows = rows.filter(region_code__startswith=f"{within}.")
    return rows


def month_totals(code: str, fiscal_year=None) -> dict:
    """{month: (approved reports, sum of their progress)} of a region, one query."""

    def build():
        rows = ReportMonthRollup.objects.all()
        rows = rows.filter(parent_code=code) if not code else rows.filter(region_code=code)
        if fiscal_year:
            rows = rows.filter(fiscal_year=fiscal_year)
        grouped = rows.values_list("month").annotate(n=Sum("reports"), total=Sum("progress_sum"))
        return grouped.order_by()

    grouped = statements.rows(("works.month_totals", code, fiscal_year), build)
    return {month: (n, total) for month, n, total in grouped}
