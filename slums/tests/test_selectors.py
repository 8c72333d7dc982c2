from decimal import Decimal

import pytest

from accounts.choices import Role
from conftest import (
    BUKUR,
    JAWA_TIMUR,
    JIWAN,
    KAB_BONDOWOSO,
    KAB_MADIUN,
    KAB_PACITAN,
    KLAGENSERUT,
    SAMBIREJO,
    TANJUNGSARI,
)
from locations.models import Region
from slums import selectors
from slums.choices import SurveyKind
from slums.models import SlumArea, SlumAreaResult, SlumSurvey
from slums.tests.factories import HEADER, SlumAreaFactory, make_survey

pytestmark = pytest.mark.django_db

# every indicator of buildings and households at 100%: 10 × 5 = 50, kumuh sedang
HEAVY = dict.fromkeys(["1a", "1c", "7a", "7b"], 200) | dict.fromkeys(
    ["3a", "3b", "5a", "5b", "6a", "6b"], 300
)
LIGHTER = {"3a": 30}  # 0: not a slum


def header(ha):
    return {**HEADER, "area_ha": Decimal(ha)}


@pytest.fixture
def history(regions):
    """Three areas over several years:
    A (12 ha SK): baseline 2019 slum 12 ha → update 2021 slum 8 ha → final 2023 not slum.
    B (5 ha SK, Klagenserut + Bukur): baseline 2020 slum 5 ha → update 2022 submitted only.
    C (7 ha SK, Bondowoso): no approved survey (a draft baseline)."""
    a = SlumAreaFactory(name="A", area_ha=Decimal(12))
    b = SlumAreaFactory(name="B", area_ha=Decimal(5), kelurahan=[KLAGENSERUT, BUKUR])
    c = SlumAreaFactory(
        name="C", area_ha=Decimal(7), kabupaten_id=KAB_BONDOWOSO, kelurahan=["35.11.11.1007"]
    )
    make_survey(area=a, year=2019, header=header(12), volumes=HEAVY, status="approved")
    make_survey(area=a, year=2021, kind=SurveyKind.UPDATE, header=header(8),
                volumes=HEAVY | {"1a": 100}, status="approved")  # fmt: skip
    make_survey(area=a, year=2023, kind=SurveyKind.FINAL, header=header(8), volumes=LIGHTER,
                status="approved")  # fmt: skip
    make_survey(area=b, year=2020, header=header(5), volumes=HEAVY, status="approved")
    make_survey(area=b, year=2022, kind=SurveyKind.UPDATE, header=header(5), volumes=LIGHTER,
                status="submitted")  # fmt: skip
    make_survey(area=c, year=2021, header=header(7), volumes=HEAVY)
    return a, b, c


def test_hectares_reduced_per_area(history, national_officer):
    areas = {a.name: a for a in selectors.slum_area_list(national_officer)}
    assert (areas["A"].baseline_ha, areas["A"].current_ha) == (Decimal(12), Decimal(0))
    assert areas["A"].reduced_ha == Decimal(12)
    assert areas["A"].level == "tidak_kumuh"
    # B's update is only submitted: it does not count yet
    assert (areas["B"].baseline_ha, areas["B"].current_ha, areas["B"].level) == (5, 5, "sedang")
    # C has no approved survey: the SK area is its baseline and current slum
    assert (areas["C"].baseline_ha, areas["C"].current_ha, areas["C"].level) == (7, 7, None)


def test_totals_for_the_nation_and_rows_per_province(history, national_officer):
    rows, total = selectors.results_table(national_officer, None)
    assert total["areas"] == 3
    assert total["baseline_ha"] == Decimal(24)
    assert total["current_ha"] == Decimal(12)
    assert total["reduced_ha"] == Decimal(12)
    assert (total["n_sedang"], total["n_tidak_kumuh"], total["n_none"]) == (1, 1, 1)
    assert [(row["key"], row["name"], row["areas"]) for row in rows] == [("35", "Jawa Timur", 3)]


def test_rows_per_kabupaten_and_per_kelurahan(history, national_officer):
    rows, _total = selectors.results_table(national_officer, Region.objects.get(code="35"))
    assert [(r["key"], r["baseline_ha"], r["current_ha"]) for r in rows] == [
        (KAB_BONDOWOSO, 7, 7),
        ("35.19", 17, 5),
    ]
    rows, total = selectors.results_table(national_officer, Region.objects.get(code="35.19"))
    by_code = {r["key"]: (r["areas"], r["current_ha"]) for r in rows}
    assert by_code == {BUKUR: (1, 5), KLAGENSERUT: (2, 5)}
    assert total["current_ha"] == 5  # B once, though it covers two desa


def test_slum_hectares_over_the_years(history, national_officer):
    # at the end of each year; C (never approved) counts with its SK area throughout
    assert selectors.results_by_year(national_officer, None) == [
        (2019, Decimal(12 + 5 + 7)),
        (2020, Decimal(12 + 5 + 7)),
        (2021, Decimal(8 + 5 + 7)),
        (2023, Decimal(0 + 5 + 7)),
    ]


def test_100_0_100_indicators_from_the_latest_approved_surveys(history, national_officer):
    _rows, total = selectors.results_table(national_officer, None)
    # A latest: 3a 30 of 300 KK, 5a 0; B latest approved: 3a 300/300, 5a 300/300
    assert total["water_pct"] == Decimal("45.0")  # 1 − 330/600
    assert total["sanitation_pct"] == Decimal("50.0")  # 1 − 300/600
    assert total["slum_pct"] == Decimal("50.0")  # 12 of 24 SK hectares


def test_results_are_scoped(history, facilitator, outsider):
    _rows, total = selectors.results_table(facilitator, None)
    assert total["areas"] == 2  # A and B cover Klagenserut; C is in Bondowoso
    _rows, total = selectors.results_table(outsider, None)
    assert total["areas"] == 0


def test_results_take_a_fixed_number_of_queries(
    history, national_officer, django_assert_max_num_queries
):
    for _index in range(5):
        make_survey(area=SlumAreaFactory(), year=2019, volumes=HEAVY, status="approved")
    selectors.results_table(national_officer, None)  # the user's role is cached from here
    with django_assert_max_num_queries(5):
        selectors.results_table(national_officer, None)
        selectors.results_by_year(national_officer, None)


def test_facilitator_sees_areas_over_their_desa_once(regions, facilitator, make_user):
    over_both = SlumAreaFactory(kelurahan=[KLAGENSERUT, BUKUR])
    elsewhere = SlumAreaFactory(kelurahan=[SAMBIREJO])
    assert list(SlumArea.objects.for_user(facilitator)) == [over_both]
    assert elsewhere not in SlumArea.objects.for_user(facilitator)
    make_survey(area=over_both)
    make_survey(area=elsewhere)
    assert SlumSurvey.objects.for_user(facilitator).count() == 1


def test_district_user_sees_every_area_of_their_kabupaten(regions, district_reader, outsider):
    SlumAreaFactory(kelurahan=[SAMBIREJO])
    SlumAreaFactory(kelurahan=[KLAGENSERUT, BUKUR])
    assert SlumArea.objects.for_user(district_reader).count() == 2
    assert SlumArea.objects.for_user(outsider).count() == 0


@pytest.mark.parametrize(
    ("places", "seen"),
    [
        ([JAWA_TIMUR], {"jiwan", "bukur", "pacitan"}),  # a province: by the kabupaten/kota
        ([KAB_MADIUN], {"jiwan", "bukur"}),
        ([JIWAN], {"jiwan", "bukur"}),  # a kecamatan: the areas over its kelurahan
        ([BUKUR], {"bukur"}),
        ([SAMBIREJO], {"jiwan"}),
        ([KAB_PACITAN, BUKUR], {"pacitan", "bukur"}),  # both ways at once
        ([TANJUNGSARI], {"pacitan"}),
        ([KAB_BONDOWOSO], set()),
        ([], set()),
    ],
)
def test_each_kind_of_place_sees_the_areas_in_or_over_it(regions, make_user, places, seen):
    """A province or kabupaten/kota sees the areas of its kabupaten/kota; a kecamatan or
    kelurahan/desa the areas covering it. The same holds for the areas' stored results
    and their surveys."""
    areas = {
        "jiwan": SlumAreaFactory(name="jiwan", kelurahan=[KLAGENSERUT, SAMBIREJO]),
        "bukur": SlumAreaFactory(name="bukur", kelurahan=[BUKUR]),
        "pacitan": SlumAreaFactory(
            name="pacitan", kabupaten_id=KAB_PACITAN, kelurahan=[TANJUNGSARI]
        ),
    }
    for area in areas.values():
        make_survey(area=area)
    user = make_user("u", Role.DISTRICT_STAFF if places else Role.FACILITATOR, places)
    assert set(SlumArea.objects.for_user(user).values_list("name", flat=True)) == seen
    stored = SlumAreaResult.objects.for_user(user).values_list("area__name", flat=True)
    assert set(stored) == seen
    surveys = SlumSurvey.objects.for_user(user).values_list("slum_area__name", flat=True)
    assert sorted(surveys) == sorted(seen)


def test_a_kelurahan_shows_itself_and_its_areas(history, national_officer):
    region = Region.objects.get(code=BUKUR)
    rows, total = selectors.results_table(national_officer, region)
    assert [(r["key"], r["areas"]) for r in rows] == [(BUKUR, 1)]
    assert [a["name"] for a in selectors.results_areas_table(national_officer, region)] == ["B"]
