"""Writes to capacity-building events and their attendance lists."""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotaku.uploads import SpreadsheetValidator

from ..choices import ParticipantRole, Sex
from ..models import AttendanceRow, Event
from ..models.events import COUNT_FIELDS
from ._base import save_checked

EVENT_FIELDS = ["title", "kind", "start_date", "end_date", "place", "organiser", "level"]

# Column headings accepted in English or Indonesian.
COLUMNS = {
    "name": {"name", "nama"},
    "sex": {"sex", "jenis kelamin", "jk", "l/p"},
    "role": {"role", "peran", "unsur"},
    "organisation": {"organisation", "organization", "lembaga", "instansi"},
    "phone": {"phone", "telepon", "hp", "no hp"},
}
REQUIRED = ["name", "sex", "role"]
SEXES = {
    "l": Sex.MALE, "m": Sex.MALE, "laki-laki": Sex.MALE, "laki laki": Sex.MALE,
    "male": Sex.MALE, "man": Sex.MALE, "p": Sex.FEMALE, "f": Sex.FEMALE,
    "w": Sex.FEMALE, "perempuan": Sex.FEMALE, "female": Sex.FEMALE, "woman": Sex.FEMALE,
}  # fmt: skip
ROLES = {
    "bkm": ParticipantRole.BKM, "lkm": ParticipantRole.BKM, "ksm": ParticipantRole.KSM,
    "kpp": ParticipantRole.KPP, "fasilitator": ParticipantRole.FACILITATOR,
    "facilitator": ParticipantRole.FACILITATOR, "pendamping": ParticipantRole.FACILITATOR,
    "pemerintah": ParticipantRole.GOVERNMENT, "government": ParticipantRole.GOVERNMENT,
    "pemda": ParticipantRole.GOVERNMENT, "lainnya": ParticipantRole.OTHER,
    "other": ParticipantRole.OTHER,
}  # fmt: skip
ROLE_COUNT_FIELD = {
    ParticipantRole.BKM: "bkm_participants",
    ParticipantRole.KSM: "ksm_participants",
    ParticipantRole.KPP: "kpp_participants",
    ParticipantRole.FACILITATOR: "facilitator_participants",
    ParticipantRole.GOVERNMENT: "government_participants",
}
MAX_ROWS = 5000


@transaction.atomic
def event_create(*, regions, **data) -> Event:
    """Record an event and the regions it concerns (at least one)."""
    event = Event(**{name: data[name] for name in EVENT_FIELDS + COUNT_FIELDS if name in data})
    if not regions:
        raise ValidationError({"regions": _("Choose at least one region concerned.")})
    save_checked(event)
    event.regions.set(regions)
    return event


@transaction.atomic
def event_update(*, event: Event, regions, **data) -> Event:
    if not regions:
        raise ValidationError({"regions": _("Choose at least one region concerned.")})
    fields = {name: data[name] for name in EVENT_FIELDS + COUNT_FIELDS if name in data}
    save_checked(event, **fields)
    event.regions.set(regions)
    return event


@dataclass
class AttendanceError:
    line: int
    reason: str

    def __str__(self):
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


class AttendanceImportError(ValidationError):
    """The list has bad rows; nothing was changed. `errors` lists every bad row."""

    def __init__(self, errors: list[AttendanceError]):
        self.row_errors = errors
        super().__init__([str(error) for error in errors])


def _read_rows(upload) -> list[list[str]]:
    name = upload.name.lower()
    upload.seek(0)
    if name.endswith(".csv"):
        text = upload.read().decode("utf-8-sig")
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    from openpyxl import load_workbook

    workbook = load_workbook(upload, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _header_positions(header: list[str]) -> dict[str, int]:
    cleaned = [cell.strip().casefold() for cell in header]
    positions = {}
    for key, names in COLUMNS.items():
        for index, cell in enumerate(cleaned):
            if cell in names:
                positions[key] = index
                break
    return positions


def parse_attendance(upload) -> list[AttendanceRow]:
    """Every row checked; all errors collected, each with its line number."""
    rows = _read_rows(upload)
    if not rows:
        raise AttendanceImportError([AttendanceError(1, _("the file is empty"))])
    positions = _header_positions(rows[0])
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        raise AttendanceImportError(
            [
                AttendanceError(
                    1,
                    _("missing columns: %(cols)s (expected name, sex, role)")
                    % {"cols": ", ".join(missing)},
                )
            ]
        )
    parsed, errors = [], []
    for line, values in enumerate(rows[1:], start=2):
        if not any(str(value).strip() for value in values):
            continue

        def cell(key, values=values):
            index = positions.get(key)
            return str(values[index]).strip() if index is not None and index < len(values) else ""

        name, sex_text, role_text = cell("name"), cell("sex"), cell("role")
        row_errors = []
        if not name:
            row_errors.append(_("the name is empty"))
        sex = SEXES.get(sex_text.casefold())
        if sex is None:
            row_errors.append(_("sex “%(value)s” is not L or P") % {"value": sex_text})
        role = ROLES.get(role_text.casefold())
        if role is None:
            row_errors.append(
                _("role “%(value)s” is not one of BKM, KSM, KPP, fasilitator, pemerintah, lainnya")
                % {"value": role_text}
            )
        errors.extend(AttendanceError(line, reason) for reason in row_errors)
        if not row_errors:
            parsed.append(
                AttendanceRow(
                    line=line,
                    name=name[:150],
                    sex=sex,
                    role=role,
                    organisation=cell("organisation")[:150],
                    phone=cell("phone")[:20],
                )
            )
    if len(parsed) > MAX_ROWS:
        errors.append(AttendanceError(1, _("more than %(n)d rows") % {"n": MAX_ROWS}))
    if not parsed and not errors:
        errors.append(AttendanceError(2, _("the list has no participants")))
    if errors:
        raise AttendanceImportError(errors)
    return parsed


@transaction.atomic
def event_attendance_upload(*, event: Event, upload) -> Event:
    """Replace the event's attendance list with the uploaded CSV/XLSX file.

    All or nothing: a file that is not a real CSV/XLSX, too large, or with any bad row
    is refused with every bad row listed, and the event keeps its previous list. The
    participant counts by sex and role are recomputed from the list.
    """
    SpreadsheetValidator()(upload)
    rows = parse_attendance(upload)
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.attendance.all().delete()
    for row in rows:
        row.event = event
    AttendanceRow.objects.bulk_create(rows)
    by_sex = Counter(row.sex for row in rows)
    by_role = Counter(row.role for row in rows)
    event.men = by_sex[Sex.MALE]
    event.women = by_sex[Sex.FEMALE]
    for role, field_name in ROLE_COUNT_FIELD.items():
        setattr(event, field_name, by_role[role])
    upload.seek(0)
    event.attendance_file = upload
    event.save()
    return event
