import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import covered_q
from kotaku.lists import SortFilter
from kotaku.workflow import ReviewStatus
from slums.choices import SlumAspect

from .choices import WorkStatus
from .models import ProgressReport, Work, WorkType
from .selectors import FLAGS, any_flag_q

DATE = forms.DateInput(attrs={"type": "date"})
# One data-quality flag, named as the annotation of selectors.with_flags.
FLAG_CHOICES = list(
    zip(
        FLAGS,
        (
            _("progress jumped over 50 points"),
            _("no report for 30 days"),
            _("no 100% photo"),
            _("spending above budget"),
        ),
        strict=True,
    )
)


def _in_region(queryset, path, value):
    value = value.strip().rstrip(".")
    return queryset.filter(covered_q([value], path)) if value else queryset


class WorkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    aspect = django_filters.ChoiceFilter(label=_("Slum aspect"), choices=SlumAspect.choices)
    work_type = django_filters.ModelChoiceFilter(
        label=_("Type of work"), queryset=WorkType.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkStatus.choices)
    # Free text, not a select: a national user may see tens of thousands of KSMs, and a
    # select of them all took seconds to render (docs/performance.md).
    builder = django_filters.CharFilter(
        label=_("Builder (KSM or Panitia, name or number)"), method="filter_builder"
    )
    flagged = django_filters.BooleanFilter(
        label=_("Has data-quality flags"), method="filter_flagged"
    )
    flag = django_filters.ChoiceFilter(
        label=_("Data-quality flag"), choices=FLAG_CHOICES, method="filter_flag"
    )
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kelurahan__name", "kelurahan"),
            ("fiscal_year", "fiscal_year"),
            ("status", "status"),
            ("approved_progress", "progress"),
            ("budget", "budget"),
        ),
        field_labels={
            "name": _("Name"),
            "kelurahan__name": _("Kelurahan/desa"),
            "fiscal_year": _("Fiscal year"),
            "status": _("Status"),
            "approved_progress": _("Progress"),
            "budget": _("Budget"),
        },
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
            "flag",
        ]

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "kelurahan__code", value)

    def filter_builder(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(builder_id=int(value))
        return queryset.filter(builder__name__icontains=value) if value else queryset

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(any_flag_q()) if value else queryset.exclude(any_flag_q())

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{value: True})


class ProgressReportFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    fiscal_year = django_filters.NumberFilter(
        label=_("Fiscal year"), field_name="work__fiscal_year"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="report_date", lookup_expr="gte", widget=DATE
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="report_date", lookup_expr="lte", widget=DATE
    )
    # Free text, not a select: a national user may see tens of thousands of works.
    work = django_filters.CharFilter(label=_("Work (name or number)"), method="filter_work")
    sort = SortFilter(
        fields=(
            ("report_date", "date"),
            ("work__name", "work"),
            ("work__kelurahan__name", "kelurahan"),
            ("physical_progress", "physical"),
            ("financial_progress", "financial"),
            ("labour_days", "labour_days"),
            ("status", "status"),
        ),
        field_labels={
            "report_date": _("Date"),
            "work__name": _("Work"),
            "work__kelurahan__name": _("Kelurahan/desa"),
            "physical_progress": _("Physical progress (%)"),
            "financial_progress": _("Financial progress (%)"),
            "labour_days": _("Labour days (HOK)"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = ProgressReport
        fields = ["region", "fiscal_year", "status", "date_from", "date_to", "work"]

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, "work__kelurahan__code", value)

    def filter_work(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(work_id=int(value))
        return queryset.filter(work__name__icontains=value) if value else queryset
