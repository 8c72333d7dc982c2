"""The NIK (Nomor Induk Kependudukan): 16 digits, checked and masked."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role

# Province codes in use by Kemendagri (the first two digits of every NIK).
PROVINCE_CODES = frozenset(
    ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33"]
    + ["34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72"]
    + ["73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"]
)


def _birth_date_ok(digits: str) -> bool:
    """Digits 7–12 are DDMMYY; women add 40 to the day."""
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    for century in (1900, 2000):
        try:
            datetime.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def validate_nik(value: str):
    value = value or ""
    if len(value) != 16 or not value.isdigit():
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The first two digits of a NIK are a province code; %(code)s is not one."),
            code="nik_province",
            params={"code": value[:2]},
        )
    if not _birth_date_ok(value):
        raise ValidationError(
            _("Digits 7 to 12 of a NIK are a birth date (DDMMYY, day + 40 for women)."),
            code="nik_birth_date",
        )
    if value[12:] == "0000":
        raise ValidationError(_("The last four digits of a NIK cannot be 0000."), code="nik_seq")


def mask_nik(value: str) -> str:
    """`3519094507800001` → `3519********0001`."""
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def sees_full_nik(user) -> bool:
    """Only district staff and national officers see a NIK in full."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role in (Role.DISTRICT_STAFF, Role.NATIONAL_OFFICER))
    )
