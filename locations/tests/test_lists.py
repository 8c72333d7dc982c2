"""The region search list through the one list recipe (kotaku.lists)."""

import pytest
from django.urls import reverse

from conftest import JIWAN
from kotaku.tests.listing import (
    ListSpec,
    check_pagination,
    check_sorted_page_and_exports,
    in_english,
)
from locations import views
from locations.models import Region

pytestmark = pytest.mark.django_db

REGIONS = ListSpec(reverse("locations:region_list"), "regions", lambda r: r.code, "Code", "code")


def jiwan_desa():
    return list(
        Region.objects.filter(code__startswith=f"{JIWAN}.")
        .order_by("code")
        .values_list("code", flat=True)
    )


def test_region_filter_is_the_subtree_sorted_both_ways_and_exported(
    client_for, regions, national_officer
):
    client = in_english(client_for(national_officer))
    check_sorted_page_and_exports(client, REGIONS, {"region": JIWAN}, [JIWAN, *jiwan_desa()])
    by_name = ListSpec(REGIONS.url, "regions", lambda r: r.name, "Name", "name")
    names = sorted(
        Region.objects.filter(code__startswith=f"{JIWAN}.").values_list("name", flat=True)
    )
    check_sorted_page_and_exports(client, by_name, {"within": JIWAN}, names)


def test_pagination_keeps_filters_and_sort(client_for, regions, national_officer, monkeypatch):
    client = in_english(client_for(national_officer))
    check_pagination(
        client,
        REGIONS,
        {"region": JIWAN},
        [JIWAN, *jiwan_desa()],
        views.RegionSearchView,
        monkeypatch,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_scoped_like_the_page(client_for, regions, facilitator, outsider, fmt):
    mine = REGIONS.exported_keys(in_english(client_for(facilitator)), {"level": 4}, fmt)
    assert mine == ["35.19.09.2001", "35.19.09.2010"]
    client = in_english(client_for(outsider))
    assert REGIONS.exported_keys(client, {"region": "35.19"}, fmt) == []


def test_query_count_does_not_depend_on_the_rows(
    client_for, regions, district_reader, django_assert_max_num_queries
):
    client = in_english(client_for(district_reader))
    with django_assert_max_num_queries(15) as few:
        response = client.get(REGIONS.url, {"region": JIWAN, "sort": "-name"})
    assert len(response.context["regions"]) == len(jiwan_desa()) + 1
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REGIONS.url, {"sort": "-name"})
    assert len(response.context["regions"]) == response.context["page_obj"].paginator.count
    assert len(response.context["regions"]) > len(jiwan_desa()) + 1
