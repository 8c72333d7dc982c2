"""Helpers for the tests of list pages (kotaku.lists): read an export back, and check the
parts of the list contract every page shares."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook


def in_english(client):
    """Headers and labels in English (the msgids); the site opens in Indonesian."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming, "a CSV export streams"
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def column(rows, header) -> list:
    """The values of one column (by its header) of an export read back."""
    index = list(rows[0]).index(header)
    return [row[index] for row in rows[1:]]


def exported(client, url, params, header, fmt="csv") -> list:
    """One column of the export of the list at `url` with `params`. The CSV is read as
    it streams: its rows take one query (two with a prefetch or a batch of extra data),
    never one per row."""
    response = client.get(url, {**params, "export": fmt})
    if fmt != "csv":
        return column(xlsx_rows(response), header)
    with CaptureQueriesContext(connection) as streaming:
        rows = csv_rows(response)
    assert len(streaming.captured_queries) <= 2, streaming.captured_queries
    return column(rows, header)


def page_rows(response, name):
    assert response.status_code == 200
    return list(response.context[name])


def count_queries(client, url, params, django_assert_max_num_queries, ceiling):
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def norm(value) -> str:
    """One spelling for a value read from a page, a CSV or an XLSX cell (80000000,
    Decimal("80000000.00") and "80000000" are the same amount)."""
    if value is None:
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format(number.normalize(), "f") if number.is_finite() else str(value)


@dataclass(frozen=True)
class ListSpec:
    """How to read one list page: its URL, the context name of its rows, a key of a row
    on the page, the export column holding the same key, and a sort parameter whose
    ascending order is the order of those keys."""

    url: str
    context_name: str
    key: Callable
    header: str
    sort: str

    def keys(self, response) -> list[str]:
        assert response.status_code == 200
        return [norm(self.key(row)) for row in response.context[self.context_name]]

    def exported_keys(self, client, params, fmt) -> list[str]:
        return [norm(value) for value in exported(client, self.url, params, self.header, fmt)]


def check_sorted_page_and_exports(client, spec: ListSpec, params: dict, expected: list):
    """Sorted both ways, the page shows the `expected` keys (in ascending order), and the
    CSV and XLSX exports hold exactly those rows in the same order."""
    expected = [norm(key) for key in expected]
    for sort, order in ((spec.sort, expected), (f"-{spec.sort}", expected[::-1])):
        query = {**params, "sort": sort}
        assert spec.keys(client.get(spec.url, query)) == order
        for fmt in ("csv", "xlsx"):
            assert spec.exported_keys(client, query, fmt) == order


def check_pagination(client, spec: ListSpec, params: dict, expected: list, view, monkeypatch):
    """With two rows a page: links keep the filters and the sort, the count is the total,
    a page past the end shows the last one, and the export has every page."""
    monkeypatch.setattr(view, "paginate_by", 2)
    query = {**params, "sort": spec.sort}
    response = client.get(spec.url, query)
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == len(expected)
    encoded = "&amp;".join(f"{key}={value}" for key, value in query.items())
    assert f'href="?{encoded}&amp;page=2"' in html
    last = client.get(spec.url, {**query, "page": 999})
    assert (
        last.status_code == 200
        and last.context["page_obj"].number == last.context["page_obj"].paginator.num_pages
    )
    assert spec.exported_keys(client, query, "csv") == [norm(key) for key in expected]


def check_query_ceiling(client, url, params, make_rows, django_assert_max_num_queries, ceiling):
    """The page's query count with 2 rows holds with 12 (and stays under `ceiling`)."""
    make_rows(2)
    with django_assert_max_num_queries(ceiling) as few:
        assert client.get(url, params).status_code == 200
    make_rows(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert response.context["page_obj"].paginator.count >= 12


# The ceilings of the list tests count 3 queries per request for the session write of
# accounts.middleware.IdleSessionTimeoutMiddleware (savepoint, update, release); what
# they really pin is that the count with 12 rows equals the count with 2.
