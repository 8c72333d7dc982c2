"""Writes to works: creation and edits, status steps, handover, maintenance checks,
progress reports and their photos. Views, forms and the admin all come through here."""

import os
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotaku.workflow import review_transition
from locations.models import RtRw

from .choices import STATUS_ORDER, WorkStatus
from .models import Handover, MaintenanceCheck, ProgressReport, ReportPhoto, Work, WorkStatusChange
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
SERVED_FIELDS = [
    "served_people",
    "served_women",
    "served_households",
    "served_poor_households",
    "served_mbr",
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
# A progress report is filed while the work is being built or just completed.
REPORTABLE = (WorkStatus.UNDER_CONSTRUCTION, WorkStatus.COMPLETED)


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
    return work


KEEP = object()  # work_update: leave the RT/RW as it is


@transaction.atomic
def work_update(*, work: Work, rt=KEEP, rw=KEEP, **data) -> Work:
    """Change a work's plan (RT/RW from their numbers; both empty clears it). Its status
    moves only through `work_status_change`."""
    locked = Work.objects.select_for_update().get(pk=work.pk)
    _apply(locked, data, WORK_FIELDS)
    if rt is not KEEP or rw is not KEEP:
        locked.rtrw = rtrw_for(
            kelurahan_id=locked.kelurahan_id,
            rt=None if rt is KEEP else rt,
            rw=None if rw is KEEP else rw,
        )
    locked.full_clean()
    locked.save()
    return locked


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
    return photo


DISPLAY_SUFFIX = "1280"
THUMBNAIL_SUFFIX = "320"
