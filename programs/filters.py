import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from slums.choices import SlumAspect

from .choices import DocumentStatus, EventKind, EventLevel, FundingSource, GroupKind, GroupStatus
from .models import Bkm, CommunityGroup, Event, RkmProposal, Rp2kpkp, Rplp


class RegionPrefixFilter(django_filters.CharFilter):
    """Rows in a region and everything under it, by code: "35.19" → Kabupaten Madiun."""

    def __init__(self, *args, code_field="kelurahan__code", **kwargs):
        self.code_field = code_field
        kwargs.setdefault("label", _("Region (code)"))
        kwargs.setdefault("help_text", _("e.g. 35.19 for a kabupaten"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return qs
        return qs.filter(
            Q(**{self.code_field: value}) | Q(**{f"{self.code_field}__startswith": f"{value}."})
        )


class NameSearchFilter(django_filters.CharFilter):
    def __init__(self, *args, fields=("name",), **kwargs):
        self.fields = fields
        kwargs.setdefault("label", _("Search by name"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for field in self.fields:
            condition |= Q(**{f"{field}__icontains": value})
        return qs.filter(condition)


class BkmFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("name", "kelurahan__name", "coordinator"))
    region = RegionPrefixFilter()
    year_formed = django_filters.NumberFilter(field_name="formed_on__year", label=_("Year formed"))

    class Meta:
        model = Bkm
        fields = ["q", "region", "year_formed"]


class CommunityGroupFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("name", "kelurahan__name"))
    region = RegionPrefixFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=GroupKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GroupStatus.choices)
    year_formed = django_filters.NumberFilter(field_name="formed_on__year", label=_("Year formed"))

    class Meta:
        model = CommunityGroup
        fields = ["q", "region", "kind", "status", "year_formed"]


class RplpFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("title", "kelurahan__name"))
    region = RegionPrefixFilter()
    document_status = django_filters.ChoiceFilter(
        label=_("Document status"), choices=DocumentStatus.choices
    )

    class Meta:
        model = Rplp
        fields = ["q", "region", "document_status"]


class RkmProposalFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("work_type", "kelurahan__name"))
    region = RegionPrefixFilter()
    year = django_filters.NumberFilter(label=_("Year"))
    aspect = django_filters.ChoiceFilter(label=_("Slum aspect"), choices=SlumAspect.choices)
    funding_source = django_filters.ChoiceFilter(
        label=_("Funding source"), choices=FundingSource.choices
    )

    class Meta:
        model = RkmProposal
        fields = ["q", "region", "year", "aspect", "funding_source"]


class Rp2kpkpFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("title", "kabupaten__name"))
    region = RegionPrefixFilter(code_field="kabupaten__code")

    class Meta:
        model = Rp2kpkp
        fields = ["q", "region"]


class EventFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("title", "place", "organiser"), label=_("Search"))
    region = django_filters.CharFilter(
        label=_("Region (code)"), method="filter_region", help_text=_("e.g. 35.19 for a kabupaten")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=EventLevel.choices)
    year = django_filters.NumberFilter(field_name="start_date__year", label=_("Year"))

    class Meta:
        model = Event
        fields = ["q", "region", "kind", "level", "year"]

    def filter_region(self, queryset, name, value):
        value = (value or "").strip().rstrip(".")
        return queryset.within(value) if value else queryset
