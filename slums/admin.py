from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from kotaku.locking import VersionedHistoryAdmin

from . import services
from .geojson import parse_outline
from .models import (
    Indicator,
    LevelBand,
    ScoreBand,
    ScoringMethod,
    SlumArea,
    SlumSurvey,
    SurveyIndicatorValue,
)


class _LockedWhenUsed:
    """The rules of a method that has scored surveys are read-only: a survey that is
    corrected later is rescored with the rules it was first scored with."""

    extra = 0

    def _used(self, obj):
        return obj is not None and obj.pk and obj.surveys.exists()

    def has_add_permission(self, request, obj=None):
        return not self._used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj) and super().has_delete_permission(request, obj)


class IndicatorInline(_LockedWhenUsed, admin.TabularInline):
    model = Indicator
    fields = ["order", "code", "aspect", "label", "unit", "denominator"]


class ScoreBandInline(_LockedWhenUsed, admin.TabularInline):
    model = ScoreBand


class LevelBandInline(_LockedWhenUsed, admin.TabularInline):
    model = LevelBand


@admin.register(ScoringMethod)
class ScoringMethodAdmin(VersionedHistoryAdmin):
    list_display = ["name", "code", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["name", "code"]
    inlines = [IndicatorInline, ScoreBandInline, LevelBandInline]

    def save_model(self, request, obj, form, change):
        services.scoring_method_save(method=obj)


class SlumAreaAdminForm(forms.ModelForm):
    outline_text = forms.CharField(
        label=SlumArea._meta.get_field("outline").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
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
            "outline_text",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.outline:
            import json

            self.initial["outline_text"] = json.dumps(self.instance.outline)

    def clean(self):
        """The same rules as the app's form (services.slum_area_save)."""
        cleaned = super().clean()
        try:
            self.instance.outline = parse_outline(cleaned.get("outline_text"))
        except ValidationError as error:
            self.add_error("outline_text", error)
        if cleaned.get("kabupaten") and cleaned.get("kelurahan") is not None:
            try:
                services.check_area_places(
                    kabupaten=cleaned["kabupaten"],
                    kelurahan=cleaned["kelurahan"],
                    rt_rw=cleaned.get("rt_rw") or [],
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned


@admin.register(SlumArea)
class SlumAreaAdmin(VersionedHistoryAdmin):
    form = SlumAreaAdminForm
    list_display = ["name", "kabupaten", "area_ha", "location_kind", "sk_number", "sk_date"]
    list_filter = ["location_kind", "sk_date"]
    search_fields = ["name", "sk_number", "kabupaten__name", "kabupaten__code"]
    list_select_related = ["kabupaten"]
    autocomplete_fields = ["kabupaten", "kelurahan", "rt_rw"]
    date_hierarchy = "sk_date"

    def save_model(self, request, obj, form, change):
        obj._kabupaten_before = services.kabupaten_of(obj)
        super().save_model(request, obj, form, change)
        # the SK area counts until a baseline is approved
        services.slum_area_results_refresh(area_ids=[obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # its kelurahan are set here
        area = form.instance
        before = getattr(area, "_kabupaten_before", set())
        services.program_rollup_refresh(kabupaten_codes={*before, area.kabupaten_id})

    def delete_model(self, request, obj):
        kabupaten = services.kabupaten_of(obj)
        super().delete_model(request, obj)
        services.program_rollup_refresh(kabupaten_codes=kabupaten)

    def delete_queryset(self, request, queryset):
        kabupaten = set(queryset.values_list("kabupaten_id", flat=True))
        super().delete_queryset(request, queryset)
        services.program_rollup_refresh(kabupaten_codes=kabupaten)


class SurveyIndicatorValueInline(admin.TabularInline):
    model = SurveyIndicatorValue
    fields = ["indicator", "volume", "percentage", "score"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SlumSurvey)
class SlumSurveyAdmin(VersionedHistoryAdmin):
    """Surveys are read here; they are entered, scored and reviewed in the app (the
    scores must come from the scoring service and the steps from the workflow)."""

    list_display = ["slum_area", "rt", "year", "kind", "total_score", "level", "status", "method"]
    list_filter = ["status", "kind", "level", "year", "method"]
    search_fields = ["slum_area__name", "slum_area__kabupaten__name"]
    list_select_related = ["slum_area", "rt", "method"]
    show_full_result_count = False
    inlines = [SurveyIndicatorValueInline]

    def get_readonly_fields(self, request, obj=None):
        # All but the version, which travels in the form's hidden field (kotaku.locking).
        return [field.name for field in self.model._meta.fields if field.name != "version"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.slum_area_results_refresh(area_ids=[obj.slum_area_id])


@admin.register(SurveyIndicatorValue)
class SurveyIndicatorValueAdmin(VersionedHistoryAdmin):
    list_display = ["survey", "indicator", "volume", "percentage", "score"]
    list_filter = ["indicator__method", "indicator__code"]
    search_fields = ["survey__slum_area__name"]
    list_select_related = ["survey__slum_area", "indicator"]
    readonly_fields = ["survey", "indicator", "volume", "percentage", "score"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.slum_area_results_refresh(area_ids=[obj.survey.slum_area_id])

    def delete_queryset(self, request, queryset):
        area_ids = set(queryset.values_list("survey__slum_area_id", flat=True))
        super().delete_queryset(request, queryset)
        services.slum_area_results_refresh(area_ids=area_ids)


admin.site.register([Indicator, ScoreBand, LevelBand], VersionedHistoryAdmin)
