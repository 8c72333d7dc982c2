"""XLSX import of surveys: one row per slum area and year, all-or-nothing.

Every bad cell is reported by row and column; when any row is bad nothing is saved.
Imported surveys are drafts scored with the default method, to be submitted and
reviewed like surveys typed in the form.
"""

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from locations.forms import RtRwForm

from . import services
from .choices import SurveyKind
from .models import SlumArea

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2000

# field, Indonesian header (the template is for Indonesian offices), required, kind
COLUMNS = [
    ("slum_area", "ID Kawasan", True, "int"),
    ("area_name", "Nama Kawasan", False, "text"),
    ("rt", "RT/RW", False, "text"),
    ("year", "Tahun", True, "int"),
    ("kind", "Jenis Survei (baseline/update/final)", True, "text"),
    ("area_ha", "Luas Terverifikasi (ha)", True, "decimal"),
    ("buildings", "Jumlah Bangunan (unit)", False, "int"),
    ("people", "Jumlah Penduduk (jiwa)", False, "int"),
    ("households", "Jumlah KK", False, "int"),
    ("road_length_m", "Panjang Jalan Ideal (m)", False, "decimal"),
    ("drainage_length_m", "Panjang Drainase Ideal (m)", False, "decimal"),
]


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class SurveyImportError(Exception):
    def __init__(self, errors: list[CellError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def _indicator_header(indicator) -> str:
    return f"{indicator.code} {indicator.label} ({indicator.unit})"


def template_response() -> HttpResponse:
    """The template: the header row and one example row."""
    method = services.default_method()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Penilaian"
    indicators = list(method.indicators.order_by("order", "code"))
    sheet.append(
        [header for _f, header, _r, _k in COLUMNS] + [_indicator_header(i) for i in indicators]
    )
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-penilaian-kumuh.xlsx"'
    return response


def _parse(value, kind):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "text":
        return str(value).strip()
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if number < 0:
        raise ValueError(_("It cannot be negative."))
    if kind == "int":
        if number != number.to_integral_value():
            raise ValueError(_("It must be a whole number."))
        return int(number)
    return number


def _read(raw: bytes):
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise SurveyImportError(
            [CellError(0, "-", _("The file is not an XLSX workbook."))]
        ) from None
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    if not rows:
        raise SurveyImportError([CellError(1, "-", _("The sheet is empty."))])
    return rows


def _header_map(header_row, indicators):
    """{field: column index}; missing required columns are errors."""
    headers = [str(cell or "").strip() for cell in header_row]
    positions, errors = {}, []
    for field, header, required, _kind in COLUMNS:
        if header in headers:
            positions[field] = headers.index(header)
        elif required:
            errors.append(CellError(1, header, _("This column is missing.")))
    for indicator in indicators:
        column = next(
            (i for i, h in enumerate(headers) if h.split(" ", 1)[0] == indicator.code), None
        )
        if column is None:
            errors.append(CellError(1, _indicator_header(indicator), _("This column is missing.")))
        else:
            positions[f"volume_{indicator.code}"] = column
    if errors:
        raise SurveyImportError(errors)
    return positions


def surveys_import(*, user, raw: bytes):
    """Create one draft survey per row; raises SurveyImportError listing every bad cell
    (and saves nothing) when any row is bad."""
    method = services.default_method()
    indicators = list(method.indicators.order_by("order", "code"))
    rows = _read(raw)
    if len(rows) - 1 > MAX_ROWS:
        raise SurveyImportError([CellError(0, "-", _("At most %(n)d rows.") % {"n": MAX_ROWS})])
    reader = _RowReader(user, _header_map(rows[0], indicators))
    errors, created = [], []
    with transaction.atomic():
        for number, row in enumerate(rows[1:], start=2):
            if all(cell in (None, "") for cell in row):
                continue
            values, row_errors = reader.read(number, row)
            if row_errors:
                errors.extend(row_errors)
                continue
            try:
                created.append(
                    services.survey_create(
                        user=user,
                        slum_area=values["area"],
                        rt=values["rt_unit"],
                        year=values["year"],
                        kind=values["kind"],
                        header={f: values.get(f) for f in services.HEADER_FIELDS},
                        volumes={i.code: values.get(f"volume_{i.code}") for i in indicators},
                        method=method,
                    )
                )
            except ValidationError as error:
                errors.extend(_service_errors(number, error, reader.letters))
        if errors:
            raise SurveyImportError(errors)
    return created


class _RowReader:
    """Parses one row's cells; every bad cell becomes a CellError."""

    def __init__(self, user, positions):
        self.positions = positions
        self.letters = {field: get_column_letter(i + 1) for field, i in positions.items()}
        self.kinds = {field: kind for field, _h, _r, kind in COLUMNS}
        self.required = [field for field, _h, required, _k in COLUMNS if required]
        self.areas = SlumArea.objects.for_user(user).prefetch_related("rt_rw")

    def read(self, number, row):
        values, errors = {}, []

        def fail(field, message):
            errors.append(CellError(number, self.letters[field], message))

        for field, index in self.positions.items():
            cell = row[index] if index < len(row) else None
            try:
                values[field] = _parse(cell, self.kinds.get(field, "decimal"))
            except ValueError as error:
                fail(field, str(error))
        for field in self.required:
            if field in values and values[field] is None:
                fail(field, _("This cell is required."))
        values["area"] = values["rt_unit"] = None
        if values.get("slum_area") is not None:
            values["area"] = self.areas.filter(pk=values["slum_area"]).first()
            if values["area"] is None:
                fail("slum_area", _("No such slum area in your places."))
        if values.get("kind"):
            values["kind"] = values["kind"].lower()
            if values["kind"] not in SurveyKind.values:
                fail("kind", _("Use baseline, update or final."))
        if values["area"] and values.get("rt"):
            values["rt_unit"] = _find_rt(values["area"], values["rt"])
            if values["rt_unit"] is None:
                fail("rt", _("This RT/RW is not part of the slum area."))
        return values, errors


def _find_rt(area, text):
    parsed = RtRwForm.parse(text)
    if not parsed:
        return None
    rt, rw = parsed
    return next((unit for unit in area.rt_rw.all() if (unit.rt, unit.rw) == (rt, rw)), None)


def _service_errors(number, error, letters):
    if not hasattr(error, "error_dict"):
        return [CellError(number, "-", message) for message in error.messages]
    return [
        CellError(number, letters.get(field, "-"), message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]
