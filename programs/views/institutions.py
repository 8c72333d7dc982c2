"""Pages of BKMs, community groups (KSM, KPP, Panitia) and their members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotaku.exports import Column
from kotaku.lists import ListPageView
from works.selectors import works_of_group

from .. import selectors, services
from ..filters import BkmFilterSet, CommunityGroupFilterSet
from ..forms import BkmForm, BkmStatusForm, CommunityGroupForm, GroupDissolveForm, MemberForm
from ..models import Bkm, CommunityGroup
from ..templatetags.programs import independence_label
from ..validators import sees_full_nik
from .base import (
    ScopedDetailView,
    ServiceFormView,
    add_service_errors,
    scoped_object,
)


class BkmListView(ListPageView):
    filterset_class = BkmFilterSet
    selector = selectors.bkm_list
    template_name = "programs/bkm_list.html"
    add_permission = "programs.add_bkm"
    context_object_name = "bkms"
    export_filename = "bkm"
    export_columns = [
        Column(gettext_lazy("Code"), lambda b: b.kelurahan_id),
        Column(gettext_lazy("Kelurahan/desa"), lambda b: b.kelurahan.name),
        Column(gettext_lazy("Name"), lambda b: b.name),
        Column(gettext_lazy("Coordinator"), lambda b: b.coordinator),
        Column(gettext_lazy("Formation date"), lambda b: b.formed_on),
        Column(gettext_lazy("Status"), lambda b: independence_label(b.latest_status)),
        Column(gettext_lazy("Members"), lambda b: b.member_count),
        Column(gettext_lazy("Men"), lambda b: b.men_count),
        Column(gettext_lazy("Women"), lambda b: b.women_count),
        Column(gettext_lazy("Poor households"), lambda b: b.poor_count),
    ]


def _members_context(parent, user, member_form=None):
    return {
        "members": selectors.members_of(parent),
        "counts": selectors.member_counts(parent),
        "show_nik": sees_full_nik(user),
        "member_form": member_form or MemberForm(),
        "can_add_member": user.has_perm("programs.add_member"),
        "can_change_member": user.has_perm("programs.change_member"),
    }


class BkmDetailView(ScopedDetailView):
    model = Bkm
    template_name = "programs/bkm_detail.html"
    context_object_name = "bkm"
    change_permission = "programs.change_bkm"
    member_form = status_form = None

    def get_queryset(self):
        return selectors.bkm_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_members_context(self.object, user, self.member_form))
        context["statuses"] = self.object.statuses.all()
        context["groups"] = selectors.bkm_groups(self.object)
        context["status_form"] = self.status_form or BkmStatusForm()
        context["can_add_status"] = user.has_perm("programs.add_bkmstatus")
        return context


class BkmCreateView(ServiceFormView):
    form_class = BkmForm
    form_takes_user = True
    permission_required = "programs.add_bkm"
    title = gettext_lazy("Register a BKM/LKM")

    def get_initial(self):
        return {"kelurahan": self.request.GET.get("kelurahan")}

    def get_cancel_url(self):
        return reverse("programs:bkm_list")

    def perform(self, form):
        return services.bkm_create(**form.cleaned_data)


class BkmUpdateView(ServiceFormView):
    form_class = BkmForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_bkm"

    def get_object(self):
        return scoped_object(Bkm.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.bkm_update(bkm=self.object, **form.cleaned_data)


class BkmStatusCreateView(BkmDetailView):
    """Adds the independence status of a year (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return _post_on_detail(
            self,
            "programs.add_bkmstatus",
            BkmStatusForm(request.POST),
            "status_form",
            lambda data: services.bkm_status_add(bkm=self.object, **data),
            _("Status recorded."),
        )


def _post_on_detail(view, permission, form, form_attr, call, message):
    """A small form posted on a detail page: 404/403 first, then the service; errors
    re-show the detail page with the form and what was typed."""
    view.object = view.get_object()
    if not view.request.user.has_perm(permission):
        raise PermissionDenied
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(view.request, message)
            return redirect(view.object)
    setattr(view, form_attr, form)
    return view.render_to_response(view.get_context_data(), status=400)


class BkmMemberCreateView(BkmDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return _post_on_detail(
            self,
            "programs.add_member",
            MemberForm(request.POST),
            "member_form",
            lambda data: services.member_add(parent=self.object, **data),
            _("Member added."),
        )


class CommunityGroupListView(ListPageView):
    filterset_class = CommunityGroupFilterSet
    selector = selectors.group_list
    template_name = "programs/group_list.html"
    add_permission = "programs.add_communitygroup"
    context_object_name = "groups"
    export_filename = "kelompok"
    export_columns = [
        Column(gettext_lazy("Code"), lambda g: g.kelurahan_id),
        Column(gettext_lazy("Kelurahan/desa"), lambda g: g.kelurahan.name),
        Column(gettext_lazy("Kind"), lambda g: g.kind_short),
        Column(gettext_lazy("Name"), lambda g: g.name),
        Column(gettext_lazy("Formation date"), lambda g: g.formed_on),
        Column(gettext_lazy("Status"), lambda g: g.get_status_display()),
        Column(gettext_lazy("Members"), lambda g: g.member_count),
        Column(gettext_lazy("Men"), lambda g: g.men_count),
        Column(gettext_lazy("Women"), lambda g: g.women_count),
        Column(gettext_lazy("Poor households"), lambda g: g.poor_count),
    ]


class CommunityGroupDetailView(ScopedDetailView):
    model = CommunityGroup
    template_name = "programs/group_detail.html"
    context_object_name = "group"
    change_permission = "programs.change_communitygroup"
    member_form = dissolve_form = None

    def get_queryset(self):
        return selectors.group_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_members_context(self.object, self.request.user, self.member_form))
        context["can_add_member"] = context["can_add_member"] and self.object.is_active
        context["dissolve_form"] = self.dissolve_form or GroupDissolveForm()
        context["works"] = works_of_group(self.object, self.request.user)
        return context


class CommunityGroupCreateView(ServiceFormView):
    form_class = CommunityGroupForm
    form_takes_user = True
    permission_required = "programs.add_communitygroup"
    title = gettext_lazy("Register a KSM, KPP or Panitia")

    def get_initial(self):
        query = self.request.GET
        return {"kelurahan": query.get("kelurahan"), "kind": query.get("kind")}

    def get_cancel_url(self):
        return reverse("programs:group_list")

    def perform(self, form):
        return services.group_create(**form.cleaned_data)


class CommunityGroupUpdateView(ServiceFormView):
    form_class = CommunityGroupForm
    form_takes_user = edits_object = True
    permission_required = "programs.change_communitygroup"

    def get_object(self):
        return scoped_object(
            CommunityGroup.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def perform(self, form):
        return services.group_update(group=self.object, **form.cleaned_data)


class CommunityGroupDissolveView(CommunityGroupDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return _post_on_detail(
            self,
            "programs.change_communitygroup",
            GroupDissolveForm(request.POST),
            "dissolve_form",
            lambda data: services.group_dissolve(group=self.object, **data),
            _("The group is dissolved; it is kept with its members."),
        )


class GroupMemberCreateView(CommunityGroupDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return _post_on_detail(
            self,
            "programs.add_member",
            MemberForm(request.POST),
            "member_form",
            lambda data: services.member_add(parent=self.object, **data),
            _("Member added."),
        )


class MemberUpdateView(ServiceFormView):
    form_class = MemberForm
    edits_object = True
    permission_required = "programs.change_member"

    def get_object(self):
        return scoped_object(selectors.member_queryset(self.request.user), pk=self.kwargs["pk"])

    def get_initial(self):
        # Only those who may see the NIK get it back in the form.
        if not sees_full_nik(self.request.user):
            return {"nik": self.object.masked_nik}
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        if data is not None and data.get("nik") == self.object.masked_nik and self.object.nik:
            data = data.copy()
            data["nik"] = self.object.nik  # unchanged masked value keeps the stored NIK
            kwargs["data"] = data
        return kwargs

    def get_title(self):
        return _("Edit member %(name)s") % {"name": self.object.name}

    def get_cancel_url(self):
        return self.object.parent.get_absolute_url()

    def form_invalid(self, form):
        # The stored NIK was put in for the masked one: a refused form must not show it.
        nik = self.object.nik
        if nik and not sees_full_nik(self.request.user) and form.data.get("nik") == nik:
            form.data = form.data.copy()
            form.data["nik"] = self.object.masked_nik
        return super().form_invalid(form)

    def perform(self, form):
        return services.member_update(member=self.object, **form.cleaned_data)

    def get_success_url_for(self, saved):
        return saved.parent.get_absolute_url()
