from django import forms
from django.utils.translation import gettext_lazy as _

from kotaku.locking import VersionedFormMixin
from locations.choices import RegionLevel

from ..models import Bkm, BkmStatus, CommunityGroup, Member
from ._fields import DateInput, region_field

KELURAHAN = RegionLevel.KELURAHAN_DESA


class BkmForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Bkm
        fields = [
            "kelurahan",
            "name",
            "coordinator",
            "address",
            "phone",
            "formed_on",
            "deed_number",
            "deed_date",
            "bank_name",
            "account_number",
        ]
        widgets = {
            "formed_on": DateInput(),
            "deed_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kelurahan"]
        else:
            self.fields["kelurahan"] = region_field(user, KELURAHAN, label=_("kelurahan/desa"))


class BkmStatusForm(forms.ModelForm):
    class Meta:
        model = BkmStatus
        fields = ["year", "status", "note"]
        widgets = {"year": forms.NumberInput(attrs={"inputmode": "numeric"})}


class CommunityGroupForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CommunityGroup
        fields = ["kind", "kelurahan", "name", "formed_on", "purpose"]
        widgets = {"formed_on": DateInput(), "purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kelurahan"]
            del self.fields["kind"]
        else:
            self.fields["kelurahan"] = region_field(user, KELURAHAN, label=_("kelurahan/desa"))

    def _get_validation_exclusions(self):
        # The BKM is found by the service; the group's own checks run there.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("bkm")
        return exclusions


class GroupDissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolution date"), widget=DateInput())


class MemberForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "sex", "role", "poor_household", "phone", "nik"]
        widgets = {
            "sex": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "nik": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}
            ),
        }
