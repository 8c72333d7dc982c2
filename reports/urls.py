from django.urls import path

import locations.urls  # noqa: F401 — registers the `region` path converter used below

from . import views

app_name = "reports"
urlpatterns = [
    path("bulanan/", views.MonthlyReportPickerView.as_view(), name="monthly_picker"),
    path(
        "bulanan/<region:code>/<int:year>/<int:month>/",
        views.MonthlyReportView.as_view(),
        name="monthly",
    ),
    path(
        "bulanan/<region:code>/<int:year>/<int:month>/pdf/",
        views.MonthlyReportView.as_view(as_pdf=True),
        name="monthly_pdf",
    ),
]
