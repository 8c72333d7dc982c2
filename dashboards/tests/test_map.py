from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import KAB_MADIUN, KLAGENSERUT
from dashboards import selectors
from slums.models import SlumArea
from works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[111.55, -7.63], [111.57, -7.63], [111.57, -7.61], [111.55, -7.61], [111.55, -7.63]]
    ],
}


def works_json(client, code="", **params):
    url = reverse("dashboards:map_works", args=[code] if code else [])
    response = client.get(url, params)
    assert response.status_code == 200
    return response.json()["features"]


def kinds(features):
    return sorted((f["properties"]["kind"], f["properties"].get("count", 1)) for f in features)


def test_works_close_together_come_as_one_cluster_with_counts(
    client_for, dataset, national_officer
):
    features = works_json(client_for(national_officer), zoom=5)
    assert kinds(features) == [("cluster", 3), ("work", 1)]
    cluster = next(f for f in features if f["properties"]["kind"] == "cluster")
    assert cluster["properties"]["statuses"] == {"planned": 1, "construction": 1, "completed": 1}
    single = next(f for f in features if f["properties"]["kind"] == "work")
    assert single["properties"]["name"] == "Jalan D"
    assert single["properties"]["url"] == dataset["D"].get_absolute_url()
    assert single["geometry"]["coordinates"] == [111.1, -8.19]


def test_zoomed_in_every_work_is_a_point_with_its_page(client_for, dataset, national_officer):
    features = works_json(client_for(national_officer), zoom=18)
    assert kinds(features) == [("work", 1)] * 4
    urls = {f["properties"]["url"] for f in features}
    assert urls == {dataset[key].get_absolute_url() for key in "ABCD"}


def test_the_map_is_scoped_filtered_and_cut_to_the_bbox(
    client_for, dataset, facilitator, national_officer, outsider
):
    assert kinds(works_json(client_for(facilitator), zoom=5)) == [("cluster", 2)]
    officer = client_for(national_officer)
    assert kinds(works_json(officer, KAB_MADIUN, zoom=18)) == [("work", 1)] * 3
    assert [f["properties"]["name"] for f in works_json(officer, fiscal_year=2021, zoom=5)] == [
        "Jalan D"
    ]
    inside = works_json(officer, bbox="111.0,-8.5,111.3,-8.0", zoom=9)
    assert [f["properties"]["name"] for f in inside] == ["Jalan D"]
    outside = client_for(outsider).get(reverse("dashboards:map_works", args=[KAB_MADIUN]))
    assert outside.status_code == 404


def test_a_malformed_bbox_or_zoom_falls_back_to_indonesia(client_for, dataset, national_officer):
    assert kinds(works_json(client_for(national_officer), bbox="x,1", zoom="far")) == [
        ("cluster", 3),
        ("work", 1),
    ]


def test_slum_outlines_by_level_from_the_kabupaten_down(client_for, dataset, national_officer):
    area = SlumArea.objects.get(kelurahan=KLAGENSERUT)
    SlumArea.objects.filter(pk=area.pk).update(outline=SQUARE)
    client = client_for(national_officer)
    features = client.get(reverse("dashboards:map_areas", args=[KAB_MADIUN])).json()["features"]
    assert len(features) == 1
    assert features[0]["properties"]["level"] == "none"
    assert features[0]["properties"]["url"] == area.get_absolute_url()
    assert features[0]["geometry"] == SQUARE
    province = client.get(reverse("dashboards:map_areas", args=["35"])).json()["features"]
    assert province == []


def test_the_map_needs_two_queries_however_many_works(dataset, national_officer):
    def count():
        with CaptureQueriesContext(connection) as context:
            selectors.map_works(national_officer, "", zoom=8)
        return len(context.captured_queries)

    count()  # the user's role is read once and cached
    before = count()
    for number in range(10):
        WorkFactory(
            name=f"Titik {number}",
            latitude=Decimal("-7.6") - Decimal(number) / 5,
            longitude=Decimal("111.5") + Decimal(number) / 2,
        )
    assert count() == before <= 2
