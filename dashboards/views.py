from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.selectors import user_place_regions
from kotaku import charts as chart_code
from kotaku.fragments import Derived, render_once
from locations.choices import RegionLevel
from locations.selectors import region_breadcrumb, visible_region

from . import charts, selectors


class _RegionMixin:
    """The region of the URL (404 outside the user's visible regions) or, without one,
    the user's own place; None stands for the nation. `?fiscal_year=` narrows to a year."""

    def get_region(self):
        user = self.request.user
        code = self.kwargs.get("code")
        if code is None:
            code = selectors.home_code(user)
        if not code:
            return None
        region = visible_region(user, code)
        if region is None:
            raise Http404(_("No region found matching the query."))
        return region

    def get_fiscal_year(self):
        value = self.request.GET.get("fiscal_year", "")
        return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _chart(name, draw) -> Derived:
    return Derived(draw, ("dashboard-chart", name, chart_code.VERSION))


class DashboardView(_RegionMixin, TemplateView):
    """The program at a glance in one region: figures, children, charts and the map."""

    template_name = "dashboards/dashboard.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("code", None)  # the URL's; the context gets the resolved region's
        user = self.request.user
        region = self.get_region()
        code = region.code if region else ""
        year = self.get_fiscal_year()
        sort = self.request.GET.get("sort", "code")
        works = selectors.work_figures(user, code, year)
        money = selectors.money_figures(user, code, year)
        slums = selectors.slum_figures(user, region)
        series = selectors.monthly_series(user, code, year)
        level = region.level if region else 0
        part = {
            "region": region,
            "code": code,
            "breadcrumb": region_breadcrumb(region) if region else [],
            "fiscal_year": year,
            "years": selectors.fiscal_years(user),
            "sort": sort,
            "query": self.request.GET,
            "sees_everything": user.sees_everything,
            "works": works,
            "pending": selectors.pending_figures(user, region, year),
            "institutions": selectors.institution_figures(user, code),
            "program": selectors.program_figures(user, code),
            "money": money,
            "slums": slums,
            "series": series,
            "children": (
                selectors.child_rows(user, code, year, sort, money) if level < 4 else None
            ),
            "child_level": RegionLevel(level + 1).label if level < 4 else "",
            "shows_areas": level >= RegionLevel.KABUPATEN_KOTA,
            "places": user_place_regions(user),
            # Drawn from figures already in the part (series, works, slums, money), so
            # keyed by name only and computed when the body is rendered.
            "chart_month": _chart("month", lambda: charts.money_and_progress_by_month(series)),
            "chart_aspect": _chart("aspect", lambda: charts.works_by_aspect(works["by_aspect"])),
            "chart_hectares": _chart(
                "hectares", lambda: charts.hectares_reduced_by_year(slums["by_year"])
            ),
            "chart_realization": _chart(
                "realization", lambda: charts.realization_by_region(money["rows"])
            ),
        }
        # The body is rendered once per content: the figures are read on every request.
        body = render_once("dashboards/_dashboard_body.html", part)
        return super().get_context_data(**part, body=body, **kwargs)


class MapWorksView(_RegionMixin, View):
    """GeoJSON of the works in view (`?bbox=west,south,east,north&zoom=`), clustered on
    the server: two queries, however many works."""

    def get(self, request, *args, **kwargs):
        region = self.get_region()
        try:
            zoom = max(0, min(int(request.GET.get("zoom", "5")), 20))
        except ValueError:
            zoom = 5
        features = selectors.map_works(
            request.user,
            region.code if region else "",
            self.get_fiscal_year(),
            bbox=selectors.parse_bbox(request.GET.get("bbox")),
            zoom=zoom,
        )
        return JsonResponse({"type": "FeatureCollection", "features": features})


class MapAreasView(_RegionMixin, View):
    """GeoJSON of the slum area outlines of a kabupaten/kota or below, by level."""

    def get(self, request, *args, **kwargs):
        features = selectors.map_areas(request.user, self.get_region())
        return JsonResponse({"type": "FeatureCollection", "features": features})
