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
from itertools import islice
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


# A text cell starting with one of these runs as a formula in a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


Batch = Callable[[list], None] | None


def _rows(queryset, columns: list[Column], batch: Batch = None) -> Iterable[list]:
    """The rows' values, read from the database in chunks. `batch(rows)` may add data to
    each chunk of rows that no join can give (one query per chunk, not per row)."""
    rows = queryset.iterator(chunk_size=CHUNK_SIZE) if hasattr(queryset, "iterator") else queryset
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        if batch is not None:
            batch(chunk)
        for row in chunk:
            yield [_cell(column.read(row)) for column in columns]


def csv_response(
    queryset, columns: list[Column], filename: str, batch: Batch = None
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM: Excel then reads the file as UTF-8
        yield writer.writerow([force_str(column.header) for column in columns])
        for values in _rows(queryset, columns, batch):
            yield writer.writerow([_csv_cell(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(sheet, value):
    """openpyxl stores a text starting with `=` as a formula: keep it text."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(
    queryset, columns: list[Column], filename: str, batch: Batch = None
) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([force_str(column.header) for column in columns])
    for values in _rows(queryset, columns, batch):
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes and deletes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, queryset, columns: list[Column], filename: str, batch: Batch = None):
    if fmt == "csv":
        return csv_response(queryset, columns, filename, batch)
    return xlsx_response(queryset, columns, filename, batch)


class ExportMixin:
    """The export side of a list page (kotaku.lists.ListPageView): its columns, its file
    name, and the response for `?export=csv|xlsx` over the page's filtered rows."""

    export_columns: list[Column] = []
    export_filename = "export"

    def export(self, fmt, queryset):
        return export_response(
            fmt, queryset, self.get_export_columns(), self.export_filename, self.prepare_export
        )

    def get_export_columns(self):
        return self.export_columns

    # Set to a function of a chunk of rows to add what the columns need beyond the query.
    prepare_export = None
