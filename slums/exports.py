"""CSV and XLSX export of the results table (the same rows the page shows)."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .choices import SlumLevel

FORMATS = {"csv", "xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns():
    return [
        ("key", _("Code")),
        ("name", _("Region")),
        ("areas", _("Slum areas")),
        ("sk_ha", _("SK area (ha)")),
        ("baseline_ha", _("Baseline slum (ha)")),
        ("current_ha", _("Current slum (ha)")),
        ("reduced_ha", _("Reduced (ha)")),
        *[(f"n_{level.value}", str(level.label)) for level in SlumLevel],
        ("n_none", _("Not surveyed yet")),
        # Not formatted: "% of" is no conversion (xgettext would mark it python-format).
        # xgettext:no-python-format
        ("water_pct", _("Safe drinking water (% of KK)")),
        # xgettext:no-python-format
        ("sanitation_pct", _("Proper sanitation (% of KK)")),
        ("slum_pct", _("Slum share of area (%)")),
    ]


def _table(rows, total):
    columns = _columns()
    yield [label for _key, label in columns]
    for row in rows:
        yield [row.get(key) for key, _label in columns]
    yield ["", _("Total"), *[total.get(key) for key, _label in columns[2:]]]


def results_response(kind: str, rows, total, region) -> HttpResponse:
    name = f"hasil-kumuh-{region.code if region else 'nasional'}"
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for line in _table(rows, total):
            writer.writerow(["" if cell is None else cell for cell in line])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    for line in _table(rows, total):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
