from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kotaku.locking import VersionedFormMixin
from locations import codes
from locations.choices import RegionLevel
from locations.models import Region, RtRw

from .choices import SlumAspect, SurveyKind
from .geojson import MAX_OUTLINE_BYTES
from .models import SlumArea


def apply_errors(form, error: ValidationError, renames=None):
    """Show a service's ValidationError on the form, on the field it names when the form
    has that field (else on top)."""
    renames = renames or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        name = renames.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class KelurahanChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region):
        return f"{region.name} ({region.parent.name})"


class RtRwChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.kelurahan.name} · {unit}"


class SlumAreaForm(VersionedFormMixin, forms.ModelForm):
    """The kelurahan/desa and RT/RW offered are those of one kabupaten/kota: the one
    chosen (in the data, the row, or `?kabupaten=`), or the user's only one."""

    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan/desa covered"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    rt_rw = RtRwChoiceField(
        label=_("RT/RW covered"),
        queryset=RtRw.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outline_text = forms.CharField(
        label=_("Outline (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "Paste a GeoJSON Polygon or MultiPolygon (longitude, latitude), or upload a file."
        ),
    )
    outline_file = forms.FileField(
        label=_("…or upload a .geojson file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    class Meta:
        model = SlumArea
        fields = [
            "name",
            "sk_number",
            "sk_date",
            "sk_issued_by",
            "area_ha",
            "location_kind",
            "kabupaten",
            "kelurahan",
            "rt_rw",
        ]
        widgets = {"sk_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, kabupaten_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The kabupaten/kota in or above the user's places.
        kabupaten = Region.objects.for_user(user).filter(level=RegionLevel.KABUPATEN_KOTA)
        self.fields["kabupaten"].queryset = kabupaten
        code = self.data.get("kabupaten") or self.instance.kabupaten_id or kabupaten_code
        if not code and not user.sees_everything and kabupaten.count() == 1:
            code = kabupaten.get().code
        # What was posted is only looked up when it is a region code: PostgreSQL refuses
        # a NUL byte in a query, and the field itself reports anything else.
        valid = bool(code) and isinstance(code, str) and codes.is_valid_code(code)
        self.kabupaten_code = code if valid and kabupaten.filter(code=code).exists() else None
        if self.kabupaten_code:
            self.initial.setdefault("kabupaten", self.kabupaten_code)
            under = {"code__startswith": f"{self.kabupaten_code}."}
            self.fields["kelurahan"].queryset = Region.objects.filter(
                level=RegionLevel.KELURAHAN_DESA, **under
            ).select_related("parent")
            self.fields["rt_rw"].queryset = RtRw.objects.filter(
                kelurahan__code__startswith=f"{self.kabupaten_code}."
            ).select_related("kelurahan")
            if not self.fields["rt_rw"].queryset.exists():
                self.fields["rt_rw"].help_text = _(
                    "No RT/RW recorded here yet: add them on the kelurahan/desa page first."
                )
        if self.instance.pk and self.instance.outline:
            import json

            self.initial.setdefault("outline_text", json.dumps(self.instance.outline))

    def clean_outline_file(self):
        upload = self.cleaned_data.get("outline_file")
        if upload and upload.size > MAX_OUTLINE_BYTES:
            raise ValidationError(_("The outline file is larger than 2 MB."))
        return upload

    def outline(self) -> str:
        upload = self.cleaned_data.get("outline_file")
        if upload:
            try:
                return upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                return "\x00"  # not text: the service reports it as invalid JSON
        return self.cleaned_data.get("outline_text") or ""


class SurveyForm(VersionedFormMixin, forms.Form):
    """The survey header and one volume per indicator of the method, grouped by aspect."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    rt = forms.ModelChoiceField(
        label=_("RT/RW (leave empty for the whole area)"),
        queryset=RtRw.objects.none(),
        required=False,
    )
    area_ha = forms.DecimalField(
        label=_("Verified area (ha)"), min_value=Decimal("0.01"), decimal_places=2
    )
    buildings = forms.IntegerField(label=_("Buildings"), min_value=0, required=False)
    people = forms.IntegerField(label=_("People"), min_value=0, required=False)
    households = forms.IntegerField(label=_("Households (KK)"), min_value=0, required=False)
    road_length_m = forms.DecimalField(
        label=_("Ideal road length (m)"), min_value=0, decimal_places=2, required=False
    )
    drainage_length_m = forms.DecimalField(
        label=_("Ideal drainage length (m)"), min_value=0, decimal_places=2, required=False
    )

    HEADER = ["area_ha", "buildings", "people", "households", "road_length_m", "drainage_length_m"]

    def __init__(self, *args, area, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.fields["rt"].queryset = area.rt_rw.select_related("kelurahan")
        for field_name in self.HEADER:
            self.fields[field_name].widget.attrs.update(
                {"inputmode": "decimal", "data-header": field_name}
            )
        for indicator in self.indicators:
            self.fields[f"volume_{indicator.code}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.label}",
                help_text=_("%(unit)s, share of %(denominator)s")
                % {"unit": indicator.unit, "denominator": indicator.get_denominator_display()},
                min_value=0,
                decimal_places=2,
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "decimal", "step": "any", "data-indicator": indicator.code}
                ),
            )

    def aspect_groups(self):
        """[(aspect label, [(indicator, bound field)])] in the method's order."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.aspect, []).append(
                (indicator, self[f"volume_{indicator.code}"])
            )
        return [(aspect, SlumAspect(aspect).label, rows) for aspect, rows in groups.items()]

    def header(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.HEADER}

    def volumes(self) -> dict:
        return {i.code: self.cleaned_data.get(f"volume_{i.code}") for i in self.indicators}


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
