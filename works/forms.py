from django import forms
from django.utils.translation import gettext_lazy as _

from kotaku.forms import RupiahField, not_a_code
from kotaku.locking import VersionedFormMixin
from locations import codes
from programs.models import CommunityGroup, RkmProposal
from slums.models import SlumArea

from .choices import PhotoStage, WorkStatus
from .models import BUILDER_KINDS, KPP_KIND, MaintenanceCheck, ProgressReport, Work, WorkType
from .services import REPORT_FIELDS, SERVED_FIELDS
from .validators import PhotoValidator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}


class WorkForm(VersionedFormMixin, forms.ModelForm):
    """A work's plan. The kelurahan is chosen among the user's own kelurahan; groups,
    proposals and slum areas among those of the user's places (the service checks they
    belong to the same kelurahan)."""

    rt = forms.IntegerField(label=_("RT"), min_value=1, max_value=999, required=False)
    rw = forms.IntegerField(label=_("RW"), min_value=1, max_value=999, required=False)
    budget = RupiahField(label=_("Budget (Rp)"), min_value=0)

    class Meta:
        model = Work
        fields = [
            "fiscal_year",
            "kelurahan",
            "rt",
            "rw",
            "slum_area",
            "aspect",
            "work_type",
            "name",
            "scale",
            "volume",
            "unit",
            "latitude",
            "longitude",
            "builder",
            "method",
            "planned_start",
            "planned_end",
            "budget",
            "proposal",
            "planned_people",
            "planned_women",
            "planned_households",
            "planned_poor_households",
            "planned_mbr",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "latitude": forms.TextInput(attrs=DECIMAL),
            "longitude": forms.TextInput(attrs=DECIMAL),
            "volume": forms.TextInput(attrs=DECIMAL),
        }

    # The choices that belong to a kelurahan, and their field to narrow by it.
    OF_KELURAHAN = {
        "builder": "kelurahan_id",
        "proposal": "kelurahan_id",
        "slum_area": "kelurahan__code",
    }

    def __init__(self, *args, user, kelurahan_choices, by_kelurahan=False, **kwargs):
        """`by_kelurahan`: the user's places hold too many groups, proposals and slum
        areas for one select (a province or the nation: tens of thousands, megabytes of
        HTML), so they are offered for the chosen kelurahan only (`self.chosen_kelurahan`: the
        posted one, else the work's, else the initial one; none: nothing to choose)."""
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan_choices
        if user.sees_everything:  # 83k kelurahan: type the code instead of a select
            self.fields["kelurahan"].widget = forms.TextInput(
                attrs={"placeholder": "35.19.09.2010", "inputmode": "decimal"}
            )
        self.fields["work_type"].queryset = WorkType.objects.all()
        self.fields["builder"].queryset = (
            CommunityGroup.objects.for_user(user)
            .filter(kind__in=BUILDER_KINDS)
            .order_by("kelurahan_id", "name")
        )
        self.fields["proposal"].queryset = RkmProposal.objects.for_user(user)
        self.fields["slum_area"].queryset = SlumArea.objects.for_user(user)
        self.chosen_kelurahan = None
        self.place_error = ""
        if by_kelurahan:
            self.chosen_kelurahan = self._chosen_kelurahan()
            code = self.chosen_kelurahan if codes.is_valid_code(self.chosen_kelurahan) else ""
            if self.chosen_kelurahan and not code:
                self.place_error = not_a_code(self.chosen_kelurahan, "35.19.09.2010")
            for name, lookup in self.OF_KELURAHAN.items():
                field = self.fields[name]
                field.queryset = (
                    field.queryset.filter(**{lookup: code}).distinct()
                    if code
                    else field.queryset.none()
                )
        if self.instance.rtrw_id:
            self.initial.setdefault("rt", self.instance.rtrw.rt)
            self.initial.setdefault("rw", self.instance.rtrw.rw)
        for name in ("fiscal_year", "planned_people", "planned_women", "planned_households"):
            self.fields[name].widget.attrs.update(NUMBER)

    def _chosen_kelurahan(self) -> str:
        if self.is_bound:
            value = self.data.get(self.add_prefix("kelurahan"), "")
        elif self.instance.kelurahan_id:
            value = self.instance.kelurahan_id
        else:
            value = self.initial.get("kelurahan", "")
        return str(value).strip()


class WorkStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=WorkStatus.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason (required to go back)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HandoverForm(forms.Form):
    kpp = forms.ModelChoiceField(
        label=_("KPP"), queryset=CommunityGroup.objects.none(), required=False
    )
    to_district = forms.BooleanField(label=_("Hand over to the district instead"), required=False)
    date = forms.DateField(label=_("Handover date"), widget=DATE)
    document = forms.FileField(
        label=_("Handover document (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, work, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpp"].queryset = CommunityGroup.objects.filter(
            kelurahan_id=work.kelurahan_id, kind=KPP_KIND
        )


class MaintenanceCheckForm(forms.ModelForm):
    class Meta:
        model = MaintenanceCheck
        fields = ["checked_on", "exists", "good_condition", "used", "notes", "photo"]
        widgets = {
            "checked_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "photo": forms.ClearableFileInput(
                attrs={"accept": "image/*", "capture": "environment"}
            ),
        }


MAX_PHOTOS_PER_REPORT = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """One or more photos (at most five at once), each decoded and checked; a refused
    one is named in the message."""

    def __init__(self, **kwargs):
        attrs = {"accept": "image/*", "capture": "environment", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(validators=[PhotoValidator()], **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(uploads) > MAX_PHOTOS_PER_REPORT:
            raise forms.ValidationError(
                _("Attach at most %(count)d photos at once."),
                code="too_many",
                params={"count": MAX_PHOTOS_PER_REPORT},
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class ProgressReportForm(VersionedFormMixin, forms.ModelForm):
    """The phone form: a few fields, photos from the camera with their stage."""

    spent_to_date = RupiahField(label=_("Money spent to date (Rp)"), min_value=0)
    wage_value = RupiahField(label=_("Wages paid this period (Rp)"), min_value=0, required=False)
    photo = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each; up to five at once."),
    )
    stage = forms.ChoiceField(
        label=_("Stage of the photo"), choices=PhotoStage.choices, initial="other"
    )

    class Meta:
        model = ProgressReport
        fields = REPORT_FIELDS
        widgets = {
            "report_date": DATE,
            "physical_progress": forms.TextInput(attrs=DECIMAL),
            "labour_days": forms.TextInput(attrs=DECIMAL),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "reason_for_decrease": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("workers_men", "workers_women", *SERVED_FIELDS):
            self.fields[name].widget.attrs.update(NUMBER)
        for name in SERVED_FIELDS:
            self.fields[name].required = False

    def clean_wage_value(self):
        return self.cleaned_data.get("wage_value") or 0

    def clean(self):
        """Beneficiaries served may be left empty (none counted yet): 0."""
        cleaned = super().clean()
        for name in SERVED_FIELDS:
            if name not in self.errors and not cleaned.get(name):
                cleaned[name] = 0
        return cleaned

    def report_data(self):
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}

    def photos(self):
        return [(self.cleaned_data["stage"], photo) for photo in self.cleaned_data.get("photo", [])]
