"""Who covers which kelurahan, and which kelurahan in the program have nobody."""

from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from accounts.choices import Role

from .. import selectors

COVERAGE_ROLES = {
    Role.NATIONAL_OFFICER,
    Role.PROVINCE_COORDINATOR,
    Role.DISTRICT_STAFF,
    Role.CITY_COORDINATOR,
}


class CoverageView(ListView):
    """For district, city, province and national officers; facilitators get 403."""

    template_name = "programs/coverage.html"
    paginate_by = 50
    context_object_name = "kelurahan_list"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_superuser or user.role in COVERAGE_ROLES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.within = self.request.GET.get("region", "").strip().rstrip(".")
        self.uncovered_only = self.request.GET.get("uncovered") == "1"
        return selectors.coverage_kelurahan(
            self.request.user, within=self.within, uncovered_only=self.uncovered_only
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["kelurahan_list"])
        people = selectors.coverage_people(page)
        context["rows"] = [(region, people[region.code]) for region in page]
        context["summary"] = selectors.coverage_summary(
            selectors.coverage_kelurahan(self.request.user, within=self.within)
        )
        context["within"] = self.within
        context["uncovered_only"] = self.uncovered_only
        return context
