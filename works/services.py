"""Writes to works: creation and edits, status steps, handover, maintenance checks,
progress reports and their photos. Views, forms and the admin all come through here."""

import os
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import services as budget_services
from kotaku.workflow import ReviewStatus, review_transition
from locations.models import RtRw

from . import rollups, selectors
from .choices import REPORTABLE, SERVED_FIELDS, STATUS_ORDER, WorkStatus
from .models import (
    Handover,
    MaintenanceCheck,
    ProgressReport,
    ReportPhoto,
    Work,
    WorkStatusChange,
    WorkSummary,
)
from .validators import decode_photo, renditions

WORK_FIELDS = [
    "fiscal_year",
    "kelurahan",
    "rtrw",
    "slum_area",
    "aspect",
    "work_type",
    "name",
    "scale",
    "volume",
    "unit",
    "latitude",
    "longitude",
    "builder",
    "method",
    "planned_start",
    "planned_end",
    "budget",
    "proposal",
    "planned_people",
    "planned_women",
    "planned_households",
    "planned_poor_households",
    "planned_mbr",
]
REPORT_FIELDS = [
    "report_date",
    "physical_progress",
    "spent_to_date",
    "workers_men",
    "workers_women",
    "labour_days",
    "wage_value",
    *SERVED_FIELDS,
    "notes",
    "reason_for_decrease",
]


def rtrw_for(*, kelurahan_id: str, rt: int | None, rw: int | None) -> RtRw | None:
    """The RT/RW of a kelurahan from its numbers, recorded on first use."""
    if not rt and not rw:
        return None
    if not rt or not rw:
        raise ValidationError({"rt": _("Give both the RT and the RW, or neither.")})
    unit = RtRw.objects.filter(kelurahan_id=kelurahan_id, rt=rt, rw=rw).first()
    if unit is None:
        unit = RtRw(kelurahan_id=kelurahan_id, rt=rt, rw=rw)
        unit.full_clean()
        unit.save()
    return unit


def _apply(instance, data: dict, allowed: list[str]):
    unknown = {name for name in data if name.removesuffix("_id") not in allowed}
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


@transaction.atomic
def work_create(*, rt: int | None = None, rw: int | None = None, **data) -> Work:
    """Record a planned work. The RT/RW is found or recorded from its numbers."""
    work = Work()
    _apply(work, data, WORK_FIELDS)
    if rt or rw:
        work.rtrw = rtrw_for(kelurahan_id=work.kelurahan_id, rt=rt, rw=rw)
    work.full_clean()
    work.save()
    work_summary_refresh(work_ids=[work.pk])
    return work


KEEP = object()  # work_update: leave the RT/RW as it is


@transaction.atomic
def work_update(*, work: Work, rt=KEEP, rw=KEEP, **data) -> Work:
    """Change a work's plan (RT/RW from their numbers; both empty clears it). Its status
    moves only through `work_status_change`."""
    locked = Work.objects.select_for_update().get(pk=work.pk)
    place = (locked.kelurahan_id, locked.fiscal_year)
    _apply(locked, data, WORK_FIELDS)
    if rt is not KEEP or rw is not KEEP:
        locked.rtrw = rtrw_for(
            kelurahan_id=locked.kelurahan_id,
            rt=None if rt is KEEP else rt,
            rw=None if rw is KEEP else rw,
        )
    locked.full_clean()
    locked.save()
    work_saved(work=locked, place=place)
    return locked


def work_saved(*, work: Work, place: tuple) -> None:
    """After a work's own fields changed (here or in the admin, with its row locked):
    its summary, and its approved reports' months if it moved to another kelurahan or
    fiscal year (`place`: where it was)."""
    work_summary_refresh(work_ids=[work.pk])
    rollups.move_reports(work.pk, old=place, new=(work.kelurahan_id, work.fiscal_year))
    if place[0] != work.kelurahan_id:
        # Its approved spending moves with it in the monthly money totals.
        budget_services.work_moved(
            work_id=work.pk, old_kelurahan=place[0], new_kelurahan=work.kelurahan_id
        )


def allowed_steps(work: Work) -> tuple[str | None, list[str]]:
    """(the next status forward or None, the earlier statuses it may go back to)."""
    index = STATUS_ORDER.index(work.status)
    forward = STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None
    return forward, STATUS_ORDER[:index]


@transaction.atomic
def work_status_change(*, work: Work, user, to_status: str, date, reason: str = "") -> Work:
    """Move a work one step forward, or back with a written reason.

    Keeps the rules: steps forward can't be skipped; going back needs a reason, which is
    kept; the date is not in the future nor before the previous step; a work is handed
    over only through `work_handover` (it needs the handover document). The work row is
    locked so two people can't step it at once.
    """
    locked = Work.objects.select_for_update().get(pk=work.pk)
    reason = (reason or "").strip()
    forward, back = allowed_steps(locked)
    if to_status == locked.status or to_status not in STATUS_ORDER:
        raise ValidationError({"to_status": _("Choose another status.")})
    if to_status in back:
        if not reason:
            raise ValidationError({"reason": _("Say why the work goes back to an earlier status.")})
    elif to_status != forward:
        raise ValidationError(
            {
                "to_status": _("A step cannot be skipped: the next status is “%(next)s”.")
                % {"next": WorkStatus(forward).label}
            }
        )
    elif to_status == WorkStatus.HANDED_OVER and not Handover.objects.filter(work=locked).exists():
        raise ValidationError(
            {"to_status": _("Record the handover with its document to hand the work over.")}
        )
    _check_step_date(locked, date)
    WorkStatusChange.objects.create(
        work=locked,
        from_status=locked.status,
        to_status=to_status,
        date=date,
        by=user,
        reason=reason,
    )
    locked.status = to_status
    locked.status_date = date
    locked._change_reason = reason or _("status: %(status)s") % {
        "status": WorkStatus(to_status).label
    }
    locked.save(update_fields=["status", "status_date"])
    work_summary_refresh(work_ids=[locked.pk])
    return locked


def _check_step_date(work: Work, date):
    if date is None:
        raise ValidationError({"date": _("Give the date of this step.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if work.status_date and date < work.status_date:
        raise ValidationError(
            {
                "date": _("The date cannot be before the previous step (%(date)s).")
                % {"date": work.status_date.isoformat()}
            }
        )


@transaction.atomic
def work_handover(
    *, work: Work, user, date, document, kpp=None, to_district=False, notes=""
) -> Handover:
    """Serah terima: record who takes the certified work over, with the signed PDF, and
    step the work to "handed over"."""
    locked = Work.objects.select_for_update().get(pk=work.pk)
    if locked.status != WorkStatus.CERTIFIED:
        raise ValidationError(_("Only a certified work can be handed over."))
    handover = Handover(
        work=locked, kpp=kpp, to_district=to_district, date=date, document=document, notes=notes
    )
    handover.full_clean()
    handover.save()
    work_status_change(work=locked, user=user, to_status=WorkStatus.HANDED_OVER, date=date)
    return handover


@transaction.atomic
def maintenance_check_create(*, work: Work, user, **data) -> MaintenanceCheck:
    """A check after handover; the first one moves the work to "maintained"."""
    locked = Work.objects.select_for_update().get(pk=work.pk)
    if locked.status not in (WorkStatus.HANDED_OVER, WorkStatus.MAINTAINED):
        raise ValidationError(_("Maintenance is checked after the work is handed over."))
    check = MaintenanceCheck(work=locked, checked_by=user, **data)
    check.full_clean()
    if check.checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The date cannot be in the future.")})
    if locked.status_date and check.checked_on < locked.status_date:
        raise ValidationError({"checked_on": _("The check cannot be before the handover.")})
    check.save()
    if locked.status == WorkStatus.HANDED_OVER:
        work_status_change(
            work=locked, user=user, to_status=WorkStatus.MAINTAINED, date=check.checked_on
        )
    return check


def percent(value) -> str:
    """Decimal("45.50") → "45.5", Decimal("35.00") → "35"."""
    return f"{value.normalize():f}" if value is not None else ""


def check_reportable(work: Work):
    """A report is filed on a work under construction or completed, nothing else."""
    if work.status == WorkStatus.PLANNED:
        raise ValidationError(
            _(
                "This work is still planned: start the work first (status “Under "
                "construction”), then report its progress."
            ),
            code="not_started",
        )
    if work.status not in REPORTABLE:
        raise ValidationError(
            _(
                "Progress is reported only while a work is under construction or just "
                "completed; this work is “%(status)s”."
            )
            % {"status": WorkStatus(work.status).label},
            code="closed",
        )


def progress_report_check(report: ProgressReport, work: Work):
    """The cross-row rules of a progress report, against the work and the report
    before it (also run by the admin's form). Callers hold the work row locked."""
    day = report.report_date
    if day > timezone.localdate():
        raise ValidationError({"report_date": _("The report date cannot be in the future.")})
    if day < work.planned_start:
        raise ValidationError(
            {
                "report_date": _("The report date cannot be before the work starts (%(date)s).")
                % {"date": work.planned_start.isoformat()}
            }
        )
    earlier = work.reports.exclude(pk=report.pk)
    if report.pk:
        earlier = earlier.filter(pk__lt=report.pk)
    previous = earlier.order_by("-report_date", "-pk").first()
    if previous is None:
        return
    if day < previous.report_date:
        raise ValidationError(
            {
                "report_date": _("The report date cannot be before the previous report (%(date)s).")
                % {"date": previous.report_date.isoformat()}
            }
        )
    if (
        report.physical_progress < previous.physical_progress
        and not (report.reason_for_decrease or "").strip()
    ):
        raise ValidationError(
            {
                "reason_for_decrease": _(
                    "The progress is lower than in the previous report (%(previous)s%%): "
                    "write the reason."
                )
                % {"previous": percent(previous.physical_progress)}
            }
        )


@transaction.atomic
def progress_report_create(*, work: Work, user, photos=(), submit=False, **data) -> ProgressReport:
    """Record a progress report (and its photos: `[(stage, file), …]`) on a work.

    The work row is locked so that two reports can't both pass the ordering rules: not in
    the future, not before the work starts, not before the previous report, and progress
    lower than the previous report only with a written reason. `submit=True` sends it on
    to the city coordinator at once.
    """
    locked = Work.objects.select_for_update().get(pk=work.pk)
    check_reportable(locked)
    report = ProgressReport(work=locked, created_by=user)
    _apply(report, data, REPORT_FIELDS)
    report.full_clean()
    progress_report_check(report, locked)
    with _files_removed_on_error() as stored:
        report.save()
        for stage, image in photos:
            report_photo_add(report=report, stage=stage, image=image, stored=stored)
        if submit:
            report = review_transition(record=report, user=user, action="submit")
    work_summary_refresh(work_ids=[locked.pk])
    return report


@transaction.atomic
def progress_report_update(
    *, report: ProgressReport, user=None, photos=(), submit=False, **data
) -> ProgressReport:
    """Correct a draft or returned report under the same rules, add photos
    (`[(stage, file), …]`) and, with `submit=True`, send it again — all or nothing."""
    locked_work = Work.objects.select_for_update().get(pk=report.work_id)
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise ValidationError(_("Only a draft or returned report can be changed."))
    _apply(locked, data, REPORT_FIELDS)
    locked.full_clean()
    progress_report_check(locked, locked_work)
    with _files_removed_on_error() as stored:
        locked.save()
        for stage, image in photos:
            report_photo_add(report=locked, stage=stage, image=image, stored=stored)
        if submit:
            locked = review_transition(record=locked, user=user, action="submit")
    work_summary_refresh(work_ids=[locked_work.pk])
    return locked


@contextmanager
def _files_removed_on_error():
    """Yields a list to note stored file names in; if the block fails, they are deleted
    (the database rolls back, the storage does not)."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def report_photo_add(
    *, report: ProgressReport, stage: str, image, caption="", stored: list | None = None
) -> ReportPhoto:
    """Attach a photo. Its content is decoded and checked (not its name); the original is
    stored untouched (named by its real format), with a display copy and a thumbnail next
    to it. If anything fails, no row and no file is left behind."""
    Work.objects.select_for_update().get(pk=report.work_id)  # its summary changes too
    photo = ReportPhoto(report=report, stage=stage, caption=caption)
    try:
        decoded = decode_photo(image)
    except ValidationError as error:
        raise ValidationError({"image": error.error_list}) from None
    with _files_removed_on_error() as mine, decoded.image:
        display, thumbnail = renditions(decoded)
        stem = os.path.splitext(os.path.basename(image.name or ""))[0] or "foto"
        photo.image.save(f"{stem}.{decoded.extension}", image, save=False)
        mine.append(photo.image.name)
        base = os.path.splitext(photo.image.name)[0]
        photo.display.name = default_storage.save(f"{base}-{DISPLAY_SUFFIX}.jpg", display)
        mine.append(photo.display.name)
        photo.thumbnail.name = default_storage.save(f"{base}-{THUMBNAIL_SUFFIX}.jpg", thumbnail)
        mine.append(photo.thumbnail.name)
        photo.image_format = decoded.extension
        photo.width, photo.height = decoded.width, decoded.height
        photo.full_clean(exclude=["image"])  # the image was checked above
        photo.save()
    if stored is not None:
        stored.extend(mine)
    work_summary_refresh(work_ids=[report.work_id])
    return photo


DISPLAY_SUFFIX = "1280"
THUMBNAIL_SUFFIX = "320"


# --- The per-work summary ---------------------------------------------------------------------


@transaction.atomic
def work_summary_refresh(*, work_ids, rollup: bool = True) -> int:
    """Recompute the summary rows (`WorkSummary`) of these works from their data, with the
    rules of `works.selectors`, and add the difference to the regions' rollups
    (`works.rollups`). Every write that changes a work, its reports or their photos calls
    it in its own transaction, holding the work's row lock, so a summary is never stale
    after the commit (and two approvals on one work cannot both miss the other). Returns
    the number of rows written."""
    ids = sorted(set(work_ids))
    if not ids:
        return 0
    before = rollups.contributions(ids) if rollup else None
    rows = [
        WorkSummary(work_id=row.pop("pk"), **row)
        for row in selectors.summary_source(Work.objects.filter(pk__in=ids))
    ]
    WorkSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["work"],
        update_fields=selectors.SUMMARY_FIELDS,
    )
    if rollup:
        rollups.apply_summary_change(before, rollups.contributions(ids))
    return len(rows)


def work_summary_rebuild(*, batch: int = 5000, out=None) -> int:
    """Recompute every work's summary, in batches, then the rollups (after a bulk load or
    a repair by SQL: `manage.py refresh_work_summaries`). Rows of works that no longer
    exist went with their work (on delete cascade)."""
    done = 0
    ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        done += work_summary_refresh(work_ids=ids[start : start + batch], rollup=False)
        if out:
            out(f"{done:,} of {len(ids):,} work summaries")
    rollups.rebuild(out=out)
    return done


@transaction.atomic
def work_delete(*, work: Work) -> None:
    """Delete a work (one without reports: they protect it) and take it off the rollups."""
    locked = Work.objects.select_for_update().get(pk=work.pk)
    before = rollups.contributions([locked.pk])
    locked.delete()
    rollups.apply_summary_change(before, {})


@transaction.atomic
def progress_report_review(*, report: ProgressReport, user, action: str, comment: str = ""):
    """Submit, verify, return or approve a report (`kotaku.workflow` keeps the rules) and
    bring its work's summary up to date. The work row is locked first, as every write to
    a work's reports does."""
    work = Work.objects.select_for_update().get(pk=report.work_id)
    updated = review_transition(record=report, user=user, action=action, comment=comment)
    work_summary_refresh(work_ids=[work.pk])
    if updated.status == ReviewStatus.APPROVED:
        rollups.add_approved_report(
            updated, kelurahan_id=work.kelurahan_id, fiscal_year=work.fiscal_year
        )
    return updated
