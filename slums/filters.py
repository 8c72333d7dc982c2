import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


class SlumSurveyFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SurveyKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=SlumLevel.choices)

    class Meta:
        model = SlumSurvey
        fields = ["region", "year", "kind", "status", "level"]

    def filter_region(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(slum_area__in=_in_region(SlumArea.objects.all(), value).values("pk"))
