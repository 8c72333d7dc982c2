"""Who covers which kelurahan, and which kelurahan in the program have nobody."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotaku.exports import Column
from kotaku.lists import ListPageView

from .. import selectors
from ..filters import CoverageFilterSet


def _covered_by(region):
    """The pendamping of a row, as the page shows them (name, position, phone)."""
    return "; ".join(
        " · ".join(
            part
            for part in (
                assignment.user.get_full_name() or assignment.user.username,
                str(assignment.user.facilitator_profile.get_position_display()),
                assignment.user.facilitator_profile.phone,
            )
            if part
        )
        for assignment in region.people
    )


class CoverageView(ListPageView):
    """For district, city, province and national officers; facilitators get 403."""

    filterset_class = CoverageFilterSet
    template_name = "programs/coverage.html"
    paginate_by = 50
    context_object_name = "kelurahan_list"
    export_filename = "cakupan-pendamping"
    export_columns = [
        Column(gettext_lazy("Code"), "code"),
        Column(gettext_lazy("Kelurahan/desa"), "name"),
        Column(gettext_lazy("Kabupaten/kota"), "parent__parent__name"),
        Column(gettext_lazy("Covered"), lambda region: _("yes") if region.covered else _("no")),
        Column(gettext_lazy("Covered by"), _covered_by),
    ]

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not selectors.sees_coverage(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.coverage_kelurahan(self.request.user)

    def prepare_export(self, rows):
        """The pendamping of a chunk of rows in one query (they may be assigned above)."""
        people = selectors.coverage_people(rows)
        for region in rows:
            region.people = people[region.code]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["kelurahan_list"])
        people = selectors.coverage_people(page)
        context["rows"] = [(region, people[region.code]) for region in page]
        # The summary counts every kelurahan of the chosen region, covered or not.
        within = ""
        if not self.filters_invalid and self.filterset.is_bound:
            within = (self.filterset.form.cleaned_data.get("region") or "").strip().rstrip(".")
        context["summary"] = selectors.coverage_summary(
            selectors.coverage_kelurahan(self.request.user, within=within)
        )
        return context
