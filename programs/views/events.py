"""Pages of capacity-building events and their attendance lists."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotaku.exports import Column
from kotaku.lists import ListPageView
from locations import codes
from locations.choices import RegionLevel

from .. import selectors, services
from ..filters import EventFilterSet
from ..forms import AttendanceUploadForm, EventForm
from ..models import Event
from ..models.events import COUNT_FIELDS
from .base import ScopedDetailView, ServiceFormView, scoped_object
from .institutions import _post_on_detail


def _region_names(event):
    # From the prefetch (`event_list`), also in the export: iterator(chunk_size) keeps it.
    return ", ".join(region.name for region in event.regions.all())


class EventListView(ListPageView):
    filterset_class = EventFilterSet
    selector = selectors.event_list
    template_name = "programs/event_list.html"
    context_object_name = "events"
    export_filename = "kegiatan-peningkatan-kapasitas"
    export_columns = [
        Column(gettext_lazy("Start date"), "start_date"),
        Column(gettext_lazy("End date"), "end_date"),
        Column(gettext_lazy("Title"), "title"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Level"), "get_level_display"),
        Column(gettext_lazy("Place"), "place"),
        Column(gettext_lazy("Organiser"), "organiser"),
        Column(gettext_lazy("Regions"), _region_names),
        *(Column(Event._meta.get_field(name).verbose_name, name) for name in COUNT_FIELDS),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = self.object_list
        context["totals_by_year"] = selectors.event_totals_by_year(events)
        level = _default_totals_level(self.request.user)
        chosen = self.request.GET.get("totals_level", "")
        if chosen.isdigit() and int(chosen) in RegionLevel.values:
            level = int(chosen)
        context["totals_level"] = level
        context["totals_levels"] = RegionLevel.choices
        context["totals_by_region"] = selectors.event_totals_by_region(
            events, self.request.user, level=level
        )
        return context


def _default_totals_level(user):
    """Kabupaten for officers; the level of their places for facilitators."""
    levels = [codes.level_of(code) for code in user.place_codes]
    return max(RegionLevel.KABUPATEN_KOTA, min(levels)) if levels else RegionLevel.KABUPATEN_KOTA


def _editable(event, user):
    return Event.objects.editable_by(user).filter(pk=event.pk).exists()


class EventDetailView(ScopedDetailView):
    model = Event
    template_name = "programs/event_detail.html"
    context_object_name = "event"
    change_permission = "programs.change_event"
    upload_form = None
    upload_errors = ()

    def get_queryset(self):
        return selectors.event_list(self.request.user)

    def can_change(self):
        return super().can_change() and _editable(self.object, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendance"] = self.object.attendance.all()[:500]
        context["upload_form"] = self.upload_form or AttendanceUploadForm()
        return context


class EventCreateView(ServiceFormView):
    form_class = EventForm
    form_takes_user = True
    permission_required = "programs.add_event"
    title = gettext_lazy("Record a capacity-building event")

    def get_cancel_url(self):
        return reverse("programs:event_list")

    def perform(self, form):
        return services.event_create(**form.cleaned_data)


class EventUpdateView(ServiceFormView):
    form_class = EventForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_event"

    def get_object(self):
        return scoped_object(Event.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def check_can_edit(self, obj):
        if not _editable(obj, self.request.user):
            raise PermissionDenied

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.event_update(event=self.object, **form.cleaned_data)


class AttendanceUploadView(EventDetailView):
    """Replaces the attendance list from a CSV/XLSX file (POST only, all or nothing)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not _editable(self.object, request.user):
            raise PermissionDenied
        return _post_on_detail(
            self,
            "programs.change_event",
            AttendanceUploadForm(request.POST, request.FILES),
            "upload_form",
            lambda data: services.event_attendance_upload(event=self.object, upload=data["file"]),
            _("Attendance list read; the participant counts were updated."),
        )
