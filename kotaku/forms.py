"""Form fields shared by every app."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLAIN = re.compile(r"^\d+$")
GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
WHOLE_CENTS = re.compile(r",(?:0{1,2}|-)$")
MAX_DIGITS = 15


def parse_rupiah(text: str) -> Decimal:
    """Read an amount typed the Indonesian way into whole rupiah.

    Accepts `750000000`, `750.000.000`, `Rp 750.000.000` and a trailing `,00` or `,-`.
    Refuses what could be read two ways (`750,000,000`, `1.5`), fractions of a rupiah,
    and negative amounts, each with a message that says why.
    """
    value = (text or "").strip()
    value = re.sub(r"^rp\.?\s*", "", value, flags=re.IGNORECASE).replace(" ", "")
    if value.startswith("-") or value.startswith("−"):
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    value = WHOLE_CENTS.sub("", value)
    if "," in value:
        raise ValidationError(
            _(
                "Write whole rupiah with dots between thousands, e.g. 750.000.000 "
                "(a comma is not used here)."
            ),
            code="ambiguous",
        )
    if PLAIN.match(value) or GROUPED.match(value):
        digits = value.replace(".", "")
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise ValidationError(_("The amount is too large."), code="too_large")
        return Decimal(digits)
    raise ValidationError(
        _("Enter an amount in rupiah, e.g. 750000000 or 750.000.000."), code="invalid"
    )


class RupiahInput(forms.TextInput):
    """Shows the amount as `750.000.000`; numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return f"{int(value):,}".replace(",", ".")
        return super().format_value(value)


class RupiahField(forms.Field):
    """Whole rupiah, typed as `750000000`, `750.000.000` or `Rp 750.000.000`."""

    widget = RupiahInput

    def __init__(self, *, min_value=1, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            amount = Decimal(value)
            if amount < 0:
                raise ValidationError(_("The amount cannot be negative."), code="negative")
            return amount
        return parse_rupiah(str(value))

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("The amount must be at least Rp %(min)s.")
                % {"min": f"{int(self.min_value):,}".replace(",", ".")},
                code="min_value",
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                _("The amount must be at most Rp %(max)s.")
                % {"max": f"{int(self.max_value):,}".replace(",", ".")},
                code="max_value",
            )


def not_a_code(typed: str, example: str) -> str:
    """The message for a place chooser given something that is not a region code."""
    return _("“%(typed)s” is not a region code. Type one such as %(example)s.") % {
        "typed": typed,
        "example": example,
    }
