import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotaku.lists import ListFilterSet, SortFilter
from kotaku.workflow import ReviewStatus

from .choices import LocationKind, SlumLevel, SurveyKind
from .models import SlumArea, SlumSurvey

LEVEL_CHOICES = [*SlumLevel.choices, ("none", _("Not surveyed yet"))]


def _in_region(queryset, value: str):
    """Rows whose slum area lies in region `value`: its kabupaten/kota is in or under it,
    or (for a kecamatan or desa) one of its kelurahan is."""
    value = value.strip().rstrip(".")
    if not value:
        return queryset
    kabupaten = Q(kabupaten_id=value) | Q(kabupaten__code__startswith=f"{value}.")
    kelurahan = Q(kelurahan__code=value) | Q(kelurahan__code__startswith=f"{value}.")
    areas = SlumArea.objects.filter(kelurahan).values("pk")
    return queryset.filter(kabupaten | Q(pk__in=areas))


class SlumAreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or SK number"), method="search")
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    location_kind = django_filters.ChoiceFilter(
        label=_("Kind of location"), choices=LocationKind.choices
    )
    sk_year = django_filters.NumberFilter(label=_("SK year"), field_name="sk_date__year")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=LEVEL_CHOICES, method="filter_level"
    )
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kabupaten__name", "kabupaten"),
            ("sk_date", "sk_date"),
            ("area_ha", "area"),
            ("current_ha", "current"),
        ),
        field_labels={
            "name": _("Name"),
            "kabupaten__name": _("Kabupaten/kota"),
            "sk_date": _("SK date"),
            "area_ha": _("Area (ha)"),
            "current_ha": _("Current slum (ha)"),
        },
    )

    class Meta:
        model = SlumArea
        fields = ["q", "region", "location_kind", "sk_year", "level"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(sk_number__icontains=value))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, value)

    def filter_level(self, queryset, name, value):
        # `level` is the annotation of the latest approved survey (selectors.with_results).
        if value == "none":
            return queryset.filter(level__isnull=True)
        return queryset.filter(level=value)


class SlumSurveyFilterSet(ListFilterSet):
    aliases = {"year": "fiscal_year"}

    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SurveyKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=SlumLevel.choices)
    sort = SortFilter(
        fields=(
            ("slum_area__name", "area"),
            ("year", "year"),
            ("kind", "kind"),
            ("total_score", "score"),
            ("status", "status"),
        ),
        field_labels={
            "slum_area__name": _("Slum area"),
            "year": _("Year"),
            "kind": _("Kind"),
            "total_score": _("Total"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = SlumSurvey
        fields = ["region", "fiscal_year", "kind", "status", "level"]

    def filter_region(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(slum_area__in=_in_region(SlumArea.objects.all(), value).values("pk"))
