import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import RegionKind, RegionLevel
from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RegionLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RegionKind.choices)
    within = django_filters.CharFilter(label=_("Within (code)"), method="filter_within")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(("code", "code"), ("name", "name"), ("level", "level")),
        field_labels={"code": _("Code"), "name": _("Name"), "level": _("Level")},
    )

    class Meta:
        model = Region
        fields = ["q", "level", "kind", "within"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.replace(".", "").isdigit():
            return queryset.filter(Q(code=value) | Q(code__startswith=f"{value}."))
        return queryset.filter(name__icontains=value)

    def filter_within(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(code__startswith=f"{value}.") if value else queryset
