import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q
from programs.models import CommunityGroup
from slums.choices import SlumAspect

from .choices import WorkStatus
from .models import BUILDER_KINDS, Work, WorkType
from .selectors import any_flag_q


def builders_of(request):
    if request is None:
        return CommunityGroup.objects.none()
    return CommunityGroup.objects.for_user(request.user).filter(kind__in=BUILDER_KINDS)


class WorkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    aspect = django_filters.ChoiceFilter(label=_("Slum aspect"), choices=SlumAspect.choices)
    work_type = django_filters.ModelChoiceFilter(
        label=_("Type of work"), queryset=WorkType.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkStatus.choices)
    builder = django_filters.ModelChoiceFilter(
        label=_("Builder (KSM or Panitia)"), queryset=builders_of
    )
    flagged = django_filters.BooleanFilter(
        label=_("Has data-quality flags"), method="filter_flagged"
    )

    class Meta:
        model = Work
        fields = [
            "q",
            "region",
            "fiscal_year",
            "aspect",
            "work_type",
            "status",
            "builder",
            "flagged",
        ]

    def filter_region(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(covered_q([value], "kelurahan__code")) if value else queryset

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(any_flag_q()) if value else queryset.exclude(any_flag_q())
