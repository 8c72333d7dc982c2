"""The money lists through the one list recipe (kotaku.lists): filters, sorting both ways,
pagination, CSV/XLSX exports of exactly the filtered rows, scoping with the fixed cast
and query counts that do not grow with rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import services, views
from conftest import BUKUR, KLAGENSERUT, TANJUNGSARI
from kotaku.tests.listing import (
    ListSpec,
    check_pagination,
    check_query_ceiling,
    check_sorted_page_and_exports,
    in_english,
)

from .factories import DAY, WorkFactory, allocation, disburse, spend

pytestmark = pytest.mark.django_db

BIG = 1_000_000_000


def _allocations(code, amounts, **extra):
    return [allocation(kelurahan=code, amount=amount, **extra) for amount in amounts]


def _disbursements(code, amounts):
    target = allocation(kelurahan=code, amount=BIG)
    return [disburse(target, amount, termin=n + 1) for n, amount in enumerate(amounts)]


def _spending(code, amounts):
    target = allocation(kelurahan=code, amount=BIG)
    disburse(target, BIG)
    work = WorkFactory(kelurahan_id=code)
    return [spend(target, work, amount) for amount in amounts]


def _swadaya(code, amounts):
    work = WorkFactory(kelurahan_id=code)
    return [
        services.swadaya_create(
            work=work, user=None, date=DAY, kind="cash", value=Decimal(amount), description="Iuran"
        )
        for amount in amounts
    ]


LISTS = {
    "allocation": (
        ListSpec(
            reverse("budgets:allocation_list"),
            "allocations",
            lambda r: r.amount,
            "Allocated (Rp)",
            "amount",
        ),
        _allocations,
        views.AllocationListView,
    ),
    "disbursement": (
        ListSpec(
            reverse("budgets:disbursement_list"),
            "disbursements",
            lambda r: r.amount,
            "Amount (Rp)",
            "amount",
        ),
        _disbursements,
        views.DisbursementListView,
    ),
    "spending": (
        ListSpec(
            reverse("budgets:spending_list"),
            "spendings",
            lambda r: r.amount,
            "Amount (Rp)",
            "amount",
        ),
        _spending,
        views.SpendingListView,
    ),
    "swadaya": (
        ListSpec(
            reverse("budgets:swadaya_list"),
            "contributions",
            lambda r: r.value,
            "Value (Rp)",
            "value",
        ),
        _swadaya,
        views.SwadayaListView,
    ),
}
NAMES = list(LISTS)


@pytest.fixture
def rows(regions, name):
    """Rows of the list `name`: three in Klagenserut, two in Bukur, one in Tanjungsari."""
    make = LISTS[name][1]
    make(KLAGENSERUT, [3_000, 1_000, 2_000])
    make(BUKUR, [5_000, 4_000])
    make(TANJUNGSARI, [9_000])


@pytest.mark.parametrize("name", NAMES)
def test_region_filter_sorts_both_ways_and_exports_the_same_rows(
    client_for, rows, national_officer, name
):
    spec = LISTS[name][0]
    client = in_english(client_for(national_officer))
    check_sorted_page_and_exports(client, spec, {"region": KLAGENSERUT}, [1_000, 2_000, 3_000])
    check_sorted_page_and_exports(
        client, spec, {"region": "35.19", "fiscal_year": 2020}, [1_000, 2_000, 3_000, 4_000, 5_000]
    )


@pytest.mark.parametrize("name", ["allocation", "disbursement", "spending"])
def test_source_filter(client_for, rows, national_officer, name):
    from .factories import source

    spec = LISTS[name][0]
    client = in_english(client_for(national_officer))
    assert spec.keys(client.get(spec.url, {"source": source("dak").pk})) == []
    assert len(spec.keys(client.get(spec.url, {"source": source().pk}))) == 6


@pytest.mark.parametrize("name", ["swadaya"])
def test_swadaya_filters_by_year_of_the_work(client_for, rows, national_officer):
    spec = LISTS["swadaya"][0]
    client = in_english(client_for(national_officer))
    assert spec.keys(client.get(spec.url, {"fiscal_year": 2021})) == []
    assert len(spec.keys(client.get(spec.url, {"fiscal_year": 2020}))) == 6


@pytest.mark.parametrize("name", NAMES)
def test_pagination_keeps_filters_and_sort(client_for, rows, national_officer, name, monkeypatch):
    spec, _make, view = LISTS[name]
    client = in_english(client_for(national_officer))
    check_pagination(
        client, spec, {"region": KLAGENSERUT}, [1_000, 2_000, 3_000], view, monkeypatch
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", NAMES)
def test_exports_are_scoped_like_the_pages(client_for, rows, facilitator, outsider, name, fmt):
    spec = LISTS[name][0]
    mine = spec.exported_keys(
        in_english(client_for(facilitator)),
        {"sort": "amount" if name != "swadaya" else "value"},
        fmt,
    )
    assert mine == ["1000", "2000", "3000", "4000", "5000"]
    client = in_english(client_for(outsider))
    assert spec.exported_keys(client, {"region": "35.19"}, fmt) == []
    assert spec.exported_keys(client, {}, fmt) == ["9000"]


@pytest.mark.parametrize("name", NAMES)
def test_query_count_does_not_grow_with_rows(
    client_for, regions, district_reader, django_assert_max_num_queries, name
):
    spec, make, _view = LISTS[name]
    client = in_english(client_for(district_reader))
    amounts = iter(range(1_000, 100_000, 1_000))

    def make_rows(count):
        make(BUKUR, [next(amounts) for _n in range(count)])

    check_query_ceiling(
        client, spec.url, {"sort": "-" + spec.sort}, make_rows, django_assert_max_num_queries, 15
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_list_seen_before_shows_the_rows_of_now(client_for, regions, district_reader, name):
    """Each money list is rendered once per its rows (kotaku.lists.ListPageView.list_part):
    a new row and a changed value show on the next view."""
    spec, make, view = LISTS[name]
    client = in_english(client_for(district_reader))
    rows = make(BUKUR, [1_000, 2_000])
    params = {"sort": spec.sort}
    first = client.get(spec.url, params).content.decode()
    assert "Rp 1.000" in first and "Rp 2.000" in first and "Rp 3.000" not in first
    make(BUKUR, [3_000])
    assert "Rp 3.000" in client.get(spec.url, params).content.decode()
    model = view.model or type(rows[0])
    amount = "value" if name == "swadaya" else "amount"
    model.objects.filter(pk=rows[0].pk).update(**{amount: Decimal("1234")})
    again = client.get(spec.url, params).content.decode()
    assert "Rp 1.234" in again and "Rp 1.000" not in again
