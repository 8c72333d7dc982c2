from decimal import Decimal

import pytest

from slums import scoring, services
from slums.choices import SlumLevel
from slums.tests.factories import HEADER, default_method

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    return services.rules_for(default_method())


@pytest.mark.parametrize(
    ("percentage", "score"),
    [
        ("0", 0),
        ("24.99", 0),
        ("25", 1),
        ("50.99", 1),
        ("51", 3),
        ("75.99", 3),
        ("76", 5),
        ("100", 5),
    ],
)
def test_score_band_edges_of_the_2018_method(rules, percentage, score):
    assert scoring.band_score(Decimal(percentage), rules.score_bands) == score


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (0, SlumLevel.NOT_SLUM),
        (15, SlumLevel.NOT_SLUM),
        (16, SlumLevel.LIGHT),
        (37, SlumLevel.LIGHT),
        (38, SlumLevel.MEDIUM),
        (59, SlumLevel.MEDIUM),
        (60, SlumLevel.HEAVY),
        (80, SlumLevel.HEAVY),
    ],
)
def test_level_edges_of_the_2018_method(rules, total, level):
    assert scoring.band_level(total, rules.level_bands) == level


def test_the_2018_method_has_16_indicators_in_7_aspects(rules):
    assert len(rules.indicators) == 16
    assert len({rule.aspect for rule in rules.indicators}) == 7


def test_a_whole_survey_worked_by_hand(rules):
    # header: 200 buildings, 10 ha, 300 KK, 1000 m road, 800 m drainage
    volumes = {
        "1a": 50,  # 25.00% → 1
        "1b": Decimal("2.5"),  # 25.00% → 1
        "1c": 152,  # 76.00% → 5
        "2a": 510,  # 51.00% → 3
        "2b": Decimal("249.9"),  # 24.99% → 0
        "3a": 300,  # 100% → 5
        "3b": 0,  # → 0
        "4a": Decimal("7.6"),  # 76.00% → 5
        "4b": 408,  # 51.00% → 3
        "4c": None,  # empty → 0
        "5a": 228,  # 76.00% → 5
        "5b": 152,  # 50.67% → 1
        "6a": 75,  # 25.00% → 1
        "6b": 153,  # 51.00% → 3
        "7a": 1,  # 0.50% → 0
        "7b": 200,  # 100% → 5
    }
    result = scoring.score(rules, HEADER, volumes)
    assert not result.errors
    scores = {code: value.score for code, value in result.indicators.items()}
    assert scores == {
        "1a": 1, "1b": 1, "1c": 5, "2a": 3, "2b": 0, "3a": 5, "3b": 0, "4a": 5,
        "4b": 3, "4c": 0, "5a": 5, "5b": 1, "6a": 1, "6b": 3, "7a": 0, "7b": 5,
    }  # fmt: skip
    assert result.indicators["5b"].percentage == Decimal("50.67")
    assert result.indicators["2b"].percentage == Decimal("24.99")
    assert result.aspects == {
        "bangunan": Decimal("2.33"),
        "jalan": Decimal("1.50"),
        "air_minum": Decimal("2.50"),
        "drainase": Decimal("2.67"),
        "air_limbah": Decimal("3.00"),
        "persampahan": Decimal("2.00"),
        "kebakaran": Decimal("2.50"),
    }
    assert result.total == 38
    assert result.level == SlumLevel.MEDIUM


def test_percentage_is_rounded_before_banding(rules):
    # 151.98 / 200 = 75.99% → 3; 151.99 / 200 = 75.995% → shown 76.00% → 5
    low = scoring.score(rules, HEADER, {"1a": Decimal("151.98")}).indicators["1a"]
    high = scoring.score(rules, HEADER, {"1a": Decimal("151.99")}).indicators["1a"]
    assert (low.percentage, low.score) == (Decimal("75.99"), 3)
    assert (high.percentage, high.score) == (Decimal("76.00"), 5)


def test_problems_are_reported_by_indicator(rules):
    header = {**HEADER, "road_length_m": None}
    result = scoring.score(rules, header, {"1a": 201, "2a": 10, "3a": -1, "2b": 0})
    assert set(result.errors) == {"1a", "2a", "3a"}
    assert "2b" not in result.errors  # nothing filled: no denominator needed
