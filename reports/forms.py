from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from . import selectors

FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthPickerForm(forms.Form):
    """Which report to open: a kabupaten/kota among the user's, a year and a month. Sent
    by GET, so the address of the picked report can be shared."""

    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=None, to_field_name="code", empty_label=None
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=list(MONTHS.items()), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = selectors.kabupaten_for_user(user)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
