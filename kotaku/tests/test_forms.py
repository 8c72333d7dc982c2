from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kotaku.forms import RupiahField, RupiahInput, parse_rupiah


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("750000000", 750_000_000),
        ("750.000.000", 750_000_000),
        ("Rp 750.000.000", 750_000_000),
        ("Rp750.000.000", 750_000_000),
        ("rp. 80.000.000", 80_000_000),
        ("  1.500 ", 1_500),
        ("750.000.000,00", 750_000_000),
        ("750.000.000,-", 750_000_000),
        ("0", 0),
    ],
)
def test_amounts_typed_the_indonesian_way_are_read(typed, amount):
    assert parse_rupiah(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5000", "negative"),
        ("Rp -5.000", "negative"),
        ("750,000,000", "ambiguous"),
        ("1.500,50", "ambiguous"),
        ("1.5", "invalid"),
        ("1.5000", "invalid"),
        ("12.34.567", "invalid"),
        ("tujuh ratus", "invalid"),
        ("1e9", "invalid"),
        ("9" * 16, "too_large"),
        ("", "invalid"),
    ],
)
def test_ambiguous_or_negative_amounts_are_refused(typed, code):
    with pytest.raises(ValidationError) as caught:
        parse_rupiah(typed)
    assert caught.value.code == code


def test_field_enforces_its_bounds_with_a_message():
    field = RupiahField(max_value=420_000_000)
    assert field.clean("Rp 80.000.000") == Decimal(80_000_000)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean("420.000.001")
    assert caught.value.messages == ["The amount must be at most Rp 420.000.000."]
    with pytest.raises(ValidationError):
        field.clean("0")


def test_refusal_is_explained_in_indonesian_by_default():
    with pytest.raises(ValidationError) as caught:
        RupiahField().clean("-1")
    assert caught.value.messages == ["Jumlah tidak boleh negatif."]  # read in the default


def test_widget_shows_the_amount_with_dots():
    assert RupiahInput().format_value(Decimal(750_000_000)) == "750.000.000"
    assert RupiahInput().format_value("750.0") == "750.0"  # what was typed is kept
