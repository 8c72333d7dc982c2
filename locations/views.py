from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from accounts.mixins import RolePermissionMixin, ScopedQuerysetMixin
from kotaku.exports import Column
from kotaku.lists import ListPageView

from . import selectors, services
from .choices import RegionLevel
from .filters import RegionFilterSet
from .forms import RtRwForm
from .models import Region


class RegionRootView(TemplateView):
    """The top of the drill-down: the provinces the user can see."""

    template_name = "locations/region_root.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            children=selectors.region_roots_for_user(self.request.user), **kwargs
        )


class RegionDetailView(ScopedQuerysetMixin, DetailView):
    """One region: breadcrumb, its visible children with counts, and (for a
    kelurahan/desa) its RT/RW."""

    model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"
    form = None

    def get_context_data(self, **kwargs):
        region, user = self.object, self.request.user
        context = super().get_context_data(**kwargs)
        context["breadcrumb"] = selectors.region_breadcrumb(region)
        if region.is_village:
            context["rt_rw"] = selectors.rtrw_for_region(region, user)
            context["can_add_rt_rw"] = user.has_perm("locations.add_rtrw")
            context["rt_rw_form"] = self.form or RtRwForm()
        else:
            context["children"] = selectors.region_children_for_user(region, user)
            context["child_level"] = RegionLevel(region.level + 1).label
        return context


class RtRwCreateView(RolePermissionMixin, RegionDetailView):
    """Adds an RT/RW to a kelurahan/desa in the user's places (POST only)."""

    permission_required = "locations.add_rtrw"
    http_method_names = ["post"]

    def get_queryset(self):
        return super().get_queryset().filter(level=RegionLevel.KELURAHAN_DESA)

    def post(self, request, *args, **kwargs):
        self.object = region = self.get_object()
        self.check_role_permission()
        form = RtRwForm(request.POST)
        if form.is_valid():
            try:
                unit = services.rtrw_create(
                    kelurahan=region, rw=form.cleaned_data["rw"], rt=form.cleaned_data["rt"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(unit)s recorded.") % {"unit": unit})
                return redirect(region)
        self.form = form
        return self.render_to_response(self.get_context_data(), status=400)


class RegionSearchView(ListPageView):
    filterset_class = RegionFilterSet
    selector = selectors.region_search_queryset
    export_filename = "wilayah"
    export_columns = [
        Column(gettext_lazy("Code"), "code"),
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Level"), "level"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Parent code"), "parent_id"),
        Column(gettext_lazy("Part of"), "parent__name"),
    ]
    template_name = "locations/region_list.html"
    paginate_by = 50
    context_object_name = "regions"
