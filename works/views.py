"""Pages for works and progress reports. Rows come through the user's scope (→ 404),
actions need the role's permission (→ 403), rules live in services."""

import pygal
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, FormView, TemplateView, View
from pygal.style import Style

from accounts.scoping import spans_provinces, user_scope_q
from kotaku.charts import to_svg
from kotaku.exports import Column
from kotaku.lists import ListPageView
from kotaku.middleware import csrf_placeholder
from kotaku.workflow import ReviewStatus
from locations.choices import RegionLevel
from locations.models import Region

from . import detail_cache, selectors, services
from .filters import ProgressReportFilterSet, WorkFilterSet
from .forms import (
    HandoverForm,
    MaintenanceCheckForm,
    ProgressReportForm,
    WorkForm,
    WorkStatusForm,
)
from .models import Work


def _scoped_work(request, pk, queryset=None):
    queryset = queryset if queryset is not None else Work.objects.for_user(request.user)
    return get_object_or_404(queryset, pk=pk)


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form's fields where they exist."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class WorkListView(ListPageView):
    filterset_class = WorkFilterSet
    template_name = "works/work_list.html"
    add_permission = "works.add_work"
    context_object_name = "works"
    export_filename = "kegiatan"
    export_columns = [
        Column(gettext_lazy("Fiscal year"), "fiscal_year"),
        Column(gettext_lazy("Kelurahan/desa code"), "kelurahan_id"),
        Column(gettext_lazy("Kelurahan/desa"), "kelurahan__name"),
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Slum aspect"), "get_aspect_display"),
        Column(gettext_lazy("Type of work"), "work_type__name"),
        Column(gettext_lazy("Volume"), "volume"),
        Column(gettext_lazy("Unit"), "get_unit_display"),
        Column(gettext_lazy("Builder"), "builder__name"),
        Column(gettext_lazy("Method"), "get_method_display"),
        Column(gettext_lazy("Budget (Rp)"), "budget"),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Approved progress (%)"), "approved_progress"),
        Column(gettext_lazy("Latitude"), "latitude"),
        Column(gettext_lazy("Longitude"), "longitude"),
    ]

    def get_queryset(self):
        return selectors.work_list_queryset(self.request.user)


class ProgressReportListView(ListPageView):
    """Every progress report the user may see, to follow reporting across works."""

    filterset_class = ProgressReportFilterSet
    selector = selectors.report_list_queryset
    template_name = "works/progressreport_list.html"
    context_object_name = "reports"
    export_filename = "laporan-kemajuan"
    export_columns = [
        Column(gettext_lazy("Report date"), "report_date"),
        Column(gettext_lazy("Work number"), "work_id"),
        Column(gettext_lazy("Work"), "work__name"),
        Column(gettext_lazy("Fiscal year"), "work__fiscal_year"),
        Column(gettext_lazy("Kelurahan/desa code"), "work__kelurahan_id"),
        Column(gettext_lazy("Kelurahan/desa"), "work__kelurahan__name"),
        Column(gettext_lazy("Physical progress (%)"), "physical_progress"),
        Column(gettext_lazy("Financial progress (%)"), "financial_progress"),
        Column(gettext_lazy("Money spent to date (Rp)"), "spent_to_date"),
        Column(gettext_lazy("Workers, men"), "workers_men"),
        Column(gettext_lazy("Workers, women"), "workers_women"),
        Column(gettext_lazy("Labour days (HOK)"), "labour_days"),
        Column(gettext_lazy("Wages (Rp)"), "wage_value"),
        Column(gettext_lazy("Status"), "get_status_display"),
    ]


# Large fonts: the SVG is scaled down to a phone's width.
CHART_STYLE = Style(
    font_family="system-ui, sans-serif",
    title_font_size=24,
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=20,
    colors=("#067647", "#a15c00"),
)


def progress_chart(series) -> str:
    """A pygal line chart of progress over time (SVG, no script)."""
    chart = pygal.Line(
        js=[],
        width=600,
        height=400,
        style=CHART_STYLE,
        dots_size=6,
        range=(0, 100),
        show_legend=True,
        legend_at_bottom=True,
        x_label_rotation=30,
        title=_("Physical progress (%)"),
        explicit_size=False,
    )
    chart.x_labels = [day.strftime("%d-%m-%Y") for day, _value, _status in series]
    chart.add(
        _("Approved"),
        [float(value) if status == ReviewStatus.APPROVED else None for _d, value, status in series],
    )
    chart.add(_("All reports"), [float(value) for _d, value, _s in series])
    return to_svg(chart)


class WorkDetailView(DetailView):
    """A work's page. Its costly part (figures, flags, chart, reports) is cached under a
    key that changes with the data (works/detail_cache.py): `object` is the work's row,
    fetched with that key on every request; `work`, `reports`, `series` and `chart` are
    computed only when the cached part is rendered."""

    template_name = "works/work_detail.html"
    context_object_name = "work"
    status_form = None
    handover_form = None
    maintenance_form = None

    def get_object(self, queryset=None):
        """The work's row with its cache state (404 out of scope): the row of
        `detail_cache.work_page_queryset`, by SQL compiled once per scope."""
        work = detail_cache.work_page_row(self.request.user, self.kwargs["pk"])
        if work is None:
            raise Http404(_("No work found matching the query."))
        return work

    def get_context_data(self, **kwargs):
        work, user = self.object, self.request.user
        parts = detail_cache.WorkPageParts(user, work.pk)

        def series(parts):
            reports = parts.reports
            return selectors.progress_series(r for r in reports if r.status != ReviewStatus.DRAFT)

        forward, back = services.allowed_steps(work)
        rights = {
            "can_change": user.has_perm("works.change_work"),
            "can_report": work.status in services.REPORTABLE
            and user.has_perm("works.add_progressreport"),
            "can_hand_over": work.status == "certified" and user.has_perm("works.add_handover"),
            "can_check": work.status in ("handed_over", "maintained")
            and user.has_perm("works.add_maintenancecheck"),
        }
        bound = self.status_form or self.handover_form or self.maintenance_form
        today = timezone.localdate()
        return super().get_context_data(
            work=parts.lazy(lambda parts: parts.work),
            reports=parts.lazy(lambda parts: parts.reports),
            series=parts.lazy(series),
            series_rows=parts.lazy(
                lambda parts: [
                    (day, value, ReviewStatus(status).label) for day, value, status in series(parts)
                ]
            ),
            chart=parts.lazy(
                lambda parts: progress_chart(points) if (points := series(parts)) else ""
            ),
            flags=parts.lazy(
                lambda parts: [flag for flag in selectors.FLAGS if getattr(parts.work, flag)]
            ),
            # A form shown again with its errors is not cached.
            detail_key=None if bound else detail_cache.cache_key(work, **rights),
            detail_timeout=detail_cache.TIMEOUT,
            csrf_placeholder=csrf_placeholder(),
            # The rest is only read when the cached part is rendered (a miss).
            status_changes=parts.lazy(lambda parts: list(selectors.work_status_changes(work))),
            forward=forward if rights["can_change"] else None,
            back=back if rights["can_change"] else [],
            status_form=self.status_form
            or parts.lazy(lambda parts: WorkStatusForm(initial={"date": today})),
            handover=parts.lazy(lambda parts: getattr(parts.work, "handover", None)),
            handover_form=self.handover_form
            or parts.lazy(lambda parts: HandoverForm(work=work, initial={"date": today})),
            maintenance_checks=parts.lazy(
                lambda parts: list(work.maintenance_checks.select_related("checked_by"))
            ),
            maintenance_form=self.maintenance_form
            or parts.lazy(lambda parts: MaintenanceCheckForm(initial={"checked_on": today})),
            history=parts.lazy(
                lambda parts: list(work.history.select_related("history_user")[:50])
            ),
            **rights,
            **kwargs,
        )


class _WorkActionView(WorkDetailView):
    """POST-only actions on a work: fetched in scope (404), then the role (403)."""

    http_method_names = ["post"]
    permission_required = ""

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        _require(request, self.permission_required)
        return self.act()

    def rerender(self):
        return self.render_to_response(self.get_context_data(), status=400)


class WorkStatusView(_WorkActionView):
    permission_required = "works.change_work"

    def act(self):
        form = WorkStatusForm(self.request.POST)
        if form.is_valid():
            try:
                services.work_status_change(
                    work=self.object, user=self.request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(self.request, _("The status was changed."))
                return redirect(self.object)
        self.status_form = form
        return self.rerender()


class HandoverCreateView(_WorkActionView):
    permission_required = "works.add_handover"

    def act(self):
        form = HandoverForm(self.request.POST, self.request.FILES, work=self.object)
        if form.is_valid():
            try:
                services.work_handover(
                    work=self.object, user=self.request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(self.request, _("The handover was recorded."))
                return redirect(self.object)
        self.handover_form = form
        return self.rerender()


class MaintenanceCheckCreateView(_WorkActionView):
    permission_required = "works.add_maintenancecheck"

    def act(self):
        form = MaintenanceCheckForm(self.request.POST, self.request.FILES)
        if form.is_valid():
            try:
                services.maintenance_check_create(
                    work=self.object, user=self.request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(self.request, _("The maintenance check was recorded."))
                return redirect(self.object)
        self.maintenance_form = form
        return self.rerender()


def kelurahan_choices(user):
    return Region.objects.filter(level=RegionLevel.KELURAHAN_DESA).filter(
        user_scope_q(user, "code")
    )


class WorkFormView(FormView):
    """Create (no pk) or edit a work's plan."""

    template_name = "works/work_form.html"
    form_class = WorkForm
    work = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if "pk" in kwargs:
            self.work = _scoped_work(request, kwargs["pk"])
            _require(request, "works.change_work")
        else:
            _require(request, "works.add_work")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            user=self.request.user,
            kelurahan_choices=kelurahan_choices(self.request.user),
            by_kelurahan=spans_provinces(self.request.user),
            instance=self.work,
        )
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        chosen = self.request.GET.get("kelurahan", "").strip()
        if chosen and self.work is None:  # from the "choose the kelurahan first" form
            initial["kelurahan"] = chosen
        return initial

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            if self.work is None:
                work = services.work_create(**data)
            else:
                work = services.work_update(work=self.work, **data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The work “%(name)s” was saved.") % {"name": work})
        return redirect(work)

    def get_context_data(self, **kwargs):
        return super().get_context_data(work=self.work, **kwargs)


class MyWorksView(TemplateView):
    """What a facilitator must report on: works due a report, and returned reports.

    Paged (a district's or the nation's officer opens it too: thousands of works), the
    returned reports cut at the first RETURNED_SHOWN with a link to all of them."""

    template_name = "works/my_works.html"
    paginate_by = 50
    RETURNED_SHOWN = 20

    def get_context_data(self, **kwargs):
        user = self.request.user
        # The page's keys from the summaries, then those works with their live figures.
        page = Paginator(selectors.my_works_keys(user), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        keys = list(page.object_list)
        rows = {work.pk: work for work in selectors.my_works(user).filter(pk__in=keys)}
        returned = selectors.returned_reports(user)
        shown = list(returned[: self.RETURNED_SHOWN + 1])
        return super().get_context_data(
            works=[rows[key] for key in keys if key in rows],
            page_obj=page,
            returned=shown[: self.RETURNED_SHOWN],
            returned_more=len(shown) > self.RETURNED_SHOWN,
            due_days=selectors.REPORT_DUE_DAYS,
            **kwargs,
        )


class ProgressReportCreateView(FormView):
    template_name = "works/progressreport_form.html"
    form_class = ProgressReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.work = _scoped_work(
                request,
                kwargs["pk"],
                Work.objects.for_user(request.user).select_related("kelurahan", "rtrw"),
            )
            _require(request, "works.add_progressreport")
            if self.work.status not in services.REPORTABLE:
                try:
                    services.check_reportable(self.work)
                except ValidationError as error:
                    messages.error(request, error.messages[0])
                return redirect(self.work)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """Today, and the beneficiaries served as the latest report left them (they are
        counted to date, so they rarely change from one report to the next)."""
        initial = {"report_date": timezone.localdate()}
        reports = self.work.reports.order_by("-report_date", "-pk")
        latest = reports.values(*services.SERVED_FIELDS).first()
        return {**initial, **(latest or {})}

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        try:
            report = services.progress_report_create(
                work=self.work,
                user=self.request.user,
                photos=form.photos(),
                submit=submit and self.request.user.has_perm("works.submit_progressreport"),
                **form.report_data(),
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        if report.status == ReviewStatus.SUBMITTED:
            text = _("Report saved and sent to the city coordinator: %(work)s, %(progress)s%%.")
        else:
            text = _(
                "Report saved as a draft (not sent yet): %(work)s, %(progress)s%%. Send it "
                "for review when it is complete."
            )
        text %= {"work": self.work, "progress": services.percent(report.physical_progress)}
        count = len(form.photos())
        photos = ngettext("%(count)d photo attached.", "%(count)d photos attached.", count)
        messages.success(self.request, f"{text} {photos % {'count': count}}")
        return redirect(report)

    def get_context_data(self, **kwargs):
        return super().get_context_data(work=self.work, **kwargs)


class ProgressReportUpdateView(FormView):
    """Correct a draft or returned report, then (optionally) submit it again."""

    template_name = "works/progressreport_form.html"
    form_class = ProgressReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = get_object_or_404(
                selectors.report_queryset(request.user), pk=kwargs["pk"]
            )
            self.work = self.report.work
            _require(request, "works.change_progressreport")
            if not self.report.is_editable:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.report}

    def form_valid(self, form):
        try:
            report = services.progress_report_update(
                report=self.report,
                user=self.request.user,
                photos=form.photos(),
                submit="submit" in self.request.POST,
                **form.report_data(),
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report was saved."))
        return redirect(report)

    def get_context_data(self, **kwargs):
        return super().get_context_data(work=self.work, report=self.report, **kwargs)


class ProgressReportDetailView(DetailView):
    template_name = "works/progressreport_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.report_queryset(self.request.user).prefetch_related("photos")

    def get_context_data(self, **kwargs):
        report, user = self.object, self.request.user
        return super().get_context_data(
            record=report,
            actions=report.allowed_actions(user),
            can_edit=report.is_editable and user.has_perm("works.change_progressreport"),
            history=report.history.select_related("history_user")[:50],
            **kwargs,
        )


class ProgressReportReviewView(View):
    """Submit, verify, return or approve a report (kotaku.workflow keeps the rules;
    the service also brings the work's summary up to date)."""

    def post(self, request, pk):
        report = get_object_or_404(selectors.report_queryset(request.user), pk=pk)
        try:
            updated = services.progress_report_review(
                report=report,
                user=request.user,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Done: the report is now “%(status)s”.")
                % {"status": updated.get_status_display()},
            )
        return redirect(report)


class RegionRollupView(TemplateView):
    """Works, beneficiaries, labour and progress summed per region, 100 regions a page
    (the nation's kelurahan are 11,000 rows): the page's regions are summed and named in
    the database, the others only counted."""

    template_name = "works/rollup.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        try:
            level = int(self.request.GET.get("level", 2))
        except ValueError:
            level = 2
        level = min(max(level, 1), 4)
        within = self.request.GET.get("within", "").strip()
        rows = selectors.rollup_queryset(self.request.user, level=level, within=within)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            rows=selectors.add_region_names(selectors.finish_rollup_rows(page.object_list)),
            page_obj=page,
            level=level,
            within=within,
            levels=RegionLevel.choices,
            **kwargs,
        )
