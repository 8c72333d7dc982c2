from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from accounts.mixins import RolePermissionMixin, ScopedQuerysetMixin
from kotaku import charts as chart_code
from kotaku.exports import Column
from kotaku.fragments import Derived
from kotaku.lists import ListPageView
from locations.models import Region

from . import charts, exports, imports, selectors, services
from .choices import SlumLevel
from .filters import SlumAreaFilterSet, SlumSurveyFilterSet
from .forms import SlumAreaForm, SurveyForm, SurveyImportForm, apply_errors
from .models import SlumArea, SlumSurvey

# --- Slum areas ---------------------------------------------------------------------------


def _level_label(value):
    return SlumLevel(value).label if value else ""


class SlumAreaListView(ListPageView):
    filterset_class = SlumAreaFilterSet
    selector = selectors.slum_area_list
    template_name = "slums/slumarea_list.html"
    add_permission = "slums.add_slumarea"
    context_object_name = "areas"
    export_filename = "kawasan-kumuh"
    export_columns = [
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Kind of location"), "get_location_kind_display"),
        Column(gettext_lazy("Kabupaten/kota code"), "kabupaten_id"),
        Column(gettext_lazy("Kabupaten/kota"), "kabupaten__name"),
        Column(gettext_lazy("SK number"), "sk_number"),
        Column(gettext_lazy("SK date"), "sk_date"),
        Column(gettext_lazy("Area (ha)"), "area_ha"),
        Column(gettext_lazy("Baseline slum (ha)"), "baseline_ha"),
        Column(gettext_lazy("Current slum (ha)"), "current_ha"),
        Column(gettext_lazy("Reduced (ha)"), "reduced_ha"),
        Column(gettext_lazy("Level"), lambda area: _level_label(area.level)),
        Column(gettext_lazy("Year of the latest survey"), "latest_year"),
    ]


class SlumAreaDetailView(ScopedQuerysetMixin, DetailView):
    model = SlumArea
    template_name = "slums/slumarea_detail.html"
    context_object_name = "area"

    def get_queryset(self):
        return selectors.slum_area_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        area, user = self.object, self.request.user
        [figures] = selectors.with_results(SlumArea.objects.filter(pk=area.pk))
        return super().get_context_data(
            figures=figures,
            kelurahan=area.kelurahan.select_related("parent"),
            rt_rw=area.rt_rw.select_related("kelurahan"),
            surveys=selectors.surveys_of_area(area),
            history=area.history.select_related("history_user")[:50],
            can_change=user.has_perm("slums.change_slumarea"),
            can_add_survey=user.has_perm("slums.add_slumsurvey"),
            **kwargs,
        )


class SlumAreaFormMixin(RolePermissionMixin):
    form_class = SlumAreaForm
    template_name = "slums/slumarea_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "kabupaten_code": self.request.GET.get("kabupaten"),
        }

    def form_valid(self, form):
        data = {
            name: form.cleaned_data[name]
            for name in services.AREA_FIELDS
            if name in form.cleaned_data
        }
        try:
            area = services.slum_area_save(
                area=self.object,
                kelurahan=form.cleaned_data["kelurahan"],
                rt_rw=form.cleaned_data["rt_rw"],
                outline_text=form.outline(),
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error, {"outline": "outline_text"})
            return self.form_invalid(form)
        messages.success(self.request, _("Slum area “%(name)s” saved.") % {"name": area.name})
        return redirect(area)


class SlumAreaCreateView(SlumAreaFormMixin, FormView):
    permission_required = "slums.add_slumarea"
    object = None

    def dispatch(self, request, *args, **kwargs):
        self.check_role_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": SlumArea()}


class SlumAreaUpdateView(SlumAreaFormMixin, FormView):
    permission_required = "slums.change_slumarea"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(SlumArea.objects.for_user(request.user), pk=kwargs["pk"])
        self.check_role_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.object, **kwargs)


# --- Surveys ------------------------------------------------------------------------------


class SlumSurveyListView(ListPageView):
    filterset_class = SlumSurveyFilterSet
    selector = selectors.survey_list
    template_name = "slums/slumsurvey_list.html"
    context_object_name = "surveys"
    export_filename = "survei-kumuh"
    export_columns = [
        Column(gettext_lazy("Slum area"), "slum_area__name"),
        Column(gettext_lazy("Kabupaten/kota"), "slum_area__kabupaten__name"),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("RT/RW"), lambda survey: str(survey.rt) if survey.rt_id else ""),
        Column(gettext_lazy("Verified area (ha)"), "area_ha"),
        Column(gettext_lazy("Households (KK)"), "households"),
        Column(gettext_lazy("Total score"), "total_score"),
        Column(gettext_lazy("Level"), "get_level_display"),
        Column(gettext_lazy("Status"), "get_status_display"),
    ]


class SlumSurveyDetailView(ScopedQuerysetMixin, DetailView):
    model = SlumSurvey
    template_name = "slums/slumsurvey_detail.html"
    context_object_name = "survey"

    def get_queryset(self):
        return selectors.survey_list(self.request.user).select_related(
            "submitted_by", "verified_by", "approved_by", "returned_by", "created_by"
        )

    def get_context_data(self, **kwargs):
        survey, user = self.object, self.request.user
        return super().get_context_data(
            aspects=selectors.survey_values_by_aspect(survey),
            record=survey,
            actions=survey.allowed_actions(user),
            action_url=reverse("slums:slumsurvey_review", args=[survey.pk]),
            can_change=survey.is_editable and user.has_perm("slums.change_slumsurvey"),
            history=survey.history.select_related("history_user")[:50],
            **kwargs,
        )


class SurveyFormMixin(RolePermissionMixin):
    template_name = "slums/slumsurvey_form.html"

    def get_form(self):
        return SurveyForm(
            self.request.POST or None,
            initial=self.initial(),
            area=self.area,
            indicators=self.method.indicators.order_by("order", "code"),
            record=getattr(self, "survey", None),
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                survey = self.save(form)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Survey saved: total %(total)s, %(level)s.")
                    % {
                        "total": survey.total_score,
                        "level": survey.get_level_display(),
                    },
                )
                return redirect(survey)
        return self.render(form, status=400)

    def render(self, form, status=200):
        rules = services.rules_for(self.method)
        scoring_data = {
            "indicators": [
                {"code": r.code, "aspect": r.aspect, "denominator": r.denominator}
                for r in rules.indicators
            ],
            "score_bands": [[float(m), s] for m, s in rules.score_bands],
            "level_bands": [[m, level] for m, level in rules.level_bands],
            "level_labels": {
                value: str(label) for value, label in SlumSurvey._meta.get_field("level").choices
            },
        }
        return self.render_to_response(
            self.get_context_data(
                form=form, area=self.area, method=self.method, scoring_data=scoring_data
            ),
            status=status,
        )


class SlumSurveyCreateView(SurveyFormMixin, TemplateView):
    permission_required = "slums.add_slumsurvey"

    def dispatch(self, request, *args, **kwargs):
        self.area = get_object_or_404(SlumArea.objects.for_user(request.user), pk=kwargs["pk"])
        self.check_role_permission()
        self.method = services.default_method()
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        return {"area_ha": self.area.area_ha}

    def save(self, form):
        return services.survey_create(
            user=self.request.user,
            slum_area=self.area,
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            rt=form.cleaned_data["rt"],
            header=form.header(),
            volumes=form.volumes(),
            method=self.method,
        )


class SlumSurveyUpdateView(SurveyFormMixin, TemplateView):
    permission_required = "slums.change_slumsurvey"

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(
            SlumSurvey.objects.for_user(request.user).select_related("slum_area", "method"),
            pk=kwargs["pk"],
        )
        self.check_role_permission()
        self.area, self.method = self.survey.slum_area, self.survey.method
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        survey = self.survey
        return {
            "year": survey.year,
            "kind": survey.kind,
            "rt": survey.rt_id,
            **services.header_of(survey),
            **{
                f"volume_{code}": volume
                for code, volume in services.volumes_of(
                    SlumSurvey.objects.prefetch_related("values__indicator").get(pk=survey.pk)
                ).items()
            },
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.survey, **kwargs)

    def save(self, form):
        return services.survey_update(
            survey=self.survey,
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            rt=form.cleaned_data["rt"],
            header=form.header(),
            volumes=form.volumes(),
        )


class SlumSurveyReviewView(ScopedQuerysetMixin, DetailView):
    """POST: submit, verify, return (with a comment) or approve."""

    model = SlumSurvey
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        survey = self.get_object()
        try:
            services.survey_review(
                survey=survey,
                user=request.user,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done."))
        return redirect(survey)


# --- Results ------------------------------------------------------------------------------


class ResultsView(TemplateView):
    """Slum hectares per child region, drill-down by region code; ?export=csv|xlsx."""

    template_name = "slums/results.html"

    def get(self, request, *args, **kwargs):
        code = kwargs.get("code")
        user = request.user
        self.region = None
        if code:
            self.region = get_object_or_404(Region.objects.for_user(user), code=code)
        rows, total = selectors.results_table(user, self.region)
        export = request.GET.get("export")
        if export in exports.FORMATS:
            return exports.results_response(export, rows, total, self.region)
        by_year = selectors.results_by_year(user, self.region)
        context = self.get_context_data(
            region=self.region,
            rows=rows,
            total=total,
            by_year=by_year,
            # Drawn only when the part is rendered: its figures are in the part's key.
            chart=Derived(
                lambda: charts.hectares_by_year(by_year), ("hectares-by-year", chart_code.VERSION)
            ),
            breadcrumb=list(
                Region.objects.filter(code__in=self.region.ancestor_codes).order_by("code")
            )
            if self.region
            else [],
            areas=selectors.results_areas_table(user, self.region)
            if self.region and self.region.level >= 2
            else None,
        )
        return self.render_to_response(context)


# --- Import -------------------------------------------------------------------------------


class SurveyImportView(RolePermissionMixin, FormView):
    """All-or-nothing XLSX import of surveys; every bad cell is reported."""

    permission_required = "slums.add_slumsurvey"
    form_class = SurveyImportForm
    template_name = "slums/slumsurvey_import.html"

    def dispatch(self, request, *args, **kwargs):
        self.check_role_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            return imports.template_response()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            surveys = imports.surveys_import(
                user=self.request.user, raw=form.cleaned_data["file"].read()
            )
        except imports.SurveyImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, errors=error.errors), status=400
            )
        messages.success(
            self.request, _("%(count)d surveys imported as drafts.") % {"count": len(surveys)}
        )
        return redirect("slums:slumsurvey_list")
