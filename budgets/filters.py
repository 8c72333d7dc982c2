import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q
from kotaku.lists import SortFilter
from kotaku.workflow import ReviewStatus

from .choices import SpendingCategory, SwadayaKind
from .models import Allocation, Disbursement, FundingSource, Spending, SwadayaContribution

DATE = forms.DateInput(attrs={"type": "date"})


class _RegionYearSource(django_filters.FilterSet):
    """Region code prefix, fiscal year and source, on a path to the allocation."""

    region_path = "region__code"
    allocation_path = ""

    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"), method="filter_year")
    source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.all(), method="filter_source"
    )

    def filter_region(self, queryset, name, value):
        value = value.strip().rstrip(".")
        return queryset.filter(covered_q([value], self.region_path)) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.allocation_path}fiscal_year": value})

    def filter_source(self, queryset, name, value):
        return queryset.filter(**{f"{self.allocation_path}source": value})


class AllocationFilterSet(_RegionYearSource):
    sort = SortFilter(
        fields=(
            ("region__name", "region_name"),
            ("fiscal_year", "fiscal_year"),
            ("source__order", "source"),
            ("amount", "amount"),
            ("disbursed", "disbursed"),
            ("spent", "spent"),
        ),
        field_labels={
            "region__name": _("Region"),
            "fiscal_year": _("Fiscal year"),
            "source__order": _("Funding source"),
            "amount": _("Allocated"),
            "disbursed": _("Disbursed"),
            "spent": _("Spent"),
        },
    )

    class Meta:
        model = Allocation
        fields = ["region", "fiscal_year", "source"]


class DisbursementFilterSet(_RegionYearSource):
    region_path = "allocation__region__code"
    allocation_path = "allocation__"
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DATE
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=DATE
    )
    sort = SortFilter(
        fields=(
            ("date", "date"),
            ("allocation__region__name", "region_name"),
            ("termin", "termin"),
            ("amount", "amount"),
        ),
        field_labels={
            "date": _("Date"),
            "allocation__region__name": _("Region"),
            "termin": _("Termin"),
            "amount": _("Amount"),
        },
    )

    class Meta:
        model = Disbursement
        fields = ["region", "fiscal_year", "source", "date_from", "date_to"]


class SpendingFilterSet(_RegionYearSource):
    region_path = "work__kelurahan__code"
    allocation_path = "allocation__"
    category = django_filters.ChoiceFilter(label=_("Category"), choices=SpendingCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DATE
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=DATE
    )
    sort = SortFilter(
        fields=(
            ("date", "date"),
            ("work__name", "work"),
            ("category", "category"),
            ("status", "status"),
            ("amount", "amount"),
        ),
        field_labels={
            "date": _("Date"),
            "work__name": _("Work"),
            "category": _("Category"),
            "status": _("Status"),
            "amount": _("Amount"),
        },
    )

    class Meta:
        model = Spending
        fields = ["region", "fiscal_year", "source", "category", "status", "date_from", "date_to"]


class SwadayaFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(
        label=_("Fiscal year"), field_name="work__fiscal_year"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SwadayaKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    sort = SortFilter(
        fields=(
            ("date", "date"),
            ("work__name", "work"),
            ("kind", "kind"),
            ("status", "status"),
            ("value", "value"),
        ),
        field_labels={
            "date": _("Date"),
            "work__name": _("Work"),
            "kind": _("Kind"),
            "status": _("Status"),
            "value": _("Value"),
        },
    )

    class Meta:
        model = SwadayaContribution
        fields = ["region", "fiscal_year", "kind", "status"]

    def filter_region(self, queryset, name, value):
        value = value.strip().rstrip(".")
        return queryset.filter(covered_q([value], "work__kelurahan__code")) if value else queryset
