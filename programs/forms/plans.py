from django import forms
from django.utils.translation import gettext_lazy as _

from kotaku.locking import VersionedFormMixin
from locations.choices import RegionLevel

from ..models import Commitment, RkmProposal, Rp2kpkp, Rplp
from ._fields import DateInput, region_field


class RplpForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Rplp
        fields = ["kelurahan", "title", "document_status", "legal_basis", "approved_on", "document"]
        widgets = {
            "approved_on": DateInput(),
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kelurahan"]
        else:
            self.fields["kelurahan"] = region_field(
                user, RegionLevel.KELURAHAN_DESA, label=_("kelurahan/desa")
            )


class RkmProposalForm(VersionedFormMixin, forms.ModelForm):
    rt = forms.IntegerField(label=_("RT"), min_value=1, max_value=999)
    rw = forms.IntegerField(label=_("RW"), min_value=1, max_value=999)

    class Meta:
        model = RkmProposal
        fields = [
            "kelurahan",
            "year",
            "priority",
            "aspect",
            "work_type",
            "rt",
            "rw",
            "volume",
            "unit",
            "estimated_cost",
            "funding_source",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "estimated_cost": forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kelurahan"]
            self.initial.setdefault("rt", self.instance.rtrw.rt)
            self.initial.setdefault("rw", self.instance.rtrw.rw)
        else:
            self.fields["kelurahan"] = region_field(
                user, RegionLevel.KELURAHAN_DESA, label=_("kelurahan/desa")
            )

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("rtrw")
        return exclusions


class Rp2kpkpForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Rp2kpkp
        fields = ["kabupaten", "title", "start_year", "end_year", "document"]
        widgets = {"document": forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kabupaten"]
        else:
            self.fields["kabupaten"] = region_field(
                user, RegionLevel.KABUPATEN_KOTA, label=_("kabupaten/kota")
            )


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["year", "funding_source", "amount"]
        widgets = {"amount": forms.NumberInput(attrs={"inputmode": "numeric", "step": 1})}
