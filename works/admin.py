"""The admin for officers. Model rules run in every ModelForm (full_clean); status steps,
handovers and maintenance checks are made on the work's page, progress reports on the
phone form — all through the services; here reports and photos are read only."""

from django.contrib import admin
from django.db import transaction

from kotaku.locking import VersionedHistoryAdmin

from . import services
from .models import (
    Handover,
    MaintenanceCheck,
    ProgressReport,
    ReportPhoto,
    Work,
    WorkStatusChange,
    WorkType,
)

REVIEW_FIELDS = [
    "status",
    "submitted_by",
    "submitted_at",
    "verified_by",
    "verified_at",
    "approved_by",
    "approved_at",
    "returned_by",
    "returned_at",
    "return_comment",
]


@admin.register(WorkType)
class WorkTypeAdmin(VersionedHistoryAdmin):
    list_display = ["name", "aspect", "default_unit"]
    list_filter = ["aspect"]
    search_fields = ["name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkStatusChangeInline(ReadOnlyInline):
    model = WorkStatusChange
    fields = ["date", "from_status", "to_status", "by", "reason"]
    show_change_link = False


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ["report_date", "physical_progress", "spent_to_date", "status"]


class MaintenanceCheckInline(ReadOnlyInline):
    model = MaintenanceCheck
    fields = ["checked_on", "exists", "good_condition", "used", "notes"]


@admin.register(Work)
class WorkAdmin(VersionedHistoryAdmin):
    list_display = ["name", "kelurahan", "fiscal_year", "work_type", "status", "budget"]
    list_filter = ["status", "fiscal_year", "aspect", "work_type", "method", "scale"]
    search_fields = ["name", "kelurahan__name", "kelurahan__code", "builder__name"]
    list_select_related = ["kelurahan", "work_type"]
    autocomplete_fields = ["kelurahan", "rtrw", "slum_area", "builder", "proposal"]
    # The status moves only through its steps, on the work's page.
    readonly_fields = ["status", "status_date"]
    inlines = [WorkStatusChangeInline, ProgressReportInline, MaintenanceCheckInline]
    show_full_result_count = False
    date_hierarchy = "planned_start"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # The dashboards read the work's place, year, budget … from its summary and the
        # regions' rollups: the same bookkeeping as works.services.work_update.
        place = None
        if change:
            place = Work.objects.select_for_update().values_list("kelurahan_id", "fiscal_year")
            place = tuple(place.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        services.work_saved(work=obj, place=place or (obj.kelurahan_id, obj.fiscal_year))

    def delete_model(self, request, obj):
        services.work_delete(work=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for work in queryset:
            services.work_delete(work=work)


class ReportPhotoInline(ReadOnlyInline):
    model = ReportPhoto
    fields = ["stage", "image", "display", "thumbnail", "caption"]


class ReadOnlyAdmin(VersionedHistoryAdmin):
    """Looked at here, never written: progress reports are filed on the phone form and
    moved through the review workflow, both through `works.services` (which locks the
    work row and keeps the ordering and status rules); photos are decoded and copied
    there too."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["work", "report_date", "physical_progress", "spent_to_date", "status"]
    list_filter = ["status", "report_date"]
    search_fields = ["work__name", "work__kelurahan__name", "work__kelurahan__code"]
    list_select_related = ["work__kelurahan"]
    inlines = [ReportPhotoInline]
    show_full_result_count = False
    date_hierarchy = "report_date"


@admin.register(ReportPhoto)
class ReportPhotoAdmin(ReadOnlyAdmin):
    list_display = ["report", "stage", "image_format", "width", "height", "uploaded_at"]
    list_filter = ["stage", "image_format"]
    search_fields = ["report__work__name"]
    list_select_related = ["report__work"]


class NoAddAdmin(VersionedHistoryAdmin):
    """Made on the work's page (it steps the work's status); corrected here."""

    def has_add_permission(self, request):
        return False


@admin.register(Handover)
class HandoverAdmin(NoAddAdmin):
    list_display = ["work", "kpp", "to_district", "date"]
    list_filter = ["to_district", "date"]
    search_fields = ["work__name", "kpp__name"]
    list_select_related = ["work", "kpp"]
    autocomplete_fields = ["work", "kpp"]


@admin.register(MaintenanceCheck)
class MaintenanceCheckAdmin(NoAddAdmin):
    list_display = ["work", "checked_on", "exists", "good_condition", "used"]
    list_filter = ["exists", "good_condition", "used"]
    search_fields = ["work__name", "work__kelurahan__name"]
    list_select_related = ["work"]
    autocomplete_fields = ["work"]
    readonly_fields = ["checked_by"]


@admin.register(WorkStatusChange)
class WorkStatusChangeAdmin(admin.ModelAdmin):
    """The record of status steps: read only."""

    list_display = ["work", "date", "from_status", "to_status", "by"]
    list_filter = ["to_status"]
    search_fields = ["work__name"]
    list_select_related = ["work", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
