from django.db import transaction
from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("", views.WorkListView.as_view(), name="work_list"),
    path("baru/", views.WorkFormView.as_view(), name="work_create"),
    path("saya/", views.MyWorksView.as_view(), name="my_works"),
    path("rekap/", views.RegionRollupView.as_view(), name="rollup"),
    # Reads only (GET): no transaction around it, which spares two round trips on the
    # most opened page. Its actions post to the views below, each in its transaction.
    path(
        "<int:pk>/",
        transaction.non_atomic_requests(views.WorkDetailView.as_view()),
        name="work_detail",
    ),
    path("<int:pk>/ubah/", views.WorkFormView.as_view(), name="work_update"),
    path("<int:pk>/status/", views.WorkStatusView.as_view(), name="work_status"),
    path("<int:pk>/serah-terima/", views.HandoverCreateView.as_view(), name="handover_create"),
    path(
        "<int:pk>/pemeliharaan/",
        views.MaintenanceCheckCreateView.as_view(),
        name="maintenance_create",
    ),
    path("<int:pk>/laporan/", views.ProgressReportCreateView.as_view(), name="report_create"),
    path("laporan/", views.ProgressReportListView.as_view(), name="report_list"),
    path("laporan/<int:pk>/", views.ProgressReportDetailView.as_view(), name="report_detail"),
    path("laporan/<int:pk>/ubah/", views.ProgressReportUpdateView.as_view(), name="report_update"),
    path(
        "laporan/<int:pk>/tinjau/", views.ProgressReportReviewView.as_view(), name="report_review"
    ),
]
