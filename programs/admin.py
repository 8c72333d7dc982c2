"""The admin for officers. Saves go through the same model rules (full_clean runs in
every ModelForm) and, where rules cross rows, through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from kotaku.locking import VersionedHistoryAdmin

from .models import (
    AttendanceRow,
    Bkm,
    BkmStatus,
    Commitment,
    CommunityGroup,
    Event,
    FacilitatorProfile,
    Member,
    RkmProposal,
    Rp2kpkp,
    Rplp,
)
from .services.institutions import NO_BKM_MESSAGE, _check_not_twice
from .validators import sees_full_nik


class BkmStatusInline(admin.TabularInline):
    model = BkmStatus
    extra = 0


class MemberInlineForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "sex", "role", "poor_household", "phone", "nik"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and (self.instance.group_id or self.instance.bkm_id):
            try:
                _check_not_twice(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class _NikForEntitledStaffOnly:
    """Staff whose role may not see a NIK in full get no NIK field and no NIK search
    (a search would confirm a NIK they hold)."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if sees_full_nik(request.user) else [f for f in fields if f != "nik"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if sees_full_nik(request.user) else [f for f in fields if f != "nik"]


class MemberInline(_NikForEntitledStaffOnly, admin.TabularInline):
    model = Member
    form = MemberInlineForm
    extra = 0
    fields = ["name", "sex", "role", "poor_household", "phone", "nik"]


@admin.register(Bkm)
class BkmAdmin(VersionedHistoryAdmin):
    list_display = ["name", "kelurahan", "coordinator", "formed_on", "phone"]
    list_filter = ["statuses__status"]
    search_fields = ["name", "kelurahan__name", "kelurahan__code", "coordinator"]
    list_select_related = ["kelurahan"]
    autocomplete_fields = ["kelurahan"]
    inlines = [BkmStatusInline, MemberInline]
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        _save_members(formset, form.instance)


class CommunityGroupAdminForm(forms.ModelForm):
    """A new group is placed under the BKM of its kelurahan, or refused."""

    class Meta:
        model = CommunityGroup
        fields = ["kind", "kelurahan", "name", "formed_on", "purpose", "status", "dissolved_on"]

    def clean(self):
        data = super().clean()
        kelurahan = data.get("kelurahan")
        if not self.instance.pk and kelurahan is not None:
            bkm = Bkm.objects.filter(kelurahan=kelurahan).first()
            if bkm is None:
                self.add_error("kelurahan", NO_BKM_MESSAGE % {"place": kelurahan.name})
            self.instance.bkm = bkm
        return data


@admin.register(CommunityGroup)
class CommunityGroupAdmin(VersionedHistoryAdmin):
    form = CommunityGroupAdminForm
    list_display = ["name", "kind", "kelurahan", "bkm", "formed_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "kelurahan__name", "kelurahan__code", "bkm__name"]
    list_select_related = ["kelurahan", "bkm"]
    autocomplete_fields = ["kelurahan", "bkm"]
    readonly_fields = ["bkm"]
    inlines = [MemberInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["bkm", "kind", "kelurahan"] if obj else ["bkm"]

    def has_delete_permission(self, request, obj=None):
        return False  # groups are dissolved, never deleted

    def save_formset(self, request, form, formset, change):
        _save_members(formset, form.instance)


def _save_members(formset, parent):
    """Members saved from an inline are placed in their group's kelurahan (the inline
    form already checked NIK and "not twice")."""
    for member in formset.save(commit=False):
        member.kelurahan_id = parent.kelurahan_id
        member.save()
    for member in formset.deleted_objects:
        member.delete()


class MemberAdminForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["group", "bkm", "name", "sex", "role", "poor_household", "phone", "nik"]

    def clean(self):
        data = super().clean()
        parent = data.get("group") or data.get("bkm")
        if parent is not None:
            self.instance.kelurahan_id = parent.kelurahan_id
        return data

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                _check_not_twice(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


@admin.register(Member)
class MemberAdmin(_NikForEntitledStaffOnly, VersionedHistoryAdmin):
    form = MemberAdminForm
    list_display = ["name", "sex", "role", "poor_household", "group", "bkm", "kelurahan"]
    list_filter = ["sex", "role", "poor_household"]
    search_fields = ["name", "nik", "phone", "kelurahan__name"]
    list_select_related = ["group", "bkm", "kelurahan"]
    autocomplete_fields = ["group", "bkm", "kelurahan"]
    readonly_fields = ["kelurahan"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        # The form already ran every rule (fields, constraints, not twice).
        super().save_model(request, obj, form, change)


@admin.register(FacilitatorProfile)
class FacilitatorProfileAdmin(VersionedHistoryAdmin):
    list_display = ["user", "position", "phone", "period_start", "period_end"]
    list_filter = ["position"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "phone"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(Rplp)
class RplpAdmin(VersionedHistoryAdmin):
    list_display = ["title", "kelurahan", "document_status", "approved_on"]
    list_filter = ["document_status"]
    search_fields = ["title", "kelurahan__name", "kelurahan__code"]
    list_select_related = ["kelurahan"]
    autocomplete_fields = ["kelurahan"]


@admin.register(RkmProposal)
class RkmProposalAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "kelurahan", "aspect", "estimated_cost", "funding_source"]
    list_filter = ["year", "aspect", "funding_source"]
    search_fields = ["work_type", "kelurahan__name", "kelurahan__code"]
    list_select_related = ["kelurahan", "rtrw"]
    autocomplete_fields = ["kelurahan", "rtrw"]
    show_full_result_count = False


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 1


@admin.register(Rp2kpkp)
class Rp2kpkpAdmin(VersionedHistoryAdmin):
    list_display = ["title", "kabupaten", "start_year", "end_year"]
    search_fields = ["title", "kabupaten__name", "kabupaten__code"]
    list_select_related = ["kabupaten"]
    autocomplete_fields = ["kabupaten"]
    inlines = [CommitmentInline]


class AttendanceRowInline(admin.TabularInline):
    model = AttendanceRow
    extra = 0
    can_delete = False
    readonly_fields = ["line", "name", "sex", "role", "organisation", "phone"]

    def has_add_permission(self, request, obj=None):
        return False  # the list comes from the uploaded file


@admin.register(Event)
class EventAdmin(VersionedHistoryAdmin):
    list_display = ["title", "kind", "level", "start_date", "end_date", "men", "women"]
    list_filter = ["kind", "level", "start_date"]
    search_fields = ["title", "place", "organiser", "regions__name"]
    autocomplete_fields = ["regions"]
    date_hierarchy = "start_date"
    inlines = [AttendanceRowInline]
    show_full_result_count = False
