"""Slum area and survey lists through the one list recipe (kotaku.lists)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.listing import (
    ListSpec,
    check_pagination,
    check_query_ceiling,
    check_sorted_page_and_exports,
    in_english,
)
from slums import views
from slums.tests.factories import SlumAreaFactory, make_survey

pytestmark = pytest.mark.django_db

AREAS = ListSpec(reverse("slums:slumarea_list"), "areas", lambda a: a.name, "Name", "name")
SURVEYS = ListSpec(
    reverse("slums:slumsurvey_list"), "surveys", lambda s: s.slum_area.name, "Slum area", "area"
)


def _area(name, code, **extra):
    kabupaten = ".".join(code.split(".")[:2])
    return SlumAreaFactory(name=name, kabupaten_id=kabupaten, kelurahan=[code], **extra)


@pytest.fixture
def areas(regions):
    """Kawasan A, C (Klagenserut), B (Bukur), D (Sambirejo), P (Tanjungsari, Pacitan)."""
    made = {
        "A": _area("Kawasan A", KLAGENSERUT, area_ha=Decimal("3")),
        "C": _area("Kawasan C", KLAGENSERUT, area_ha=Decimal("1")),
        "B": _area("Kawasan B", BUKUR, area_ha=Decimal("2")),
        "D": _area("Kawasan D", SAMBIREJO, area_ha=Decimal("4")),
        "P": _area("Kawasan P", TANJUNGSARI, area_ha=Decimal("5")),
    }
    for key, area in made.items():
        make_survey(area=area, year=2020 if key != "C" else 2021)
    return made


def test_area_list_filters_sorts_and_exports_the_same_rows(client_for, areas, national_officer):
    client = in_english(client_for(national_officer))
    check_sorted_page_and_exports(
        client, AREAS, {"region": "35.19.09"}, ["Kawasan A", "Kawasan B", "Kawasan C", "Kawasan D"]
    )
    check_sorted_page_and_exports(
        client, AREAS, {"region": KLAGENSERUT}, ["Kawasan A", "Kawasan C"]
    )
    by_area = ListSpec(AREAS.url, "areas", lambda a: a.name, "Name", "area")
    check_sorted_page_and_exports(
        client, by_area, {"region": "35.19"}, ["Kawasan C", "Kawasan B", "Kawasan A", "Kawasan D"]
    )


def test_area_list_filters_by_level(client_for, areas, national_officer):
    make_survey(area=areas["B"], year=2021, kind="update", status="approved")
    client = in_english(client_for(national_officer))
    assert AREAS.keys(client.get(AREAS.url, {"level": "tidak_kumuh"})) == ["Kawasan B"]


def test_survey_list_filters_by_year_sorts_and_exports(client_for, areas, national_officer):
    client = in_english(client_for(national_officer))
    check_sorted_page_and_exports(
        client,
        SURVEYS,
        {"fiscal_year": 2020, "region": "35.19"},
        ["Kawasan A", "Kawasan B", "Kawasan D"],
    )
    # The former name of the year filter still works, shown once as `fiscal_year`.
    response = client.get(SURVEYS.url, {"year": 2021})
    assert SURVEYS.keys(response) == ["Kawasan C"]
    assert response.context["filter"].form["fiscal_year"].value() == "2021"


def test_pagination_keeps_filters_and_sort(client_for, areas, national_officer, monkeypatch):
    client = in_english(client_for(national_officer))
    expected = ["Kawasan A", "Kawasan B", "Kawasan C", "Kawasan D"]
    check_pagination(
        client, AREAS, {"region": "35.19"}, expected, views.SlumAreaListView, monkeypatch
    )
    check_pagination(
        client, SURVEYS, {"region": "35.19"}, expected, views.SlumSurveyListView, monkeypatch
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("spec", [AREAS, SURVEYS], ids=["areas", "surveys"])
def test_exports_are_scoped_like_the_pages(client_for, areas, facilitator, outsider, spec, fmt):
    mine = spec.exported_keys(in_english(client_for(facilitator)), {"sort": spec.sort}, fmt)
    assert mine == ["Kawasan A", "Kawasan B", "Kawasan C"]
    client = in_english(client_for(outsider))
    assert spec.exported_keys(client, {"region": "35.19"}, fmt) == []
    assert spec.exported_keys(client, {}, fmt) == ["Kawasan P"]


@pytest.mark.parametrize("spec", [AREAS, SURVEYS], ids=["areas", "surveys"])
def test_query_count_does_not_grow_with_rows(
    client_for, regions, district_reader, django_assert_max_num_queries, spec
):
    client = in_english(client_for(district_reader))
    counter = iter(range(1000))

    def make_rows(count):
        for _n in range(count):
            make_survey(area=_area(f"Kawasan {next(counter)}", BUKUR))

    check_query_ceiling(
        client, spec.url, {"sort": spec.sort}, make_rows, django_assert_max_num_queries, 13
    )


def test_invalid_filter_shows_a_message(client_for, areas, national_officer):
    client = in_english(client_for(national_officer))
    for spec in (AREAS, SURVEYS):
        response = client.get(spec.url, {"fiscal_year": "abc", "sk_year": "x"})
        assert response.status_code == 200
        assert b'data-testid="invalid-filters"' in response.content
