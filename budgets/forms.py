from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_scope_q
from kotaku.forms import RupiahField, not_a_code
from kotaku.locking import VersionedFormMixin
from locations import codes
from locations.choices import RegionLevel
from locations.models import Region
from programs.models import Bkm

from .choices import SpendingCategory, SwadayaKind
from .models import Allocation, FundingSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AllocationForm(forms.Form):
    """A new allocation: to a BKM/LKM or to a kabupaten/kota of the user's places."""

    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    source = forms.ModelChoiceField(label=_("Funding source"), queryset=FundingSource.objects)
    bkm = forms.ModelChoiceField(label=_("BKM/LKM"), queryset=Bkm.objects.none(), required=False)
    kabupaten = forms.ModelChoiceField(
        label=_("or kabupaten/kota (district-scale works)"),
        queryset=Region.objects.none(),
        required=False,
    )
    part_of = forms.ModelChoiceField(
        label=_("Part of a district allocation"),
        queryset=Allocation.objects.none(),
        required=False,
        help_text=_("When a BKM/LKM receives part of the kabupaten's own allocation."),
    )
    decree_number = forms.CharField(label=_("Decree/document number"), max_length=100)
    decree_date = forms.DateField(label=_("Decree/document date"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"))
    document = forms.FileField(label=_("Document (PDF)"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # The kabupaten/kota whose BKM/LKM and allocations are offered (`by_kabupaten`).
    within = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, by_kabupaten=False, **kwargs):
        """`by_kabupaten`: the user's places are a province or more, whose 11,000 BKM/LKM
        are too many for one select; those of the chosen kabupaten/kota are offered
        (`self.chosen_kabupaten`: the posted `within`, else the initial one; none:
        no BKM/LKM to choose, but the kabupaten/kota themselves still are)."""
        super().__init__(*args, **kwargs)
        self.fields["bkm"].queryset = (
            Bkm.objects.filter(user_scope_q(user, "kelurahan__code"))
            .select_related("kelurahan")
            .order_by("kelurahan_id")
        )
        self.fields["bkm"].label_from_instance = lambda bkm: f"{bkm.name} — {bkm.kelurahan.name}"
        self.fields["kabupaten"].queryset = Region.objects.filter(
            user_scope_q(user, "code"), level=RegionLevel.KABUPATEN_KOTA
        )
        self.fields["part_of"].queryset = (
            Allocation.objects.for_user(user)
            .filter(kabupaten__isnull=False, part_of__isnull=True)
            .select_related("source", "kabupaten")
        )
        self.chosen_kabupaten = None
        self.place_error = ""
        if by_kabupaten:
            chosen = self.data.get(self.add_prefix("within")) if self.is_bound else None
            self.chosen_kabupaten = str(chosen or self.initial.get("within") or "").strip()
            self.initial["within"] = self.chosen_kabupaten
            code = self.chosen_kabupaten if codes.is_valid_code(self.chosen_kabupaten) else ""
            if self.chosen_kabupaten and not code:
                self.place_error = not_a_code(self.chosen_kabupaten, "35.19")
            bkm, part_of = self.fields["bkm"], self.fields["part_of"]
            bkm.queryset = (
                bkm.queryset.filter(kelurahan__code__startswith=f"{code}.")
                if code
                else bkm.queryset.none()
            )
            part_of.queryset = (
                part_of.queryset.filter(kabupaten_id=code) if code else part_of.queryset.none()
            )

    def clean(self):
        data = super().clean()
        data.pop("within", None)  # which BKM/LKM were offered, not a part of the allocation
        if bool(data.get("bkm")) == bool(data.get("kabupaten")):
            raise forms.ValidationError(_("Choose either a BKM/LKM or a kabupaten/kota."))
        return data


class AllocationUpdateForm(VersionedFormMixin, forms.Form):
    decree_number = forms.CharField(label=_("Decree/document number"), max_length=100)
    decree_date = forms.DateField(label=_("Decree/document date"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"))
    document = forms.FileField(label=_("Replace the document (PDF)"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)


class DisbursementForm(forms.Form):
    termin = forms.IntegerField(label=_("Termin"), min_value=1, max_value=12)
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"))
    document = forms.FileField(label=_("Document (PDF)"), required=False)


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SpendingForm(VersionedFormMixin, forms.Form):
    allocation = forms.ModelChoiceField(label=_("Allocation"), queryset=Allocation.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"))
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    receipt = forms.FileField(label=_("Receipt (PDF)"), required=False)

    def __init__(self, *args, allocations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
        self.fields["category"].choices = SpendingCategory.choices


class SwadayaForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"))
    value = RupiahField(label=_("Value (Rp)"))
    description = forms.CharField(label=_("Description"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SwadayaKind.choices


class OverrunForm(forms.Form):
    amount = RupiahField(label=_("Extra amount allowed (Rp)"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
