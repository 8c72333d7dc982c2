"""Pages of plans: RPLP, RKM proposals, RP2KPKP with its memorandum commitments."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotaku.exports import Column
from kotaku.lists import ListPageView

from .. import selectors, services
from ..filters import RkmProposalFilterSet, Rp2kpkpFilterSet, RplpFilterSet
from ..forms import CommitmentForm, RkmProposalForm, Rp2kpkpForm, RplpForm
from ..models import RkmProposal, Rp2kpkp, Rplp
from .base import ScopedDetailView, ServiceFormView, scoped_object
from .institutions import _post_on_detail


class RplpListView(ListPageView):
    filterset_class = RplpFilterSet
    selector = selectors.rplp_list
    template_name = "programs/rplp_list.html"
    add_permission = "programs.add_rplp"
    context_object_name = "plans"
    export_filename = "rplp"
    export_columns = [
        Column(gettext_lazy("Code"), "kelurahan_id"),
        Column(gettext_lazy("Kelurahan/desa"), "kelurahan__name"),
        Column(gettext_lazy("Kabupaten/kota"), "kelurahan__parent__parent__name"),
        Column(gettext_lazy("Title"), "title"),
        Column(gettext_lazy("Document status"), "get_document_status_display"),
        Column(gettext_lazy("Approval date"), "approved_on"),
    ]


class RplpDetailView(ScopedDetailView):
    model = Rplp
    template_name = "programs/rplp_detail.html"
    context_object_name = "plan"
    change_permission = "programs.change_rplp"

    def get_queryset(self):
        return selectors.rplp_list(self.request.user)


class RplpCreateView(ServiceFormView):
    form_class = RplpForm
    form_takes_user = True
    permission_required = "programs.add_rplp"
    title = gettext_lazy("Record an RPLP")

    def get_cancel_url(self):
        return reverse("programs:rplp_list")

    def perform(self, form):
        return services.rplp_create(**form.cleaned_data)


class RplpUpdateView(ServiceFormView):
    form_class = RplpForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_rplp"

    def get_object(self):
        return scoped_object(Rplp.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.rplp_update(rplp=self.object, **form.cleaned_data)


class RkmProposalListView(ListPageView):
    filterset_class = RkmProposalFilterSet
    selector = selectors.rkm_list
    template_name = "programs/rkm_list.html"
    add_permission = "programs.add_rkmproposal"
    context_object_name = "proposals"
    export_filename = "rkm"
    export_columns = [
        Column(gettext_lazy("Code"), lambda p: p.kelurahan_id),
        Column(gettext_lazy("Kelurahan/desa"), lambda p: p.kelurahan.name),
        Column(gettext_lazy("Year"), lambda p: p.year),
        Column(gettext_lazy("Priority rank"), lambda p: p.priority),
        Column(gettext_lazy("Slum aspect"), lambda p: p.get_aspect_display()),
        Column(gettext_lazy("Work"), lambda p: p.work_type),
        Column(gettext_lazy("RT/RW"), lambda p: p.rtrw),
        Column(gettext_lazy("Volume"), lambda p: p.volume),
        Column(gettext_lazy("Unit"), lambda p: p.get_unit_display()),
        Column(gettext_lazy("Estimated cost"), lambda p: p.estimated_cost),
        Column(gettext_lazy("Proposed funding source"), lambda p: p.get_funding_source_display()),
    ]


class RkmProposalDetailView(ScopedDetailView):
    model = RkmProposal
    template_name = "programs/rkm_detail.html"
    context_object_name = "proposal"
    change_permission = "programs.change_rkmproposal"

    def get_queryset(self):
        return selectors.rkm_list(self.request.user)


class RkmProposalCreateView(ServiceFormView):
    form_class = RkmProposalForm
    form_takes_user = True
    permission_required = "programs.add_rkmproposal"
    title = gettext_lazy("Propose a work (RKM)")

    def get_initial(self):
        return {"kelurahan": self.request.GET.get("kelurahan")}

    def get_cancel_url(self):
        return reverse("programs:rkm_list")

    def perform(self, form):
        return services.rkm_proposal_create(**form.cleaned_data)


class RkmProposalUpdateView(ServiceFormView):
    form_class = RkmProposalForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_rkmproposal"

    def get_object(self):
        return scoped_object(selectors.rkm_list(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.rkm_proposal_update(proposal=self.object, **form.cleaned_data)


class Rp2kpkpListView(ListPageView):
    filterset_class = Rp2kpkpFilterSet
    selector = selectors.rp2kpkp_list
    template_name = "programs/rp2kpkp_list.html"
    add_permission = "programs.add_rp2kpkp"
    context_object_name = "plans"
    export_filename = "rp2kpkp"
    export_columns = [
        Column(gettext_lazy("Code"), "kabupaten_id"),
        Column(gettext_lazy("Kabupaten/kota"), "kabupaten__name"),
        Column(gettext_lazy("Title"), "title"),
        Column(gettext_lazy("First year"), "start_year"),
        Column(gettext_lazy("Last year"), "end_year"),
        Column(gettext_lazy("Committed (Rp)"), "committed"),
    ]


class Rp2kpkpDetailView(ScopedDetailView):
    model = Rp2kpkp
    template_name = "programs/rp2kpkp_detail.html"
    context_object_name = "plan"
    change_permission = "programs.change_rp2kpkp"
    commitment_form = None

    def get_queryset(self):
        return Rp2kpkp.objects.for_user(self.request.user).select_related("kabupaten")

    def can_change(self):
        return super().can_change() and _editable(self.object, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, totals = selectors.commitments_by_year(self.object)
        context.update(
            commitments=rows,
            yearly_totals=totals,
            commitment_form=self.commitment_form or CommitmentForm(),
            can_add_commitment=self.request.user.has_perm("programs.add_commitment")
            and _editable(self.object, self.request.user),
        )
        return context


def _editable(plan, user):
    return Rp2kpkp.objects.editable_by(user).filter(pk=plan.pk).exists()


class Rp2kpkpCreateView(ServiceFormView):
    form_class = Rp2kpkpForm
    form_takes_user = True
    permission_required = "programs.add_rp2kpkp"
    title = gettext_lazy("Record an RP2KPKP / memorandum program")

    def get_cancel_url(self):
        return reverse("programs:rp2kpkp_list")

    def perform(self, form):
        return services.rp2kpkp_create(**form.cleaned_data)


class Rp2kpkpUpdateView(ServiceFormView):
    form_class = Rp2kpkpForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_rp2kpkp"

    def get_object(self):
        return scoped_object(Rp2kpkp.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def check_can_edit(self, obj):
        if not _editable(obj, self.request.user):
            raise PermissionDenied

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.rp2kpkp_update(plan=self.object, **form.cleaned_data)


class CommitmentCreateView(Rp2kpkpDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not _editable(self.object, request.user):
            raise PermissionDenied
        return _post_on_detail(
            self,
            "programs.add_commitment",
            CommitmentForm(request.POST),
            "commitment_form",
            lambda data: services.commitment_add(plan=self.object, **data),
            _("Commitment recorded."),
        )
