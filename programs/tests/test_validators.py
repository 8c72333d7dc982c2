import pytest
from django.core.exceptions import ValidationError

from accounts.choices import Role
from programs.validators import mask_nik, sees_full_nik, validate_nik

WOMAN_NIK = "3519094507800001"  # born 05-07-1980, day + 40
MAN_NIK = "3519090507800002"


@pytest.mark.parametrize("nik", [WOMAN_NIK, MAN_NIK, "3512012902000001"])
def test_valid_niks_pass(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("351909450780000", "nik_length"),  # 15 digits
        ("35190945078000011", "nik_length"),  # 17 digits
        ("35190945078O0001", "nik_length"),  # a letter O
        ("9919094507800001", "nik_province"),  # no province 99
        ("3519093207800001", "nik_birth_date"),  # day 32
        ("3519097507800001", "nik_birth_date"),  # day 75 (35 for a woman)
        ("3519090513800001", "nik_birth_date"),  # month 13
        ("3519093002800001", "nik_birth_date"),  # 30 February
        ("3519094507800000", "nik_seq"),
    ],
)
def test_invalid_niks_are_refused_with_the_reason(nik, code):
    with pytest.raises(ValidationError) as caught:
        validate_nik(nik)
    assert caught.value.code == code


def test_mask_keeps_four_digits_each_side():
    assert mask_nik("3512345678900001") == "3512********0001"
    assert mask_nik("") == ""


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.FACILITATOR, False),
        (Role.CITY_COORDINATOR, False),
        (Role.PROVINCE_COORDINATOR, False),
        (Role.DISTRICT_STAFF, True),
        (Role.NATIONAL_OFFICER, True),
    ],
)
def test_only_district_staff_and_national_officers_see_a_full_nik(make_user, role, sees):
    assert sees_full_nik(make_user(f"u-{role}", role, [])) is sees
