from django import forms
from django.utils.translation import gettext_lazy as _

from kotaku.locking import VersionedFormMixin

from ..models import Event
from ._fields import DateInput, regions_field


class EventForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "level",
            "start_date",
            "end_date",
            "place",
            "organiser",
            "regions",
            "men",
            "women",
            "bkm_participants",
            "ksm_participants",
            "kpp_participants",
            "facilitator_participants",
            "government_participants",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"] = regions_field(user, label=_("regions concerned"))
        if self.instance.pk:
            self.initial["regions"] = list(self.instance.regions.all())


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance list (CSV/XLSX)"),
        help_text=_("Columns: name, sex (L/P), role (BKM, KSM, KPP, fasilitator, pemerintah)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
