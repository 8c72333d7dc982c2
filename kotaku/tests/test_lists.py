"""The shared parts of the list recipe: sortable headers, former filter names, exports."""

import io

import django_filters
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from openpyxl import load_workbook

from kotaku.exports import Column, csv_response, xlsx_response
from kotaku.lists import ListFilterSet
from locations.models import Region


def render_header(query, param="name", label="Name", css=""):
    request = RequestFactory().get("/list/", QueryDict(query))
    template = Template("{% load kotaku %}{% sort_header param label css %}")
    return template.render(
        Context({"request": request, "param": param, "label": label, "css": css})
    )


def test_sort_header_sorts_ascending_first_and_keeps_the_filters():
    html = render_header("region=35.19&page=3&export=csv")
    assert html == '<th data-sort="name"><a href="?region=35.19&amp;sort=name">Name</a></th>'


def test_sort_header_toggles_and_tells_the_direction():
    html = render_header("region=35.19&sort=name", css="num")
    assert 'class="num" aria-sort="ascending"' in html
    assert 'href="?region=35.19&amp;sort=-name"' in html and "▲" in html
    html = render_header("sort=-name")
    assert 'aria-sort="descending"' in html and 'href="?sort=name"' in html and "▼" in html
    assert "aria-sort" not in render_header("sort=code")


def test_sort_header_escapes_its_label():
    assert "&lt;b&gt;" in render_header("", label="<b>")


class YearFilterSet(ListFilterSet):
    aliases = {"year": "fiscal_year"}
    fiscal_year = django_filters.NumberFilter(field_name="level")

    class Meta:
        model = Region
        fields = ["fiscal_year"]


def test_a_former_filter_name_fills_the_new_one():
    assert YearFilterSet(QueryDict("year=2")).form.data["fiscal_year"] == "2"
    assert "year" not in YearFilterSet(QueryDict("year=2")).form.data
    # The new name wins when both are given.
    assert YearFilterSet(QueryDict("year=2&fiscal_year=3")).form.data["fiscal_year"] == "3"


class Row:
    def __init__(self, name, amount):
        self.name, self.amount = name, amount


COLUMNS = [Column("Name", "name"), Column("Amount", "amount")]


def test_csv_export_neutralises_formulas():
    response = csv_response([Row("=1+1", 5), Row("-x", -5)], COLUMNS, "t")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == ["Name,Amount", "'=1+1,5", "'-x,-5"]


def test_xlsx_export_keeps_numbers_and_text_as_written():
    response = xlsx_response([Row("=1+1", 5)], COLUMNS, "t")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5


def test_export_batches_get_each_chunk_once(monkeypatch):
    from kotaku import exports

    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    chunks = []

    def batch(rows):
        chunks.append([row.name for row in rows])
        for row in rows:
            row.amount = len(chunks)

    rows = [Row(f"r{n}", 0) for n in range(5)]
    response = csv_response(rows, COLUMNS, "t", batch)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert chunks == [["r0", "r1"], ["r2", "r3"], ["r4"]]
    assert lines[1:] == ["r0,1", "r1,1", "r2,2", "r3,2", "r4,3"]
