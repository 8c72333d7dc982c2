"""The monthly district report: a picker, the printable page and its PDF. The figures come
from selectors.monthly_report, scoped to the user; a kabupaten/kota the user cannot see
answers 404."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from . import pdf, selectors
from .forms import FIRST_YEAR, LAST_YEAR, MonthPickerForm


class MonthlyReportPickerView(TemplateView):
    """Pick a kabupaten/kota, year and month; a valid pick opens the report's address."""

    template_name = "reports/monthly_picker.html"

    def get(self, request, *args, **kwargs):
        bound = any(name in request.GET for name in ("kabupaten", "year", "month"))
        form = MonthPickerForm(request.GET if bound else None, user=request.user)
        if bound and form.is_valid():
            data = form.cleaned_data
            return redirect(
                "reports:monthly",
                code=data["kabupaten"].code,
                year=data["year"],
                month=data["month"],
            )
        status = 400 if bound else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


def _neighbour(year, month, step):
    month += step
    if month == 0:
        return year - 1, 12
    if month == 13:
        return year + 1, 1
    return year, month


class MonthlyReportView(TemplateView):
    """The report of one kabupaten/kota and month, as a page or (`?format=pdf`, or the
    `pdf/` address) as a PDF download."""

    template_name = "reports/monthly.html"
    as_pdf = False

    def get(self, request, code, year, month):
        if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
            raise Http404
        region = get_object_or_404(selectors.kabupaten_for_user(request.user), code=code)
        report = selectors.monthly_report(request.user, region, year, month)
        if self.as_pdf or request.GET.get("format") == "pdf":
            response = HttpResponse(pdf.build_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
            return response
        links = {
            name: reverse("reports:monthly", args=[code, *_neighbour(year, month, step)])
            for name, step in (("previous", -1), ("next", 1))
        }
        return self.render_to_response(
            self.get_context_data(
                report=report,
                links=links,
                pdf_url=reverse("reports:monthly_pdf", args=[code, year, month]),
                picker_url=reverse("reports:monthly_picker"),
            )
        )
