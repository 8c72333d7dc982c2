"""Region pickers limited to the user's places: a list when short, a code box when long
(a national officer would otherwise get 83,000 kelurahan in one select)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_scope_q
from locations.models import Region

LIST_LIMIT = 300
CHECKBOX_LIMIT = 12


def scoped_regions(user, *levels):
    regions = Region.objects.filter(user_scope_q(user, "code"))
    return regions.filter(level__in=levels) if levels else regions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def region_field(user, *levels, label, required=True):
    label = capfirst(label)
    regions = scoped_regions(user, *levels).select_related("parent").order_by("code")
    if regions.count() <= LIST_LIMIT:
        return forms.ModelChoiceField(regions, label=label, required=required)
    return forms.ModelChoiceField(
        regions,
        label=label,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "35.19.09.2010"}),
        help_text=_("Type the region code, e.g. 35.19.09.2010."),
        error_messages={"invalid_choice": _("No region with this code in your places.")},
    )


class RegionCodesField(forms.CharField):
    """Several regions by code, separated by commas or spaces."""

    def __init__(self, regions, **kwargs):
        self.regions = regions
        kwargs.setdefault("help_text", _("Region codes separated by commas, e.g. 35.19, 35.11."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(item, "code", str(item)) for item in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        wanted = sorted({code for code in value.replace(",", " ").split() if code})
        found = list(self.regions.filter(code__in=wanted))
        missing = sorted(set(wanted) - {region.code for region in found})
        if missing:
            raise ValidationError(
                _("Not in your places: %(codes)s") % {"codes": ", ".join(missing)}
            )
        return found


def regions_field(user, *, label):
    label = capfirst(label)
    regions = scoped_regions(user).order_by("code")
    count = regions.count()
    if count <= CHECKBOX_LIMIT:
        # A facilitator's few places: tick boxes, easy on a phone.
        return forms.ModelMultipleChoiceField(
            regions, label=label, widget=forms.CheckboxSelectMultiple
        )
    if count <= LIST_LIMIT:
        return forms.ModelMultipleChoiceField(
            regions, label=label, widget=forms.SelectMultiple(attrs={"size": 8})
        )
    return RegionCodesField(regions, label=label)
