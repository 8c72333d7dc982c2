"""Export exactly the filtered rows of a list page as CSV or XLSX, without loading them
all into memory: rows come from `queryset.iterator()` in chunks.

CSV streams to the browser as it is written. XLSX cannot be streamed (it is a zip file),
so openpyxl's write-only mode writes it row by row to a temporary file on disk, which is
then sent; memory stays flat either way.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook

EXPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    """A column: its header and how to read a row's value (a `__` path or a callable)."""

    header: str
    value: str | Callable[[Any], Any]

    def read(self, row):
        if callable(self.value):
            return self.value(row)
        for part in self.value.split("__"):
            if row is None:
                return None
            row = getattr(row, part)
            if callable(row):
                row = row()
        return row


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    """Plain values for a spreadsheet: numbers stay numbers, dates stay dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | date):
        return value
    return force_str(value)


def _rows(queryset, columns: list[Column]) -> Iterable[list]:
    rows = queryset.iterator(chunk_size=CHUNK_SIZE) if hasattr(queryset, "iterator") else queryset
    for row in rows:
        yield [_cell(column.read(row)) for column in columns]


def csv_response(queryset, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM: Excel then reads the file as UTF-8
        yield writer.writerow([force_str(column.header) for column in columns])
        for values in _rows(queryset, columns):
            yield writer.writerow(values)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset, columns: list[Column], filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([force_str(column.header) for column in columns])
    for values in _rows(queryset, columns):
        sheet.append(values)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes and deletes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, queryset, columns: list[Column], filename: str):
    if fmt == "csv":
        return csv_response(queryset, columns, filename)
    return xlsx_response(queryset, columns, filename)


class ExportMixin:
    """For a django-filter FilterView: `?export=csv|xlsx` returns the filtered rows
    (the same scoped queryset and filters as the page, every page of it)."""

    export_columns: list[Column] = []
    export_filename = "export"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt not in EXPORT_FORMATS:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid() and self.get_strict():
            queryset = filterset.queryset.none()
        else:
            queryset = filterset.qs
        return export_response(fmt, queryset, self.get_export_columns(), self.export_filename)

    def get_export_columns(self):
        return self.export_columns
