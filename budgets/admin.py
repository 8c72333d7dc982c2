"""Admin for officers. Money entries are never deleted and never edited in place: new
entries and corrections go through the services (the same rules as the pages)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from kotaku.forms import RupiahField
from kotaku.locking import VersionedHistoryAdmin

from . import services
from .models import (
    Allocation,
    Disbursement,
    FundingSource,
    OverrunApproval,
    Spending,
    SwadayaContribution,
    TranchePlan,
)


class NoDeleteAdmin(VersionedHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdminForm(forms.ModelForm):
    """Saves through the admin's service once the form is valid, so a broken rule shows
    on the form and nothing is half saved."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance = self.run_service(self.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
            else:
                self.add_error(None, error)


class ServiceAdmin(NoDeleteAdmin):
    """Rows are written by `service(request, form, data)` inside the form's validation."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        admin_site = self

        class Bound(form):
            def run_service(self, data):
                return admin_site.service(request, self, data)

        return Bound

    def save_form(self, request, form, change):
        return form.instance

    def save_model(self, request, obj, form, change):
        """Already saved by the service."""

    def save_related(self, request, form, formsets, change):
        """No many-to-many fields."""


class EntryAdmin(ServiceAdmin):
    """Money entries: added through a service, then read-only (corrections are reversals)."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


@admin.register(FundingSource)
class FundingSourceAdmin(NoDeleteAdmin):
    list_display = ["name", "code", "is_community", "order"]
    list_filter = ["is_community"]
    search_fields = ["name", "code"]


class TranchePlanAdminForm(ServiceAdminForm):
    class Meta:
        model = TranchePlan
        fields = ["source", "fiscal_year", "termin", "percentage"]


@admin.register(TranchePlan)
class TranchePlanAdmin(ServiceAdmin):
    form = TranchePlanAdminForm

    def service(self, request, form, data):
        return services.tranche_plan_save(plan=form.instance)

    list_display = ["source", "fiscal_year", "termin", "percentage"]
    list_filter = ["source", "fiscal_year"]
    list_select_related = ["source"]
    search_fields = ["source__name"]


class AllocationAdminForm(ServiceAdminForm):
    amount = RupiahField()

    class Meta:
        model = Allocation
        fields = [
            "fiscal_year",
            "source",
            "bkm",
            "kabupaten",
            "part_of",
            "decree_number",
            "decree_date",
            "document",
            "amount",
            "note",
        ]


@admin.register(Allocation)
class AllocationAdmin(ServiceAdmin):
    form = AllocationAdminForm
    list_display = ["fiscal_year", "source", "region", "recipient_name", "amount", "decree_number"]
    list_filter = ["fiscal_year", "source"]
    list_select_related = ["source", "region", "bkm", "kabupaten"]
    search_fields = ["region__code", "region__name", "bkm__name", "decree_number"]
    autocomplete_fields = ["bkm", "kabupaten", "part_of"]
    readonly_fields = ["region", "created_by"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        fixed = ["fiscal_year", "source", "bkm", "kabupaten", "part_of"]
        return [*self.readonly_fields, *(fixed if obj else [])]

    def service(self, request, form, data):
        if form.instance.pk:
            changes = {name: data[name] for name in services.ALLOCATION_FIELDS if name in data}
            return services.allocation_update(
                allocation=form.instance, user=request.user, reason="admin", **changes
            )
        return services.allocation_create(user=request.user, **data)


class DisbursementAdminForm(ServiceAdminForm):
    amount = RupiahField()

    class Meta:
        model = Disbursement
        fields = ["allocation", "termin", "date", "amount", "document"]


@admin.register(Disbursement)
class DisbursementAdmin(EntryAdmin):
    form = DisbursementAdminForm
    list_display = ["allocation", "termin", "date", "amount", "reverses"]
    list_filter = ["allocation__fiscal_year", "allocation__source"]
    list_select_related = ["allocation__source", "allocation__region", "allocation__bkm"]
    search_fields = ["allocation__region__code", "allocation__region__name", "reason"]
    autocomplete_fields = ["allocation"]
    show_full_result_count = False

    def service(self, request, form, data):
        return services.disbursement_create(user=request.user, **data)


class SpendingAdminForm(ServiceAdminForm):
    amount = RupiahField()

    class Meta:
        model = Spending
        fields = ["allocation", "work", "date", "amount", "category", "description", "receipt"]


@admin.register(Spending)
class SpendingAdmin(EntryAdmin):
    form = SpendingAdminForm
    list_display = ["date", "work", "allocation", "category", "amount", "status"]
    list_filter = ["status", "category", "allocation__fiscal_year"]
    list_select_related = ["work", "allocation__source", "allocation__bkm"]
    search_fields = ["work__name", "work__kelurahan__name", "work__kelurahan__code"]
    autocomplete_fields = ["allocation", "work"]
    show_full_result_count = False

    def service(self, request, form, data):
        return services.spending_create(user=request.user, **data)


class SwadayaAdminForm(ServiceAdminForm):
    value = RupiahField()

    class Meta:
        model = SwadayaContribution
        fields = ["work", "date", "kind", "value", "description"]


@admin.register(SwadayaContribution)
class SwadayaContributionAdmin(EntryAdmin):
    form = SwadayaAdminForm
    list_display = ["date", "work", "kind", "value", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["work"]
    search_fields = ["work__name", "work__kelurahan__name", "work__kelurahan__code"]
    autocomplete_fields = ["work"]
    show_full_result_count = False

    def service(self, request, form, data):
        return services.swadaya_create(user=request.user, **data)


class OverrunAdminForm(ServiceAdminForm):
    amount = RupiahField()

    class Meta:
        model = OverrunApproval
        fields = ["work", "amount", "reason"]


@admin.register(OverrunApproval)
class OverrunApprovalAdmin(EntryAdmin):
    form = OverrunAdminForm
    list_display = ["work", "amount", "approved_by", "approved_at"]
    list_select_related = ["work", "approved_by"]
    search_fields = ["work__name", "reason"]
    autocomplete_fields = ["work"]

    def service(self, request, form, data):
        return services.overrun_approve(user=request.user, **data)
