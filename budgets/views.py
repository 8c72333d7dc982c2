"""Pages for money records. Rows come through the user's scope (→ 404), actions need the
role's permission (→ 403), the rules live in services.py."""

import pygal
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView, View
from pygal.style import Style

from accounts.scoping import spans_provinces
from kotaku.charts import cached_svg
from kotaku.exports import Column
from kotaku.lists import ListPageView
from kotaku.money import format_rupiah
from locations import codes
from locations.models import Region
from works.models import Work

from . import selectors, services
from .filters import AllocationFilterSet, DisbursementFilterSet, SpendingFilterSet, SwadayaFilterSet
from .forms import (
    AllocationForm,
    AllocationUpdateForm,
    DisbursementForm,
    OverrunForm,
    ReversalForm,
    SpendingForm,
    SwadayaForm,
)
from .models import FundingSource


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form's fields where they exist."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _entry_context(entry, user) -> dict:
    """What a reviewed money entry's page may offer: the review buttons, correcting a
    draft or returned entry, and reversing an approved one. A correcting entry itself
    offers none of these."""
    model = entry._meta.model_name
    original = not entry.reverses_id
    return {
        "record": entry,
        "actions": entry.allowed_actions(user) if original else [],
        "can_edit": original and entry.is_editable and user.has_perm(f"budgets.change_{model}"),
        "can_reverse": original
        and entry.status == "approved"
        and not hasattr(entry, "reversed_by")
        and user.has_perm(f"budgets.approve_{model}"),
        "history": entry.history.select_related("history_user")[:50],
    }


class _ScopedFormView(FormView):
    """A form about one scoped row: fetched first (404), then the role (403)."""

    template_name = "budgets/form.html"
    permission_required = ""
    title = ""
    edits_object = False  # the form edits self.object: it carries the version (locking)

    def get_object(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            _require(request, self.permission_required)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.edits_object:
            kwargs["record"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object, title=self.title, back=self.object, **kwargs
        )

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(saved)


# Allocations

ALLOCATION_COLUMNS = [
    Column(gettext_lazy("Fiscal year"), "fiscal_year"),
    Column(gettext_lazy("Funding source"), "source__name"),
    Column(gettext_lazy("Region code"), "region_id"),
    Column(gettext_lazy("Region"), "region__name"),
    Column(gettext_lazy("Recipient"), "recipient_name"),
    Column(gettext_lazy("Decree/document number"), "decree_number"),
    Column(gettext_lazy("Decree/document date"), "decree_date"),
    Column(gettext_lazy("Allocated (Rp)"), "amount"),
    Column(gettext_lazy("Passed on (Rp)"), "passed_on"),
    Column(gettext_lazy("Disbursed (Rp)"), "disbursed"),
    Column(gettext_lazy("Spent, approved (Rp)"), "spent"),
    Column(gettext_lazy("Spending pending (Rp)"), "pending"),
]


class AllocationListView(ListPageView):
    filterset_class = AllocationFilterSet
    selector = selectors.allocation_queryset
    template_name = "budgets/allocation_list.html"
    add_permission = "budgets.add_allocation"
    context_object_name = "allocations"
    export_filename = "alokasi"
    export_columns = ALLOCATION_COLUMNS


class AllocationDetailView(DetailView):
    template_name = "budgets/allocation_detail.html"
    context_object_name = "allocation"

    def get_queryset(self):
        return selectors.allocation_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        allocation, user = self.object, self.request.user
        termin, suggested = selectors.next_tranche(allocation)
        return super().get_context_data(
            ledger=selectors.allocation_ledger(allocation),
            works=selectors.works_paid_by(allocation),
            other_works=selectors.works_not_yet_charged(allocation, user),
            parts=allocation.parts.select_related("bkm", "region"),
            part_of_visible=selectors.allocation_visible(user, allocation.part_of_id),
            next_termin=termin,
            suggested=suggested,
            to_disburse=allocation.amount - allocation.passed_on - allocation.disbursed,
            can_disburse=user.has_perm("budgets.add_disbursement"),
            can_change=user.has_perm("budgets.change_allocation"),
            can_reverse_spending=user.has_perm("budgets.approve_spending"),
            history=allocation.history.select_related("history_user")[:50],
            **kwargs,
        )


class AllocationCreateView(FormView):
    template_name = "budgets/form.html"
    form_class = AllocationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request, "budgets.add_allocation")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "user": user, "by_kabupaten": spans_provinces(user)}

    def get_initial(self):
        # `within`: from the "choose the kabupaten/kota first" form (budgets/form.html).
        return {
            "fiscal_year": timezone.localdate().year,
            "within": self.request.GET.get("within", "").strip(),
        }

    def form_valid(self, form):
        try:
            allocation = services.allocation_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Allocation of %(amount)s recorded.") % {"amount": format_rupiah(allocation.amount)},
        )
        return redirect(allocation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(title=_("New allocation"), **kwargs)
        context["chosen_kabupaten"] = context["form"].chosen_kabupaten
        return context


class AllocationUpdateView(_ScopedFormView):
    edits_object = True
    form_class = AllocationUpdateForm
    permission_required = "budgets.change_allocation"
    title = gettext_lazy("Change allocation")

    def get_object(self):
        return get_object_or_404(
            selectors.allocation_queryset(self.request.user), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {
            name: getattr(self.object, name)
            for name in ("decree_number", "decree_date", "amount", "note")
        }

    def save(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        return services.allocation_update(
            allocation=self.object, user=self.request.user, reason=reason, **data
        )


class DisbursementCreateView(_ScopedFormView):
    form_class = DisbursementForm
    permission_required = "budgets.add_disbursement"
    title = gettext_lazy("Disburse a tranche")

    def get_object(self):
        return get_object_or_404(
            selectors.allocation_queryset(self.request.user), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        termin, suggested = selectors.next_tranche(self.object)
        return {"termin": termin, "amount": suggested, "date": timezone.localdate()}

    def save(self, form):
        services.disbursement_create(
            allocation=self.object, user=self.request.user, **form.cleaned_data
        )
        return self.object


class DisbursementReverseView(_ScopedFormView):
    form_class = ReversalForm
    permission_required = "budgets.add_disbursement"
    title = gettext_lazy("Reverse a disbursement")

    def get_object(self):
        return get_object_or_404(
            selectors.disbursement_queryset(self.request.user), pk=self.kwargs["pk"]
        )

    def save(self, form):
        services.disbursement_reverse(
            disbursement=self.object, user=self.request.user, **form.cleaned_data
        )
        return self.object.allocation


DISBURSEMENT_COLUMNS = [
    Column(gettext_lazy("Fiscal year"), "allocation__fiscal_year"),
    Column(gettext_lazy("Funding source"), "allocation__source__name"),
    Column(gettext_lazy("Region code"), "allocation__region_id"),
    Column(gettext_lazy("Recipient"), "allocation__recipient_name"),
    Column(gettext_lazy("Termin"), "termin"),
    Column(gettext_lazy("Date"), "date"),
    Column(gettext_lazy("Amount (Rp)"), "amount"),
    Column(gettext_lazy("Reverses entry"), "reverses_id"),
    Column(gettext_lazy("Reason for the correction"), "reason"),
]


class DisbursementListView(ListPageView):
    filterset_class = DisbursementFilterSet
    template_name = "budgets/disbursement_list.html"
    context_object_name = "disbursements"
    paginate_by = 50
    export_filename = "pencairan"
    export_columns = DISBURSEMENT_COLUMNS

    def get_queryset(self):
        return selectors.disbursement_queryset(self.request.user).order_by("-date", "-pk")


# Spending and swadaya, per work

SPENDING_COLUMNS = [
    Column(gettext_lazy("Date"), "date"),
    Column(gettext_lazy("Kelurahan/desa code"), "work__kelurahan_id"),
    Column(gettext_lazy("Kelurahan/desa"), "work__kelurahan__name"),
    Column(gettext_lazy("Work"), "work__name"),
    Column(gettext_lazy("Fiscal year"), "allocation__fiscal_year"),
    Column(gettext_lazy("Funding source"), "allocation__source__name"),
    Column(gettext_lazy("Category"), "get_category_display"),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Amount (Rp)"), "amount"),
    Column(gettext_lazy("Status"), "get_status_display"),
    Column(gettext_lazy("Reverses entry"), "reverses_id"),
    Column(gettext_lazy("Reason for the correction"), "reason"),
]


class SpendingListView(ListPageView):
    filterset_class = SpendingFilterSet
    selector = selectors.spending_queryset
    template_name = "budgets/spending_list.html"
    context_object_name = "spendings"
    paginate_by = 50
    export_filename = "penggunaan-dana"
    export_columns = SPENDING_COLUMNS


SWADAYA_COLUMNS = [
    Column(gettext_lazy("Date"), "date"),
    Column(gettext_lazy("Kelurahan/desa code"), "work__kelurahan_id"),
    Column(gettext_lazy("Kelurahan/desa"), "work__kelurahan__name"),
    Column(gettext_lazy("Work"), "work__name"),
    Column(gettext_lazy("Fiscal year"), "work__fiscal_year"),
    Column(gettext_lazy("Kind"), "get_kind_display"),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Value (Rp)"), "value"),
    Column(gettext_lazy("Status"), "get_status_display"),
    Column(gettext_lazy("Reverses entry"), "reverses_id"),
    Column(gettext_lazy("Reason for the correction"), "reason"),
]


class SwadayaListView(ListPageView):
    filterset_class = SwadayaFilterSet
    selector = selectors.swadaya_queryset
    template_name = "budgets/swadaya_list.html"
    context_object_name = "contributions"
    paginate_by = 50
    export_filename = "swadaya"
    export_columns = SWADAYA_COLUMNS


def _scoped_work(request, pk):
    return get_object_or_404(Work.objects.for_user(request.user).select_related("kelurahan"), pk=pk)


class WorkMoneyView(DetailView):
    """A work's money: its spending, swadaya and any approved overrun."""

    template_name = "budgets/work_money.html"
    context_object_name = "work"

    def get_queryset(self):
        return Work.objects.for_user(self.request.user).select_related("kelurahan")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            money=selectors.work_money(self.object),
            can_spend=user.has_perm("budgets.add_spending"),
            can_add_swadaya=user.has_perm("budgets.add_swadayacontribution"),
            can_overrun=user.has_perm("budgets.add_overrunapproval"),
            overrun_form=OverrunForm(),
            **kwargs,
        )


class _WorkFormView(_ScopedFormView):
    def get_object(self):
        return _scoped_work(self.request, self.kwargs["pk"])

    def get_initial(self):
        return {"date": timezone.localdate()}


class SpendingCreateView(_WorkFormView):
    form_class = SpendingForm
    permission_required = "budgets.add_spending"
    title = gettext_lazy("Record spending")

    def get_form_kwargs(self):
        allocations = selectors.allocations_for_work(self.object, self.request.user)
        return {**super().get_form_kwargs(), "allocations": allocations}

    def save(self, form):
        user = self.request.user
        return services.spending_create(
            work=self.object,
            user=user,
            submit="submit" in self.request.POST and user.has_perm("budgets.submit_spending"),
            **form.cleaned_data,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_submit=True, **kwargs)


class SwadayaCreateView(_WorkFormView):
    form_class = SwadayaForm
    permission_required = "budgets.add_swadayacontribution"
    title = gettext_lazy("Record a swadaya contribution")

    def save(self, form):
        user = self.request.user
        return services.swadaya_create(
            work=self.object,
            user=user,
            submit="submit" in self.request.POST
            and user.has_perm("budgets.submit_swadayacontribution"),
            **form.cleaned_data,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_submit=True, **kwargs)


class OverrunCreateView(_WorkFormView):
    form_class = OverrunForm
    permission_required = "budgets.add_overrunapproval"
    title = gettext_lazy("Allow spending over the budget")

    def save(self, form):
        services.overrun_approve(work=self.object, user=self.request.user, **form.cleaned_data)
        return reverse("budgets:work_money", args=[self.object.pk])


class SpendingDetailView(DetailView):
    template_name = "budgets/spending_detail.html"
    context_object_name = "spending"

    def get_queryset(self):
        return selectors.spending_queryset(self.request.user).select_related("reverses")

    def get_context_data(self, **kwargs):
        spending, user = self.object, self.request.user
        return super().get_context_data(
            **_entry_context(spending, user),
            allocation_visible=selectors.allocation_visible(user, spending.allocation_id),
            **kwargs,
        )


class SpendingUpdateView(_ScopedFormView):
    edits_object = True
    form_class = SpendingForm
    permission_required = "budgets.change_spending"
    title = gettext_lazy("Correct spending")

    def get_object(self):
        spending = get_object_or_404(
            selectors.spending_queryset(self.request.user), pk=self.kwargs["pk"]
        )
        if not spending.is_editable or spending.reverses_id:
            raise Http404
        return spending

    def get_form_kwargs(self):
        allocations = selectors.allocations_for_work(self.object.work, self.request.user)
        return {**super().get_form_kwargs(), "allocations": allocations}

    def get_initial(self):
        fields = ("allocation", "date", "amount", "category", "description")
        return {name: getattr(self.object, name) for name in fields}

    def save(self, form):
        spending = services.spending_update(spending=self.object, **form.cleaned_data)
        if "submit" in self.request.POST:
            spending = services.spending_review(
                spending=spending, user=self.request.user, action="submit"
            )
        return spending

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_submit=True, **kwargs)


class _ReviewView(View):
    """Submit, verify, return or approve (kotaku.workflow keeps the rules)."""

    def post(self, request, pk):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            updated = self.transition(
                record,
                request.user,
                request.POST.get("action", ""),
                request.POST.get("comment", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Done: now “%(status)s”.") % {"status": updated.get_status_display()}
            )
        return redirect(record)


class SpendingReviewView(_ReviewView):
    def get_queryset(self):
        return selectors.spending_queryset(self.request.user)

    def transition(self, record, user, action, comment):
        return services.spending_review(spending=record, user=user, action=action, comment=comment)


class SpendingReverseView(_ScopedFormView):
    form_class = ReversalForm
    permission_required = "budgets.approve_spending"
    title = gettext_lazy("Reverse spending")

    def get_object(self):
        return get_object_or_404(
            selectors.spending_queryset(self.request.user), pk=self.kwargs["pk"]
        )

    def save(self, form):
        return services.spending_reverse(
            spending=self.object, user=self.request.user, **form.cleaned_data
        )


class SwadayaDetailView(DetailView):
    template_name = "budgets/swadaya_detail.html"
    context_object_name = "contribution"

    def get_queryset(self):
        return selectors.swadaya_queryset(self.request.user).select_related("reverses")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_entry_context(self.object, self.request.user), **kwargs)


class SwadayaUpdateView(_ScopedFormView):
    edits_object = True
    form_class = SwadayaForm
    permission_required = "budgets.change_swadayacontribution"
    title = gettext_lazy("Correct a swadaya contribution")

    def get_object(self):
        contribution = get_object_or_404(
            selectors.swadaya_queryset(self.request.user), pk=self.kwargs["pk"]
        )
        if not contribution.is_editable or contribution.reverses_id:
            raise Http404
        return contribution

    def get_initial(self):
        return {
            name: getattr(self.object, name) for name in ("date", "kind", "value", "description")
        }

    def save(self, form):
        contribution = services.swadaya_update(contribution=self.object, **form.cleaned_data)
        if "submit" in self.request.POST:
            contribution = services.swadaya_review(
                contribution=contribution, user=self.request.user, action="submit"
            )
        return contribution

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_submit=True, **kwargs)


class SwadayaReviewView(_ReviewView):
    def get_queryset(self):
        return selectors.swadaya_queryset(self.request.user)

    def transition(self, record, user, action, comment):
        return services.swadaya_review(
            contribution=record, user=user, action=action, comment=comment
        )


class SwadayaReverseView(_ScopedFormView):
    form_class = ReversalForm
    permission_required = "budgets.approve_swadayacontribution"
    title = gettext_lazy("Reverse a swadaya contribution")

    def get_object(self):
        return get_object_or_404(
            selectors.swadaya_queryset(self.request.user), pk=self.kwargs["pk"]
        )

    def save(self, form):
        return services.swadaya_reverse(
            contribution=self.object, user=self.request.user, **form.cleaned_data
        )


# Realization

CHART_STYLE = Style(
    font_family="system-ui, sans-serif",
    title_font_size=24,
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=20,
    colors=("#067647", "#1f5fa8"),
)


def realization_chart(rows) -> str:
    """Bars of realization and disbursement % per child region (SVG, no script)."""
    bars = [(str(row.name), float(row.realization), float(row.disbursement_rate)) for row in rows]

    def build():
        chart = pygal.HorizontalBar(
            js=[],
            width=600,
            height=max(240, 80 + 60 * len(bars)),
            style=CHART_STYLE,
            range=(0, 100),
            show_legend=True,
            legend_at_bottom=True,
            title=_("Realization by region (%)"),
            explicit_size=False,
            truncate_legend=-1,
            truncate_label=-1,
            margin_right=30,
        )
        chart.x_labels = [name for name, _realization, _disbursed in bars]
        chart.add(_("Realization"), [realization for _n, realization, _d in bars])
        chart.add(_("Disbursed"), [disbursed for _n, _r, disbursed in bars])
        return chart

    return cached_svg("budgets-realization", bars, build)


class RealizationView(TemplateView):
    """Allocated, disbursed, spent and realization per child region, year and source."""

    template_name = "budgets/realization.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        within = params.get("within", "").strip()
        if within and not codes.is_valid_code(within):
            raise Http404
        region = None
        if within:
            region = get_object_or_404(Region.objects.for_user(self.request.user), code=within)
        year = params.get("fiscal_year", "").strip()
        year = int(year) if year.isdigit() else None
        source = FundingSource.objects.filter(pk=params.get("source") or None).first()
        data = selectors.realization(
            self.request.user, within=within, fiscal_year=year, source=source
        )
        return super().get_context_data(
            region=region,
            breadcrumb=Region.objects.filter(code__in=region.ancestor_codes) if region else [],
            within=within,
            fiscal_year=year,
            source=source,
            sources=selectors.funding_sources(),
            chart=realization_chart(data["rows"]) if data["rows"] else "",
            **data,
            **kwargs,
        )
