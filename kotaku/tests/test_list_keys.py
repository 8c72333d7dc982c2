"""A list page's keys query leaves out the annotations only its rows show
(kotaku.lists._keys_only): the page must hold the same rows in the same order, whatever
the sorting and filters, and the ordering's annotations must stay."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from conftest import BUKUR, KLAGENSERUT
from kotaku.lists import KeysFirstPaginator, _keys_only
from works.filters import WorkFilterSet
from works.selectors import work_list_queryset
from works.tests.factories import ReportFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(regions):
    made = [
        WorkFactory(kelurahan_id=code, name=f"Jalan {n}", status=status, budget=n * 1_000_000)
        for n, (code, status) in enumerate(
            [(KLAGENSERUT, "construction"), (BUKUR, "completed"), (KLAGENSERUT, "planned")] * 4
        )
    ]
    for n, work in enumerate(made[:6]):
        ReportFactory(
            work=work,
            physical_progress=Decimal(10 * n),
            report_date=datetime.date(2020, 7, 1 + n),
            status="approved" if n % 2 else "submitted",
        )
    return made


QUERIES = [
    {},
    {"sort": "progress"},
    {"sort": "-progress"},
    {"sort": "kelurahan"},
    {"sort": "-budget"},
    {"flagged": "true"},
    {"flagged": "true", "sort": "-progress"},
    {"status": "completed", "sort": "name"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_pages_hold_the_same_rows_without_the_rows_annotations(works, national_officer, query):
    request = RequestFactory().get("/", query)
    request.user = national_officer
    rows = WorkFilterSet(query, queryset=work_list_queryset(national_officer), request=request).qs
    paginator = KeysFirstPaginator(rows, 5)
    for number in paginator.page_range:
        keys = rows[(number - 1) * 5 : number * 5].values("pk")
        expected = [work.pk for work in rows.filter(pk__in=keys)]
        assert [work.pk for work in paginator.page(number).object_list] == expected


def test_the_ordering_keeps_its_annotations(works, national_officer):
    rows = work_list_queryset(national_officer).order_by("approved_progress", "pk")
    keys = _keys_only(rows[:5].values("pk"))
    assert set(keys.query.annotations) == {"approved_progress"}
    assert len(list(keys)) == 5
    # The rows' own query is untouched.
    assert "flag_jump" in rows.query.annotations


def test_a_page_narrowed_further_holds_its_own_rows_only(works, national_officer):
    from kotaku.precompiled import RowsByKeys

    rows = work_list_queryset(national_officer).order_by("pk")
    paginator = KeysFirstPaginator(rows, 2)
    read, build = RowsByKeys(), lambda: work_list_queryset(national_officer)
    paginator.rows = lambda keys: read.fetch("t", build, keys)
    page = paginator.page(1)
    first = [work.pk for work in rows[:2]]
    assert rows.count() > 2
    assert [work.pk for work in page.object_list] == first
    # A new query from the page's rows keeps to their keys.
    assert sorted(page.object_list.values_list("pk", flat=True)) == first
    assert page.object_list.exclude(pk=first[0]).count() == 1
