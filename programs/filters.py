import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotaku.lists import ListFilterSet, SortFilter
from locations.models import Region
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
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kelurahan__name", "kelurahan"),
            ("latest_status", "status"),
            ("group_count", "groups"),
            ("member_count", "members"),
            ("men_count", "men"),
            ("women_count", "women"),
            ("poor_count", "poor"),
        ),
        field_labels={
            "name": _("Name"),
            "kelurahan__name": _("Kelurahan/desa"),
            "latest_status": _("Status"),
            "group_count": _("Groups"),
            "member_count": _("Members"),
            "men_count": _("Men"),
            "women_count": _("Women"),
            "poor_count": _("Poor households"),
        },
    )

    class Meta:
        model = Bkm
        fields = ["q", "region", "year_formed"]


class CommunityGroupFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("name", "kelurahan__name"))
    region = RegionPrefixFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=GroupKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GroupStatus.choices)
    year_formed = django_filters.NumberFilter(field_name="formed_on__year", label=_("Year formed"))
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("kelurahan__name", "kelurahan"),
            ("formed_on", "formed"),
            ("status", "status"),
            ("member_count", "members"),
            ("men_count", "men"),
            ("women_count", "women"),
            ("poor_count", "poor"),
        ),
        field_labels={
            "name": _("Name"),
            "kind": _("Kind"),
            "kelurahan__name": _("Kelurahan/desa"),
            "formed_on": _("Formed"),
            "status": _("Status"),
            "member_count": _("Members"),
            "men_count": _("Men"),
            "women_count": _("Women"),
            "poor_count": _("Poor households"),
        },
    )

    class Meta:
        model = CommunityGroup
        fields = ["q", "region", "kind", "status", "year_formed"]


class RplpFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("title", "kelurahan__name"))
    region = RegionPrefixFilter()
    document_status = django_filters.ChoiceFilter(
        label=_("Document status"), choices=DocumentStatus.choices
    )
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("kelurahan__name", "kelurahan"),
            ("document_status", "status"),
            ("approved_on", "approved"),
        ),
        field_labels={
            "title": _("Title"),
            "kelurahan__name": _("Kelurahan/desa"),
            "document_status": _("Document status"),
            "approved_on": _("Approval date"),
        },
    )

    class Meta:
        model = Rplp
        fields = ["q", "region", "document_status"]


class RkmProposalFilterSet(ListFilterSet):
    aliases = {"year": "fiscal_year"}

    q = NameSearchFilter(fields=("work_type", "kelurahan__name"))
    region = RegionPrefixFilter()
    fiscal_year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    aspect = django_filters.ChoiceFilter(label=_("Slum aspect"), choices=SlumAspect.choices)
    funding_source = django_filters.ChoiceFilter(
        label=_("Funding source"), choices=FundingSource.choices
    )
    sort = SortFilter(
        fields=(
            ("year", "year"),
            ("priority", "priority"),
            ("work_type", "work"),
            ("kelurahan__name", "kelurahan"),
            ("volume", "volume"),
            ("estimated_cost", "cost"),
            ("funding_source", "source"),
        ),
        field_labels={
            "year": _("Year"),
            "priority": _("Priority rank"),
            "work_type": _("Work"),
            "kelurahan__name": _("Kelurahan/desa"),
            "volume": _("Volume"),
            "estimated_cost": _("Estimated cost"),
            "funding_source": _("Funding source"),
        },
    )

    class Meta:
        model = RkmProposal
        fields = ["q", "region", "fiscal_year", "aspect", "funding_source"]


class Rp2kpkpFilterSet(django_filters.FilterSet):
    q = NameSearchFilter(fields=("title", "kabupaten__name"))
    region = RegionPrefixFilter(code_field="kabupaten__code")
    fiscal_year = django_filters.NumberFilter(label=_("Plan covers the year"), method="filter_year")
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("kabupaten__name", "kabupaten"),
            ("start_year", "period"),
            ("committed", "committed"),
        ),
        field_labels={
            "title": _("Title"),
            "kabupaten__name": _("Kabupaten/kota"),
            "start_year": _("Period"),
            "committed": _("Committed"),
        },
    )

    class Meta:
        model = Rp2kpkp
        fields = ["q", "region", "fiscal_year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class EventFilterSet(ListFilterSet):
    aliases = {"year": "fiscal_year"}

    q = NameSearchFilter(fields=("title", "place", "organiser"), label=_("Search"))
    region = django_filters.CharFilter(
        label=_("Region (code)"), method="filter_region", help_text=_("e.g. 35.19 for a kabupaten")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=EventLevel.choices)
    fiscal_year = django_filters.NumberFilter(field_name="start_date__year", label=_("Year"))
    sort = SortFilter(
        fields=(
            ("start_date", "date"),
            ("title", "title"),
            ("kind", "kind"),
            ("level", "level"),
            ("men", "men"),
            ("women", "women"),
        ),
        field_labels={
            "start_date": _("Date"),
            "title": _("Title"),
            "kind": _("Kind"),
            "level": _("Level"),
            "men": _("Men"),
            "women": _("Women"),
        },
    )

    class Meta:
        model = Event
        fields = ["q", "region", "kind", "level", "fiscal_year"]

    def filter_region(self, queryset, name, value):
        value = (value or "").strip().rstrip(".")
        return queryset.within(value) if value else queryset


class CoverageFilterSet(django_filters.FilterSet):
    """Kelurahan in the program (selectors.coverage_kelurahan, Region rows)."""

    region = RegionPrefixFilter(code_field="code")
    uncovered = django_filters.BooleanFilter(
        label=_("Only those with nobody"), widget=forms.CheckboxInput, method="filter_uncovered"
    )
    sort = SortFilter(
        fields=(("code", "code"), ("name", "name"), ("parent__parent__name", "kabupaten")),
        field_labels={
            "code": _("Code"),
            "name": _("Kelurahan/desa"),
            "parent__parent__name": _("Kabupaten/kota"),
        },
    )

    class Meta:
        model = Region
        fields = ["region", "uncovered"]

    def filter_uncovered(self, queryset, name, value):
        return queryset.filter(covered=False) if value else queryset
