import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q
from kotaku.lists import SortFilter

from .choices import RegionKind, RegionLevel
from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RegionLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RegionKind.choices)
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    within = django_filters.CharFilter(label=_("Within (code)"), method="filter_within")
    sort = SortFilter(
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("level", "level"),
            ("kind", "kind"),
            ("parent__name", "parent"),
        ),
        field_labels={
            "code": _("Code"),
            "name": _("Name"),
            "level": _("Level"),
            "kind": _("Kind"),
            "parent__name": _("Part of"),
        },
    )

    class Meta:
        model = Region
        fields = ["q", "level", "kind", "region", "within"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.replace(".", "").isdigit():
            return queryset.filter(Q(code=value) | Q(code__startswith=f"{value}."))
        return queryset.filter(name__icontains=value)

    def filter_region(self, queryset, name, value):
        """The region and everything under it."""
        value = value.strip().rstrip(".")
        return queryset.filter(covered_q([value], "code")) if value else queryset

    def filter_within(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(code__startswith=f"{value}.") if value else queryset
