import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from slums import imports
from slums.models import SlumSurvey
from slums.tests.factories import SlumAreaFactory, make_survey

pytestmark = pytest.mark.django_db


def template_headers(client):
    response = client.get(reverse("slums:slumsurvey_import"), {"template": "1"})
    assert response.status_code == 200
    return [cell.value for cell in load_workbook(io.BytesIO(response.content)).active[1]]


def workbook(headers, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(area, year=2021, kind="baseline", **volumes):
    cells = [area.pk, area.name, None, year, kind, 10, 200, 900, 300, 1000, 800]
    codes = ["1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c",
             "5a", "5b", "6a", "6b", "7a", "7b"]  # fmt: skip
    return cells + [volumes.get(code) for code in codes]


def upload(client, raw):
    return client.post(
        reverse("slums:slumsurvey_import"), {"file": io.BytesIO(raw)}, format="multipart"
    )


@pytest.fixture
def fac(client_for, facilitator):
    """The in-area facilitator's client."""
    return client_for(facilitator)


def test_template_has_indonesian_headers(fac, regions):
    headers = template_headers(fac)
    assert headers[:5] == ["ID Kawasan", "Nama Kawasan", "RT/RW", "Tahun",
                           "Jenis Survei (baseline/update/final)"]  # fmt: skip
    assert headers[11].startswith("1a ") and len(headers) == 11 + 16


def test_good_file_creates_draft_surveys(fac, regions):
    first, second = SlumAreaFactory(), SlumAreaFactory()
    headers = template_headers(fac)
    raw = workbook(headers, row(first, **{"1a": 200, "3a": 300}), row(second), [None] * 5)
    response = upload(fac, raw)
    assert response.status_code == 302
    surveys = SlumSurvey.objects.order_by("slum_area_id")
    assert [(s.slum_area, s.status, s.total_score) for s in surveys] == [
        (first, "draft", 10),
        (second, "draft", 0),
    ]


@pytest.mark.parametrize(
    ("bad_cells", "expected"),
    [
        ({3: "dua ribu"}, [(3, "D", "not a number")]),  # year
        ({4: "awal"}, [(3, "E", "baseline, update or final")]),
        ({5: None}, [(3, "F", "required")]),  # verified area
        ({6: -5}, [(3, "G", "negative")]),
        ({0: 99999}, [(3, "A", "No such slum area")]),
        ({2: "RT 9 / RW 9"}, [(3, "C", "not part of the slum area")]),
        ({11: 201}, [(3, "L", "larger than")]),  # 1a above the buildings
        ({9: None, 14: 10}, [(3, "O", "first")]),  # 2a without road length
    ],
)
def test_each_kind_of_bad_cell_is_reported_and_nothing_saved(fac, regions, bad_cells, expected):
    area = SlumAreaFactory()
    good = SlumAreaFactory()
    cells = row(area)
    for index, value in bad_cells.items():
        cells[index] = value
    response = upload(fac, workbook(template_headers(fac), row(good), cells))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(r, c) for r, c, _m in expected]
    for error, (_r, _c, fragment) in zip(errors, expected, strict=True):
        assert fragment in error.message
    assert not SlumSurvey.objects.exists()  # the good row is not saved either


def test_every_bad_cell_of_every_row_is_listed(fac, regions):
    area = SlumAreaFactory()
    cells = row(area, year="x", kind="y")
    raw = workbook(template_headers(fac), cells, row(area, year=2019, **{"3a": 999}))
    errors = upload(fac, raw).context["errors"]
    assert [(e.row, e.column) for e in errors] == [(2, "D"), (2, "E"), (3, "Q")]


def test_second_baseline_in_the_file_or_the_database_is_refused(fac, regions):
    area = SlumAreaFactory()
    make_survey(area=area, year=2019)
    response = upload(fac, workbook(template_headers(fac), row(area, year=2021)))
    [error] = response.context["errors"]
    assert (error.row, error.column) == (2, "E") and "baseline" in error.message
    assert SlumSurvey.objects.count() == 1


def test_missing_columns_and_not_a_workbook(fac, regions):
    response = upload(fac, workbook(["ID Kawasan", "Tahun"]))
    messages = [str(e) for e in response.context["errors"]]
    assert any("Luas Terverifikasi" in m for m in messages)
    assert any("1a " in m for m in messages)
    response = upload(fac, b"not a workbook")
    assert "XLSX" in response.context["errors"][0].message


def test_import_is_403_for_read_only_roles(client_for, district_reader, regions):
    response = client_for(district_reader).get(reverse("slums:slumsurvey_import"))
    assert response.status_code == 403


def test_import_refuses_areas_outside_the_users_places(client_for, outsider, regions):
    area = SlumAreaFactory()
    client = client_for(outsider)
    response = upload(client, workbook(template_headers(client), row(area)))
    assert "No such slum area" in response.context["errors"][0].message
    assert imports.MAX_ROWS >= 1000
